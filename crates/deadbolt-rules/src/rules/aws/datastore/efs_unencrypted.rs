use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EFS file system without encryption at rest (`encrypted` unset or `false`). The console
    /// encrypts new file systems by default; the API, and therefore Terraform, does not.
    ///
    /// ## Why it matters
    /// Shared file systems collect home directories, application uploads and build artifacts.
    /// Encryption at rest covers the stored files and their metadata with a KMS key. It can only be
    /// set when the file system is created: turning it on later means copying the data to a new
    /// file system.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   creation_token = "shared-home"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   creation_token = "shared-home"
    ///   encrypted      = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `encrypted = true` (optionally with `kms_key_id`). An existing file system has to be
    /// replaced and its data copied, for example with AWS DataSync.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.4.1
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon EFS User Guide, "Encrypting data at rest"
    pub(crate) struct EfsUnencrypted;
    id: "AWS-EFS-001",
    name: "efs-unencrypted",
    title: "EFS file system is not encrypted at rest",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "efs",
    fix: "Encrypt the file system (`Encrypted`).",
    references: References {
        cis_aws_v3: &["2.4.1"],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_42"], trivy: &["AVD-AWS-0037"] },
}

impl Rule for EfsUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::EfsFileSystem,
            |s| Some(&s.encrypted_at_rest),
            "encryption at rest",
        );
    }
}
