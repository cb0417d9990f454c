use deadbolt_model::aws::iam::{Effect, Policy};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{Judged, judge_document, undecided};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An `Allow` statement in an IAM policy (managed or inline) written with `NotAction`: it
    /// grants every action of every service except the ones listed.
    ///
    /// ## Why it matters
    /// `Allow` + `NotAction` is an allow-list turned inside out. `"NotAction": "iam:*"` on `*`
    /// still grants `organizations:*`, `sts:*`, `kms:*` and every service AWS launches from now on.
    /// Intended to mean "everything but IAM", it is usually close to administrator access, and
    /// reviewers read it the wrong way round. `NotAction` belongs in `Deny` statements.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_policy" "power_user" {
    ///   name = "power-user"
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       NotAction = ["iam:*", "organizations:*"]
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_policy" "power_user" {
    ///   name = "power-user"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       { Effect = "Allow", Action = ["ec2:*Instances", "s3:Get*"], Resource = "*" },
    ///       { Effect = "Deny", NotAction = ["s3:Get*"], Resource = "arn:aws:s3:::audit-logs/*" },
    ///     ]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rewrite the statement as an `Action` list of what is needed; keep `NotAction` for `Deny`
    /// statements (for example, deny everything except a few actions outside approved regions).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6
    /// - AWS IAM User Guide, "IAM JSON policy elements: NotAction"
    pub(crate) struct AllowNotAction;
    id: "AWS-IAM-006",
    name: "iam-policy-allow-not-action",
    title: "IAM policy allows every action except a list (Allow with NotAction)",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Replace `Allow` + `NotAction` with an `Action` list of the permissions needed.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for AllowNotAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for policy in model.all::<Policy>() {
            judge_document(checks, &policy.meta, &policy.document, |s| {
                match (s.action.negated, s.effect) {
                    (false, _) | (true, Some(Effect::Deny)) => Judged::Ok,
                    (true, None) => Judged::Unknown(undecided(s)),
                    (true, Some(Effect::Allow)) => {
                        let except: Vec<String> =
                            s.action.known().map(|a| format!("`{a}`")).collect();
                        Judged::Bad(format!("allows every action except {}", except.join(", ")))
                    }
                }
            });
        }
    }
}
