//! Resources, their common metadata, and the [`Model`] that holds a scan's resources.

use serde::Serialize;

use crate::attr::Attr;
use crate::span::Span;

/// The cloud or platform a resource belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Amazon Web Services.
    Aws,
    /// Microsoft Azure.
    Azure,
    /// Google Cloud.
    Gcp,
    /// Kubernetes.
    Kubernetes,
    /// Anything else (Alibaba, Oracle, helper providers such as `random` or `null`).
    Other,
}

/// An inline suppression written next to a resource, e.g. `# deadbolt:ignore[AWS-S3-010] logs go to
/// the SIEM bucket`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// The rule ID it silences, exactly as written.
    pub rule_id: String,
    /// The justification written after the bracket, if any.
    pub reason: Option<String>,
    /// Where the comment is.
    pub span: Span,
}

/// What every resource carries besides its typed attributes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceMeta {
    /// The source's address for it: `module.web.aws_s3_bucket.logs[0]` in Terraform, the logical ID
    /// in CloudFormation, the ARN in live state.
    pub address: String,
    /// The source's type name: `aws_s3_bucket`, `AWS::S3::Bucket`.
    pub kind: String,
    /// The provider it belongs to.
    pub provider: Provider,
    /// The resource's declaration (the whole block).
    pub span: Span,
    /// Inline suppressions that apply to it, including those written on enclosing module calls.
    pub suppressions: Vec<Suppression>,
    /// Where the resource's data lives: the region it is created in, and the regions it is
    /// replicated or backed up to. Empty when the source does not say (Kubernetes objects, a
    /// Terraform plan, resources of providers deadbolt does not place). A region that is decided
    /// only at deployment (an unset provider region, a CloudFormation stack's region) is an
    /// unknown [`Attr`] with the reason, never a guess.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
}

/// One place a resource's data lives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Location {
    /// The cloud region (`eu-west-1`), spanned where it is decided: the provider block's `region`,
    /// a replica's `region_name`, a backup copy's vault ARN.
    pub region: Attr<String>,
    /// Why the data is there.
    pub role: LocationRole,
}

/// Why a resource's data is in a [`Location`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationRole {
    /// The region the resource is created in.
    Primary,
    /// A live copy the service keeps in sync (a DynamoDB global table replica, S3 replication, an
    /// RDS cross-region read replica).
    Replica,
    /// A backup copied to another region (an AWS Backup copy action).
    Backup,
}

impl LocationRole {
    /// The lower-case word used in messages (`"replica"`).
    pub fn as_str(self) -> &'static str {
        match self {
            LocationRole::Primary => "primary",
            LocationRole::Replica => "replica",
            LocationRole::Backup => "backup",
        }
    }
}

/// The organisation's data-residency policy (from its stack file, `deadbolt.yaml`): the regions
/// where its data may be stored. It travels in the [`Model`] because rules read only the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResidencyPolicy {
    /// The policy's name as the stack file gives it (`"EU only"`), for messages.
    pub label: Option<String>,
    /// The allowed regions, as patterns where `*` matches any run of characters (`eu-*`).
    pub allowed_regions: Vec<String>,
    /// The stack file the policy was read from, for messages.
    pub file: String,
}

impl ResidencyPolicy {
    /// Whether `region` matches one of the allowed patterns.
    pub fn allows(&self, region: &str) -> bool {
        self.allowed_regions
            .iter()
            .any(|p| crate::aws::iam::wildcard_match(p, region))
    }
}

/// A resource deadbolt has no typed model for yet; it is still counted as scanned.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OtherResource {
    /// Common metadata.
    pub meta: ResourceMeta,
}

impl From<OtherResource> for Resource {
    fn from(r: OtherResource) -> Self {
        Resource::Other(r)
    }
}

/// Implemented by every typed resource so rules can ask the model for all resources of one type.
pub trait Typed: Sized {
    /// The typed resource inside `resource`, if it is of this type.
    fn from_resource(resource: &Resource) -> Option<&Self>;
    /// The typed resource inside `resource`, mutably (sources join split resources into it).
    fn from_resource_mut(resource: &mut Resource) -> Option<&mut Self>;
}

macro_rules! resources {
    ($($(#[$doc:meta])* $variant:ident($ty:ty)),* $(,)?) => {
        /// One resource of any type the model knows.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        #[allow(clippy::large_enum_variant)]
        pub enum Resource {
            $($(#[$doc])* $variant($ty),)*
            /// A resource with no typed model yet.
            Other(OtherResource),
        }

        impl Resource {
            /// The resource's common metadata.
            pub fn meta(&self) -> &ResourceMeta {
                match self {
                    $(Resource::$variant(r) => &r.meta,)*
                    Resource::Other(r) => &r.meta,
                }
            }

            /// The resource's common metadata, mutably (sources add locations found elsewhere,
            /// such as a replication configuration's destination, to the resource they concern).
            pub fn meta_mut(&mut self) -> &mut ResourceMeta {
                match self {
                    $(Resource::$variant(r) => &mut r.meta,)*
                    Resource::Other(r) => &mut r.meta,
                }
            }
        }

        $(
            impl Typed for $ty {
                fn from_resource(resource: &Resource) -> Option<&Self> {
                    match resource {
                        Resource::$variant(r) => Some(r),
                        _ => None,
                    }
                }
                fn from_resource_mut(resource: &mut Resource) -> Option<&mut Self> {
                    match resource {
                        Resource::$variant(r) => Some(r),
                        _ => None,
                    }
                }
            }
            impl From<$ty> for Resource {
                fn from(r: $ty) -> Self {
                    Resource::$variant(r)
                }
            }
        )*
    };
}

use crate::aws;
use crate::k8s;

resources! {
    /// An API Gateway stage.
    ApiStage(aws::apigateway::Stage),
    /// An API Gateway REST method.
    ApiMethod(aws::apigateway::Method),
    /// An IAM managed or inline policy.
    IamPolicy(aws::iam::Policy),
    /// An IAM user, group or role.
    IamPrincipal(aws::iam::Principal),
    /// A standalone managed-policy attachment.
    IamAttachment(aws::iam::Attachment),
    /// The account password policy.
    IamPasswordPolicy(aws::iam::PasswordPolicy),
    /// An S3 bucket with its joined ACL, policy, encryption, versioning and logging.
    S3Bucket(aws::s3::Bucket),
    /// The account-level S3 Block Public Access settings.
    S3AccountPublicAccessBlock(aws::s3::AccountPublicAccessBlock),
    /// A security group with its joined rules.
    SecurityGroup(aws::ec2::SecurityGroup),
    /// A network ACL with its joined rules.
    NetworkAcl(aws::ec2::NetworkAcl),
    /// An EC2 instance, launch template or launch configuration.
    Instance(aws::ec2::Instance),
    /// An EBS volume.
    Volume(aws::ec2::Volume),
    /// The per-region EBS encryption-by-default setting.
    EbsDefaultEncryption(aws::ec2::EbsDefaultEncryption),
    /// A VPC with its joined flow logs.
    Vpc(aws::ec2::Vpc),
    /// An RDS DB instance or Aurora/RDS cluster.
    Database(aws::rds::Database),
    /// A DynamoDB table.
    DynamoTable(aws::dynamodb::Table),
    /// A KMS key.
    KmsKey(aws::kms::Key),
    /// A CloudTrail trail.
    Trail(aws::cloudtrail::Trail),
    /// An Elastic Load Balancing (v2) load balancer.
    LoadBalancer(aws::elb::LoadBalancer),
    /// An Elastic Load Balancing (v2) listener.
    Listener(aws::elb::Listener),
    /// A CloudFront distribution.
    Distribution(aws::cloudfront::Distribution),
    /// A Lambda function.
    LambdaFunction(aws::lambda::Function),
    /// A Lambda function URL.
    LambdaFunctionUrl(aws::lambda::FunctionUrl),
    /// A Lambda resource-based permission.
    LambdaPermission(aws::lambda::Permission),
    /// An EKS cluster.
    EksCluster(aws::eks::Cluster),
    /// An ECR repository.
    EcrRepository(aws::ecr::Repository),
    /// A data store whose only checks are about encryption and exposure (SNS, SQS, OpenSearch,
    /// Neptune, Redshift, EFS, ElastiCache, DocumentDB).
    DataStore(aws::datastore::DataStore),
    /// An AWS Config configuration recorder.
    ConfigRecorder(aws::config::Recorder),
    /// A Lightsail instance with its joined public ports.
    LightsailInstance(aws::lightsail::Instance),
    /// The account's root user (live state only).
    RootUser(aws::account::RootUser),
    /// An IAM user's credentials from the credential report (live state only).
    CredentialUser(aws::account::CredentialUser),
    /// A detection or configuration service in one region (live state only).
    RegionalService(aws::regional::RegionalService),
    /// An EBS snapshot, AMI or RDS snapshot the account owns (live state only).
    SharedCopy(aws::sharing::SharedCopy),
    // Kubernetes
    /// A Kubernetes workload (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob...).
    K8sWorkload(k8s::Workload),
    /// A Kubernetes Service.
    K8sService(k8s::Service),
    /// A Kubernetes Ingress.
    K8sIngress(k8s::Ingress),
    /// A Kubernetes Role or ClusterRole.
    K8sRole(k8s::Role),
    /// A Kubernetes RoleBinding or ClusterRoleBinding.
    K8sRoleBinding(k8s::RoleBinding),
    /// A Kubernetes NetworkPolicy.
    K8sNetworkPolicy(k8s::NetworkPolicy),
    /// A Kubernetes ServiceAccount.
    K8sServiceAccount(k8s::ServiceAccount),
    /// A Kubernetes Namespace.
    K8sNamespace(k8s::Namespace),
}

/// Everything one scan read, normalised: the input every rule judges.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Model {
    resources: Vec<Resource>,
    /// The organisation's residency policy, when the scan was given one.
    #[serde(skip_serializing_if = "Option::is_none")]
    residency: Option<ResidencyPolicy>,
}

impl Model {
    /// An empty model.
    pub fn new() -> Self {
        Model::default()
    }

    /// Adds a resource.
    pub fn push(&mut self, resource: impl Into<Resource>) {
        self.resources.push(resource.into());
    }

    /// Adds all resources of another model (and its residency policy, if this model has none).
    pub fn extend(&mut self, other: Model) {
        self.resources.extend(other.resources);
        if self.residency.is_none() {
            self.residency = other.residency;
        }
    }

    /// Sets (or clears) the residency policy the rules judge locations against.
    pub fn set_residency(&mut self, policy: Option<ResidencyPolicy>) {
        self.residency = policy;
    }

    /// The residency policy, if the scan has one.
    pub fn residency(&self) -> Option<&ResidencyPolicy> {
        self.residency.as_ref()
    }

    /// All resources, in the order the sources produced them.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// All resources, mutably.
    pub fn resources_mut(&mut self) -> &mut [Resource] {
        &mut self.resources
    }

    /// All resources of type `T`.
    pub fn all<T: Typed + 'static>(&self) -> impl Iterator<Item = &T> {
        self.resources.iter().filter_map(T::from_resource)
    }

    /// All resources of type `T`, mutably.
    pub fn all_mut<T: Typed + 'static>(&mut self) -> impl Iterator<Item = &mut T> {
        self.resources.iter_mut().filter_map(T::from_resource_mut)
    }

    /// The number of resources.
    pub fn len(&self) -> usize {
        self.resources.len()
    }

    /// `true` when the model has no resource.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }
}
