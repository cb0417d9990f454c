use deadbolt_model::aws::ec2::Volume;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EBS volume (`aws_ebs_volume`) that is not encrypted: `encrypted = false`, or not set while
    /// the scanned code does not turn on EBS encryption by default. It relates to CIS AWS
    /// Foundations v3.0.0 2.2.1, which asks for encryption by default in every region (see
    /// AWS-EC2-014).
    ///
    /// ## Why it matters
    /// The volume and every snapshot taken from it hold data in the clear; a snapshot shared or
    /// copied by mistake exposes it all. Encryption cannot be turned on for an existing volume, only
    /// by copying it, so it must be decided at creation.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    ///   encrypted         = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `encrypted = true` (and preferably `kms_key_id` to a customer managed key), or enable EBS
    /// encryption by default for the region.
    ///
    /// ## References
    /// - Related: CIS AWS Foundations Benchmark v3.0.0, 2.2.1 (EBS encryption by default)
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon EBS User Guide, "Amazon EBS encryption"
    pub(crate) struct EbsVolumeUnencrypted;
    id: "AWS-EC2-011",
    name: "ec2-ebs-volume-unencrypted",
    title: "EBS volume is not encrypted",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Encrypt the volume (`Encrypted`; Terraform `encrypted = true`), or enable EBS encryption by default.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_3"], trivy: &["AVD-AWS-0026"] },
}

impl Rule for EbsVolumeUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        let by_default = super::ebs_encrypted_by_default(model);
        for volume in model.all::<Volume>() {
            let failing = super::unencrypted(&volume.encrypted, by_default);
            let explicit = volume.encrypted.explicit;
            checks.verdict(
                &volume.meta,
                failing,
                &volume.encrypted.span,
                volume.encrypted.unknown_reason(),
                || {
                    if explicit {
                        "volume has `encrypted = false`".to_string()
                    } else {
                        "volume does not set `encrypted` and is unencrypted by default".to_string()
                    }
                },
            );
        }
    }
}
