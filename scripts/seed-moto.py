#!/usr/bin/env python3
"""Seeds a moto server with an account holding planted misconfigurations and clean counterparts,
for the live AWS test (`crates/deadbolt/tests/it/aws_live.rs`) and the collection benchmark.

Usage: seed-moto.py --endpoint http://127.0.0.1:PORT [--scale N]

Prints one JSON object: what was planted (rule ID -> ARNs) and the clean ARNs, so the test asserts
against what this script made rather than against names copied by hand. `--scale N` adds N buckets,
N roles and N/2 security groups (all clean), for the benchmark.

Uses boto3 from the same virtual environment as moto (moto depends on it).
"""

import argparse
import io
import json
import zipfile

import boto3

ACCOUNT = "123456789012"
REGION = "eu-west-1"
OTHER_REGION = "us-east-1"


def client(service, endpoint, region=REGION):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def seed(endpoint, scale):
    planted = {}
    clean = []

    def plant(rule, arn):
        planted.setdefault(rule, []).append(arn)

    s3 = client("s3", endpoint)
    loc = {"LocationConstraint": REGION}
    # A bucket anyone can list and read, without versioning.
    s3.create_bucket(Bucket="agency-public-media", CreateBucketConfiguration=loc)
    s3.put_bucket_acl(Bucket="agency-public-media", ACL="public-read")
    plant("AWS-S3-001", "arn:aws:s3:::agency-public-media")
    # A bucket whose policy lets anyone read objects.
    s3.create_bucket(Bucket="agency-open-policy", CreateBucketConfiguration=loc)
    s3.put_bucket_policy(
        Bucket="agency-open-policy",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::agency-open-policy/*",
                    }
                ],
            }
        ),
    )
    plant("AWS-S3-002", "arn:aws:s3:::agency-open-policy")
    # The clean counterpart: private, Block Public Access on, KMS-encrypted, versioned, logged.
    s3.create_bucket(Bucket="agency-clean-records", CreateBucketConfiguration=loc)
    s3.put_public_access_block(
        Bucket="agency-clean-records",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket="agency-clean-records",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": "alias/records",
                    }
                }
            ]
        },
    )
    s3.put_bucket_versioning(
        Bucket="agency-clean-records", VersioningConfiguration={"Status": "Enabled"}
    )
    s3.create_bucket(Bucket="agency-access-logs", CreateBucketConfiguration=loc, ACL="log-delivery-write")
    s3.put_bucket_logging(
        Bucket="agency-clean-records",
        BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "agency-access-logs", "TargetPrefix": "records/"}
        },
    )
    clean.append("arn:aws:s3:::agency-clean-records")

    iam = client("iam", endpoint)
    # A console user without MFA, and a user with neither console access nor keys.
    iam.create_user(UserName="contractor")
    iam.create_login_profile(UserName="contractor", Password="Winter2026!x")
    plant("AWS-IAM-013", f"arn:aws:iam::{ACCOUNT}:user/contractor")
    iam.create_user(UserName="ci-reader")
    clean.append(f"arn:aws:iam::{ACCOUNT}:user/ci-reader")
    # A customer managed policy granting everything, and a narrow one.
    admin = iam.create_policy(
        PolicyName="AgencyAdmin",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )["Policy"]["Arn"]
    plant("AWS-IAM-001", admin)
    narrow = iam.create_policy(
        PolicyName="ReadReports",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::agency-clean-records/reports/*",
                    }
                ],
            }
        ),
    )["Policy"]["Arn"]
    clean.append(narrow)
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    role = iam.create_role(RoleName="intake-function", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.attach_role_policy(RoleName="intake-function", PolicyArn=narrow)
    # A weak password policy.
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=2)
    plant("AWS-IAM-007", f"arn:aws:iam::{ACCOUNT}:account-password-policy")

    ec2 = client("ec2", endpoint)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    ssh = ec2.create_security_group(GroupName="ssh-from-anywhere", Description="admin access", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=ssh,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh"}],
            }
        ],
    )
    plant("AWS-EC2-001", f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{ssh}")
    internal = ec2.create_security_group(GroupName="https-internal", Description="internal https", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=internal,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "office"}],
            }
        ],
    )
    clean.append(f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{internal}")
    plain = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)["VolumeId"]
    plant("AWS-EC2-011", f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{plain}")
    sealed = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=True)["VolumeId"]
    clean.append(f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{sealed}")
    # A snapshot anyone can create volumes from, and a private one.
    shared = ec2.create_snapshot(VolumeId=plain)["SnapshotId"]
    ec2.modify_snapshot_attribute(
        SnapshotId=shared,
        Attribute="createVolumePermission",
        OperationType="add",
        GroupNames=["all"],
    )
    plant("AWS-EC2-016", f"arn:aws:ec2:{REGION}::snapshot/{shared}")
    private = ec2.create_snapshot(VolumeId=sealed)["SnapshotId"]
    clean.append(f"arn:aws:ec2:{REGION}::snapshot/{private}")
    # EBS encryption by default: off in REGION, on in OTHER_REGION.
    plant("AWS-EC2-014", f"arn:aws:ec2:{REGION}:{ACCOUNT}:ebs-encryption-by-default")
    client("ec2", endpoint, OTHER_REGION).enable_ebs_encryption_by_default()
    clean.append(f"arn:aws:ec2:{OTHER_REGION}:{ACCOUNT}:ebs-encryption-by-default")

    kms = client("kms", endpoint)
    stale = kms.create_key(Description="never rotated")["KeyMetadata"]["Arn"]
    plant("AWS-KMS-001", stale)
    rotated = kms.create_key(Description="rotated")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=rotated["KeyId"])
    clean.append(rotated["Arn"])

    ct = client("cloudtrail", endpoint)
    # A trail that was created and never started; the clean one logs everything.
    ct.create_trail(Name="idle-trail", S3BucketName="agency-public-media")
    plant("AWS-CLOUDTRAIL-005", f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/idle-trail")
    ct.create_trail(
        Name="org-trail",
        S3BucketName="agency-clean-records",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=rotated["Arn"],
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:trail:*",
        CloudWatchLogsRoleArn=role,
    )
    ct.start_logging(Name="org-trail")
    clean.append(f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/org-trail")

    lam = client("lambda", endpoint)
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 'ok'\n")
    common = dict(Runtime="python3.12", Role=role, Handler="index.handler")
    # A function with a literal password in its environment and a public URL, and a clean one.
    lam.create_function(
        FunctionName="intake-form",
        Code={"ZipFile": code.getvalue()},
        Environment={"Variables": {"DB_PASSWORD": "Sup3rS3cretValue!", "STAGE": "prod"}},
        **common,
    )
    lam.create_function_url_config(FunctionName="intake-form", AuthType="NONE")
    intake = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:intake-form"
    plant("AWS-LAMBDA-002", intake)
    plant("AWS-LAMBDA-001", intake + "/url")
    lam.create_function(
        FunctionName="report-builder",
        Code={"ZipFile": code.getvalue()},
        Environment={"Variables": {"DB_PASSWORD_ARN": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db"}},
        TracingConfig={"Mode": "Active"},
        **common,
    )
    lam.create_function_url_config(FunctionName="report-builder", AuthType="AWS_IAM")
    report = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:report-builder"
    clean.extend([report, report + "/url"])

    # Detection services: GuardDuty and Security Hub on in OTHER_REGION only.
    client("guardduty", endpoint, OTHER_REGION).create_detector(Enable=True)
    client("securityhub", endpoint, OTHER_REGION).enable_security_hub()
    plant("AWS-GUARDDUTY-001", f"aws://{REGION}/guardduty")
    plant("AWS-SECURITYHUB-001", f"aws://{REGION}/securityhub")
    clean.extend([f"aws://{OTHER_REGION}/guardduty", f"aws://{OTHER_REGION}/securityhub"])

    for i in range(scale):
        name = f"bench-bucket-{i:05d}"
        s3.create_bucket(Bucket=name, CreateBucketConfiguration=loc)
        iam.create_role(RoleName=f"bench-role-{i:05d}", AssumeRolePolicyDocument=trust)
        if i % 2 == 0:
            ec2.create_security_group(
                GroupName=f"bench-sg-{i:05d}", Description="bench", VpcId=vpc
            )
    return {"account": ACCOUNT, "regions": [REGION, OTHER_REGION], "planted": planted, "clean": clean}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--scale", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(seed(args.endpoint, args.scale), indent=2))


if __name__ == "__main__":
    main()
