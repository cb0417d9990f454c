use deadbolt_model::aws::s3::{AccountPublicAccessBlock, Bucket, PublicAccessBlock};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, State, Unknown};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket with no Block Public Access configuration of its own, in an account whose
    /// scanned configuration has no account-level Block Public Access with all four switches on.
    /// A complete account-level configuration (`aws_s3_account_public_access_block`) covers every
    /// bucket, so buckets pass then. Whether each switch of a bucket's own configuration is on is
    /// checked by AWS-S3-004 to AWS-S3-007.
    ///
    /// ## Why it matters
    /// Block Public Access is what keeps a bucket private when an ACL or a bucket policy is wrong.
    /// A bucket with none relies on every ACL and policy ever written for it being right. New
    /// buckets get it by default since April 2023, but a Terraform configuration that does not
    /// declare it leaves it to whatever the account did last, and older buckets have none.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "agency-exports"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "agency-exports"
    /// }
    ///
    /// resource "aws_s3_bucket_public_access_block" "exports" {
    ///   bucket                  = aws_s3_bucket.exports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add an `aws_s3_bucket_public_access_block` with all four switches on for the bucket, or one
    /// `aws_s3_account_public_access_block` with all four on for the account.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.1.4 (Block Public Access)
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-3, SC-7
    /// - AWS S3 User Guide, "Blocking public access to your Amazon S3 storage"
    pub(crate) struct BucketNoPublicAccessBlock;
    id: "AWS-S3-003",
    name: "s3-bucket-no-public-access-block",
    title: "S3 bucket has no Block Public Access configuration",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Add a Block Public Access configuration with all four switches on, for the bucket or for the whole account.",
    references: References {
        cis_aws_v3: &["2.1.4"],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-3", "SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV2_AWS_6"], trivy: &["AVD-AWS-0094"] },
}

/// How far the account-level configurations in the scan cover every bucket.
enum AccountCover<'m> {
    /// One has all four switches on.
    Full,
    /// None does; the text says what is missing.
    Partial(String),
    /// Whether one does depends on unknown values.
    Unknown(&'m Unknown),
}

fn account_cover(model: &Model) -> AccountCover<'_> {
    let mut unknown = None;
    let mut partial = None;
    for account in model.all::<AccountPublicAccessBlock>() {
        let s = &account.settings;
        let switches: [(&str, &deadbolt_model::Attr<bool>); 4] = [
            ("BlockPublicAcls", &s.block_public_acls),
            ("BlockPublicPolicy", &s.block_public_policy),
            ("IgnorePublicAcls", &s.ignore_public_acls),
            ("RestrictPublicBuckets", &s.restrict_public_buckets),
        ];
        let off: Vec<&str> = switches
            .iter()
            .filter(|(_, a)| a.is(&true) == Some(false))
            .map(|(n, _)| *n)
            .collect();
        if let Some(reason) = switches.iter().find_map(|(_, a)| a.unknown_reason())
            && off.is_empty()
        {
            unknown.get_or_insert(reason);
        } else if off.is_empty() {
            return AccountCover::Full;
        } else {
            partial.get_or_insert_with(|| {
                format!(
                    "no bucket-level Block Public Access, and the account-level one (`{}`) leaves `{}` off",
                    account.meta.address,
                    off.join("`, `")
                )
            });
        }
    }
    match (unknown, partial) {
        (Some(reason), _) => AccountCover::Unknown(reason),
        (None, Some(text)) => AccountCover::Partial(text),
        (None, None) => AccountCover::Partial("no Block Public Access configuration".into()),
    }
}

impl Rule for BucketNoPublicAccessBlock {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        let cover = account_cover(model);
        for bucket in model.all::<Bucket>() {
            let own: &State<Option<PublicAccessBlock>> = &bucket.public_access_block.state;
            match (own, &cover) {
                (State::Known(Some(_)), _) | (_, AccountCover::Full) => checks.pass(&bucket.meta),
                (State::Unknown(reason), _) => checks.not_evaluated(&bucket.meta, reason),
                (State::Known(None), AccountCover::Unknown(reason)) => {
                    checks.not_evaluated(&bucket.meta, reason)
                }
                (State::Known(None), AccountCover::Partial(text)) => {
                    checks.fail(&bucket.meta, &bucket.public_access_block.span, text.clone())
                }
            }
        }
    }
}
