use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudTrail trail that records only the region it was created in (`is_multi_region_trail`
    /// unset or `false`).
    ///
    /// ## Why it matters
    /// Attackers with stolen keys routinely work in regions nobody watches: they start instances
    /// for crypto-mining or stage data far from the home region. A single-region trail records
    /// none of that, and it also misses global-service events delivered to other regions. A
    /// multi-region trail also picks up regions AWS opens later without any change.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "trail" {
    ///   bucket = "trail-example"
    /// }
    ///
    /// resource "aws_cloudtrail" "audit" {
    ///   name           = "audit"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "trail" {
    ///   bucket = "trail-example"
    /// }
    ///
    /// resource "aws_cloudtrail" "audit" {
    ///   name                  = "audit"
    ///   s3_bucket_name        = aws_s3_bucket.trail.id
    ///   is_multi_region_trail = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `is_multi_region_trail = true` (and keep `include_global_service_events` on).
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 3.1 (CloudTrail enabled in all regions)
    /// - NIST CSF 2.0 PR.PS-04, DE.CM-03; NIST SP 800-53 AU-2, AU-12
    /// - AWS CloudTrail User Guide, "Receiving CloudTrail log files from multiple Regions"
    pub(crate) struct TrailNotMultiRegion;
    id: "AWS-CLOUDTRAIL-001",
    name: "cloudtrail-not-multi-region",
    title: "CloudTrail trail does not record all regions",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudtrail",
    fix: "Make the trail multi-Region (`IsMultiRegionTrail`).",
    references: References {
        cis_aws_v3: &["3.1"],
        nist_csf_2: &["PR.PS-04", "DE.CM-03"],
        nist_800_53: &["AU-2", "AU-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_67"], trivy: &["AVD-AWS-0014"] },
}

impl Rule for TrailNotMultiRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for trail in model.all::<Trail>() {
            checks.require(
                &trail.meta,
                &trail.multi_region,
                |on| *on,
                |_| {
                    if trail.multi_region.explicit {
                        "the trail is set to a single region".to_string()
                    } else {
                        "the trail records a single region (multi-region is not set)".to_string()
                    }
                },
            );
        }
    }
}
