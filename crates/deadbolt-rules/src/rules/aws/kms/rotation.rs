use deadbolt_model::aws::kms::Key;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, State};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A customer managed symmetric KMS key (`SYMMETRIC_DEFAULT`, the default key spec) without
    /// automatic key rotation. Asymmetric and HMAC keys cannot rotate automatically and are not
    /// judged.
    ///
    /// ## Why it matters
    /// Rotation gives the key new backing material every year (or on the period set), so data
    /// encrypted from then on does not depend on key material that may have been exposed, and it
    /// keeps the amount of data under one key bounded. AWS rotates AWS managed keys; for customer
    /// managed keys it is the customer's setting, and it is off unless turned on.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_kms_key" "logs" {
    ///   description             = "log bucket key"
    ///   deletion_window_in_days = 7
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_kms_key" "logs" {
    ///   description             = "log bucket key"
    ///   deletion_window_in_days = 7
    ///   enable_key_rotation     = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn on automatic rotation (`enable_key_rotation = true`). Rotation keeps the key ID and
    /// ARN, and old ciphertext still decrypts.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 3.6
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-12
    /// - AWS KMS Developer Guide, "Rotate AWS KMS keys"
    pub(crate) struct KeyRotationDisabled;
    id: "AWS-KMS-001",
    name: "kms-key-rotation-disabled",
    title: "KMS key does not rotate automatically",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "kms",
    fix: "Enable automatic key rotation on the symmetric KMS key.",
    references: References {
        cis_aws_v3: &["3.6"],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_7"], trivy: &["AVD-AWS-0065"] },
}

impl Rule for KeyRotationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for key in model.all::<Key>() {
            match &key.key_spec.state {
                State::Known(spec) if spec != "SYMMETRIC_DEFAULT" => continue,
                State::Known(_) => {}
                State::Unknown(reason) => {
                    checks.not_evaluated(&key.meta, reason);
                    continue;
                }
            }
            let rotation = &key.rotation_enabled;
            checks.require(
                &key.meta,
                rotation,
                |on| *on,
                |_| {
                    if rotation.explicit {
                        "automatic key rotation is turned off".to_string()
                    } else {
                        "automatic key rotation is not enabled (it is off by default)".to_string()
                    }
                },
            );
        }
    }
}
