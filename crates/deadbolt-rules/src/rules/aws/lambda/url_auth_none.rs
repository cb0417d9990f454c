use deadbolt_model::aws::lambda::FunctionUrl;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Lambda function URL whose auth type is `NONE`: anyone on the internet who knows the URL
    /// can invoke the function, without signing the request.
    ///
    /// ## Why it matters
    /// The function runs with its execution role's permissions for every anonymous caller. Unless
    /// the function authenticates requests itself, that is an open door to its data and to
    /// whatever the role can reach, and an open invitation to run up the bill.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lambda_function_url" "report" {
    ///   function_name      = aws_lambda_function.report.function_name
    ///   authorization_type = "NONE"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lambda_function_url" "report" {
    ///   function_name      = aws_lambda_function.report.function_name
    ///   authorization_type = "AWS_IAM"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use `AWS_IAM` auth and sign requests with SigV4 (CloudFront origin access control can do
    /// this for public sites), or put the function behind API Gateway with an authorizer. If the
    /// endpoint really is public, suppress the finding with the reason and authenticate inside the
    /// function.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-03, PR.AA-05; NIST SP 800-53 AC-3, AC-14
    /// - AWS Lambda Developer Guide, "Control access to Lambda function URLs"
    pub(crate) struct UrlAuthNone;
    id: "AWS-LAMBDA-001",
    name: "lambda-url-auth-none",
    title: "Lambda function URL requires no authentication",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Faas],
    provider: Provider::Aws,
    service: "lambda",
    fix: "Set the function URL's auth type to `AWS_IAM` (or front the function with an authenticating API).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-03", "PR.AA-05"],
        nist_800_53: &["AC-3", "AC-14"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_258"], trivy: &[] },
}

impl Rule for UrlAuthNone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for url in model.all::<FunctionUrl>() {
            checks.require(
                &url.meta,
                &url.auth_type,
                |auth| !auth.eq_ignore_ascii_case("NONE"),
                |auth| format!("the function URL's auth type is `{auth}`: anyone can invoke it"),
            );
        }
    }
}
