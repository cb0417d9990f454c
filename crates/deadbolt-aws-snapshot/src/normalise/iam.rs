//! IAM: users, groups, roles, their inline policies, customer managed policies, and the account
//! password policy.
//!
//! Reads every page of `iam:GetAccountAuthorizationDetails` (collected with the filter User, Role,
//! Group, LocalManagedPolicy): each user, group and role is a [`Principal`] whose `attachments`
//! are the ARNs of its attached managed policies (AWS managed ones included, by ARN) and whose
//! `trust_policy` is a role's `AssumeRolePolicyDocument`; each inline policy and each customer
//! managed policy (its default version) is a [`Policy`]. Policy documents in this response are
//! URL-encoded (RFC 3986) and are decoded before parsing. `iam:GetAccountPasswordPolicy` gives the
//! [`PasswordPolicy`]; `NoSuchEntity` means the account has none, so AWS's built-in rules apply.

use deadbolt_model::aws::iam::{
    PasswordPolicy, Policy, PolicyDocument, PolicyScope, Principal, PrincipalKind,
};
use deadbolt_model::{Attr, Span, Unknown};
use serde_json::Value;

use super::resource::{meta, required};
use super::{Context, Lookup, live_span, lookup, span_of};
use crate::format::Call;
use crate::json::{integer, list, text};

/// Reads the authorization details, then the password policy.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("iam", "GetAccountAuthorizationDetails") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        let result = response
            .get("GetAccountAuthorizationDetailsResult")
            .unwrap_or(response);
        for (list_name, kind) in [
            ("UserDetailList", PrincipalKind::User),
            ("GroupDetailList", PrincipalKind::Group),
            ("RoleDetailList", PrincipalKind::Role),
        ] {
            for entry in list(result.get(list_name)) {
                principal(cx, call, entry, kind);
            }
        }
        for entry in list(result.get("Policies")) {
            managed_policy(cx, call, entry);
        }
    }
    password_policy(cx);
}

/// The names of a principal kind: its list members and its AWS type.
fn names(kind: PrincipalKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        PrincipalKind::User => (
            "UserName",
            "UserPolicyList",
            "AWS::IAM::User",
            "AWS::IAM::UserPolicy",
        ),
        PrincipalKind::Group => (
            "GroupName",
            "GroupPolicyList",
            "AWS::IAM::Group",
            "AWS::IAM::GroupPolicy",
        ),
        PrincipalKind::Role => (
            "RoleName",
            "RolePolicyList",
            "AWS::IAM::Role",
            "AWS::IAM::RolePolicy",
        ),
    }
}

fn principal(cx: &mut Context<'_>, call: &Call, entry: &Value, kind: PrincipalKind) {
    let (name_key, inline_key, type_name, inline_type) = names(kind);
    let (Some(name), Some(arn)) = (
        required(cx, call, entry, name_key),
        required(cx, call, entry, "Arn"),
    ) else {
        return;
    };
    let span = span_of(call);
    let trust_policy = match kind {
        PrincipalKind::Role => Some(document(
            cx,
            call,
            entry.get("AssumeRolePolicyDocument"),
            &format!("the trust policy of role {name}"),
        )),
        _ => None,
    };
    let attachments = list(entry.get("AttachedManagedPolicies"))
        .into_iter()
        .filter_map(|p| text(p.get("PolicyArn")))
        .map(|policy| Attr::set(policy, span.clone()))
        .collect();
    for inline in list(entry.get(inline_key)) {
        let Some(policy_name) = required(cx, call, inline, "PolicyName") else {
            continue;
        };
        let document = document(
            cx,
            call,
            inline.get("PolicyDocument"),
            &format!("inline policy {policy_name} of {name}"),
        );
        cx.model.push(Policy {
            meta: meta(
                format!("{arn}/policy/{policy_name}"),
                inline_type,
                span.clone(),
                Vec::new(),
            ),
            scope: PolicyScope::Inline(kind),
            principal: Some(Attr::set(name.clone(), span.clone())),
            document,
        });
    }
    cx.model.push(Principal {
        meta: meta(arn, type_name, span.clone(), Vec::new()),
        kind,
        name: Attr::set(name, span),
        trust_policy,
        attachments,
    });
}

fn managed_policy(cx: &mut Context<'_>, call: &Call, entry: &Value) {
    let Some(arn) = required(cx, call, entry, "Arn") else {
        return;
    };
    let default_version = text(entry.get("DefaultVersionId"));
    let versions = list(entry.get("PolicyVersionList"));
    let version = versions.iter().find(|v| {
        crate::json::boolean(v.get("IsDefaultVersion")) == Some(true)
            || (default_version.is_some() && text(v.get("VersionId")) == default_version)
    });
    let document = match version {
        Some(version) => document(
            cx,
            call,
            version.get("Document"),
            &format!("the default version of {arn}"),
        ),
        None => {
            cx.malformed(call, &format!("policy {arn} has no default version"));
            Attr::unknown(
                Unknown::new(format!(
                    "iam:GetAccountAuthorizationDetails gave {arn} no default version"
                )),
                span_of(call),
            )
        }
    };
    cx.model.push(Policy {
        meta: meta(arn, "AWS::IAM::ManagedPolicy", span_of(call), Vec::new()),
        scope: PolicyScope::Managed,
        principal: None,
        document,
    });
}

/// A policy document of the authorization details: URL-encoded JSON text (or, leniently, JSON
/// already decoded). Unreadable is a diagnostic and an unknown document.
fn document(
    cx: &mut Context<'_>,
    call: &Call,
    value: Option<&Value>,
    what: &str,
) -> Attr<PolicyDocument> {
    let span = span_of(call);
    let text = match value {
        Some(Value::String(encoded)) => percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|e| format!("is not UTF-8 once decoded: {e}")),
        Some(object @ Value::Object(_)) => Ok(object.to_string()),
        _ => Err("is missing".to_string()),
    };
    match text.and_then(|t| PolicyDocument::from_json_str(&t).map_err(|e| e.to_string())) {
        Ok(document) => Attr::set(document, span),
        Err(error) => {
            cx.malformed(call, &format!("{what}: {error}"));
            Attr::unknown(
                Unknown::new(format!(
                    "{what} from iam:GetAccountAuthorizationDetails does not parse: {error}"
                )),
                span,
            )
        }
    }
}

fn password_policy(cx: &mut Context<'_>) {
    let home = cx.snapshot.regions.first().cloned().unwrap_or_default();
    let fallback = live_span(format!("aws://{home}/iam"));
    let found = lookup(
        cx.calls,
        "iam",
        "GetAccountPasswordPolicy",
        &[],
        &["NoSuchEntity"],
        &fallback,
    );
    let number =
        |policy: &Value, name: &str, default: i64, span: &Span| match integer(policy.get(name)) {
            Some(n) => Attr::set(n, span.clone()),
            None => Attr::default(default, span.clone()),
        };
    let (minimum_length, reuse_prevention, max_age_days, span) = match &found {
        Lookup::Found(call, response) => {
            let span = span_of(call);
            let policy = response
                .get("GetAccountPasswordPolicyResult")
                .unwrap_or(response)
                .get("PasswordPolicy");
            let Some(policy) = policy else {
                cx.malformed(call, "no PasswordPolicy");
                let unknown = || {
                    Attr::unknown(
                        Unknown::new("iam:GetAccountPasswordPolicy gave no PasswordPolicy"),
                        span.clone(),
                    )
                };
                push_password_policy(cx, unknown(), unknown(), unknown(), span.clone());
                return;
            };
            (
                // A custom policy without a minimum gets the API's 6.
                number(policy, "MinimumPasswordLength", 6, &span),
                number(policy, "PasswordReusePrevention", 0, &span),
                number(policy, "MaxPasswordAge", 0, &span),
                span,
            )
        }
        Lookup::None(call) => {
            // No custom policy: AWS's default policy requires 8 characters and nothing else.
            let span = span_of(call);
            (
                Attr::default(8, span.clone()),
                Attr::default(0, span.clone()),
                Attr::default(0, span.clone()),
                span,
            )
        }
        Lookup::Unknown(reason, span) => (
            Attr::unknown(reason.clone(), span.clone()),
            Attr::unknown(reason.clone(), span.clone()),
            Attr::unknown(reason.clone(), span.clone()),
            span.clone(),
        ),
    };
    push_password_policy(cx, minimum_length, reuse_prevention, max_age_days, span);
}

fn push_password_policy(
    cx: &mut Context<'_>,
    minimum_length: Attr<i64>,
    reuse_prevention: Attr<i64>,
    max_age_days: Attr<i64>,
    span: Span,
) {
    let address = format!(
        "arn:{}:iam::{}:account-password-policy",
        cx.partition(),
        cx.account()
    );
    cx.model.push(PasswordPolicy {
        meta: meta(address, "AWS::IAM::AccountPasswordPolicy", span, Vec::new()),
        minimum_length,
        reuse_prevention,
        max_age_days,
    });
}
