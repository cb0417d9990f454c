use deadbolt_model::aws::elb::Listener;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, Unknown};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A load balancer listener that speaks plain HTTP and whose default action is not a redirect
    /// to HTTPS. A redirect action that does not name a protocol keeps the request's own
    /// (`#{protocol}`), so it stays on HTTP and fails too. Listeners using HTTPS, TLS or a
    /// non-HTTP protocol are not judged here.
    ///
    /// ## Why it matters
    /// Requests, cookies and session tokens sent over HTTP cross the network in clear text and
    /// can be read or altered by anyone on the path. Redirecting port 80 to HTTPS keeps old links
    /// working while making sure the content itself is only ever served encrypted.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lb_listener" "web_http" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lb_listener" "web_http" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///   default_action {
    ///     type = "redirect"
    ///     redirect {
    ///       port        = "443"
    ///       protocol    = "HTTPS"
    ///       status_code = "HTTP_301"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Serve the application on an HTTPS listener and make the HTTP listener's default action a
    /// redirect with protocol `HTTPS` (status `HTTP_301`).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1)
    /// - Elastic Load Balancing User Guide for Application Load Balancers, "Redirect actions"
    pub(crate) struct HttpListenerNoRedirect;
    id: "AWS-ELB-001",
    name: "alb-http-no-redirect",
    title: "Load balancer HTTP listener does not redirect to HTTPS",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "elb",
    fix: "Serve the application over HTTPS and make the HTTP listener's default action a redirect to HTTPS.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_2", "CKV2_AWS_20"], trivy: &["AVD-AWS-0054"] },
}

impl Rule for HttpListenerNoRedirect {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for listener in model.all::<Listener>() {
            match listener.protocol.known().map(String::as_str) {
                Some("HTTP") => {}
                Some(_) => continue,
                None => {
                    checks.not_evaluated_attr(&listener.meta, &listener.protocol);
                    continue;
                }
            }
            let mut unknown: Option<&Unknown> = None;
            let mut redirects = false;
            let mut plain_redirect = None;
            for action in &listener.default_actions {
                match action.action_type.known().map(String::as_str) {
                    Some("redirect") => {
                        match action.redirect_protocol.as_ref().map(|p| p.known()) {
                            Some(Some(p)) if p.eq_ignore_ascii_case("HTTPS") => redirects = true,
                            Some(Some(p)) => {
                                plain_redirect = plain_redirect
                                    .or(action.redirect_protocol.as_ref().map(|a| (a, p)));
                            }
                            Some(None) => {
                                unknown = unknown.or(action
                                    .redirect_protocol
                                    .as_ref()
                                    .and_then(|p| p.unknown_reason()));
                            }
                            _ => {}
                        }
                    }
                    Some(_) => {}
                    None => unknown = unknown.or(action.action_type.unknown_reason()),
                }
            }
            if redirects {
                checks.pass(&listener.meta);
            } else if let Some(reason) = unknown {
                checks.not_evaluated(&listener.meta, reason);
            } else {
                // An unwritten port has no meaningful value to show.
                let port = listener
                    .port
                    .known()
                    .filter(|_| listener.port.explicit)
                    .map(|p| format!(" on port {p}"))
                    .unwrap_or_default();
                match plain_redirect {
                    Some((attr, protocol)) => checks.fail(
                        &listener.meta,
                        &attr.span,
                        format!("the plain HTTP listener{port} redirects with protocol `{protocol}`, not to HTTPS"),
                    ),
                    None => checks.fail(
                        &listener.meta,
                        &listener.protocol.span,
                        format!("the listener serves plain HTTP{port} without redirecting to HTTPS"),
                    ),
                }
            }
        }
    }
}
