use deadbolt_model::aws::ecr::Repository;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An ECR repository whose image tags are mutable (the default): pushing an image with an
    /// existing tag silently moves the tag. `IMMUTABLE` and `IMMUTABLE_WITH_EXCLUSION` pass;
    /// `MUTABLE` and `MUTABLE_WITH_EXCLUSION` fail.
    ///
    /// ## Why it matters
    /// Deployments, scans and approvals refer to images by tag. With mutable tags, whoever can
    /// push (a compromised CI job, a stolen credential) can replace `v1.4.2` or `prod` with a
    /// different image, and every node that pulls it next runs code nobody reviewed or scanned.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name                 = "api"
    ///   image_tag_mutability = "MUTABLE"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name                 = "api"
    ///   image_tag_mutability = "IMMUTABLE"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Make tags immutable, tag each build uniquely (version or commit), and deploy by digest
    /// where possible.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SI-7
    /// - Amazon ECR User Guide, "Preventing image tags from being overwritten in Amazon ECR"
    pub(crate) struct MutableTags;
    id: "AWS-ECR-001",
    name: "ecr-mutable-tags",
    title: "ECR repository allows image tags to be overwritten",
    severity: Severity::Medium,
    layer: Layer::ConfigurationManagement,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "ecr",
    fix: "Set the repository's image tag mutability to `IMMUTABLE`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SI-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_51"], trivy: &["AVD-AWS-0031"] },
}

impl Rule for MutableTags {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for repo in model.all::<Repository>() {
            let attr = &repo.tag_mutability;
            checks.require(
                &repo.meta,
                attr,
                |m| m.to_ascii_uppercase().starts_with("IMMUTABLE"),
                |m| {
                    let default = if attr.explicit { "" } else { " (the default)" };
                    format!("image tag mutability is `{m}`{default}")
                },
            );
        }
    }
}
