use deadbolt_model::aws::iam::{Effect, Policy, Statement, wildcard_match};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{Judged, judge_document, undecided};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An `Allow` statement in an IAM policy that grants `iam:PassRole` (directly, through a
    /// wildcard such as `iam:*` or `iam:Pass*`, or through `NotAction`) on every resource
    /// (`"Resource": "*"`). Statements that grant everything are reported by AWS-IAM-001 instead.
    ///
    /// ## Why it matters
    /// `iam:PassRole` lets a principal hand a role to a service: launch an EC2 instance, a Lambda
    /// function or a Glue job that runs with that role. On `*`, it can pass *any* role in the
    /// account, including administrator roles, and then act with that role's permissions through
    /// the service. It is one of the most common privilege-escalation paths in AWS.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_policy" "deployer" {
    ///   name = "deployer"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["lambda:CreateFunction", "iam:PassRole"]
    ///       Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_policy" "deployer" {
    ///   name = "deployer"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "iam:PassRole"
    ///       Resource  = "arn:aws:iam::123456789012:role/lambda-runtime"
    ///       Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the roles that may be passed in `Resource`, and restrict the receiving service with the
    /// `iam:PassedToService` condition key.
    ///
    /// ## References
    /// - Checkov has no equivalent: CKV_AWS_355/356 flag any restrictable action on `*`, a broader
    ///   check that fires whether or not `iam:PassRole` is granted.
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6
    /// - AWS IAM User Guide, "Grant a user permissions to pass a role to an AWS service"
    pub(crate) struct PassRoleAnyResource;
    id: "AWS-IAM-003",
    name: "iam-passrole-any-resource",
    title: "IAM policy allows iam:PassRole on every role",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Restrict `iam:PassRole` to the ARNs of the roles that must be passed, and add an `iam:PassedToService` condition.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &["AVD-AWS-0342"] },
}

impl Rule for PassRoleAnyResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for policy in model.all::<Policy>() {
            judge_document(checks, &policy.meta, &policy.document, judge);
        }
    }
}

fn judge(s: &Statement) -> Judged {
    if s.effect == Some(Effect::Deny) || s.grants_everything() == Some(true) {
        return Judged::Ok;
    }
    match (s.action.covers("iam:PassRole"), s.resource_is_everything()) {
        (Some(false), _) | (_, Some(false)) => Judged::Ok,
        (Some(true), Some(true)) if s.effect.is_some() => Judged::Bad(format!(
            "allows `iam:PassRole`{} on every resource",
            granted_by(s)
        )),
        _ => Judged::Unknown(undecided(s)),
    }
}

/// How the statement reaches `iam:PassRole`, when not by name: the wildcard, or its `NotAction`.
fn granted_by(s: &Statement) -> String {
    if s.action.negated {
        let except: Vec<String> = s.action.known().map(|a| format!("`{a}`")).collect();
        return format!(
            " (through `NotAction` excluding only {})",
            except.join(", ")
        );
    }
    match s.action.known().find(|a| wildcard_match(a, "iam:PassRole")) {
        Some(a) if a.eq_ignore_ascii_case("iam:PassRole") => String::new(),
        Some(a) => format!(" (through `{a}`)"),
        None => String::new(),
    }
}
