//! The command line: exit codes, rule documentation, suppressions, config.

use crate::{deadbolt, repo, tree};

/// Runs `deadbolt scan PATH --format json EXTRA...` and parses the report.
fn scan_json(path: &str, extra: &[&str]) -> (serde_json::Value, std::process::Output) {
    let mut args = vec!["scan", path, "--format", "json"];
    args.extend_from_slice(extra);
    let out = deadbolt(&args);
    let json = serde_json::from_slice(&out.stdout).expect("JSON report");
    (json, out)
}

const PUBLIC_BUCKET: &str = r#"
resource "aws_s3_bucket" "b" {
  bucket = "files"
  acl    = "public-read"
}
"#;

#[test]
fn exit_codes_follow_the_contract() {
    let agency = repo().join("examples/agency");
    assert_eq!(
        deadbolt(&["scan", agency.to_str().unwrap(), "-q"])
            .status
            .code(),
        Some(1)
    );
    // Findings below the threshold do not fail.
    assert_eq!(
        deadbolt(&[
            "scan",
            agency.to_str().unwrap(),
            "-q",
            "--fail-on",
            "critical",
            "--select",
            "AWS-S3-001"
        ])
        .status
        .code(),
        Some(0)
    );
    let clean = tree(&[(
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
    )]);
    assert_eq!(
        deadbolt(&[
            "scan",
            clean.path().to_str().unwrap(),
            "--select",
            "AWS-S3-001"
        ])
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        deadbolt(&["scan", "/definitely/not/here"]).status.code(),
        Some(2)
    );
    assert_eq!(
        deadbolt(&["scan", agency.to_str().unwrap(), "--select", "NOPE-1"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        deadbolt(&["scan", "--format", "yaml"]).status.code(),
        Some(2)
    );
    let empty = tree(&[("README.md", "no terraform here")]);
    assert_eq!(
        deadbolt(&["scan", empty.path().to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rules_lists_every_rule_and_prints_documentation() {
    let list = deadbolt(&["rules"]);
    assert!(list.status.success());
    let text = String::from_utf8(list.stdout).unwrap();
    assert_eq!(text.lines().count(), deadbolt_rules::registry::all().len());
    let one = deadbolt(&["rules", "aws-s3-001"]);
    let doc = String::from_utf8(one.stdout).unwrap();
    assert!(
        doc.contains("## Failing example") && doc.contains("CKV_AWS_20"),
        "{doc}"
    );
    assert_eq!(deadbolt(&["rules", "AWS-NOPE-999"]).status.code(), Some(2));
}

#[test]
fn inline_suppression_silences_a_finding_and_unused_ones_are_reported() {
    let dir = tree(&[(
        "main.tf",
        r#"
# deadbolt:ignore[AWS-S3-001] public website assets, reviewed 2026-11
resource "aws_s3_bucket" "site" {
  bucket = "site"
  acl    = "public-read"
}

resource "aws_s3_bucket" "private" {
  bucket = "private"
  # deadbolt:ignore[AWS-S3-001] stale: the bucket is private now
}

resource "aws_s3_bucket" "typo" {
  bucket = "typo" # deadbolt:ignore[AWS-S3-9999]
}
"#,
    )]);
    let (json, out) = scan_json(dir.path().to_str().unwrap(), &["--select", "AWS-S3-001"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
    assert_eq!(
        json["suppressed"][0]["resource"]["address"],
        "aws_s3_bucket.site"
    );
    assert_eq!(
        json["suppressed"][0]["suppression"]["reason"],
        "public website assets, reviewed 2026-11"
    );
    let unused = json["unused_suppressions"].as_array().unwrap();
    let whys: Vec<(&str, &str)> = unused
        .iter()
        .map(|u| (u["address"].as_str().unwrap(), u["why"].as_str().unwrap()))
        .collect();
    assert_eq!(
        whys,
        [
            ("aws_s3_bucket.private", "no_finding"),
            ("aws_s3_bucket.typo", "unknown_rule")
        ]
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn suppression_on_a_module_call_applies_inside_the_module() {
    let dir = tree(&[
        (
            "main.tf",
            "# deadbolt:ignore[AWS-S3-001] the module serves public downloads\nmodule \"files\" {\n  source = \"./mod\"\n}\n",
        ),
        ("mod/main.tf", PUBLIC_BUCKET),
    ]);
    let (json, _) = scan_json(dir.path().to_str().unwrap(), &["--select", "AWS-S3-001"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
    assert_eq!(
        json["suppressed"][0]["resource"]["address"],
        "module.files.aws_s3_bucket.b"
    );
}

#[test]
fn config_file_selects_rules_sets_threshold_and_skips_paths() {
    let dir = tree(&[
        ("main.tf", PUBLIC_BUCKET),
        (
            "legacy/old.tf",
            PUBLIC_BUCKET.replace("\"b\"", "\"old\"").as_str(),
        ),
        (
            "deadbolt.toml",
            "[scan]\nselect = [\"AWS-S3\"]\nfail-on = \"critical\"\nskip-paths = [\"legacy\"]\n",
        ),
    ]);
    let out = deadbolt(&["scan", dir.path().to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let addresses: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["address"].as_str().unwrap())
        .collect();
    assert!(addresses.contains(&"aws_s3_bucket.b"));
    assert!(
        !addresses.contains(&"aws_s3_bucket.old"),
        "legacy/ is skipped"
    );
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule_id"].as_str().unwrap().starts_with("AWS-S3-"))
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "high findings stay below fail-on = critical"
    );

    let bad = tree(&[
        ("main.tf", PUBLIC_BUCKET),
        ("deadbolt.toml", "[scan]\nfail-on = 3\n"),
    ]);
    let out = deadbolt(&["scan", bad.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("deadbolt.toml:2:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_report_has_the_documented_fields() {
    let agency = repo().join("examples/agency");
    let out = deadbolt(&["scan", agency.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    let f = &json["findings"][0];
    for key in [
        "rule_id",
        "rule_name",
        "title",
        "severity",
        "layer",
        "service_models",
        "resource",
        "location",
        "message",
        "fix",
        "references",
        "equivalents",
    ] {
        assert!(!f[key].is_null(), "finding lacks {key}: {f}");
    }
    assert!(f["location"]["start_line"].as_u64().unwrap() >= 1);
}

#[test]
fn the_same_address_in_two_root_modules_is_two_resources() {
    let dir = tree(&[
        (
            "one/main.tf",
            &format!(
                "# deadbolt:ignore[AWS-S3-001] public on purpose\n{}",
                PUBLIC_BUCKET.trim_start()
            ),
        ),
        ("two/main.tf", PUBLIC_BUCKET),
    ]);
    let (json, _) = scan_json(dir.path().to_str().unwrap(), &["--select", "AWS-S3-001"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
    assert!(
        json["findings"][0]["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("two/main.tf")
    );
    assert_eq!(json["suppressed"].as_array().unwrap().len(), 1);
    assert!(json["unused_suppressions"].as_array().unwrap().is_empty());
}

#[test]
fn a_marker_inside_a_string_is_not_a_suppression() {
    let dir = tree(&[(
        "main.tf",
        r##"
resource "aws_s3_bucket" "b" {
  bucket = "b"
  acl    = "public-read"
  tags = { note = "# deadbolt:ignore[AWS-S3-001] sneaky" }
  policy = <<POLICY
// deadbolt:ignore[AWS-S3-001] also sneaky
POLICY
}
"##,
    )]);
    let (json, _) = scan_json(dir.path().to_str().unwrap(), &["--select", "AWS-S3-001"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 1, "{json}");
    assert!(json["suppressed"].as_array().unwrap().is_empty());
}

#[test]
fn a_detached_suppression_comment_is_reported() {
    let dir = tree(&[(
        "main.tf",
        "# deadbolt:ignore[AWS-S3-001] a blank line separates me from the bucket\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n",
    )]);
    let (eval, loaded) = crate::scan_dir(dir.path());
    assert!(eval.findings.iter().any(|f| f.rule.id == "AWS-S3-001"));
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("not attached"))
        .expect("reported");
    assert_eq!(d.line, 1);
}

#[test]
fn overlapping_paths_are_scanned_once() {
    let dir = tree(&[("envs/prod/main.tf", PUBLIC_BUCKET)]);
    let root = dir.path().to_str().unwrap().to_string();
    let prod = dir.path().join("envs/prod").to_str().unwrap().to_string();
    let out = deadbolt(&[
        "scan",
        &prod,
        &root,
        &root,
        "--format",
        "json",
        "--select",
        "AWS-S3-001",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn a_config_that_is_not_a_regular_file_is_an_error_not_a_hang() {
    let dir = tree(&[("main.tf", PUBLIC_BUCKET)]);
    let out = deadbolt(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--config",
        "/dev/zero",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("deadbolt.toml")).unwrap();
    let out = deadbolt(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a deadbolt.toml that cannot be read is not skipped silently"
    );
}

#[test]
fn a_malformed_suppression_is_reported() {
    let dir = tree(&[(
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\" # deadbolt:ignore AWS-S3-001 no brackets\n}\n",
    )]);
    let (_, loaded) = crate::scan_dir(dir.path());
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("malformed suppression"))
        .expect("reported");
    assert_eq!(d.line, 2);
}

#[test]
fn the_human_report_for_the_agency_example_is_stable() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deadbolt"))
        .current_dir(repo())
        .args(["scan", "examples/agency", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(
        "agency-human-report",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn a_module_call_suppression_that_silences_one_resource_is_used() {
    let dir = tree(&[
        (
            "main.tf",
            "# deadbolt:ignore[AWS-S3-001] downloads are public\nmodule \"files\" {\n  source = \"./mod\"\n}\n",
        ),
        (
            "mod/main.tf",
            &format!(
                "{PUBLIC_BUCKET}\nresource \"aws_s3_bucket\" \"private\" {{\n  bucket = \"private\"\n}}\n"
            ),
        ),
    ]);
    let (json, _) = scan_json(dir.path().to_str().unwrap(), &["--select", "AWS-S3-001"]);
    assert_eq!(json["suppressed"].as_array().unwrap().len(), 1);
    assert!(
        json["unused_suppressions"].as_array().unwrap().is_empty(),
        "{}",
        json["unused_suppressions"]
    );
}

#[test]
fn skip_paths_take_prefixes_and_case_sensitive_globs() {
    let dir = tree(&[
        ("main.tf", PUBLIC_BUCKET),
        (
            "modules/vendor/x/main.tf",
            &PUBLIC_BUCKET.replace("\"b\"", "\"vendored\""),
        ),
        (
            "Modules/Vendor/main.tf",
            &PUBLIC_BUCKET.replace("\"b\"", "\"upper\""),
        ),
    ]);
    let (json, _) = scan_json(
        dir.path().to_str().unwrap(),
        &["--select", "AWS-S3-001", "--skip-path", "modules/vendor/*"],
    );
    let mut addresses: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["address"].as_str().unwrap())
        .collect();
    addresses.sort();
    assert_eq!(addresses, ["aws_s3_bucket.b", "aws_s3_bucket.upper"]);
}
