use deadbolt_model::aws::iam::Principal;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{judge_anyone, judge_document};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An IAM role whose trust policy (`assume_role_policy`) has an `Allow` statement for any
    /// principal: `"Principal": "*"`, `"Principal": {"AWS": "*"}`, or a `NotPrincipal`, with no
    /// condition that narrows the caller to known accounts, an organization, principal ARNs, source
    /// VPCs or IP ranges (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:SourceVpce`...). An `sts:ExternalId` condition does not count: it is a shared string,
    /// not a statement of who the caller is.
    ///
    /// ## Why it matters
    /// Anyone with an AWS account, anywhere, can call `sts:AssumeRole` on the role and receive its
    /// permissions. Role ARNs are easy to guess or find in code and logs. Who may assume a role is
    /// the customer's decision; AWS enforces exactly the trust policy it is given.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_role" "partner" {
    ///   name = "partner-access"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRole"
    ///       Principal = { AWS = "*" }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_role" "partner" {
    ///   name = "partner-access"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRole"
    ///       Principal = { AWS = "arn:aws:iam::111122223333:root" }
    ///       Condition = { StringEquals = { "sts:ExternalId" = "partner-7f3a" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the trusted accounts, roles or service principals in `Principal`. If the principal has
    /// to stay broad, add a condition on `aws:PrincipalOrgID` or `aws:PrincipalAccount`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-3, AC-6
    /// - AWS IAM User Guide, "AWS JSON policy elements: Principal" and "Creating a role to delegate
    ///   permissions to an IAM user"
    pub(crate) struct TrustAnyPrincipal;
    id: "AWS-IAM-005",
    name: "iam-role-trust-any-principal",
    title: "IAM role can be assumed by any AWS principal",
    severity: Severity::Critical,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Name the trusted accounts or roles in the trust policy's `Principal`, or add an `aws:PrincipalOrgID`/`aws:PrincipalAccount` condition.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-3", "AC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_60"], trivy: &[] },
}

impl Rule for TrustAnyPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for role in model.all::<Principal>() {
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            judge_document(checks, &role.meta, trust, judge_anyone);
        }
    }
}
