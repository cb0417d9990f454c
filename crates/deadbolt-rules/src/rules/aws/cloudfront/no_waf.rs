use deadbolt_model::aws::cloudfront::Distribution;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudFront distribution with no AWS WAF web ACL associated.
    ///
    /// ## Why it matters
    /// CloudFront is the internet-facing front door of the application. Without a web ACL, nothing
    /// at the edge filters common exploits (SQL injection, cross-site scripting, known bad inputs),
    /// rate-limits abusive clients or blocks bad IP reputation lists before requests reach the
    /// origin.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   enabled = true
    ///   # ... no web_acl_id
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   enabled    = true
    ///   web_acl_id = aws_wafv2_web_acl.edge.arn
    ///   # ...
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create a WAFv2 web ACL with scope `CLOUDFRONT` (in us-east-1), start with the AWS managed
    /// core and known-bad-inputs rule groups plus a rate-based rule, and associate it with the
    /// distribution.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7
    /// - AWS WAF Developer Guide, "Using AWS WAF with Amazon CloudFront"
    pub(crate) struct NoWaf;
    id: "AWS-CLOUDFRONT-003",
    name: "cloudfront-no-waf",
    title: "CloudFront distribution has no WAF web ACL",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudfront",
    fix: "Associate an AWS WAF (WAFv2, CLOUDFRONT scope) web ACL with the distribution.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_68"], trivy: &["AVD-AWS-0011"] },
}

impl Rule for NoWaf {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for dist in model.all::<Distribution>() {
            checks.require(&dist.meta, &dist.web_acl, Option::is_some, |_| {
                "no WAF web ACL is associated".to_string()
            });
        }
    }
}
