//! Every AWS API operation live collection makes, with the parameters that identify each call in
//! a snapshot. The collector (`deadbolt-aws`) makes exactly these calls and the normaliser reads
//! exactly these; the read-only test checks that the collector invokes nothing else.
//!
//! Every operation is a read: its name starts with `List`, `Get`, `Describe` or `Generate`
//! (`GenerateCredentialReport` asks IAM to build the report it then returns; it changes no
//! resource). The AWS managed policies `SecurityAudit` and `ViewOnlyAccess` allow all of them.

/// Where an operation is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Once per account (IAM, S3 bucket listing, S3 Control, CloudFront, STS), in the home region.
    Global,
    /// Once per collected region.
    Regional,
    /// Once per resource found by another call (per bucket, per trail, per function...), in that
    /// resource's region; the text names the parameter(s).
    PerResource(&'static str),
}

/// One API operation deadbolt calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The service, lower case, as in a snapshot's `service` (the SDK's name, except `elbv2` for
    /// Elastic Load Balancing v2 and `logs` for CloudWatch Logs, the names the AWS CLI uses).
    pub service: &'static str,
    /// The operation name, as AWS spells it.
    pub operation: &'static str,
    /// Where it is called.
    pub scope: Scope,
    /// Error codes that mean "nothing is configured" (a bucket without a policy), not a failure.
    pub none_codes: &'static [&'static str],
}

const fn op(service: &'static str, operation: &'static str, scope: Scope) -> Operation {
    Operation {
        service,
        operation,
        scope,
        none_codes: &[],
    }
}

const fn op_none(
    service: &'static str,
    operation: &'static str,
    scope: Scope,
    none_codes: &'static [&'static str],
) -> Operation {
    Operation {
        service,
        operation,
        scope,
        none_codes,
    }
}

use Scope::{Global, PerResource, Regional};

/// Every operation, by service.
pub const OPERATIONS: &[Operation] = &[
    op("sts", "GetCallerIdentity", Global),
    op("ec2", "DescribeRegions", Global),
    // IAM (global)
    op("iam", "GetAccountAuthorizationDetails", Global),
    op_none("iam", "GetAccountPasswordPolicy", Global, &["NoSuchEntity"]),
    op("iam", "GetAccountSummary", Global),
    op("iam", "GenerateCredentialReport", Global),
    op("iam", "GetCredentialReport", Global),
    op("iam", "ListVirtualMFADevices", Global),
    op("iam", "ListAccessKeys", PerResource("UserName")),
    op("iam", "GetAccessKeyLastUsed", PerResource("AccessKeyId")),
    // S3
    op("s3", "ListBuckets", Global),
    op("s3", "GetBucketLocation", PerResource("Bucket")),
    op("s3", "GetBucketAcl", PerResource("Bucket")),
    op_none(
        "s3",
        "GetBucketPolicy",
        PerResource("Bucket"),
        &["NoSuchBucketPolicy"],
    ),
    op_none(
        "s3",
        "GetBucketPolicyStatus",
        PerResource("Bucket"),
        &["NoSuchBucketPolicy"],
    ),
    op_none(
        "s3",
        "GetPublicAccessBlock",
        PerResource("Bucket"),
        &["NoSuchPublicAccessBlockConfiguration"],
    ),
    op_none(
        "s3",
        "GetBucketEncryption",
        PerResource("Bucket"),
        &["ServerSideEncryptionConfigurationNotFoundError"],
    ),
    op("s3", "GetBucketVersioning", PerResource("Bucket")),
    op("s3", "GetBucketLogging", PerResource("Bucket")),
    op_none(
        "s3",
        "GetBucketReplication",
        PerResource("Bucket"),
        &["ReplicationConfigurationNotFoundError"],
    ),
    op_none(
        "s3control",
        "GetPublicAccessBlock",
        Global,
        &["NoSuchPublicAccessBlockConfiguration"],
    ),
    // EC2 / VPC
    op("ec2", "DescribeSecurityGroups", Regional),
    op("ec2", "DescribeNetworkAcls", Regional),
    op("ec2", "DescribeInstances", Regional),
    op("ec2", "DescribeVolumes", Regional),
    op("ec2", "GetEbsEncryptionByDefault", Regional),
    op("ec2", "DescribeSnapshots", Regional),
    op(
        "ec2",
        "DescribeSnapshotAttribute",
        PerResource("SnapshotId"),
    ),
    op("ec2", "DescribeImages", Regional),
    op("ec2", "DescribeVpcs", Regional),
    op("ec2", "DescribeFlowLogs", Regional),
    // RDS
    op("rds", "DescribeDBInstances", Regional),
    op("rds", "DescribeDBClusters", Regional),
    op("rds", "DescribeDBSnapshots", Regional),
    op(
        "rds",
        "DescribeDBSnapshotAttributes",
        PerResource("DBSnapshotIdentifier"),
    ),
    op("rds", "DescribeDBClusterSnapshots", Regional),
    op(
        "rds",
        "DescribeDBClusterSnapshotAttributes",
        PerResource("DBClusterSnapshotIdentifier"),
    ),
    // CloudTrail
    op("cloudtrail", "DescribeTrails", Regional),
    op("cloudtrail", "GetTrailStatus", PerResource("Name")),
    op("cloudtrail", "GetEventSelectors", PerResource("TrailName")),
    // KMS
    op("kms", "ListKeys", Regional),
    op("kms", "DescribeKey", PerResource("KeyId")),
    op("kms", "GetKeyRotationStatus", PerResource("KeyId")),
    op("kms", "GetKeyPolicy", PerResource("KeyId")),
    // Lambda
    op("lambda", "ListFunctions", Regional),
    op_none(
        "lambda",
        "GetFunctionUrlConfig",
        PerResource("FunctionName"),
        &["ResourceNotFoundException"],
    ),
    op_none(
        "lambda",
        "GetPolicy",
        PerResource("FunctionName"),
        &["ResourceNotFoundException"],
    ),
    // Detection and configuration services
    op("config", "DescribeConfigurationRecorders", Regional),
    op("config", "DescribeConfigurationRecorderStatus", Regional),
    op("guardduty", "ListDetectors", Regional),
    op("guardduty", "GetDetector", PerResource("DetectorId")),
    op_none(
        "securityhub",
        "DescribeHub",
        Regional,
        &["InvalidAccessException"],
    ),
    op("accessanalyzer", "ListAnalyzers", Regional),
    // DynamoDB
    op("dynamodb", "ListTables", Regional),
    op("dynamodb", "DescribeTable", PerResource("TableName")),
    op(
        "dynamodb",
        "DescribeContinuousBackups",
        PerResource("TableName"),
    ),
    // Elastic Load Balancing v2 (`elbv2`)
    op("elbv2", "DescribeLoadBalancers", Regional),
    op("elbv2", "DescribeListeners", PerResource("LoadBalancerArn")),
    op(
        "elbv2",
        "DescribeLoadBalancerAttributes",
        PerResource("LoadBalancerArn"),
    ),
    // CloudFront (global)
    op("cloudfront", "ListDistributions", Global),
    op("cloudfront", "GetDistributionConfig", PerResource("Id")),
    // EKS
    op("eks", "ListClusters", Regional),
    op("eks", "DescribeCluster", PerResource("name")),
    // ECR
    op("ecr", "DescribeRepositories", Regional),
    op("ecr", "GetRegistryScanningConfiguration", Regional),
    // SNS and SQS
    op("sns", "ListTopics", Regional),
    op("sns", "GetTopicAttributes", PerResource("TopicArn")),
    op("sqs", "ListQueues", Regional),
    op("sqs", "GetQueueAttributes", PerResource("QueueUrl")),
    // Lightsail
    op("lightsail", "GetInstances", Regional),
    op(
        "lightsail",
        "GetInstancePortStates",
        PerResource("instanceName"),
    ),
    // Secrets Manager, Backup, CloudWatch Logs (`logs`)
    op("secretsmanager", "ListSecrets", Regional),
    op("backup", "ListBackupPlans", Regional),
    op("backup", "GetBackupPlan", PerResource("BackupPlanId")),
    op("backup", "ListProtectedResources", Regional),
    op("logs", "DescribeLogGroups", Regional),
];

/// The operations `deadbolt logs s3://BUCKET/PREFIX` makes to read CloudTrail delivery files
/// (not collection: nothing of them enters a snapshot). `s3:GetObject` is the one permission it
/// needs beyond `SecurityAudit`, on the trail bucket only.
pub const LOG_OPERATIONS: &[Operation] = &[
    op("s3", "GetBucketLocation", PerResource("Bucket")),
    op("s3", "ListObjectsV2", PerResource("Bucket")),
    op("s3", "GetObject", PerResource("Bucket")),
];

/// Whether an operation name is a read: `List*`, `Get*`, `Describe*` or `Generate*`.
pub fn is_read_only(operation: &str) -> bool {
    ["List", "Get", "Describe", "Generate"]
        .iter()
        .any(|verb| operation.starts_with(verb))
}

/// The operation deadbolt calls by this service and name, if it calls it.
pub fn find(service: &str, operation: &str) -> Option<&'static Operation> {
    OPERATIONS
        .iter()
        .find(|o| o.service == service && o.operation == operation)
}

/// Whether an error `code` of `service`'s `operation` means "nothing is configured".
pub fn means_none(service: &str, operation: &str, code: &str) -> bool {
    find(service, operation).is_some_and(|o| o.none_codes.contains(&code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_a_read() {
        for o in OPERATIONS.iter().chain(LOG_OPERATIONS) {
            assert!(is_read_only(o.operation), "{}:{}", o.service, o.operation);
        }
        assert!(!is_read_only("PutBucketPolicy"));
        assert!(!is_read_only("DeleteTrail"));
    }
}
