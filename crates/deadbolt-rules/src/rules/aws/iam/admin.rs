use deadbolt_model::aws::iam::{
    ADMINISTRATOR_ACCESS_ARN, Attachment, Policy, Principal, PrincipalKind, Statement,
};
use deadbolt_model::{Attr, Layer, Model, Provider, ResourceMeta, ServiceModel, Severity, State};

use super::{Judged, judge_document, undecided};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An IAM policy (customer managed, or inline in a user, group or role) with an `Allow`
    /// statement that grants every action on every resource (`"Action": "*"` or `"*:*"` with
    /// `"Resource": "*"`), and any attachment of the AWS managed `AdministratorAccess` policy,
    /// which grants exactly that. A condition on the statement (MFA present, a source IP range)
    /// does not make it pass: it limits when the access applies, not what the access is.
    ///
    /// ## Why it matters
    /// Whoever holds the credentials of a principal with `*:*` owns the account: they can read
    /// every data store, delete backups, turn off CloudTrail and create new users to come back
    /// later. Least privilege is the customer's side of the shared responsibility model; AWS only
    /// enforces the policies it is given. Administrative access belongs to a few break-glass roles,
    /// not to workloads or day-to-day users.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_policy" "ops" {
    ///   name = "ops"
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_policy" "ops" {
    ///   name = "ops"
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["ec2:DescribeInstances", "ec2:RebootInstances"]
    ///       Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant the actions the job needs on the resources it needs (IAM Access Analyzer can generate
    /// a policy from CloudTrail activity). Keep administrator access for a break-glass role that
    /// requires MFA to assume.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.16
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6, AC-3
    /// - AWS IAM User Guide, "Security best practices in IAM" (apply least-privilege permissions)
    pub(crate) struct FullAdmin;
    id: "AWS-IAM-001",
    name: "iam-policy-full-admin",
    title: "IAM policy grants full administrative access (*:*)",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Replace `*` on `*` with the specific actions and resources needed; keep administrator access for an MFA-protected break-glass role.",
    references: References {
        cis_aws_v3: &["1.16"],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6", "AC-3"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_62", "CKV_AWS_1"], trivy: &["AVD-AWS-0057"] },
}

impl Rule for FullAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for policy in model.all::<Policy>() {
            judge_document(checks, &policy.meta, &policy.document, |s| {
                match s.grants_everything() {
                    Some(true) => Judged::Bad(everything_message(s)),
                    Some(false) => Judged::Ok,
                    None => Judged::Unknown(undecided(s)),
                }
            });
        }
        for attachment in model.all::<Attachment>() {
            for target in &attachment.targets {
                judge_attachment(checks, &attachment.meta, &target.policy, |policy| {
                    format!(
                        "attaches `{policy}` to {} `{}`",
                        kind_name(target.principal_kind),
                        target
                            .principal
                            .known()
                            .map_or("(known after apply)", String::as_str)
                    )
                });
            }
        }
        for principal in model.all::<Principal>() {
            for arn in &principal.attachments {
                judge_attachment(checks, &principal.meta, arn, |policy| {
                    format!("attaches `{policy}` to this {}", kind_name(principal.kind))
                });
            }
        }
    }
}

fn everything_message(s: &Statement) -> String {
    let keys: Vec<String> = s
        .conditions
        .iter()
        .map(|c| format!("`{}`", c.key))
        .collect();
    if keys.is_empty() {
        "allows every action on every resource".to_string()
    } else {
        format!(
            "allows every action on every resource, limited only by a condition on {}",
            keys.join(", ")
        )
    }
}

fn kind_name(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::User => "user",
        PrincipalKind::Group => "group",
        PrincipalKind::Role => "role",
    }
}

/// Judges one attached policy ARN: the AWS managed `AdministratorAccess` policy fails in every
/// partition (`arn:aws:`, `arn:aws-us-gov:`, `arn:aws-cn:`).
fn judge_attachment<'m>(
    checks: &mut Checks<'m>,
    resource: &'m ResourceMeta,
    policy: &Attr<String>,
    message: impl FnOnce(&str) -> String,
) {
    match &policy.state {
        State::Known(arn) if is_administrator_access(arn) => {
            checks.fail(resource, &policy.span, message(arn));
        }
        State::Known(_) => checks.pass(resource),
        State::Unknown(reason) => checks.not_evaluated(resource, reason),
    }
}

fn is_administrator_access(arn: &str) -> bool {
    arn.starts_with("arn:")
        && arn.split_once(':').is_some_and(|(_, rest)| {
            rest.split_once(':').is_some_and(|(_, tail)| {
                tail == ADMINISTRATOR_ACCESS_ARN.trim_start_matches("arn:aws:")
            })
        })
}
