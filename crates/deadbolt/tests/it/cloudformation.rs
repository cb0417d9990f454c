//! CloudFormation: intrinsic evaluation, parameters files, conditions, joins, suppressions, and
//! mixed folders recognised by content.

use std::path::Path;

use deadbolt_model::Level;

use crate::{deadbolt, tree};

fn load(
    path: &Path,
    parameters: &[(&str, &str)],
) -> (deadbolt_rules::Evaluation, deadbolt_sources::Loaded) {
    let options = deadbolt_sources::Options {
        parameters: parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    let loaded = deadbolt_sources::load(path, &options);
    let eval = deadbolt_rules::evaluate(
        &loaded.model,
        deadbolt_rules::registry::all(),
        &deadbolt_rules::Selection::default(),
        &deadbolt_rules::registry::ids(),
    );
    (eval, loaded)
}

fn findings(eval: &deadbolt_rules::Evaluation, rule: &str) -> Vec<String> {
    eval.findings
        .iter()
        .filter(|f| f.rule.id == rule)
        .map(|f| format!("{}:{}", f.address, f.span.start.line))
        .collect()
}

const VERSIONED: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Environment:
    Type: String
    Default: test
  Regions:
    Type: CommaDelimitedList
    Default: "eu-west-1,eu-central-1"
Mappings:
  Retention:
    production:
      Versioning: Enabled
    test:
      Versioning: Suspended
Conditions:
  IsProduction: !Equals [!Ref Environment, production]
  NotProduction: !Not [!Condition IsProduction]
Resources:
  Ledger:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [agency, !Select [1, !Ref Regions], ledger]]
      VersioningConfiguration:
        Status: !FindInMap [Retention, !Ref Environment, Versioning]
  Scratch:
    Type: AWS::S3::Bucket
    Condition: NotProduction
    Properties:
      BucketName: !Sub "${Environment}-scratch"
"#;

#[test]
fn intrinsics_follow_parameter_defaults_and_values() {
    let dir = tree(&[("stack.yaml", VERSIONED)]);
    let (eval, loaded) = load(dir.path(), &[]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    // test: FindInMap picks Suspended; the NotProduction bucket exists.
    assert_eq!(findings(&eval, "AWS-S3-010"), ["Ledger:24", "Scratch:25"]);
    let names: Vec<String> = loaded
        .model
        .all::<deadbolt_model::aws::s3::Bucket>()
        .map(|b| b.name.known().cloned().unwrap_or_default())
        .collect();
    assert_eq!(names, ["agency-eu-central-1-ledger", "test-scratch"]);

    // production (a --parameters value): versioning on, the scratch bucket is not created.
    let (eval, loaded) = load(dir.path(), &[("Environment", "production")]);
    assert!(findings(&eval, "AWS-S3-010").is_empty());
    assert_eq!(
        loaded
            .model
            .all::<deadbolt_model::aws::s3::Bucket>()
            .count(),
        1
    );
}

#[test]
fn parameters_files_in_both_aws_forms_are_read_by_the_cli() {
    let dir = tree(&[
        ("stack.yaml", VERSIONED),
        (
            "cli.json",
            r#"[{"ParameterKey": "Environment", "ParameterValue": "production"}]"#,
        ),
        (
            "pipeline.json",
            r#"{"Parameters": {"Environment": "test"}}"#,
        ),
        ("bad.json", r#"{"Environment": "production"}"#),
    ]);
    let stack = dir.path().join("stack.yaml");
    let run = |params: &str| {
        let out = deadbolt(&[
            "scan",
            stack.to_str().unwrap(),
            "--parameters",
            dir.path().join(params).to_str().unwrap(),
            "--select",
            "AWS-S3-010",
            "-f",
            "json",
        ]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (
            out.status.code(),
            json["findings"].as_array().map_or(0, Vec::len),
        )
    };
    assert_eq!(run("cli.json"), (Some(0), 0));
    assert_eq!(run("pipeline.json"), (Some(1), 2));
    let out = deadbolt(&[
        "scan",
        stack.to_str().unwrap(),
        "--parameters",
        dir.path().join("bad.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.json") && stderr.contains("CodePipeline form"),
        "{stderr}"
    );
}

#[test]
fn get_att_and_import_value_are_unknown_never_guessed() {
    let text = r#"Resources:
  Key:
    Type: AWS::KMS::Key
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: !ImportValue shared-block-acls
        BlockPublicPolicy: !GetAtt Key.Enabled
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"#;
    let dir = tree(&[("t.yaml", text)]);
    let (eval, loaded) = load(dir.path(), &[]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let reasons: Vec<String> = eval
        .not_evaluated
        .iter()
        .filter(|n| n.rule.id == "AWS-S3-004" || n.rule.id == "AWS-S3-005")
        .map(|n| n.reason.to_string())
        .collect();
    assert_eq!(
        reasons,
        [
            "imported from another stack's export shared-block-acls",
            "Key.Enabled is known only after the stack is created"
        ]
    );
    assert!(findings(&eval, "AWS-S3-004").is_empty());
}

#[test]
fn json_templates_joins_and_metadata_suppressions() {
    let json = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Web": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {"GroupDescription": "web", "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8", "Description": "internal"}]}
    },
    "Ssh": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": {"GroupId": {"Fn::GetAtt": ["Web", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0", "Description": "ssh"}
    },
    "Rdp": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Metadata": {"deadbolt": {"ignore": [{"id": "AWS-EC2-002", "reason": "bastion, closed by SCP"}]}},
      "Properties": {"GroupId": {"Ref": "Web"}, "IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "CidrIp": "0.0.0.0/0", "Description": "rdp"}
    }
  }
}
"#;
    let dir = tree(&[("sg.template.json", json)]);
    let (eval, loaded) = load(dir.path(), &[]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(findings(&eval, "AWS-EC2-001"), ["Ssh:10"]);
    assert!(findings(&eval, "AWS-EC2-002").is_empty());
    assert_eq!(eval.suppressed.len(), 1);
}

#[test]
fn comment_suppressions_apply_to_the_resource_below_or_around_them() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # deadbolt:ignore[AWS-S3-001] public website content
  Website:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  Archive:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead # deadbolt:ignore[AWS-S3-002] wrong rule: reported as unused
"#;
    let dir = tree(&[("t.yaml", text)]);
    let (eval, _) = load(dir.path(), &[]);
    assert_eq!(findings(&eval, "AWS-S3-001"), ["Archive:11"]);
    assert_eq!(eval.suppressed.len(), 1);
    assert_eq!(eval.unused_suppressions.len(), 1);
}

#[test]
fn a_mixed_folder_is_recognised_by_content() {
    let dir = tree(&[
        (
            "main.tf",
            "resource \"aws_s3_bucket\" \"tf\" {\n  bucket = \"tf\"\n}\n",
        ),
        (
            "cfn/stack.yml",
            "Resources:\n  Cfn:\n    Type: AWS::S3::Bucket\n",
        ),
        (
            "cfn/stack.template",
            "{\"Resources\": {\"Json\": {\"Type\": \"AWS::S3::Bucket\"}}}\n",
        ),
        (
            "k8s/pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n",
        ),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
        ),
        ("package.json", "{\"name\": \"site\"}\n"),
        (
            "docker-compose.yaml",
            "services:\n  web:\n    image: nginx\n",
        ),
    ]);
    let (_, loaded) = load(dir.path(), &[]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(
        loaded.files, 4,
        "the workflow, package.json and compose file are not ours"
    );
    let addresses: Vec<&str> = loaded
        .model
        .resources()
        .iter()
        .map(|r| r.meta().address.as_str())
        .collect();
    for expected in ["aws_s3_bucket.tf", "Cfn", "Json"] {
        assert!(addresses.contains(&expected), "{addresses:?}");
    }
    assert!(
        loaded
            .model
            .resources()
            .iter()
            .any(|r| r.meta().provider == deadbolt_model::Provider::Kubernetes),
        "{addresses:?}"
    );
}

#[test]
fn hostile_and_malformed_templates_get_a_diagnostic_with_a_line_and_the_rest_is_scanned() {
    let mut bomb = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("Resources: {}\n");
    let deep = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Metadata\": {}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let big = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: {}\n",
        "x".repeat(50 * 1024 * 1024)
    );
    let dir = tree(&[
        ("bomb.yaml", &bomb),
        ("deep.json", &deep),
        (
            "dupes.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n",
        ),
        (
            "tabs.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n\tB:\n\t\tType: AWS::S3::Bucket\n",
        ),
        (
            "comma.json",
            "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}},\n}\n",
        ),
        ("big.yaml", &big),
        (
            "tags.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Reff Name\n",
        ),
        (
            "good.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Good:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n",
        ),
    ]);
    let (eval, loaded) = load(dir.path(), &[]);
    let by_file = |name: &str| {
        loaded
            .diagnostics
            .iter()
            .find(|d| d.file.ends_with(name))
            .unwrap_or_else(|| panic!("no diagnostic for {name}: {:?}", loaded.diagnostics))
    };
    let bomb = by_file("bomb.yaml");
    assert!(
        bomb.message.contains("alias expansion exceeds") && bomb.line > 3,
        "{bomb}"
    );
    let deep = by_file("deep.json");
    assert!(deep.message.contains("nesting deeper than 128"), "{deep}");
    let dupes = by_file("dupes.yaml");
    assert_eq!(dupes.line, 5, "{dupes}");
    assert!(
        dupes
            .message
            .contains("duplicate key `B` (first at line 3)"),
        "{dupes}"
    );
    assert_eq!(by_file("tabs.yaml").line, 3);
    let comma = by_file("comma.json");
    assert!(
        comma.message.contains("trailing comma") && comma.line == 4,
        "{comma}"
    );
    assert!(by_file("big.yaml").message.contains("over the 20 MB limit"));
    let tags = by_file("tags.yaml");
    assert_eq!((tags.level, tags.line), (Level::Warning, 6), "{tags}");
    assert!(tags.message.contains("unknown tag `!Reff`"), "{tags}");
    assert_eq!(
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count(),
        6,
        "{:?}",
        loaded.diagnostics
    );
    assert_eq!(findings(&eval, "AWS-S3-001"), ["Good:6"]);

    let out = deadbolt(&["scan", dir.path().to_str().unwrap(), "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("6 input problem(s): the scan is incomplete"),
        "{stderr}"
    );
}
