//! IAM: managed and inline policies, users, groups, roles (with their trust policy, inline policy
//! blocks and `managed_policy_arns`), policy attachments and the account password policy.
//!
//! Attachments stay resources of their own ([`Attachment`]) rather than being joined into the
//! principal: a rule then judges each attachment once, where it is written, whether or not the
//! principal it names is in the scan.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::iam::{
    Attachment, PasswordPolicy, Policy, PolicyAttachment, PolicyDocument, PolicyScope, Principal,
    PrincipalKind,
};
use deadbolt_model::{Attr, Unknown, Value};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{MapContext, meta};

/// Maps every IAM resource type deadbolt models; none of them is joined into another.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    match res.resource_type.as_str() {
        "aws_iam_policy" => cx.model.push(Policy {
            meta: meta(res),
            scope: PolicyScope::Managed,
            principal: None,
            document: document(body, "policy"),
        }),
        "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
            let (kind, link) = match res.resource_type.as_str() {
                "aws_iam_role_policy" => (PrincipalKind::Role, "role"),
                "aws_iam_user_policy" => (PrincipalKind::User, "user"),
                _ => (PrincipalKind::Group, "group"),
            };
            cx.model.push(Policy {
                meta: meta(res),
                scope: PolicyScope::Inline(kind),
                principal: Some(reference(body, link)),
                document: document(body, "policy"),
            });
        }
        "aws_iam_role" => {
            let name = principal_name(body);
            // Each `inline_policy` block is an inline policy of this role. An empty block (no
            // `policy`) is how the provider is told to remove all inline policies: nothing to judge.
            for (i, block) in body
                .blocks("inline_policy")
                .filter(|b| b.attr("policy").is_some())
                .enumerate()
            {
                let mut m = meta(res);
                m.address = format!("{}.inline_policy[{i}]", m.address);
                m.span = block.span.clone();
                cx.model.push(Policy {
                    meta: m,
                    scope: PolicyScope::Inline(PrincipalKind::Role),
                    principal: Some(name.clone()),
                    document: document(block, "policy"),
                });
            }
            cx.model.push(Principal {
                meta: meta(res),
                kind: PrincipalKind::Role,
                name,
                trust_policy: Some(document(body, "assume_role_policy")),
                attachments: managed_policy_arns(body),
            });
        }
        "aws_iam_user" | "aws_iam_group" => {
            let kind = if res.resource_type == "aws_iam_user" {
                PrincipalKind::User
            } else {
                PrincipalKind::Group
            };
            cx.model.push(Principal {
                meta: meta(res),
                kind,
                name: principal_name(body),
                trust_policy: None,
                attachments: Vec::new(),
            });
        }
        "aws_iam_user_policy_attachment" => attach_one(res, cx, PrincipalKind::User, "user"),
        "aws_iam_role_policy_attachment" => attach_one(res, cx, PrincipalKind::Role, "role"),
        "aws_iam_group_policy_attachment" => attach_one(res, cx, PrincipalKind::Group, "group"),
        "aws_iam_policy_attachment" => {
            let policy = reference(body, "policy_arn");
            let mut targets = Vec::new();
            for (kind, list) in [
                (PrincipalKind::User, "users"),
                (PrincipalKind::Role, "roles"),
                (PrincipalKind::Group, "groups"),
            ] {
                targets.extend(references(body, list).into_iter().map(|principal| {
                    PolicyAttachment {
                        principal_kind: kind,
                        principal,
                        policy: policy.clone(),
                    }
                }));
            }
            cx.model.push(Attachment {
                meta: meta(res),
                targets,
            });
        }
        "aws_iam_account_password_policy" => cx.model.push(PasswordPolicy {
            meta: meta(res),
            minimum_length: body.int("minimum_password_length", 6),
            reuse_prevention: body.int("password_reuse_prevention", 0),
            max_age_days: body.int("max_password_age", 0),
        }),
        _ => return false,
    }
    true
}

/// IAM has no split resources: attachments are modelled on their own.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve: IAM joins nothing.
pub(super) fn finish(_cx: &mut MapContext) {}

fn attach_one(res: &EvaluatedResource, cx: &mut MapContext, kind: PrincipalKind, link: &str) {
    let target = PolicyAttachment {
        principal_kind: kind,
        principal: reference(&res.body, link),
        policy: reference(&res.body, "policy_arn"),
    };
    cx.model.push(Attachment {
        meta: meta(res),
        targets: vec![target],
    });
}

/// A policy document attribute. The provider requires these attributes, so an absent or empty one
/// is an empty document rather than "no policy".
fn document(body: &EvalBody, name: &str) -> Attr<PolicyDocument> {
    super::policy::policy_attr(body, name).map(Option::unwrap_or_default)
}

/// The principal's `name`. Without one the provider generates it (from `name_prefix` or at random).
fn principal_name(body: &EvalBody) -> Attr<String> {
    if let Some(attr) = body.attr("name")
        && let Some(reason) = attr.value.unknown()
    {
        return Attr::unknown(reason.clone(), attr.span.clone());
    }
    let name = body.opt_string("name");
    match name.known() {
        Some(Some(n)) => Attr::set(n.clone(), name.span.clone()),
        Some(None) => Attr::unknown(
            Unknown::new("the name is generated by the provider at apply time"),
            name.span.clone(),
        ),
        None => name.map(Option::unwrap_or_default),
    }
}

/// A string attribute naming another resource (a user, a policy ARN). When the value is only known
/// after apply (`aws_iam_policy.p.arn`) but the expression refers to exactly one resource in the
/// scan, that resource's address stands in for it.
fn reference(body: &EvalBody, name: &str) -> Attr<String> {
    let value = body.string(name, "");
    if value.known().is_some() {
        return value;
    }
    match body.attr(name).map(|a| a.refs.as_slice()) {
        Some([address]) => Attr::set(address.to_string(), value.span),
        _ => value,
    }
}

/// A list of principal names or policy ARNs, one attribute per element. An unknown element (or an
/// unknown list) gives an unknown entry, so a rule sees that something may be attached.
fn references(body: &EvalBody, name: &str) -> Vec<Attr<String>> {
    let Some(attr) = body.attr(name) else {
        return Vec::new();
    };
    let span = attr.span.clone();
    let unknown = |value: &Value| {
        let reason = value
            .first_unknown()
            .cloned()
            .unwrap_or_else(|| Unknown::new(format!("an element of `{name}` is not a string")));
        Attr::unknown(reason, span.clone())
    };
    match &attr.value {
        Value::Null => Vec::new(),
        Value::List(items) => items
            .iter()
            .map(|item| match Value::scalar_string(item) {
                Some(s) => Attr::set(s, span.clone()),
                None => unknown(item),
            })
            .collect(),
        other => vec![match Value::scalar_string(other) {
            Some(s) => Attr::set(s, span.clone()),
            None => unknown(other),
        }],
    }
}

/// `managed_policy_arns` on a role: each ARN it attaches.
fn managed_policy_arns(body: &EvalBody) -> Vec<Attr<String>> {
    references(body, "managed_policy_arns")
}
