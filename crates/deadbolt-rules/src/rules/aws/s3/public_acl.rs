use deadbolt_model::aws::s3::{Bucket, PUBLIC_CANNED_ACLS, PUBLIC_GRANTEE_URIS};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket whose ACL grants access to everyone (`AllUsers`) or to every AWS account
    /// (`AuthenticatedUsers`): the canned ACLs `public-read`, `public-read-write` and
    /// `authenticated-read`, or an explicit grant to either group.
    ///
    /// ## Why it matters
    /// Anyone on the internet can list and download (or, with write, upload and overwrite) the
    /// bucket's objects. Public buckets of client files are among the most common cloud data leaks,
    /// and they sit wholly in the customer's half of the shared responsibility model: AWS stores
    /// the bytes, the customer decides who may read them.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "files" {
    ///   bucket = "files-example"
    /// }
    ///
    /// resource "aws_s3_bucket_acl" "files" {
    ///   bucket = aws_s3_bucket.files.id
    ///   acl    = "public-read"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "files" {
    ///   bucket = "files-example"
    /// }
    ///
    /// resource "aws_s3_bucket_acl" "files" {
    ///   bucket = aws_s3_bucket.files.id
    ///   acl    = "private"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set the ACL to `private` (better: set object ownership to `BucketOwnerEnforced`, which
    /// disables ACLs), turn on Block Public Access, and share objects through presigned URLs or
    /// CloudFront with origin access control.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.1.4 (Block Public Access)
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-3, AC-6
    /// - AWS S3 User Guide, "Access control list (ACL) overview"
    pub(crate) struct BucketPublicAcl;
    id: "AWS-S3-001",
    name: "s3-bucket-public-acl",
    title: "S3 bucket ACL grants access to everyone",
    severity: Severity::High,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Set the bucket ACL to `private` (or disable ACLs with BucketOwnerEnforced ownership) and enable Block Public Access.",
    references: References {
        cis_aws_v3: &["2.1.4"],
        nist_csf_2: &["PR.AA-05", "PR.DS-01"],
        nist_800_53: &["AC-3", "AC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_20", "CKV_AWS_57"], trivy: &["AVD-AWS-0092"] },
}

impl Rule for BucketPublicAcl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            let mut failed = false;
            match bucket.acl.known() {
                Some(acl) if PUBLIC_CANNED_ACLS.contains(&acl.as_str()) => {
                    checks.fail(
                        &bucket.meta,
                        &bucket.acl.span,
                        format!("canned ACL is `{acl}`"),
                    );
                    failed = true;
                }
                Some(_) => {}
                None => {
                    checks.not_evaluated_attr(&bucket.meta, &bucket.acl);
                    continue;
                }
            }
            for grant in &bucket.grants {
                if let Some(grantee) = grant.grantee.known()
                    && PUBLIC_GRANTEE_URIS.contains(&grantee.as_str())
                {
                    let group = grantee.rsplit('/').next().unwrap_or(grantee);
                    let permission = grant.permission.known().map_or("?", String::as_str);
                    checks.fail(
                        &bucket.meta,
                        &grant.grantee.span,
                        format!("ACL grants {permission} to {group}"),
                    );
                    failed = true;
                }
            }
            if !failed {
                checks.pass(&bucket.meta);
            }
        }
    }
}
