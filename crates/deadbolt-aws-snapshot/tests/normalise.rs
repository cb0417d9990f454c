//! The normalisers on hand-written snapshots: `account.json` (every service answering) and
//! `errors.json` (AccessDenied, "none configured" codes, malformed responses).

use deadbolt_aws_snapshot::{Normalised, normalise, parse};
use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::aws::ec2::{
    Direction, EbsDefaultEncryption, Instance, NetworkAcl, SecurityGroup, Volume, Vpc,
};
use deadbolt_model::aws::iam::{PasswordPolicy, Policy, PolicyScope, Principal, PrincipalKind};
use deadbolt_model::aws::kms::Key;
use deadbolt_model::aws::lambda::{Function, FunctionUrl, Permission};
use deadbolt_model::aws::rds::Database;
use deadbolt_model::aws::s3::{AccountPublicAccessBlock, Bucket};
use deadbolt_model::{LocationRole, Typed};

fn load(name: &str) -> Normalised {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    normalise(&parse(&path, &text).unwrap(), &path)
}

fn one<'m, T: Typed + 'static>(n: &'m Normalised, address: &str) -> &'m T {
    n.model
        .resources()
        .iter()
        .filter(|r| r.meta().address == address)
        .find_map(T::from_resource)
        .unwrap_or_else(|| panic!("no {address} of that type"))
}

fn reason<T>(attr: &deadbolt_model::Attr<T>) -> String {
    attr.unknown_reason().expect("unknown").to_string()
}

fn diagnostics(n: &Normalised) -> String {
    n.diagnostics
        .iter()
        .map(|d| format!("{} {}\n", d.file, d.message))
        .collect()
}

#[test]
fn s3_buckets_join_every_per_bucket_call() {
    let n = load("account.json");
    assert!(n.diagnostics.is_empty(), "{:?}", n.diagnostics);
    let public: &Bucket = one(&n, "arn:aws:s3:::public-site");
    assert_eq!(public.meta.kind, "AWS::S3::Bucket");
    assert_eq!(&*public.meta.span.file, "aws://us-east-1/s3/ListBuckets");
    let primary = &public.meta.locations[0];
    assert_eq!(primary.role, LocationRole::Primary);
    assert_eq!(primary.region.known().unwrap(), "eu-west-1");
    assert_eq!(
        &*primary.region.span.file,
        "aws://us-east-1/s3/GetBucketLocation?Bucket=public-site"
    );
    assert_eq!(public.grants.len(), 2);
    assert_eq!(
        public.grants[1].grantee.known().unwrap(),
        "http://acs.amazonaws.com/groups/global/AllUsers"
    );
    // "None configured" codes are known absent, spanned at the call that said so.
    assert_eq!(public.encryption.known(), Some(&None));
    assert_eq!(
        &*public.encryption.span.file,
        "aws://eu-west-1/s3/GetBucketEncryption?Bucket=public-site"
    );
    assert_eq!(public.policy.known(), Some(&None));
    assert_eq!(public.public_access_block.known(), Some(&None));
    assert_eq!(public.versioning.known(), Some(&false));
    assert_eq!(public.logging.known(), Some(&false));
    assert_eq!(public.meta.locations.len(), 1);

    let clean: &Bucket = one(&n, "arn:aws:s3:::clean-data");
    assert_eq!(clean.meta.locations[0].region.known().unwrap(), "us-east-1");
    // Replicated to public-site, whose region the snapshot knows.
    assert_eq!(clean.meta.locations[1].role, LocationRole::Replica);
    assert_eq!(clean.meta.locations[1].region.known().unwrap(), "eu-west-1");
    let enc = clean.encryption.known().unwrap().as_ref().unwrap();
    assert_eq!(enc.algorithm.known().unwrap(), "aws:kms");
    assert!(enc.kms_key.is_some());
    assert_eq!(clean.versioning.known(), Some(&true));
    assert_eq!(clean.mfa_delete.known(), Some(&false));
    assert_eq!(clean.logging.known(), Some(&true));
    let pab = clean.public_access_block.known().unwrap().as_ref().unwrap();
    assert_eq!(pab.restrict_public_buckets.known(), Some(&true));
    assert_eq!(
        clean
            .policy
            .known()
            .unwrap()
            .as_ref()
            .unwrap()
            .statements
            .len(),
        1
    );

    let account: &AccountPublicAccessBlock =
        one(&n, "arn:aws:s3::123456789012:account-public-access-block");
    assert_eq!(account.settings.block_public_acls.known(), Some(&false));
    assert!(!account.settings.block_public_acls.explicit);
}

#[test]
fn s3_errors_are_unknown_absent_or_diagnosed() {
    let n = load("errors.json");
    let bucket: &Bucket = one(&n, "arn:aws:s3:::locked");
    assert_eq!(
        bucket.meta.locations[0].region.known().unwrap(),
        "eu-west-1"
    );
    assert_eq!(
        reason(&bucket.policy),
        "s3:GetBucketPolicy failed in eu-west-1 (AccessDenied)"
    );
    assert_eq!(
        &*bucket.policy.span.file,
        "aws://eu-west-1/s3/GetBucketPolicy?Bucket=locked"
    );
    assert_eq!(bucket.encryption.known(), Some(&None));
    assert!(reason(&bucket.logging).contains("s3:GetBucketLogging was not collected"));
    assert!(bucket.grants.is_empty());
    let d = diagnostics(&n);
    assert!(
        d.contains("aws://eu-west-1/s3/GetBucketAcl?Bucket=locked unexpected response"),
        "{d}"
    );
    let account: &AccountPublicAccessBlock =
        one(&n, "arn:aws:s3::123456789012:account-public-access-block");
    assert!(reason(&account.settings.ignore_public_acls).contains("AccessDenied"));
}

#[test]
fn iam_principals_and_policies_come_from_every_page() {
    let n = load("account.json");
    let admin: &Policy = one(&n, "arn:aws:iam::123456789012:policy/admin-all");
    assert_eq!(admin.scope, PolicyScope::Managed);
    assert_eq!(admin.meta.kind, "AWS::IAM::ManagedPolicy");
    // The default version (v2), URL-decoded.
    let doc = admin.document.known().unwrap();
    assert_eq!(doc.statements[0].grants_full_admin(), Some(true));
    assert_eq!(
        &*admin.meta.span.file,
        "aws://us-east-1/iam/GetAccountAuthorizationDetails?Filter=User,Role,Group,LocalManagedPolicy"
    );
    let role: &Principal = one(&n, "arn:aws:iam::123456789012:role/app-role");
    assert_eq!(role.kind, PrincipalKind::Role);
    assert_eq!(role.meta.kind, "AWS::IAM::Role");
    let trust = role.trust_policy.as_ref().unwrap().known().unwrap();
    assert_eq!(
        trust.statements[0].principal.as_ref().unwrap().entries[0].0,
        "Service"
    );
    assert_eq!(
        role.attachments[0].known().unwrap(),
        "arn:aws:iam::123456789012:policy/read-logs"
    );
    let inline: &Policy = one(
        &n,
        "arn:aws:iam::123456789012:role/app-role/policy/inline-logs",
    );
    assert_eq!(inline.scope, PolicyScope::Inline(PrincipalKind::Role));
    assert_eq!(
        inline.principal.as_ref().unwrap().known().unwrap(),
        "app-role"
    );
    let group: &Principal = one(&n, "arn:aws:iam::123456789012:group/ops");
    assert_eq!(
        group.attachments[0].known().unwrap(),
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    );
    let _: &Principal = one(&n, "arn:aws:iam::123456789012:user/alice");
    let password: &PasswordPolicy = one(&n, "arn:aws:iam::123456789012:account-password-policy");
    assert_eq!(password.minimum_length.known(), Some(&14));
    assert_eq!(password.reuse_prevention.known(), Some(&24));
    assert_eq!(password.max_age_days.known(), Some(&0));
    assert!(!password.max_age_days.explicit);
}

#[test]
fn iam_errors() {
    let n = load("errors.json");
    let broken: &Policy = one(&n, "arn:aws:iam::123456789012:policy/broken");
    assert!(reason(&broken.document).contains("does not parse"));
    let password: &PasswordPolicy = one(&n, "arn:aws:iam::123456789012:account-password-policy");
    // NoSuchEntity: no custom policy, AWS's default of 8 applies.
    assert_eq!(password.minimum_length.known(), Some(&8));
    assert!(!password.minimum_length.explicit);
    let d = diagnostics(&n);
    assert!(d.contains("an entry has no `Arn`"), "{d}");
    assert!(
        d.contains("the default version of arn:aws:iam::123456789012:policy/broken"),
        "{d}"
    );
}

#[test]
fn ec2_resources_rules_and_joins() {
    let n = load("account.json");
    let open: &SecurityGroup = one(
        &n,
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-open",
    );
    assert_eq!(open.meta.kind, "AWS::EC2::SecurityGroup");
    assert_eq!(open.meta.locations[0].region.known().unwrap(), "eu-west-1");
    let rule = &open.rules[0];
    assert_eq!(rule.direction, Direction::Ingress);
    assert_eq!(rule.open_to_world(), Some(true));
    assert_eq!(rule.covers_tcp_port(22), Some(true));
    assert_eq!(
        &*rule.span.file,
        "aws://eu-west-1/ec2/DescribeSecurityGroups"
    );
    let clean: &SecurityGroup = one(
        &n,
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-clean",
    );
    assert_eq!(clean.rules.len(), 3);
    assert!(clean.rules[1].has_other_peers);
    assert_eq!(clean.rules[1].protocol.known().unwrap(), "-1");
    assert_eq!(clean.rules[2].direction, Direction::Egress);
    let default: &SecurityGroup = one(
        &n,
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-default",
    );
    assert!(default.is_default);

    let acl: &NetworkAcl = one(&n, "arn:aws:ec2:eu-west-1:123456789012:network-acl/acl-1");
    assert_eq!(acl.rules[0].protocol.known().unwrap(), "tcp");
    assert_eq!(
        acl.rules[1].rule_number.as_ref().unwrap().known(),
        Some(&32767)
    );
    assert!(acl.rules[1].is_deny());

    let plain: &Volume = one(&n, "arn:aws:ec2:eu-west-1:123456789012:volume/vol-plain");
    assert_eq!(plain.encrypted.known(), Some(&false));
    assert!(plain.encrypted.explicit);
    let instance: &Instance = one(&n, "arn:aws:ec2:eu-west-1:123456789012:instance/i-1");
    assert_eq!(instance.metadata_http_tokens.known().unwrap(), "required");
    assert_eq!(instance.public_ip.known(), Some(&Some(false)));
    assert_eq!(instance.block_devices[0].encrypted.known(), Some(&true));
    assert!(reason(&instance.user_data).contains("DescribeInstanceAttribute"));
    assert!(
        !n.model
            .resources()
            .iter()
            .any(|r| r.meta().address.ends_with("i-gone"))
    );
    let ebs: &EbsDefaultEncryption = one(
        &n,
        "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default",
    );
    assert_eq!(ebs.enabled.known(), Some(&false));
    let vpc: &Vpc = one(&n, "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1");
    assert_eq!(vpc.flow_logs.known(), Some(&true));
    assert_eq!(vpc.default_security_group_managed.known(), Some(&true));
}

#[test]
fn ec2_errors() {
    let n = load("errors.json");
    let d = diagnostics(&n);
    assert!(d.contains("aws://eu-west-1/ec2/DescribeSecurityGroups unexpected response: an entry has no `groupId`"), "{d}");
    assert!(
        d.contains("aws://eu-west-1/ec2/DescribeVolumes AWS answered UnauthorizedOperation"),
        "{d}"
    );
    let ebs: &EbsDefaultEncryption = one(
        &n,
        "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default",
    );
    assert_eq!(
        reason(&ebs.enabled),
        "ec2:GetEbsEncryptionByDefault failed in eu-west-1 (AccessDenied)"
    );
    let vpc: &Vpc = one(&n, "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-9");
    assert!(vpc.is_default);
    assert!(reason(&vpc.flow_logs).contains("ec2:DescribeFlowLogs failed in eu-west-1"));
    // The group listing answered without the VPC's default group.
    assert_eq!(vpc.default_security_group_managed.known(), Some(&false));
}

#[test]
fn rds_instances() {
    let n = load("account.json");
    let db: &Database = one(&n, "arn:aws:rds:eu-west-1:123456789012:db:orders");
    assert_eq!(db.meta.kind, "AWS::RDS::DBInstance");
    assert!(!db.is_cluster && !db.in_cluster);
    assert_eq!(db.engine.known().unwrap(), "postgres");
    assert_eq!(db.storage_encrypted.known(), Some(&false));
    assert_eq!(db.publicly_accessible.known(), Some(&true));
    assert_eq!(db.backup_retention_days.known(), Some(&7));
    assert_eq!(
        &*db.storage_encrypted.span.file,
        "aws://eu-west-1/rds/DescribeDBInstances"
    );
    let bad = load("errors.json");
    assert_eq!(bad.model.all::<Database>().count(), 0);
}

#[test]
fn cloudtrail_trails_with_status() {
    let n = load("account.json");
    let dormant: &Trail = one(
        &n,
        "arn:aws:cloudtrail:eu-west-1:123456789012:trail/dormant",
    );
    assert_eq!(dormant.logging.known(), Some(&false));
    assert_eq!(
        &*dormant.logging.span.file,
        "aws://eu-west-1/cloudtrail/GetTrailStatus?Name=arn:aws:cloudtrail:eu-west-1:123456789012:trail/dormant"
    );
    assert_eq!(dormant.multi_region.known(), Some(&true));
    assert!(dormant.kms_key.known().unwrap().is_some());
    let main: &Trail = one(&n, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/main");
    assert_eq!(main.logging.known(), Some(&true));
    let bad = load("errors.json");
    let t: &Trail = one(&bad, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/t");
    assert_eq!(
        reason(&t.logging),
        "cloudtrail:GetTrailStatus was not collected"
    );
    assert_eq!(t.multi_region.known(), Some(&false));
    assert!(!t.multi_region.explicit);
}

#[test]
fn kms_customer_keys_only() {
    let n = load("account.json");
    let keys: Vec<&str> = n
        .model
        .all::<Key>()
        .map(|k| k.meta.address.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "arn:aws:kms:eu-west-1:123456789012:key/k-norot",
            "arn:aws:kms:eu-west-1:123456789012:key/k-rot"
        ]
    );
    let norot: &Key = one(&n, keys[0]);
    assert_eq!(norot.rotation_enabled.known(), Some(&false));
    assert_eq!(norot.key_spec.known().unwrap(), "SYMMETRIC_DEFAULT");
    assert!(norot.policy.known().unwrap().is_some());
    let bad = load("errors.json");
    let key: &Key = one(&bad, "arn:aws:kms:eu-west-1:123456789012:key/k-1");
    assert_eq!(
        reason(&key.rotation_enabled),
        "kms:GetKeyRotationStatus failed in eu-west-1 (AccessDenied)"
    );
    assert!(reason(&key.policy).contains("does not parse"));
}

#[test]
fn lambda_functions_urls_and_permissions() {
    let n = load("account.json");
    let url: &FunctionUrl = one(
        &n,
        "arn:aws:lambda:eu-west-1:123456789012:function:open-fn/url",
    );
    assert_eq!(url.auth_type.known().unwrap(), "NONE");
    assert_eq!(url.meta.kind, "AWS::Lambda::Url");
    let f: &Function = one(
        &n,
        "arn:aws:lambda:eu-west-1:123456789012:function:closed-fn",
    );
    assert_eq!(f.tracing_mode.known().unwrap(), "Active");
    assert_eq!(f.environment.known().unwrap()[0].name, "STAGE");
    let p: &Permission = one(
        &n,
        "arn:aws:lambda:eu-west-1:123456789012:function:closed-fn/policy/s3-invoke",
    );
    assert_eq!(p.principal.known().unwrap(), "s3.amazonaws.com");
    assert_eq!(
        p.source_arn.known(),
        Some(&Some("arn:aws:s3:::clean-data".to_string()))
    );
    // ResourceNotFoundException: open-fn has no resource policy.
    assert!(
        !n.model
            .all::<Permission>()
            .any(|p| p.meta.address.contains("open-fn"))
    );

    let bad = load("errors.json");
    let url: &FunctionUrl = one(&bad, "arn:aws:lambda:eu-west-1:123456789012:function:f/url");
    assert_eq!(
        reason(&url.auth_type),
        "lambda:GetFunctionUrlConfig failed in eu-west-1 (AccessDeniedException)"
    );
    assert_eq!(bad.model.all::<Permission>().count(), 0);
    assert!(diagnostics(&bad).contains("an entry has no `FunctionName`"));
}

#[test]
fn lambda_functions_of_the_same_name_in_two_regions_keep_their_own_urls() {
    let text = r#"{
      "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
      "collector": "test", "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/a"},
      "regions": ["eu-west-1", "us-east-1"],
      "calls": [
        {"service": "lambda", "operation": "ListFunctions", "region": "eu-west-1",
         "response": {"Functions": [{"FunctionName": "intake", "FunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:intake"}]}},
        {"service": "lambda", "operation": "ListFunctions", "region": "us-east-1",
         "response": {"Functions": [{"FunctionName": "intake", "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:intake"}]}},
        {"service": "lambda", "operation": "GetFunctionUrlConfig", "region": "us-east-1", "params": {"FunctionName": "intake"},
         "response": {"AuthType": "AWS_IAM"}},
        {"service": "lambda", "operation": "GetFunctionUrlConfig", "region": "eu-west-1", "params": {"FunctionName": "intake"},
         "response": {"AuthType": "NONE"}},
        {"service": "lambda", "operation": "GetPolicy", "region": "eu-west-1", "params": {"FunctionName": "intake"},
         "error": {"code": "ResourceNotFoundException", "message": "", "http_status": 404}},
        {"service": "lambda", "operation": "GetPolicy", "region": "us-east-1", "params": {"FunctionName": "intake"},
         "error": {"code": "ResourceNotFoundException", "message": "", "http_status": 404}}
      ]
    }"#;
    let snapshot = parse("two-regions.json", text).expect("a snapshot");
    let n = normalise(&snapshot, "two-regions.json");
    let auth = |region: &str| {
        n.model
            .all::<FunctionUrl>()
            .find(|u| {
                u.meta.address
                    == format!("arn:aws:lambda:{region}:123456789012:function:intake/url")
            })
            .and_then(|u| u.auth_type.known().cloned())
    };
    assert_eq!(auth("eu-west-1").as_deref(), Some("NONE"));
    assert_eq!(auth("us-east-1").as_deref(), Some("AWS_IAM"));
}

#[test]
fn bad_snapshot_files_are_errors_naming_the_file_and_line() {
    let truncated = "{\n  \"deadbolt_snapshot\": 1,\n  \"provider\": \"aws\",\n  \"calls\": [\n";
    let d = parse("cut.json", truncated).expect_err("a truncated snapshot");
    assert_eq!(&*d.file, "cut.json");
    assert!(d.line >= 4, "{d}");
    let newer = r#"{"deadbolt_snapshot": 2, "provider": "aws", "collected_at": "", "collector": "",
        "account": {"id": "", "partition": "", "caller_arn": ""}, "regions": [], "calls": []}"#;
    let d = parse("newer.json", newer).expect_err("an unknown format version");
    assert!(d.message.contains("version 2"), "{d}");
    let deep = format!(
        r#"{{"deadbolt_snapshot": 1, "provider": "aws", "x": {}1{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let d = parse("deep.json", &deep).expect_err("nesting past the parser's limit");
    assert!(
        d.message.contains("not a readable deadbolt snapshot"),
        "{d}"
    );
}
