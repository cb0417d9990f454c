use deadbolt_model::aws::elb::Listener;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// Every predefined policy whose floor is TLS 1.2 or 1.3 names it in its version segment
/// (`-TLS-1-2-`, `-FS-1-2-`, `-TLS13-1-2-`, `-TLS13-1-3-`); the others (`ELBSecurityPolicy-2016-08`,
/// `-TLS-1-0-`, `-TLS-1-1-`, `-FS-2018-06`, `-TLS13-1-1-`, ...) still accept TLS 1.0 or 1.1.
fn is_tls12_or_later(policy: &str) -> bool {
    policy.contains("-1-2-") || policy.contains("-1-3-")
}

declare_rule! {
    /// ## What it checks
    /// An HTTPS or TLS load balancer listener whose security policy still accepts TLS 1.0 or
    /// TLS 1.1: anything but a TLS 1.2+ predefined policy (for example
    /// `ELBSecurityPolicy-TLS13-1-2-2021-06`). A listener that names no policy gets
    /// `ELBSecurityPolicy-2016-08` from the API (Terraform, CloudFormation and the CLI alike),
    /// which accepts TLS 1.0, so it fails.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and CBC constructions with
    /// known attacks, and PCI DSS and most government baselines forbid them. As long as the
    /// listener accepts them, a downgrade-capable attacker or an old client can use them.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lb_listener" "web" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 443
    ///   protocol          = "HTTPS"
    ///   ssl_policy        = "ELBSecurityPolicy-2016-08"
    ///   certificate_arn   = aws_acm_certificate.web.arn
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lb_listener" "web" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 443
    ///   protocol          = "HTTPS"
    ///   ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    ///   certificate_arn   = aws_acm_certificate.web.arn
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set the listener's security policy to `ELBSecurityPolicy-TLS13-1-2-2021-06` (or a stricter
    /// TLS 1.2+/1.3 policy; FIPS and post-quantum variants qualify too).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1), SC-13
    /// - Elastic Load Balancing User Guide for Application Load Balancers, "Security policies for
    ///   your Application Load Balancer"
    pub(crate) struct OutdatedTlsPolicy;
    id: "AWS-ELB-002",
    name: "alb-outdated-tls-policy",
    title: "Load balancer listener accepts TLS versions older than 1.2",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "elb",
    fix: "Use a TLS 1.2+ security policy such as `ELBSecurityPolicy-TLS13-1-2-2021-06`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)", "SC-13"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_103"], trivy: &["AVD-AWS-0047"] },
}

impl Rule for OutdatedTlsPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for listener in model.all::<Listener>() {
            match listener.protocol.known().map(String::as_str) {
                Some("HTTPS" | "TLS") => {}
                Some(_) => continue,
                None => {
                    checks.not_evaluated_attr(&listener.meta, &listener.protocol);
                    continue;
                }
            }
            let attr = &listener.ssl_policy;
            checks.require(
                &listener.meta,
                attr,
                |policy| policy.as_deref().is_some_and(is_tls12_or_later),
                |policy| match policy {
                    Some(p) if attr.explicit => format!("security policy `{p}` accepts TLS older than 1.2"),
                    Some(p) => format!("no security policy is named, so the API applies `{p}`, which accepts TLS older than 1.2"),
                    None => "the listener has no security policy".to_string(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_tls12_or_later;

    #[test]
    fn only_tls12_and_later_policies_pass() {
        for good in [
            "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "ELBSecurityPolicy-TLS13-1-3-2021-06",
            "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
            "ELBSecurityPolicy-FS-1-2-Res-2020-10",
            "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        ] {
            assert!(is_tls12_or_later(good), "{good}");
        }
        for bad in [
            "ELBSecurityPolicy-2016-08",
            "ELBSecurityPolicy-2015-05",
            "ELBSecurityPolicy-TLS-1-0-2015-04",
            "ELBSecurityPolicy-TLS-1-1-2017-01",
            "ELBSecurityPolicy-FS-2018-06",
            "ELBSecurityPolicy-FS-1-1-2019-08",
            "ELBSecurityPolicy-TLS13-1-1-2021-06",
            "ELBSecurityPolicy-TLS13-1-0-2021-06",
        ] {
            assert!(!is_tls12_or_later(bad), "{bad}");
        }
    }
}
