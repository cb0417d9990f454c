use deadbolt_model::aws::cloudfront::Distribution;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudFront distribution with a cache behaviour (the default one or any ordered one)
    /// whose viewer protocol policy is `allow-all`, so viewers may fetch content over plain HTTP.
    /// `redirect-to-https` and `https-only` pass.
    ///
    /// ## Why it matters
    /// Over HTTP, pages, cookies and tokens travel in clear text between the viewer and the edge,
    /// where anyone on the network path can read or rewrite them (injecting scripts into pages,
    /// for example). One `allow-all` path pattern is enough to expose the cookies of the whole
    /// domain.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   # ...
    ///   default_cache_behavior {
    ///     target_origin_id       = "site"
    ///     allowed_methods        = ["GET", "HEAD"]
    ///     cached_methods         = ["GET", "HEAD"]
    ///     viewer_protocol_policy = "allow-all"
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   # ...
    ///   default_cache_behavior {
    ///     target_origin_id       = "site"
    ///     allowed_methods        = ["GET", "HEAD"]
    ///     cached_methods         = ["GET", "HEAD"]
    ///     viewer_protocol_policy = "redirect-to-https"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set every cache behaviour's viewer protocol policy to `redirect-to-https` (or `https-only`
    /// for APIs).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1)
    /// - Amazon CloudFront Developer Guide, "Require HTTPS for communication between viewers and
    ///   CloudFront"
    pub(crate) struct AllowsHttp;
    id: "AWS-CLOUDFRONT-001",
    name: "cloudfront-allows-http",
    title: "CloudFront distribution serves content over plain HTTP",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudfront",
    fix: "Set the viewer protocol policy of every cache behaviour to `redirect-to-https` or `https-only`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_34"], trivy: &["AVD-AWS-0012"] },
}

impl Rule for AllowsHttp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for dist in model.all::<Distribution>() {
            let mut failed = false;
            let mut unknown = None;
            for policy in &dist.viewer_protocol_policies {
                match policy.known() {
                    Some(p) if p == "allow-all" => {
                        checks.fail(
                            &dist.meta,
                            &policy.span,
                            "a cache behaviour's viewer protocol policy is `allow-all`",
                        );
                        failed = true;
                    }
                    Some(_) => {}
                    None => unknown = unknown.or(policy.unknown_reason()),
                }
            }
            match (failed, unknown) {
                (true, _) => {}
                (false, Some(reason)) => checks.not_evaluated(&dist.meta, reason),
                (false, None) => checks.pass(&dist.meta),
            }
        }
    }
}
