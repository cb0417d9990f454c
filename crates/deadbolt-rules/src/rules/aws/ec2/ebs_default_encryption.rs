use deadbolt_model::aws::ec2::EbsDefaultEncryption;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The region-level switch `aws_ebs_encryption_by_default` set to `enabled = false`. The
    /// resource is enabled when `enabled` is omitted. Accounts whose code does not manage the
    /// switch at all are not judged: the setting lives in the account, not in the code.
    ///
    /// ## Why it matters
    /// With encryption by default on, every new volume and snapshot copy in the region is encrypted
    /// even when a template, console user or third-party tool forgets to ask. Turning it off
    /// explicitly means every workload must remember encryption on its own.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_ebs_encryption_by_default" "this" {
    ///   enabled = false
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_ebs_encryption_by_default" "this" {
    ///   enabled = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `enabled = true` (in every region the account uses).
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.2.1
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon EBS User Guide, "Encryption by default"
    pub(crate) struct EbsDefaultEncryptionOff;
    id: "AWS-EC2-014",
    name: "ec2-ebs-encryption-by-default-disabled",
    title: "EBS encryption by default is disabled",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Turn on EBS encryption by default (`EnableEbsEncryptionByDefault`) in every region in use.",
    references: References {
        cis_aws_v3: &["2.2.1"],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_106"], trivy: &[] },
}

impl Rule for EbsDefaultEncryptionOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for setting in model.all::<EbsDefaultEncryption>() {
            checks.require(
                &setting.meta,
                &setting.enabled,
                |e| *e,
                |_| "EBS encryption by default is turned off".to_string(),
            );
        }
    }
}
