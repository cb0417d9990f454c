//! `deadbolt scan --data-inventory`: exposure findings on buckets that hold sensitive data (per a
//! `deadbolt classify` inventory) are raised, and say what the data is.

use serde_json::Value;

use crate::{deadbolt, tree};

const BUCKETS: &str = r#"
resource "aws_s3_bucket" "cards" {
  bucket = "agency-card-exports"
}
resource "aws_s3_bucket_acl" "cards" {
  bucket = aws_s3_bucket.cards.id
  acl    = "public-read"
}
resource "aws_s3_bucket" "people" {
  bucket = "agency-crm-exports"
}
resource "aws_s3_bucket_acl" "people" {
  bucket = aws_s3_bucket.people.id
  acl    = "public-read"
}
resource "aws_s3_bucket" "site" {
  bucket = "agency-site-assets"
}
resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read"
}
"#;

/// An inventory as `deadbolt classify s3://... --format json` writes it (the fields read).
const INVENTORY: &str = r#"{
  "schema_version": 1,
  "files": [
    {"file": "s3://agency-card-exports/2026/11/orders.csv", "label": "restricted", "types": [
      {"detector": "credit-card", "name": "Payment card number", "label": "restricted", "count": 40},
      {"detector": "email", "name": "Email address", "label": "confidential", "count": 40}]},
    {"file": "s3://agency-card-exports/2026/11/refunds.csv", "label": "restricted", "types": [
      {"detector": "credit-card", "name": "Payment card number", "label": "restricted", "count": 3}]},
    {"file": "s3://agency-crm-exports/contacts.json", "label": "confidential", "types": [
      {"detector": "email", "name": "Email address", "label": "confidential", "count": 12}]},
    {"file": "s3://agency-site-assets/index.html", "label": "public", "types": []},
    {"file": "local/notes.txt", "label": "restricted", "types": [
      {"detector": "aws-access-key-id", "name": "AWS access key ID", "label": "restricted", "count": 1}]}
  ]
}"#;

fn finding<'r>(report: &'r Value, rule: &str, address: &str) -> &'r Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"]["address"] == address)
        .unwrap_or_else(|| panic!("no {rule} on {address}"))
}

#[test]
fn exposure_findings_on_buckets_holding_sensitive_data_are_raised_and_name_the_data() {
    let dir = tree(&[("main.tf", BUCKETS), ("inventory.json", INVENTORY)]);
    let tf = dir.path().join("main.tf");
    let inventory = dir.path().join("inventory.json");
    let args = |with: bool| {
        let mut a = vec![
            "scan".to_string(),
            tf.display().to_string(),
            "-f".into(),
            "json".into(),
        ];
        if with {
            a.extend(["--data-inventory".into(), inventory.display().to_string()]);
        }
        a
    };
    let run = |with: bool| -> Value {
        let a = args(with);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = deadbolt(&refs);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON report")
    };
    let plain = run(false);
    let raised = run(true);

    let before = finding(&plain, "AWS-S3-001", "aws_s3_bucket.cards");
    assert_eq!(before["severity"], "high");
    let cards = finding(&raised, "AWS-S3-001", "aws_s3_bucket.cards");
    assert_eq!(cards["severity"], "critical");
    let message = cards["message"].as_str().expect("message");
    assert!(
        message.contains("restricted data: Payment card number (2 objects)"),
        "{message}"
    );
    // Confidential data raises one level.
    let people = finding(&raised, "AWS-S3-001", "aws_s3_bucket.people");
    assert_eq!(people["severity"], "critical");
    assert!(
        people["message"]
            .as_str()
            .expect("message")
            .contains("confidential data: Email address (1 object)")
    );
    let bpa = finding(&raised, "AWS-S3-003", "aws_s3_bucket.people");
    assert_eq!(
        finding(&plain, "AWS-S3-003", "aws_s3_bucket.people")["severity"],
        "medium"
    );
    assert_eq!(bpa["severity"], "high");
    // A bucket with nothing sensitive, and rules that are not about exposure, are left alone.
    assert_eq!(
        finding(&raised, "AWS-S3-001", "aws_s3_bucket.site")["severity"],
        "high"
    );
    assert_eq!(
        finding(&raised, "AWS-S3-010", "aws_s3_bucket.cards")["severity"],
        finding(&plain, "AWS-S3-010", "aws_s3_bucket.cards")["severity"]
    );
}

#[test]
fn an_unreadable_inventory_is_a_usage_error() {
    let dir = tree(&[("main.tf", BUCKETS), ("inventory.json", "{ not json")]);
    let out = deadbolt(&[
        "scan",
        dir.path().join("main.tf").to_str().expect("utf-8"),
        "--data-inventory",
        dir.path().join("inventory.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inventory.json"));
}
