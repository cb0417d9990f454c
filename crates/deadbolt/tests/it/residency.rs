//! Data residency: where each resource's data lives (its locations, from provider configurations,
//! module calls, replicas and backup copies), and the residency rule judging them against a policy.

use deadbolt_model::{Location, LocationRole, Model, ResidencyPolicy, State};
use deadbolt_rules::{Evaluation, Selection, evaluate, registry};

use crate::{deadbolt, tree};

const RULE: &str = "AWS-RESIDENCY-001";

fn load(dir: &std::path::Path, region: Option<&str>) -> Model {
    let options = deadbolt_sources::Options {
        region: region.map(str::to_string),
        ..Default::default()
    };
    let loaded = deadbolt_sources::load(dir, &options);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.model
}

/// `(role, region or "?reason")` of each location of the resource at `address`.
fn locations(model: &Model, address: &str) -> Vec<(LocationRole, String)> {
    let resource = model
        .resources()
        .iter()
        .find(|r| r.meta().address == address)
        .unwrap_or_else(|| panic!("no {address}"));
    resource
        .meta()
        .locations
        .iter()
        .map(|Location { region, role }| {
            let text = match &region.state {
                State::Known(r) => r.clone(),
                State::Unknown(u) => format!("?{u}"),
            };
            (*role, text)
        })
        .collect()
}

fn eu_only() -> ResidencyPolicy {
    ResidencyPolicy {
        label: Some("EU only".into()),
        allowed_regions: vec!["eu-*".into()],
        file: "deadbolt.yaml".into(),
    }
}

fn judge(mut model: Model, policy: Option<ResidencyPolicy>) -> Evaluation {
    model.set_residency(policy);
    let rule = registry::by_id(RULE).expect("registered");
    let selection = Selection {
        select: vec![RULE.into()],
        skip: Vec::new(),
    };
    evaluate(&model, &[rule], &selection, &registry::ids())
}

#[test]
fn an_unset_provider_region_is_unknown_and_not_evaluated() {
    let dir = tree(&[(
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    )]);
    let model = load(dir.path(), None);
    let found = locations(&model, "aws_s3_bucket.b");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, LocationRole::Primary);
    assert!(found[0].1.contains("AWS_REGION at plan time"), "{found:?}");

    let eval = judge(model, Some(eu_only()));
    assert!(eval.findings.is_empty());
    assert_eq!(eval.passed, 0);
    let n = eval
        .not_evaluated
        .iter()
        .find(|n| n.address == "aws_s3_bucket.b")
        .expect("not evaluated");
    assert!(n.reason.0.contains("region is not set"), "{}", n.reason);
}

#[test]
fn without_a_policy_the_rule_judges_nothing() {
    let dir = tree(&[(
        "main.tf",
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    )]);
    let model = load(dir.path(), None);
    assert_eq!(
        locations(&model, "aws_s3_bucket.b"),
        vec![(LocationRole::Primary, "us-east-1".into())]
    );
    let eval = judge(model.clone(), None);
    assert!(eval.findings.is_empty() && eval.passed == 0 && eval.not_evaluated.is_empty());
    assert_eq!(judge(model, Some(eu_only())).findings.len(), 1);
}

#[test]
fn provider_regions_follow_variables_aliases_modules_and_the_v6_region_argument() {
    let dir = tree(&[
        (
            "main.tf",
            r#"
variable "region" {
  default = "eu-west-1"
}
locals {
  us = "us-east-1"
}
provider "aws" {
  region = var.region
}
provider "aws" {
  alias  = "us"
  region = local.us
}
resource "aws_s3_bucket" "default" {
  bucket = "a"
}
resource "aws_s3_bucket" "aliased" {
  count    = 2
  provider = aws.us
  bucket   = "b${count.index}"
}
resource "aws_s3_bucket" "v6" {
  region = "ap-southeast-2"
  bucket = "c"
}
resource "aws_iam_user" "global" {
  name = "u"
}
module "inherits" {
  source = "./modules/outer"
}
module "passed" {
  source    = "./modules/outer"
  providers = {
    aws = aws.us
  }
}
module "missing" {
  source    = "./modules/leaf"
  providers = {
    aws.other = aws.us
  }
}
module "own" {
  source = "./modules/own"
}
"#,
        ),
        (
            "modules/outer/main.tf",
            "module \"inner\" {\n  source = \"../leaf\"\n}\n",
        ),
        (
            "modules/leaf/main.tf",
            "resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n",
        ),
        (
            "modules/own/main.tf",
            "provider \"aws\" {\n  region = \"sa-east-1\"\n}\nresource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n",
        ),
    ]);
    let model = load(dir.path(), None);
    let region = |address: &str| {
        let found = locations(&model, address);
        assert_eq!(found.len(), 1, "{address}: {found:?}");
        found[0].1.clone()
    };
    assert_eq!(region("aws_s3_bucket.default"), "eu-west-1");
    assert_eq!(region("aws_s3_bucket.aliased[0]"), "us-east-1");
    assert_eq!(region("aws_s3_bucket.aliased[1]"), "us-east-1");
    assert_eq!(region("aws_s3_bucket.v6"), "ap-southeast-2");
    assert_eq!(
        region("module.inherits.module.inner.aws_sqs_queue.q"),
        "eu-west-1"
    );
    assert_eq!(
        region("module.passed.module.inner.aws_sqs_queue.q"),
        "us-east-1"
    );
    let missing = region("module.missing.aws_sqs_queue.q");
    assert!(
        missing.contains("module.missing's providers argument does not pass"),
        "{missing}"
    );
    assert_eq!(region("module.own.aws_sqs_queue.q"), "sa-east-1");
    assert!(locations(&model, "aws_iam_user.global").is_empty());

    let eval = judge(model, Some(eu_only()));
    let mut failed: Vec<&str> = eval.findings.iter().map(|f| f.address.as_str()).collect();
    failed.sort_unstable();
    assert_eq!(
        failed,
        vec![
            "aws_s3_bucket.aliased[0]",
            "aws_s3_bucket.aliased[1]",
            "aws_s3_bucket.v6",
            "module.own.aws_sqs_queue.q",
            "module.passed.module.inner.aws_sqs_queue.q",
        ]
    );
}

#[test]
fn replicas_and_backup_copies_are_located_from_their_regions_arns_and_targets() {
    let dir = tree(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-west-2"
}
resource "aws_backup_vault" "dr" {
  provider = aws.us
  name     = "dr"
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "r"
    target_vault_name = "main"
    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn
    }
    copy_action {
      destination_vault_arn = var.elsewhere
    }
  }
}
variable "elsewhere" {}
resource "aws_s3_bucket" "src" {
  bucket = "src"
  replication_configuration {
    role = "r"
    rules {
      status = "Enabled"
      destination {
        bucket = "arn:aws:s3:::not-in-the-scan"
      }
    }
  }
}
"#,
    )]);
    let model = load(dir.path(), None);
    let plan = locations(&model, "aws_backup_plan.p");
    assert_eq!(plan[0], (LocationRole::Primary, "eu-west-1".into()));
    assert_eq!(plan[1], (LocationRole::Backup, "us-west-2".into()));
    assert!(plan[2].1.contains("var.elsewhere"), "{plan:?}");
    let src = locations(&model, "aws_s3_bucket.src");
    assert_eq!(src[0], (LocationRole::Primary, "eu-west-1".into()));
    assert!(
        src[1].1.contains("not-in-the-scan")
            && src[1].1.contains("not a resource in the scanned files"),
        "{src:?}"
    );
    let eval = judge(model, Some(eu_only()));
    assert!(
        eval.findings
            .iter()
            .any(|f| f.address == "aws_backup_plan.p"
                && f.message.starts_with("backup in us-west-2")),
        "{:?}",
        eval.findings
    );
    // The source bucket's replica is in an unknown region: not evaluated, not passed.
    assert!(
        eval.not_evaluated
            .iter()
            .any(|n| n.address == "aws_s3_bucket.src")
    );
}

const TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: dr
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: p
        BackupPlanRule:
          - RuleName: r
            TargetBackupVault: main
            CopyActions:
              - DestinationBackupVaultArn: !GetAtt Vault.BackupVaultArn
  ReadReplica:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      SourceDBInstanceIdentifier: arn:aws:rds:us-east-1:123456789012:db:primary
      SourceRegion: us-east-1
      StorageEncrypted: true
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
"#;

#[test]
fn a_template_is_placed_only_by_the_region_it_is_deployed_to() {
    let dir = tree(&[("template.yaml", TEMPLATE)]);
    let unplaced = load(dir.path(), None);
    let vault = locations(&unplaced, "Vault");
    assert!(vault[0].1.contains("does not name its region"), "{vault:?}");
    // The read replica's source region is written in the template, so it is known regardless.
    let replica = locations(&unplaced, "ReadReplica");
    assert_eq!(replica[1], (LocationRole::Replica, "us-east-1".into()));
    assert!(locations(&unplaced, "Role").is_empty());

    let placed = load(dir.path(), Some("eu-north-1"));
    assert_eq!(
        locations(&placed, "Plan"),
        vec![
            (LocationRole::Primary, "eu-north-1".into()),
            (LocationRole::Backup, "eu-north-1".into())
        ]
    );
    let eval = judge(placed, Some(eu_only()));
    let failed: Vec<(&str, &str)> = eval
        .findings
        .iter()
        .map(|f| (f.address.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "ReadReplica");
    assert!(
        failed[0].1.starts_with("replica in us-east-1"),
        "{failed:?}"
    );
}

const US_BUCKET: &str = "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n";

#[test]
fn scan_enforces_the_stack_files_residency_policy() {
    let with = tree(&[
        ("main.tf", US_BUCKET),
        (
            "deadbolt.yaml",
            "residency:\n  policy: EU only\n  allowed_regions: [eu-*]\n",
        ),
    ]);
    let out = deadbolt(&["scan", with.path().to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"]["id"].as_str().or(f["rule_id"].as_str()))
        .collect();
    assert!(rules.contains(&RULE), "{json}");
    assert_eq!(out.status.code(), Some(1));

    let without = tree(&[("main.tf", US_BUCKET)]);
    let out = deadbolt(&["scan", without.path().to_str().unwrap(), "--format", "json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("AWS-S3"), "the scan ran: {text}");
    assert!(!text.contains(RULE), "{text}");

    // --stack names a stack file elsewhere.
    let stack = tree(&[("policy.yaml", "residency:\n  allowed_regions: [us-*]\n")]);
    let policy = stack.path().join("policy.yaml");
    let out = deadbolt(&[
        "scan",
        without.path().to_str().unwrap(),
        "--format",
        "json",
        "--stack",
        policy.to_str().unwrap(),
        "--select",
        RULE,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert!(json.to_string().contains("\"passed\":1"), "{json}");
}

#[test]
fn a_stack_file_with_problems_is_a_usage_error_naming_the_line() {
    let dir = tree(&[
        ("main.tf", US_BUCKET),
        (
            "deadbolt.yaml",
            "residency:\n  allowed_regions: [eu-*]\n  regoins: [x]\n",
        ),
    ]);
    let out = deadbolt(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("deadbolt.yaml:3") && stderr.contains("residency.regoins"),
        "{stderr}"
    );
}

#[test]
fn region_places_cloudformation_templates() {
    let dir = tree(&[
        (
            "template.yaml",
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
        ),
        ("deadbolt.yaml", "residency:\n  allowed_regions: [eu-*]\n"),
    ]);
    let path = dir.path().to_str().unwrap();
    let base = ["scan", path, "--select", RULE, "-q"];
    assert_eq!(deadbolt(&base).status.code(), Some(0));
    let mut args = base.to_vec();
    args.extend(["--region", "us-east-2"]);
    let out = deadbolt(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created in us-east-2"));
}
