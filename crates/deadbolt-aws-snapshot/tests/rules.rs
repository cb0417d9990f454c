//! End to end: the rules on the normalised `account.json`, whose planted misconfigurations must
//! each give a finding of the expected rule on the expected ARN, and whose clean counterparts none.

use deadbolt_aws_snapshot::{normalise, parse};
use deadbolt_rules::{Selection, evaluate, registry};

const PLANTED: &[(&str, &str)] = &[
    ("AWS-S3-001", "arn:aws:s3:::public-site"),
    ("AWS-S3-008", "arn:aws:s3:::public-site"),
    (
        "AWS-EC2-001",
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-open",
    ),
    (
        "AWS-EC2-011",
        "arn:aws:ec2:eu-west-1:123456789012:volume/vol-plain",
    ),
    (
        "AWS-CLOUDTRAIL-005",
        "arn:aws:cloudtrail:eu-west-1:123456789012:trail/dormant",
    ),
    (
        "AWS-KMS-001",
        "arn:aws:kms:eu-west-1:123456789012:key/k-norot",
    ),
    (
        "AWS-LAMBDA-001",
        "arn:aws:lambda:eu-west-1:123456789012:function:open-fn/url",
    ),
    ("AWS-IAM-001", "arn:aws:iam::123456789012:policy/admin-all"),
];

const CLEAN: &[(&str, &str)] = &[
    ("AWS-S3-001", "arn:aws:s3:::clean-data"),
    ("AWS-S3-008", "arn:aws:s3:::clean-data"),
    (
        "AWS-EC2-001",
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-clean",
    ),
    (
        "AWS-EC2-011",
        "arn:aws:ec2:eu-west-1:123456789012:volume/vol-enc",
    ),
    (
        "AWS-CLOUDTRAIL-005",
        "arn:aws:cloudtrail:eu-west-1:123456789012:trail/main",
    ),
    (
        "AWS-KMS-001",
        "arn:aws:kms:eu-west-1:123456789012:key/k-rot",
    ),
    (
        "AWS-LAMBDA-001",
        "arn:aws:lambda:eu-west-1:123456789012:function:closed-fn/url",
    ),
    ("AWS-IAM-001", "arn:aws:iam::123456789012:policy/read-logs"),
    ("AWS-IAM-001", "arn:aws:iam::123456789012:group/ops"),
];

#[test]
fn planted_misconfigurations_are_found_and_clean_resources_pass() {
    let path = format!("{}/tests/fixtures/account.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let normalised = normalise(&parse(&path, &text).unwrap(), &path);
    assert!(
        normalised.diagnostics.is_empty(),
        "{:?}",
        normalised.diagnostics
    );
    let eval = evaluate(
        &normalised.model,
        registry::all(),
        &Selection::default(),
        &registry::ids(),
    );
    let found: Vec<(&str, &str)> = eval
        .findings
        .iter()
        .map(|f| (f.rule.id, f.address.as_str()))
        .collect();
    for planted in PLANTED {
        assert!(
            found.contains(planted),
            "{planted:?} not found in {found:#?}"
        );
    }
    for clean in CLEAN {
        assert!(!found.contains(clean), "{clean:?} was reported");
    }
    // The planted findings point at the API call that showed the problem.
    let acl = eval
        .findings
        .iter()
        .find(|f| f.rule.id == "AWS-S3-001")
        .unwrap();
    assert_eq!(
        &*acl.span.file,
        "aws://eu-west-1/s3/GetBucketAcl?Bucket=public-site"
    );
    let trail = eval
        .findings
        .iter()
        .find(|f| f.rule.id == "AWS-CLOUDTRAIL-005")
        .unwrap();
    assert!(trail.span.file.contains("GetTrailStatus"));
}
