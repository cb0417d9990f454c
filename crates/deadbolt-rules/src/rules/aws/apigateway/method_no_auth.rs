use deadbolt_model::aws::apigateway::Method;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A REST API method with authorization `NONE` that does not require an API key either. CORS
    /// preflight (`OPTIONS`) methods are exempt: browsers send them without credentials.
    ///
    /// ## Why it matters
    /// Anyone on the internet can call such a method, and through it the function, database or
    /// service behind it. Some endpoints are public by design (a contact form); most are not, and
    /// this is how internal APIs end up exposed. Public ones deserve a reviewed suppression.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_api_gateway_method" "list_clients" {
    ///   rest_api_id   = aws_api_gateway_rest_api.crm.id
    ///   resource_id   = aws_api_gateway_resource.clients.id
    ///   http_method   = "GET"
    ///   authorization = "NONE"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_api_gateway_method" "list_clients" {
    ///   rest_api_id   = aws_api_gateway_rest_api.crm.id
    ///   resource_id   = aws_api_gateway_resource.clients.id
    ///   http_method   = "GET"
    ///   authorization = "AWS_IAM"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set an authorization type (`AWS_IAM`, a Cognito user pool, or a Lambda authorizer); for a
    /// SAM API, a default authorizer in `Auth`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-03; NIST SP 800-53 AC-3, IA-2
    /// - Amazon API Gateway Developer Guide, "Controlling and managing access to a REST API"
    pub(crate) struct MethodNoAuth;
    id: "AWS-APIGATEWAY-003",
    name: "apigateway-method-no-authorization",
    title: "API Gateway method can be called without authorization",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "apigateway",
    fix: "Give the method an authorization type (IAM, Cognito or a Lambda authorizer), or suppress it with the reason it is public.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-03"],
        nist_800_53: &["AC-3", "IA-2"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_59"], trivy: &["AVD-AWS-0004"] },
}

impl Rule for MethodNoAuth {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for method in model.all::<Method>() {
            if method
                .http_method
                .known()
                .is_some_and(|m| m.eq_ignore_ascii_case("OPTIONS"))
            {
                continue;
            }
            if method.api_key_required.known() == Some(&true) {
                checks.pass(&method.meta);
                continue;
            }
            let verb = method.http_method.known().cloned().unwrap_or_default();
            checks.require(
                &method.meta,
                &method.authorization,
                |auth| !auth.eq_ignore_ascii_case("NONE"),
                |_| format!("`{verb}` has authorization `NONE` and requires no API key"),
            );
        }
    }
}
