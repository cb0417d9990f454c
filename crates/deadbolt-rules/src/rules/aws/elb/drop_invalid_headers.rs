use deadbolt_model::aws::elb::LoadBalancer;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An Application Load Balancer that forwards HTTP headers with invalid names instead of
    /// dropping them (forwarding is the default). Network and Gateway Load Balancers do not parse
    /// HTTP and are not judged.
    ///
    /// ## Why it matters
    /// Headers whose names break the HTTP grammar are a tool of request smuggling and header
    /// injection: a back end that parses them differently from the load balancer can be made to
    /// see a request the load balancer never checked. Dropping them at the edge removes that
    /// ambiguity at no cost to valid clients.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lb" "web" {
    ///   name               = "web"
    ///   load_balancer_type = "application"
    ///   subnets            = var.public_subnet_ids
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lb" "web" {
    ///   name                       = "web"
    ///   load_balancer_type         = "application"
    ///   subnets                    = var.public_subnet_ids
    ///   drop_invalid_header_fields = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn on dropping of invalid header fields on the Application Load Balancer.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01; NIST SP 800-53 SI-10
    /// - Elastic Load Balancing User Guide for Application Load Balancers, "Load balancer
    ///   attributes" (`routing.http.drop_invalid_header_fields.enabled`)
    pub(crate) struct NoDropInvalidHeaders;
    id: "AWS-ELB-003",
    name: "alb-no-drop-invalid-headers",
    title: "Application Load Balancer forwards invalid HTTP headers",
    severity: Severity::Low,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "elb",
    fix: "Enable dropping of invalid header fields on the Application Load Balancer.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01"],
        nist_800_53: &["SI-10"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_131"], trivy: &["AVD-AWS-0052"] },
}

impl Rule for NoDropInvalidHeaders {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for lb in model.all::<LoadBalancer>() {
            match lb.lb_type.known().map(String::as_str) {
                Some("application") => {}
                Some(_) => continue,
                None => {
                    checks.not_evaluated_attr(&lb.meta, &lb.lb_type);
                    continue;
                }
            }
            let attr = &lb.drop_invalid_headers;
            checks.require(
                &lb.meta,
                attr,
                |on| *on,
                |_| {
                    let default = if attr.explicit { "" } else { " (the default)" };
                    format!("headers with invalid names are forwarded to targets{default}")
                },
            );
        }
    }
}
