use deadbolt_model::aws::iam::{Effect, Policy};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{Judged, judge_document, undecided};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An `Allow` statement in an IAM policy (managed or inline) whose `Action` includes a
    /// service-wide wildcard such as `s3:*`, `iam:*` or `ec2:*`, whatever the resource.
    /// Statements that grant everything (`*`) are reported by AWS-IAM-001 instead.
    ///
    /// ## Why it matters
    /// `service:*` grants today's actions and every action the service adds later, including the
    /// destructive and administrative ones (`s3:DeleteBucket`, `s3:PutBucketPolicy`,
    /// `iam:CreateAccessKey`). `iam:*` alone is a path to full administrator. Even on a single
    /// bucket, `s3:*` lets the holder rewrite the bucket policy and make it public. Choosing the
    /// actions a workload needs is the customer's job.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_role_policy" "app" {
    ///   role = aws_iam_role.app.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["s3:*"]
    ///       Resource = "arn:aws:s3:::app-data/*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_role_policy" "app" {
    ///   role = aws_iam_role.app.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["s3:GetObject", "s3:PutObject"]
    ///       Resource = "arn:aws:s3:::app-data/*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// List the actions the workload calls (read-only prefixes such as `s3:Get*` are a middle
    /// ground); IAM Access Analyzer policy generation lists them from CloudTrail.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6
    /// - AWS IAM User Guide, "Security best practices in IAM" (apply least-privilege permissions)
    pub(crate) struct ServiceWildcard;
    id: "AWS-IAM-002",
    name: "iam-policy-service-wildcard",
    title: "IAM policy allows every action of a service (service:*)",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Replace `service:*` with the specific actions the workload needs.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV2_AWS_40"], trivy: &["AVD-AWS-0057", "AVD-AWS-0345"] },
}

impl Rule for ServiceWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for policy in model.all::<Policy>() {
            judge_document(checks, &policy.meta, &policy.document, |s| {
                if s.effect == Some(Effect::Deny) {
                    return Judged::Ok;
                }
                let wildcards = s.service_wildcards();
                if !wildcards.is_empty() {
                    if s.effect.is_none() {
                        return Judged::Unknown(undecided(s));
                    }
                    let list: Vec<String> = wildcards.iter().map(|w| format!("`{w}`")).collect();
                    return Judged::Bad(format!("allows {}", list.join(", ")));
                }
                match s.action.first_unknown() {
                    Some(reason) if !s.action.negated => Judged::Unknown(reason.clone()),
                    _ => Judged::Ok,
                }
            });
        }
    }
}
