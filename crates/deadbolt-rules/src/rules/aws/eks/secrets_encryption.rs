use deadbolt_model::aws::eks::Cluster;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EKS cluster with no envelope encryption of Kubernetes secrets under a customer-managed
    /// KMS key (an encryption configuration covering `secrets`).
    ///
    /// ## Why it matters
    /// Kubernetes secrets hold database passwords, API tokens and TLS keys. Since Kubernetes 1.28
    /// EKS envelope-encrypts API data with an AWS-owned key by default, but only a key you manage
    /// lets you decide who may decrypt, audit every use in CloudTrail, rotate on your schedule
    /// and revoke access by disabling the key. Earlier versions have no envelope encryption at
    /// all without it.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_eks_cluster" "apps" {
    ///   name     = "apps"
    ///   role_arn = aws_iam_role.eks.arn
    ///   vpc_config {
    ///     subnet_ids = var.private_subnet_ids
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_eks_cluster" "apps" {
    ///   name     = "apps"
    ///   role_arn = aws_iam_role.eks.arn
    ///   vpc_config {
    ///     subnet_ids = var.private_subnet_ids
    ///   }
    ///   encryption_config {
    ///     resources = ["secrets"]
    ///     provider {
    ///       key_arn = aws_kms_key.eks.arn
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add an encryption configuration for `secrets` with a customer-managed KMS key (it can be
    /// added to an existing cluster but not removed afterwards).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1), SC-12
    /// - Amazon EKS User Guide, "Encrypt Kubernetes secrets with KMS on existing clusters" and
    ///   "Default envelope encryption for all Kubernetes API data"
    pub(crate) struct NoSecretsEncryption;
    id: "AWS-EKS-003",
    name: "eks-no-secrets-encryption",
    title: "EKS cluster does not encrypt Kubernetes secrets with a customer-managed KMS key",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "eks",
    fix: "Add an encryption configuration for `secrets` with a customer-managed KMS key.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)", "SC-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_58"], trivy: &["AVD-AWS-0039"] },
}

impl Rule for NoSecretsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for cluster in model.all::<Cluster>() {
            checks.require(
                &cluster.meta,
                &cluster.secrets_encryption,
                |on| *on,
                |_| {
                    "Kubernetes secrets are not envelope-encrypted with a customer-managed KMS key"
                        .to_string()
                },
            );
        }
    }
}
