use deadbolt_model::aws::cloudfront::Distribution;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// `TLSv1.2_2021` or later: TLS 1.3 policies, or TLS 1.2 policies from 2021 on (the 2019 and
/// 2018 TLS 1.2 policies still offer CBC and non-forward-secret ciphers).
fn meets_floor(version: &str) -> bool {
    if version.starts_with("TLSv1.3") {
        return true;
    }
    version
        .strip_prefix("TLSv1.2_")
        .and_then(|year| year.parse::<u32>().ok())
        .is_some_and(|year| year >= 2021)
}

declare_rule! {
    /// ## What it checks
    /// A CloudFront distribution whose viewer connections may use a security policy below
    /// `TLSv1.2_2021`: an older minimum protocol version (`TLSv1`, `TLSv1_2016`, `TLSv1.1_2016`,
    /// `TLSv1.2_2018`, `TLSv1.2_2019`), none at all (the default is `TLSv1`), or the default
    /// `*.cloudfront.net` certificate, with which CloudFront always accepts TLS 1.0.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and the pre-2021 TLS 1.2 policies still offer
    /// CBC-mode and non-forward-secret ciphers. A distribution that accepts them lets an old
    /// client, or an attacker able to force a downgrade, use weak cryptography.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   # ...
    ///   viewer_certificate {
    ///     cloudfront_default_certificate = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   # ...
    ///   aliases = ["www.example.com"]
    ///   viewer_certificate {
    ///     acm_certificate_arn      = aws_acm_certificate.site.arn
    ///     ssl_support_method       = "sni-only"
    ///     minimum_protocol_version = "TLSv1.2_2021"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Serve the distribution under your own domain with an ACM certificate (SNI) and set the
    /// minimum protocol version to `TLSv1.2_2021` or later.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1), SC-13
    /// - Amazon CloudFront Developer Guide, "Supported protocols and ciphers between viewers and
    ///   CloudFront"
    pub(crate) struct OldTls;
    id: "AWS-CLOUDFRONT-002",
    name: "cloudfront-old-tls",
    title: "CloudFront distribution accepts viewer TLS below the TLSv1.2_2021 policy",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudfront",
    fix: "Use your own certificate with SNI and set the minimum protocol version to `TLSv1.2_2021` or later.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)", "SC-13"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_174"], trivy: &["AVD-AWS-0013"] },
}

impl Rule for OldTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for dist in model.all::<Distribution>() {
            match dist.default_certificate.known() {
                Some(true) => {
                    checks.fail(
                        &dist.meta,
                        &dist.default_certificate.span,
                        "the default CloudFront certificate is used, which accepts TLSv1",
                    );
                    continue;
                }
                Some(false) => {}
                None => {
                    checks.not_evaluated_attr(&dist.meta, &dist.default_certificate);
                    continue;
                }
            }
            let attr = &dist.minimum_protocol_version;
            checks.require(&dist.meta, attr, |v| meets_floor(v), |v| {
                let default = if attr.explicit { "" } else { " (the default)" };
                format!("minimum viewer protocol version is `{v}`{default}; `TLSv1.2_2021` or later is required")
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::meets_floor;

    #[test]
    fn floor_is_tls12_2021() {
        assert!(meets_floor("TLSv1.2_2021"));
        assert!(meets_floor("TLSv1.2_2025"));
        assert!(meets_floor("TLSv1.3_2025"));
        assert!(!meets_floor("TLSv1.2_2019"));
        assert!(!meets_floor("TLSv1.2_2018"));
        assert!(!meets_floor("TLSv1.1_2016"));
        assert!(!meets_floor("TLSv1"));
        assert!(!meets_floor("SSLv3"));
    }
}
