use deadbolt_model::aws::iam::{Effect, Principal, Statement, Text};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{Judged, judge_document};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// GitHub's OIDC issuer, as it appears in the provider ARN and as the prefix of its claim keys.
const GITHUB_ISSUER: &str = "token.actions.githubusercontent.com";

declare_rule! {
    /// ## What it checks
    /// An IAM role that GitHub Actions can assume through OIDC (a `Federated` principal of
    /// `token.actions.githubusercontent.com`, or conditions on its claims) whose trust policy does
    /// not pin the `sub` claim to a repository: no `token.actions.githubusercontent.com:sub`
    /// condition with `StringEquals`/`StringLike`, or a value whose owner or repository part is a
    /// wildcard (`*`, `repo:*`, `repo:*/app:*`). An `aud` condition alone does not count: every
    /// GitHub token has the audience `sts.amazonaws.com`. A federated principal that is only known
    /// after apply is judged by its claim conditions; with none, the statement is not treated as
    /// GitHub's.
    ///
    /// ## Why it matters
    /// Without a `sub` condition, a workflow in any repository on GitHub, including an attacker's,
    /// can exchange its token for the role's credentials. The OIDC provider is AWS's half; which
    /// repositories and branches may use it is the customer's.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   name = "github-deploy"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRoleWithWebIdentity"
    ///       Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
    ///       Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   name = "github-deploy"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRoleWithWebIdentity"
    ///       Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
    ///       Condition = {
    ///         StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
    ///         StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:brightside/site:ref:refs/heads/main" }
    ///       }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add a `StringEquals` (or `StringLike`) condition on `token.actions.githubusercontent.com:sub`
    /// naming the owner and repository, and preferably the branch or environment:
    /// `repo:OWNER/REPO:ref:refs/heads/main` or `repo:OWNER/REPO:environment:prod`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-3, IA-8
    /// - GitHub Docs, "Configuring OpenID Connect in Amazon Web Services"
    /// - AWS IAM User Guide, "Creating a role for web identity or OpenID Connect Federation"
    pub(crate) struct GithubOidcTrustUnpinned;
    id: "AWS-IAM-009",
    name: "iam-role-github-oidc-any-repository",
    title: "IAM role trusts GitHub Actions OIDC without pinning the repository",
    severity: Severity::Critical,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Add a `token.actions.githubusercontent.com:sub` condition naming `repo:OWNER/REPO` (and the branch or environment).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-3", "IA-8"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_393", "CKV_AWS_358"], trivy: &[] },
}

/// Whether a `sub` value pins an owner and a repository: `repo:OWNER/REPO...` with neither part a
/// wildcard.
fn pins_repository(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("repo:") else {
        return false;
    };
    let path = rest.split(':').next().unwrap_or("");
    match path.split_once('/') {
        Some((owner, repo)) => {
            !owner.is_empty()
                && !repo.is_empty()
                && !owner.contains(['*', '?'])
                && !repo.contains(['*', '?'])
        }
        None => false,
    }
}

fn judge(statement: &Statement) -> Judged {
    if statement.effect != Some(Effect::Allow) {
        return Judged::Ok;
    }
    let federated: Vec<&Text> = statement
        .principal
        .iter()
        .flat_map(|p| &p.entries)
        .filter(|(kind, _)| kind.eq_ignore_ascii_case("Federated"))
        .map(|(_, v)| v)
        .collect();
    let names_github = federated
        .iter()
        .any(|v| v.known().is_some_and(|f| f.contains(GITHUB_ISSUER)));
    let github_claims = statement
        .conditions
        .iter()
        .any(|c| c.key.starts_with(GITHUB_ISSUER));
    if !names_github && !github_claims {
        return Judged::Ok;
    }
    let subs: Vec<_> = statement
        .conditions
        .iter()
        .filter(|c| c.key.eq_ignore_ascii_case(&format!("{GITHUB_ISSUER}:sub")))
        .filter(|c| {
            let op = c.operator.to_ascii_lowercase();
            // Negated and IfExists operators let a token without the claim, or with any other
            // value, through.
            (op.starts_with("stringequals")
                || op.starts_with("stringlike")
                || op.starts_with("forallvalues:string"))
                && !op.ends_with("ifexists")
        })
        .collect();
    if subs.is_empty() {
        if let Some(reason) = &statement.conditions_unknown {
            return Judged::Unknown(reason.clone());
        }
        return Judged::Bad(
            "lets a GitHub Actions workflow in any repository assume the role (no `sub` condition)"
                .into(),
        );
    }
    for condition in subs {
        for value in &condition.values {
            match value {
                Text::Unknown(reason) => return Judged::Unknown(reason.clone()),
                Text::Known(v) if !pins_repository(v) => {
                    return Judged::Bad(format!(
                        "pins the GitHub `sub` claim only to `{v}`, which matches repositories of any owner or name"
                    ));
                }
                Text::Known(_) => {}
            }
        }
    }
    Judged::Ok
}

impl Rule for GithubOidcTrustUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for role in model.all::<Principal>() {
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            judge_document(checks, &role.meta, trust, judge);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pins_repository;

    #[test]
    fn a_sub_value_must_name_owner_and_repository() {
        assert!(pins_repository("repo:brightside/site:ref:refs/heads/main"));
        assert!(pins_repository("repo:brightside/site:*"));
        assert!(!pins_repository("repo:brightside/*"));
        assert!(!pins_repository("repo:*"));
        assert!(!pins_repository("*"));
        assert!(!pins_repository("repo:*/site:*"));
    }
}
