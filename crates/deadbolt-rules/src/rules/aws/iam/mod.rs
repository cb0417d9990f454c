//! AWS IAM rules.

use deadbolt_model::aws::iam::{PolicyDocument, Statement, Text};
use deadbolt_model::{Attr, ResourceMeta, Unknown};

use crate::checks::Checks;
use crate::rule::Rule;

mod access_key_rotation;
mod admin;
mod console_mfa;
mod credentials;
mod github_oidc_trust;
mod not_action;
mod pass_role;
mod password_length;
mod password_reuse;
mod root_access_keys;
mod root_hardware_mfa;
mod root_mfa;
mod service_wildcard;
mod trust_any;
mod unused_credentials;
mod user_policy;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &admin::FullAdmin,
    &service_wildcard::ServiceWildcard,
    &pass_role::PassRoleAnyResource,
    &user_policy::UserDirectPolicy,
    &trust_any::TrustAnyPrincipal,
    &not_action::AllowNotAction,
    &password_length::PasswordMinLength,
    &password_reuse::PasswordReuse,
    &github_oidc_trust::GithubOidcTrustUnpinned,
    &root_mfa::RootMfa,
    &root_hardware_mfa::RootHardwareMfa,
    &root_access_keys::RootAccessKeys,
    &console_mfa::ConsoleUserWithoutMfa,
    &access_key_rotation::AccessKeyNotRotated,
    &unused_credentials::UnusedCredentials,
];

/// What a rule concludes about one statement.
pub(crate) enum Judged {
    /// The statement is fine.
    Ok,
    /// The statement is at fault; the text says why.
    Bad(String),
    /// An unknown part of the statement decides it.
    Unknown(Unknown),
}

/// Judges every statement of a policy document on behalf of `resource`. Failures point at the
/// document (statements carry no span of their own) and name the statement. The pass recorded at
/// the end counts only when nothing failed or was unknown: the engine lets failures win over
/// unknowns and unknowns over passes.
pub(crate) fn judge_document<'m>(
    checks: &mut Checks<'m>,
    resource: &'m ResourceMeta,
    document: &Attr<PolicyDocument>,
    mut judge: impl FnMut(&Statement) -> Judged,
) {
    let Some(doc) = document.known() else {
        if let Some(reason) = document.unknown_reason() {
            checks.not_evaluated(resource, reason);
        }
        return;
    };
    if let Some(reason) = &doc.unknown_statements {
        checks.not_evaluated(resource, reason);
    }
    for (index, statement) in doc.statements.iter().enumerate() {
        match judge(statement) {
            Judged::Ok => {}
            Judged::Bad(why) => checks.fail(
                resource,
                &document.span,
                format!("{} {why}", label(index, statement)),
            ),
            Judged::Unknown(reason) => checks.not_evaluated(resource, &reason),
        }
    }
    checks.pass(resource);
}

/// `statement \`Sid\`` when the statement has a Sid, else `statement N` (1-based).
fn label(index: usize, statement: &Statement) -> String {
    match statement.sid.as_deref() {
        Some(sid) if !sid.is_empty() => format!("statement `{sid}`"),
        _ => format!("statement {}", index + 1),
    }
}

/// Why a statement's effect, action or resource is undecided, for a not-evaluated outcome.
pub(crate) fn undecided(statement: &Statement) -> Unknown {
    statement
        .action
        .first_unknown()
        .or_else(|| statement.resource.first_unknown())
        .or(statement.conditions_unknown.as_ref())
        .cloned()
        .unwrap_or_else(|| Unknown::new("the statement's Effect is unknown"))
}

/// Judges a resource or trust policy statement: bad when it allows anyone
/// ([`Statement::allows_anyone`]).
pub(crate) fn judge_anyone(s: &Statement) -> Judged {
    match s.allows_anyone() {
        Some(true) => Judged::Bad(format!(
            "{} with no condition narrowing who the caller is",
            describe_principal(s)
        )),
        Some(false) => Judged::Ok,
        None => {
            let principal =
                s.principal
                    .iter()
                    .flat_map(|p| &p.entries)
                    .find_map(|(_, v)| match v {
                        Text::Unknown(u) => Some(u.clone()),
                        Text::Known(_) => None,
                    });
            Judged::Unknown(principal.unwrap_or_else(|| undecided(s)))
        }
    }
}

/// The statement's principal as written, for messages: `"*"`, `{"AWS": "*"}` or `NotPrincipal`.
fn describe_principal(statement: &Statement) -> String {
    if statement.not_principal.is_some()
        && !statement.principal.as_ref().is_some_and(|p| p.is_anyone())
    {
        return "uses `NotPrincipal`, which lets in everyone not listed".to_string();
    }
    let entries = statement.principal.iter().flat_map(|p| &p.entries);
    for (kind, value) in entries {
        if let Text::Known(v) = value
            && v == "*"
        {
            return if kind == "*" {
                "allows principal `*`".to_string()
            } else {
                format!("allows principal `{{\"{kind}\": \"*\"}}`")
            };
        }
    }
    "allows any principal".to_string()
}
