use deadbolt_model::aws::iam::{Attachment, Policy, PolicyScope, PrincipalKind};
use deadbolt_model::{Attr, Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Permissions given to an IAM user directly instead of through a group: an inline policy
    /// embedded in a user, or a managed policy attached to a user (on its own, or as one of the
    /// `users` of a multi-principal attachment). Inline policies of groups and roles and
    /// attachments to groups and roles pass.
    ///
    /// ## Why it matters
    /// Permissions scattered over individual users are hard to review and are forgotten when people
    /// change jobs, so access piles up. Granting through groups (or, better, through roles assumed
    /// via IAM Identity Center) keeps one place to read and revoke what a job function may do.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_user_policy_attachment" "alice_billing" {
    ///   user       = aws_iam_user.alice.name
    ///   policy_arn = "arn:aws:iam::aws:policy/job-function/Billing"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_group_policy_attachment" "finance_billing" {
    ///   group      = aws_iam_group.finance.name
    ///   policy_arn = "arn:aws:iam::aws:policy/job-function/Billing"
    /// }
    ///
    /// resource "aws_iam_user_group_membership" "alice" {
    ///   user   = aws_iam_user.alice.name
    ///   groups = [aws_iam_group.finance.name]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Attach the policy to a group that matches the job function and add the user to the group;
    /// move inline user policies into a managed policy attached to that group.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.15
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-2, AC-6
    /// - AWS IAM User Guide, "Use groups to assign permissions to IAM users"
    pub(crate) struct UserDirectPolicy;
    id: "AWS-IAM-004",
    name: "iam-user-direct-policy",
    title: "IAM user receives permissions directly instead of through a group",
    severity: Severity::Low,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Attach the policy to a group (or a role) and make the user a member, instead of giving it to the user.",
    references: References {
        cis_aws_v3: &["1.15"],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-2", "AC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_40"], trivy: &["AVD-AWS-0143"] },
}

impl Rule for UserDirectPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for policy in model.all::<Policy>() {
            let PolicyScope::Inline(kind) = policy.scope else {
                continue;
            };
            match (kind, &policy.principal) {
                (PrincipalKind::User, Some(user)) => checks.fail(
                    &policy.meta,
                    &user.span,
                    format!("inline policy is embedded in user {}", user_name(user)),
                ),
                (PrincipalKind::User, None) => checks.fail(
                    &policy.meta,
                    &policy.meta.span,
                    "inline policy is embedded in a user",
                ),
                _ => checks.pass(&policy.meta),
            }
        }
        for attachment in model.all::<Attachment>() {
            for target in &attachment.targets {
                if target.principal_kind == PrincipalKind::User {
                    let policy = target.policy.known().map_or("a policy", String::as_str);
                    checks.fail(
                        &attachment.meta,
                        &target.principal.span,
                        format!(
                            "attaches `{policy}` directly to user {}",
                            user_name(&target.principal)
                        ),
                    );
                } else {
                    checks.pass(&attachment.meta);
                }
            }
        }
    }
}

fn user_name(user: &Attr<String>) -> String {
    match user.known() {
        Some(name) => format!("`{name}`"),
        None => "(name known after apply)".to_string(),
    }
}
