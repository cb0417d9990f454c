use deadbolt_model::aws::ecr::Repository;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An ECR repository whose images are not scanned for vulnerabilities when pushed: neither
    /// the repository's scan-on-push setting (off by default) nor a registry-level scanning rule
    /// whose filter matches the repository turns scanning on.
    ///
    /// ## Why it matters
    /// Without a scan, images with known-vulnerable packages reach production unnoticed. Scanning
    /// on push gives the pipeline a finding list before deployment and a record of what was known
    /// when each image shipped.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    ///   image_scanning_configuration {
    ///     scan_on_push = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn on scan on push for the repository, or better, configure registry-level enhanced
    /// scanning (Amazon Inspector) with a rule covering all repositories.
    ///
    /// ## References
    /// - NIST CSF 2.0 ID.RA-01; NIST SP 800-53 RA-5
    /// - Amazon ECR User Guide, "Scan images for software vulnerabilities in Amazon ECR"
    pub(crate) struct NoScanOnPush;
    id: "AWS-ECR-002",
    name: "ecr-no-scan-on-push",
    title: "ECR repository does not scan images on push",
    severity: Severity::Medium,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "ecr",
    fix: "Enable scan on push for the repository or a registry-level scanning rule that covers it.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["ID.RA-01"],
        nist_800_53: &["RA-5"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_163"], trivy: &["AVD-AWS-0030"] },
}

impl Rule for NoScanOnPush {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for repo in model.all::<Repository>() {
            let attr = &repo.scan_on_push;
            checks.require(
                &repo.meta,
                attr,
                |on| *on,
                |_| {
                    let default = if attr.explicit { "" } else { " (the default)" };
                    format!("images are not scanned on push{default}")
                },
            );
        }
    }
}
