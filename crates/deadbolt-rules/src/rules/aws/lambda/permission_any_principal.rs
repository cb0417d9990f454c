use deadbolt_model::aws::lambda::Permission;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A resource-based permission on a Lambda function that lets any principal (`*`) invoke it
    /// with no narrowing condition: no source ARN, no source account and no AWS Organizations ID.
    ///
    /// ## Why it matters
    /// The function's resource policy is then open to every AWS account (and, with a function URL
    /// auth type of `NONE`, to anonymous callers). Anyone who learns the function's ARN can run
    /// it with its role's permissions. A service principal with a source ARN, or an account or
    /// organization condition, limits callers to the ones intended.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lambda_permission" "anyone" {
    ///   statement_id  = "AllowInvoke"
    ///   action        = "lambda:InvokeFunction"
    ///   function_name = aws_lambda_function.report.function_name
    ///   principal     = "*"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "uploads" {
    ///   bucket = "uploads-example"
    /// }
    ///
    /// resource "aws_lambda_permission" "uploads" {
    ///   statement_id  = "AllowS3Invoke"
    ///   action        = "lambda:InvokeFunction"
    ///   function_name = aws_lambda_function.report.function_name
    ///   principal     = "s3.amazonaws.com"
    ///   source_arn    = aws_s3_bucket.uploads.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the calling service or account as the principal, and add `source_arn` (and
    /// `source_account` for service principals) or `principal_org_id`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-3, AC-21, SC-7
    /// - AWS Lambda Developer Guide, "Working with resource-based IAM policies in Lambda"
    pub(crate) struct PermissionAnyPrincipal;
    id: "AWS-LAMBDA-004",
    name: "lambda-permission-any-principal",
    title: "Lambda permission lets any principal invoke the function unconditionally",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Faas],
    provider: Provider::Aws,
    service: "lambda",
    fix: "Name the calling service or account as principal and add a source ARN, source account or organization condition.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-3", "AC-21", "SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_301"], trivy: &[] },
}

impl Rule for PermissionAnyPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for perm in model.all::<Permission>() {
            match perm.principal.known() {
                Some(p) if p == "*" => {}
                Some(_) => {
                    checks.pass(&perm.meta);
                    continue;
                }
                None => {
                    checks.not_evaluated_attr(&perm.meta, &perm.principal);
                    continue;
                }
            }
            let conditions = [
                &perm.source_arn,
                &perm.source_account,
                &perm.principal_org_id,
            ];
            if conditions
                .iter()
                .any(|c| matches!(c.known(), Some(Some(_))))
            {
                checks.pass(&perm.meta);
            } else if let Some(reason) = conditions.iter().find_map(|c| c.unknown_reason()) {
                checks.not_evaluated(&perm.meta, reason);
            } else {
                let public_url = match perm.function_url_auth_type.known() {
                    Some(Some(t)) if t.eq_ignore_ascii_case("NONE") => {
                        ", including anonymous calls to its function URL"
                    }
                    _ => "",
                };
                checks.fail(
                    &perm.meta,
                    &perm.principal.span,
                    format!("any principal (`*`) may invoke the function{public_url}, with no source ARN, source account or organization condition"),
                );
            }
        }
    }
}
