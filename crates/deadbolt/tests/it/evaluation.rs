//! The Terraform evaluator, observed through the model: variables and their precedence, locals,
//! count/for_each/dynamic, local modules with outputs flowing back, functions, policy documents,
//! joins of split resources, and unknowns that stay unknown.

use deadbolt_model::aws::s3::Bucket;
use deadbolt_terraform::Options;

use crate::{scan_dir, scan_with, tree};

fn buckets(dir: &std::path::Path, options: &Options) -> Vec<Bucket> {
    let (_, loaded) = scan_with(dir, options);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.model.all::<Bucket>().cloned().collect()
}

fn acl_of<'a>(buckets: &'a [Bucket], address: &str) -> Option<&'a str> {
    buckets
        .iter()
        .find(|b| b.meta.address == address)?
        .acl
        .known()
        .map(String::as_str)
}

#[test]
fn variable_precedence_is_default_tfvars_auto_varfile_then_var() {
    let files = [
        (
            "main.tf",
            "variable \"acl\" {\n  default = \"private\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = var.acl\n}\n",
        ),
        ("terraform.tfvars", "acl = \"public-read\"\n"),
        ("b.auto.tfvars", "acl = \"authenticated-read\"\n"),
        ("extra.tfvars", "acl = \"log-delivery-write\"\n"),
    ];
    let dir = tree(&files);
    assert_eq!(
        acl_of(&buckets(dir.path(), &Options::default()), "aws_s3_bucket.b"),
        Some("authenticated-read")
    );
    let with_file = Options {
        var_files: vec![dir.path().join("extra.tfvars")],
        ..Options::default()
    };
    assert_eq!(
        acl_of(&buckets(dir.path(), &with_file), "aws_s3_bucket.b"),
        Some("log-delivery-write")
    );
    let with_var = Options {
        vars: vec![("acl".into(), "public-read-write".into())],
        ..with_file
    };
    assert_eq!(
        acl_of(&buckets(dir.path(), &with_var), "aws_s3_bucket.b"),
        Some("public-read-write")
    );
}

#[test]
fn count_for_each_and_references_between_instances() {
    let dir = tree(&[(
        "main.tf",
        r#"
locals {
  teams = { design = "private", sales = "public-read" }
}
resource "aws_s3_bucket" "counted" {
  count  = 2
  bucket = format("counted-%d", count.index)
}
resource "aws_s3_bucket_acl" "counted" {
  count  = 2
  bucket = aws_s3_bucket.counted[count.index].id
  acl    = count.index == 1 ? "public-read" : "private"
}
resource "aws_s3_bucket" "team" {
  for_each = local.teams
  bucket   = "team-${each.key}"
  acl      = each.value
}
"#,
    )]);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(acl_of(&b, "aws_s3_bucket.counted[0]"), Some("private"));
    assert_eq!(acl_of(&b, "aws_s3_bucket.counted[1]"), Some("public-read"));
    assert_eq!(
        acl_of(&b, "aws_s3_bucket.team[\"sales\"]"),
        Some("public-read")
    );
    assert_eq!(
        acl_of(&b, "aws_s3_bucket.team[\"design\"]"),
        Some("private")
    );
    let name = b
        .iter()
        .find(|x| x.meta.address == "aws_s3_bucket.counted[1]")
        .unwrap()
        .name
        .known()
        .cloned();
    assert_eq!(name.as_deref(), Some("counted-1"));
}

#[test]
fn dynamic_blocks_expand_over_known_collections() {
    let dir = tree(&[(
        "main.tf",
        r#"
variable "readers" {
  default = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/s3/LogDelivery"]
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
  dynamic "grant" {
    for_each = var.readers
    content {
      uri         = grant.value
      permissions = ["READ"]
      type        = "Group"
    }
  }
}
"#,
    )]);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(b[0].grants.len(), 2);
    assert_eq!(
        b[0].grants[0].grantee.known().map(String::as_str),
        Some("http://acs.amazonaws.com/groups/global/AllUsers")
    );
}

#[test]
fn local_modules_take_inputs_and_return_outputs() {
    let dir = tree(&[
        (
            "main.tf",
            "module \"store\" {\n  source = \"./modules/store\"\n  name   = \"client\"\n  public = true\n}\nresource \"aws_s3_bucket\" \"mirror\" {\n  bucket = \"mirror\"\n  acl    = module.store.acl\n}\n",
        ),
        (
            "modules/store/main.tf",
            "variable \"name\" {}\nvariable \"public\" {\n  default = false\n}\nlocals {\n  acl = var.public ? \"public-read\" : \"private\"\n}\nresource \"aws_s3_bucket\" \"this\" {\n  bucket = \"${var.name}-files\"\n  acl    = local.acl\n}\noutput \"acl\" {\n  value = local.acl\n}\n",
        ),
    ]);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(
        acl_of(&b, "module.store.aws_s3_bucket.this"),
        Some("public-read")
    );
    assert_eq!(acl_of(&b, "aws_s3_bucket.mirror"), Some("public-read"));
    assert_eq!(
        b.len(),
        2,
        "the module directory is not also scanned as a root"
    );
}

#[test]
fn functions_evaluate_like_terraform() {
    let dir = tree(&[(
        "main.tf",
        r#"
locals {
  cfg     = jsondecode("{\"acl\": \"PUBLIC-READ\"}")
  merged  = merge({ a = "x" }, { a = "private" })
  parts   = split(",", "a,b,c")
  subnet  = cidrsubnet("10.0.0.0/16", 8, 3)
}
resource "aws_s3_bucket" "f1" {
  bucket = join("-", concat(local.parts, [local.subnet]))
  acl    = lower(local.cfg.acl)
}
resource "aws_s3_bucket" "f2" {
  bucket = coalesce("", "f2")
  acl    = lookup(local.merged, "a", "public-read")
}
resource "aws_s3_bucket" "f3" {
  bucket = "f3"
  acl    = try(local.cfg.missing, "authenticated-read")
}
"#,
    )]);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(acl_of(&b, "aws_s3_bucket.f1"), Some("public-read"));
    assert_eq!(
        b.iter()
            .find(|x| x.meta.address == "aws_s3_bucket.f1")
            .unwrap()
            .name
            .known()
            .map(String::as_str),
        Some("a-b-c-10.0.3.0/24")
    );
    assert_eq!(acl_of(&b, "aws_s3_bucket.f2"), Some("private"));
    assert_eq!(acl_of(&b, "aws_s3_bucket.f3"), Some("authenticated-read"));
}

#[test]
fn policy_document_data_source_merges_source_and_override_documents() {
    let dir = tree(&[(
        "main.tf",
        r#"
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
data "aws_iam_policy_document" "final" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({ Statement = [{ Sid = "Read", Effect = "Deny", Action = "s3:*", Resource = "*" }] })]
  statement {
    sid       = "Tls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.final.json
}
"#,
    )]);
    let b = buckets(dir.path(), &Options::default());
    let policy = b[0]
        .policy
        .known()
        .cloned()
        .flatten()
        .expect("policy joined and parsed");
    assert_eq!(policy.statements.len(), 2);
    let read = &policy.statements[0];
    assert_eq!(read.sid.as_deref(), Some("Read"));
    assert_eq!(
        read.effect,
        Some(deadbolt_model::aws::iam::Effect::Deny),
        "override replaced the source statement"
    );
    let tls = &policy.statements[1];
    assert_eq!(tls.conditions[0].key, "aws:SecureTransport");
    assert!(
        tls.resource.first_unknown().is_some(),
        "the bucket ARN is known only after apply"
    );
}

#[test]
fn unknown_values_are_not_evaluated_with_a_reason() {
    let dir = tree(&[(
        "main.tf",
        "variable \"acl\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl    = var.acl\n}\nmodule \"remote\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\n",
    )]);
    let (eval, loaded) = scan_dir(dir.path());
    let n = eval
        .not_evaluated
        .iter()
        .find(|n| n.address == "aws_s3_bucket.b")
        .expect("not evaluated");
    assert!(
        n.reason.0.contains("var.acl has no default"),
        "{}",
        n.reason
    );
    assert!(
        eval.findings
            .iter()
            .all(|f| !(f.address == "aws_s3_bucket.b" && f.rule.id == "AWS-S3-001"))
    );
    assert_eq!(
        loaded.remote_modules,
        vec![(
            "module.remote".to_string(),
            "terraform-aws-modules/s3-bucket/aws".to_string()
        )]
    );
}

#[test]
fn a_split_resource_with_an_unresolvable_bucket_makes_the_join_unknown() {
    let dir = tree(&[(
        "main.tf",
        "variable \"target\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\nresource \"aws_s3_bucket_public_access_block\" \"pab\" {\n  bucket = var.target\n  block_public_acls = true\n}\n",
    )]);
    let b = buckets(dir.path(), &Options::default());
    assert!(
        b[0].public_access_block.known().is_none(),
        "never guessed absent"
    );
}

#[test]
fn plan_json_is_a_second_input_form() {
    let plan = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_s3_bucket.p", "mode": "managed", "type": "aws_s3_bucket", "name": "p",
     "values": {"bucket": "p", "acl": "public-read", "grant": []}}
  ]}},
  "resource_changes": [{"address": "aws_s3_bucket.p", "change": {"after_unknown": {"arn": true}}}]
}"#;
    let dir = tree(&[("plan.json", plan)]);
    let loaded = deadbolt_terraform::load_plan(&dir.path().join("plan.json"));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let b: Vec<&Bucket> = loaded.model.all::<Bucket>().collect();
    assert_eq!(b[0].acl.known().map(String::as_str), Some("public-read"));
    assert_eq!(b[0].acl.span.start.line, 4);
}

#[test]
fn policies_written_as_heredoc_and_templatefile_are_parsed() {
    let dir = tree(&[
        (
            "main.tf",
            r#"
resource "aws_s3_bucket" "heredoc" {
  bucket = "heredoc"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::heredoc/*"}]
    }
  EOF
}
resource "aws_s3_bucket" "templated" {
  bucket = "templated"
}
resource "aws_s3_bucket_policy" "templated" {
  bucket = aws_s3_bucket.templated.bucket
  policy = templatefile("${path.module}/policy.json.tpl", { bucket = aws_s3_bucket.templated.bucket, readers = ["111111111111", "222222222222"] })
}
"#,
        ),
        (
            "policy.json.tpl",
            r#"{
  "Version": "2012-10-17",
  "Statement": [
%{ for r in readers ~}
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${r}:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"},
%{ endfor ~}
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::${bucket}/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
  ]
}
"#,
        ),
    ]);
    let b = buckets(dir.path(), &Options::default());
    let heredoc = b
        .iter()
        .find(|x| x.meta.address == "aws_s3_bucket.heredoc")
        .unwrap();
    let doc = heredoc
        .policy
        .known()
        .cloned()
        .flatten()
        .expect("heredoc policy");
    assert!(doc.statements[0].principal.as_ref().unwrap().is_anyone());
    let templated = b
        .iter()
        .find(|x| x.meta.address == "aws_s3_bucket.templated")
        .unwrap();
    let doc = templated
        .policy
        .known()
        .cloned()
        .flatten()
        .expect("templatefile policy");
    assert_eq!(doc.statements.len(), 3);
    assert_eq!(
        doc.statements[2].resource.known().next(),
        Some("arn:aws:s3:::templated/*")
    );
}

#[test]
fn each_value_of_a_resource_collection_joins_to_that_instance() {
    let dir = tree(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "tenant" {
  for_each = toset(["a", "b"])
  bucket   = "tenant-${each.key}"
}
resource "aws_s3_bucket_acl" "tenant" {
  for_each = aws_s3_bucket.tenant
  bucket   = each.value.id
  acl      = each.key == "b" ? "public-read" : "private"
}
"#,
    )]);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(acl_of(&b, "aws_s3_bucket.tenant[\"a\"]"), Some("private"));
    assert_eq!(
        acl_of(&b, "aws_s3_bucket.tenant[\"b\"]"),
        Some("public-read")
    );
}

#[test]
fn a_heredoc_policy_with_unknown_interpolations_keeps_its_known_parts() {
    let dir = tree(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "${aws_s3_bucket.b.arn}/*"
  }]
}
POLICY
}
"#,
    )]);
    let (eval, loaded) = scan_dir(dir.path());
    let b: Vec<&Bucket> = loaded.model.all().collect();
    let doc = b[0]
        .policy
        .known()
        .cloned()
        .flatten()
        .expect("policy parsed despite the unknown ARN");
    assert!(doc.statements[0].principal.as_ref().unwrap().is_anyone());
    assert!(doc.statements[0].resource.first_unknown().is_some());
    assert!(
        eval.findings
            .iter()
            .any(|f| f.rule.id == "AWS-S3-002" && f.address == "aws_s3_bucket.b")
    );
}

#[test]
fn override_files_merge_and_duplicates_are_reported() {
    let dir = tree(&[
        (
            "main.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n  versioning {\n    enabled = false\n  }\n}\n",
        ),
        (
            "main_override.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\"\n  versioning {\n    enabled = true\n  }\n}\n",
        ),
    ]);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(b.len(), 1);
    assert_eq!(acl_of(&b, "aws_s3_bucket.b"), Some("private"));
    assert!(
        b[0].acl.span.file.ends_with("main_override.tf"),
        "the span points at the override"
    );
    assert_eq!(b[0].versioning.known(), Some(&true));

    let dup = tree(&[
        (
            "a.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n",
        ),
        (
            "b.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
        ),
    ]);
    let (_, loaded) = scan_dir(dup.path());
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("duplicate resource"))
        .expect("duplicate reported");
    assert!(d.file.ends_with("b.tf") && d.line == 1, "{d}");
    let kept: Vec<&Bucket> = loaded.model.all().collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].acl.known().map(String::as_str),
        Some("public-read"),
        "the first declaration is kept"
    );
}

#[test]
fn a_known_world_cidr_next_to_an_unknown_one_is_still_open() {
    let dir = tree(&[(
        "main.tf",
        r#"
variable "office" {}
resource "aws_security_group" "open" {
  name        = "open"
  description = "d"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = concat(["0.0.0.0/0"], [var.office])
  }
}
resource "aws_security_group" "maybe" {
  name        = "maybe"
  description = "d"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", var.office]
  }
}
"#,
    )]);
    let (eval, _) = scan_dir(dir.path());
    assert!(
        eval.findings
            .iter()
            .any(|f| f.rule.id == "AWS-EC2-001" && f.address == "aws_security_group.open")
    );
    assert!(
        eval.findings
            .iter()
            .all(|f| f.address != "aws_security_group.maybe" || f.rule.id != "AWS-EC2-001")
    );
    assert!(
        eval.not_evaluated
            .iter()
            .any(|n| n.rule.id == "AWS-EC2-001" && n.address == "aws_security_group.maybe")
    );
}

#[test]
fn json_variable_files_are_read() {
    let files = [
        (
            "main.tf",
            "variable \"acl\" {\n  default = \"private\"\n}\nvariable \"name\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.name\n  acl = var.acl\n}\n",
        ),
        ("terraform.tfvars.json", "{\"name\": \"from-json\"}"),
        ("z.auto.tfvars.json", "{\"acl\": \"public-read\"}"),
    ];
    let dir = tree(&files);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(acl_of(&b, "aws_s3_bucket.b"), Some("public-read"));
    assert_eq!(b[0].name.known().map(String::as_str), Some("from-json"));
}

#[test]
fn more_functions_match_the_terraform_documentation_examples() {
    let dir = tree(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "f" {
  bucket = jsonencode([
    cidrsubnets("10.1.0.0/16", 4, 4, 8, 4),
    regex("[a-z]+", "53453453.345345aaabbbccc23454"),
    regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01"),
    regexall("[a-z]+", "1234abcd5678efgh9"),
    setunion(["a", "b"], ["b", "c"]),
    alltrue([true, false]),
    anytrue([true, false]),
    sensitive(false),
    strrev("hello"),
    coalescelist([], ["x"]),
    chunklist(["a", "b", "c"], 2),
  ])
}
"#,
    )]);
    let b = buckets(dir.path(), &Options::default());
    let name: serde_json::Value = serde_json::from_str(b[0].name.known().expect("known")).unwrap();
    assert_eq!(
        name,
        serde_json::json!([
            [
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ],
            "aaabbbccc",
            ["2019", "02", "01"],
            ["abcd", "efgh"],
            ["a", "b", "c"],
            false,
            true,
            false,
            "olleh",
            ["x"],
            [["a", "b"], ["c"]]
        ])
    );
}

#[test]
fn remote_modules_installed_by_terraform_init_are_scanned() {
    let dir = tree(&[
        (
            "main.tf",
            "module \"store\" {\n  source  = \"example/store/aws\"\n  version = \"1.0.0\"\n  acl     = \"public-read\"\n}\nmodule \"missing\" {\n  source = \"example/other/aws\"\n}\n",
        ),
        (
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"store","Source":"registry.terraform.io/example/store/aws","Version":"1.0.0","Dir":".terraform/modules/store"}]}"#,
        ),
        (
            ".terraform/modules/store/main.tf",
            "variable \"acl\" {}\nresource \"aws_s3_bucket\" \"this\" {\n  bucket = \"store\"\n  acl    = var.acl\n}\n",
        ),
    ]);
    let (eval, loaded) = scan_dir(dir.path());
    assert!(
        eval.findings
            .iter()
            .any(|f| f.rule.id == "AWS-S3-001" && f.address == "module.store.aws_s3_bucket.this")
    );
    let f = eval
        .findings
        .iter()
        .find(|f| f.address == "module.store.aws_s3_bucket.this")
        .unwrap();
    assert!(
        f.span.file.contains(".terraform/modules/store/main.tf"),
        "{}",
        f.span.file
    );
    assert_eq!(
        loaded.remote_modules,
        vec![(
            "module.missing".to_string(),
            "example/other/aws".to_string()
        )]
    );
    assert_eq!(
        loaded.files, 2,
        "the installed module's file counts as read"
    );
}

#[test]
fn parents_reached_through_module_variables_locals_and_policy_ids_still_join() {
    let dir = tree(&[
        (
            "main.tf",
            r#"
resource "aws_s3_bucket" "this" {
  bucket = "named-bucket"
}
module "acl" {
  source = "./acl"
  bucket = aws_s3_bucket.this.id
}
resource "aws_s3_bucket" "other" {
  bucket = "other"
}
locals {
  other_id = aws_s3_bucket.other.id
}
resource "aws_s3_bucket_versioning" "other" {
  bucket = local.other_id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_acl" "other" {
  bucket = local.other_id
  acl    = "public-read"
}
resource "aws_s3_bucket_policy" "other" {
  bucket = local.other_id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*" }] })
}
resource "aws_s3_bucket_public_access_block" "other" {
  bucket            = aws_s3_bucket_policy.other.id
  block_public_acls = false
}
"#,
        ),
        (
            "acl/main.tf",
            "variable \"bucket\" {}\nresource \"aws_s3_bucket_acl\" \"this\" {\n  bucket = var.bucket\n  acl    = \"public-read\"\n}\n",
        ),
    ]);
    let b = buckets(dir.path(), &Options::default());
    assert_eq!(
        acl_of(&b, "aws_s3_bucket.this"),
        Some("public-read"),
        "joined through a module variable"
    );
    let other = b
        .iter()
        .find(|x| x.meta.address == "aws_s3_bucket.other")
        .unwrap();
    assert_eq!(
        other.acl.known().map(String::as_str),
        Some("public-read"),
        "joined through a cached local"
    );
    assert_eq!(other.versioning.known(), Some(&true));
    assert!(other.policy.known().is_some_and(Option::is_some));
    assert!(
        other
            .public_access_block
            .known()
            .is_some_and(Option::is_some),
        "joined through the policy's id"
    );
}

#[test]
fn combined_policy_documents_and_compact_keep_what_is_known() {
    let dir = tree(&[(
        "main.tf",
        r#"
variable "extra_cidr" {}
variable "extra_policy" {}
resource "aws_s3_bucket" "a" {
  bucket = "a"
}
data "aws_iam_policy_document" "public_read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.a.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = compact([data.aws_iam_policy_document.public_read.json, ""])
}
resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.a.id
  policy = data.aws_iam_policy_document.combined.json
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
data "aws_iam_policy_document" "b" {
  source_policy_documents = [var.extra_policy]
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.b.json
}
resource "aws_security_group" "c" {
  name        = "c"
  description = "d"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = compact(["0.0.0.0/0", var.extra_cidr])
  }
}
"#,
    )]);
    let (eval, loaded) = scan_dir(dir.path());
    let flagged = |rule: &str, address: &str| {
        eval.findings
            .iter()
            .any(|f| f.rule.id == rule && f.address == address)
    };
    let unevaluated = |rule: &str, address: &str| {
        eval.not_evaluated
            .iter()
            .any(|n| n.rule.id == rule && n.address == address)
    };
    assert!(
        flagged("AWS-S3-002", "aws_s3_bucket.a"),
        "the public statement survives compact()"
    );
    assert!(
        flagged("AWS-EC2-001", "aws_security_group.c"),
        "the known world CIDR survives compact()"
    );
    let b: Vec<&Bucket> = loaded.model.all().collect();
    let doc_b = b
        .iter()
        .find(|x| x.meta.address == "aws_s3_bucket.b")
        .unwrap()
        .policy
        .known()
        .cloned()
        .flatten()
        .unwrap();
    assert!(
        doc_b.unknown_statements.is_some(),
        "an unknown source document makes the policy incomplete, not empty"
    );
    assert!(unevaluated("AWS-S3-012", "aws_s3_bucket.b"));
}

#[test]
fn an_acl_whose_bucket_cannot_be_resolved_leaves_buckets_not_evaluated() {
    let dir = tree(&[(
        "main.tf",
        "variable \"b\" {}\nresource \"aws_s3_bucket\" \"x\" {\n  bucket = \"x\"\n}\nresource \"aws_s3_bucket_acl\" \"y\" {\n  bucket = var.b\n  acl    = \"public-read\"\n}\n",
    )]);
    let (eval, _) = scan_dir(dir.path());
    assert!(
        eval.not_evaluated
            .iter()
            .any(|n| n.rule.id == "AWS-S3-001" && n.address == "aws_s3_bucket.x")
    );
}

#[test]
fn formatting_functions_and_strip_markers_match_terraform() {
    let dir = tree(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "f" {
  bucket = jsonencode([
    urlencode("Hello World!"),
    format("%03d|%-4s|%5s|%.2f", 7, "ab", "cd", 3.14159),
    cidrhost("10.0.0.0/24", -1),
    tolist(toset(["b", "a", "b"])),
    "a ${~ "b" ~} c",
    "x %{~ for i in [1, 2] ~} ${i} %{~ endfor ~} y",
  ])
}
"#,
    )]);
    let b = buckets(dir.path(), &Options::default());
    let name: serde_json::Value = serde_json::from_str(b[0].name.known().expect("known")).unwrap();
    assert_eq!(
        name,
        serde_json::json!([
            "Hello+World%21",
            "007|ab  |   cd|3.14",
            "10.0.0.255",
            ["a", "b"],
            "abc",
            "x12y"
        ])
    );
}

#[test]
fn plan_spans_find_escaped_for_each_addresses() {
    let plan = "{\n\"planned_values\": {\"root_module\": {\"resources\": [\n{\"address\": \"aws_s3_bucket.a\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"a\", \"values\": {\"bucket\": \"a\"}},\n{\"address\": \"aws_s3_bucket.b[\\\"x\\\"]\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"b\", \"values\": {\"bucket\": \"b\", \"acl\": \"public-read\"}}\n]}}\n}\n";
    let dir = tree(&[("plan.json", plan)]);
    let loaded = deadbolt_terraform::load_plan(&dir.path().join("plan.json"));
    let b: Vec<&Bucket> = loaded.model.all().collect();
    let keyed = b
        .iter()
        .find(|x| x.meta.address == "aws_s3_bucket.b[\"x\"]")
        .expect("keyed bucket");
    assert_eq!(keyed.meta.span.start.line, 4);
}

#[test]
fn an_unknown_condition_is_not_read_as_no_condition() {
    let dir = tree(&[(
        "main.tf",
        r#"
variable "org_condition" {}
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = var.org_condition }]
  })
}
"#,
    )]);
    let (eval, _) = scan_dir(dir.path());
    assert!(
        eval.findings.iter().all(|f| f.rule.id != "AWS-S3-002"),
        "not a finding: the condition may restrict the caller"
    );
    assert!(eval.not_evaluated.iter().any(|n| n.rule.id == "AWS-S3-002"));
}
