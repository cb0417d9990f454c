//! IAM: roles, users and groups (with their inline `Policies` and `ManagedPolicyArns`), managed
//! policies, standalone inline policies (`AWS::IAM::Policy`, `RolePolicy`, `UserPolicy`,
//! `GroupPolicy`).
//!
//! As in the Terraform source, policies and attachments stay resources of their own, so a rule
//! judges each where it is written, whether or not the principal it names is in the template.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::iam::{
    Attachment, Policy, PolicyAttachment, PolicyDocument, PolicyScope, Principal, PrincipalKind,
};
use deadbolt_model::{Attr, Model, ResourceMeta, Unknown, Value};

use super::Res;
use crate::props::Props;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    match r.kind {
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
            let (kind, name_property) = match r.kind {
                "AWS::IAM::Role" => (PrincipalKind::Role, "RoleName"),
                "AWS::IAM::User" => (PrincipalKind::User, "UserName"),
                _ => (PrincipalKind::Group, "GroupName"),
            };
            let name = principal_name(p, name_property);
            for (i, policy) in p.list("Policies").into_iter().enumerate() {
                let mut meta = r.meta.clone();
                meta.address = format!("{}.Policies[{i}]", meta.address);
                meta.span = policy.span();
                model.push(Policy {
                    meta,
                    scope: PolicyScope::Inline(kind),
                    principal: Some(name.clone()),
                    document: document(&policy, "PolicyDocument"),
                });
            }
            let managed = strings(p, "ManagedPolicyArns");
            let attachments = if kind == PrincipalKind::Role {
                managed
            } else {
                // Users' and groups' managed policies are attachments, which the rules on direct
                // user permissions judge.
                if !managed.is_empty() {
                    model.push(Attachment {
                        meta: ResourceMeta {
                            address: format!("{}.ManagedPolicyArns", r.meta.address),
                            span: p.span_for("ManagedPolicyArns"),
                            ..r.meta.clone()
                        },
                        targets: managed
                            .into_iter()
                            .map(|policy| PolicyAttachment {
                                principal_kind: kind,
                                principal: Attr::set(r.meta.address.clone(), r.meta.span.clone()),
                                policy,
                            })
                            .collect(),
                    });
                }
                Vec::new()
            };
            model.push(Principal {
                meta: r.meta.clone(),
                kind,
                name,
                trust_policy: (kind == PrincipalKind::Role)
                    .then(|| document(p, "AssumeRolePolicyDocument")),
                attachments,
            });
        }
        "AWS::IAM::ManagedPolicy" => {
            model.push(Policy {
                meta: r.meta.clone(),
                scope: PolicyScope::Managed,
                principal: None,
                document: document(p, "PolicyDocument"),
            });
            let targets = targets(p, Attr::set(r.meta.address.clone(), r.meta.span.clone()));
            if !targets.is_empty() {
                model.push(Attachment {
                    meta: ResourceMeta {
                        address: format!("{}.attachments", r.meta.address),
                        ..r.meta.clone()
                    },
                    targets,
                });
            }
        }
        "AWS::IAM::Policy" => {
            // An inline policy embedded in every role, user and group it lists. It is judged once;
            // the first principal stands for where it lives.
            let all = targets(p, Attr::default(String::new(), r.meta.span.clone()));
            let (kind, principal) = match all.first() {
                Some(t) => (t.principal_kind, Some(t.principal.clone())),
                None => (PrincipalKind::Role, None),
            };
            model.push(Policy {
                meta: r.meta.clone(),
                scope: PolicyScope::Inline(kind),
                principal,
                document: document(p, "PolicyDocument"),
            });
        }
        "AWS::IAM::RolePolicy" | "AWS::IAM::UserPolicy" | "AWS::IAM::GroupPolicy" => {
            let (kind, link) = match r.kind {
                "AWS::IAM::RolePolicy" => (PrincipalKind::Role, "RoleName"),
                "AWS::IAM::UserPolicy" => (PrincipalKind::User, "UserName"),
                _ => (PrincipalKind::Group, "GroupName"),
            };
            model.push(Policy {
                meta: r.meta.clone(),
                scope: PolicyScope::Inline(kind),
                principal: Some(reference(p, link)),
                document: document(p, "PolicyDocument"),
            });
        }
        _ => return false,
    }
    true
}

/// A policy document property. CloudFormation requires these, so an absent one is an empty
/// document rather than "no policy".
fn document(p: &Props<'_>, name: &str) -> Attr<PolicyDocument> {
    p.policy(name).map(Option::unwrap_or_default)
}

/// The principal's name; without one CloudFormation generates it from the stack name.
fn principal_name(p: &Props<'_>, property: &str) -> Attr<String> {
    let name = p.opt_string(property);
    match name.known() {
        Some(Some(n)) => Attr::set(n.clone(), name.span.clone()),
        Some(None) => Attr::unknown(
            Unknown::new("the name is generated by CloudFormation when the stack is created"),
            name.span.clone(),
        ),
        None => name.map(Option::unwrap_or_default),
    }
}

/// A property naming another resource (a role, a policy ARN). When its value is known only once
/// the stack exists but it refers to a resource of the template, that resource's logical ID stands
/// in for it.
fn reference(p: &Props<'_>, name: &str) -> Attr<String> {
    p.reference(name).map(Option::unwrap_or_default)
}

/// A list of names or ARNs, one [`Attr`] per element, each at the property's span. An unknown
/// element that refers to a resource of the template is that resource's logical ID; any other
/// unknown element stays unknown, so a rule sees that something may be attached.
fn strings(p: &Props<'_>, name: &str) -> Vec<Attr<String>> {
    let Some((_, node)) = p.entry(name) else {
        return Vec::new();
    };
    let span = p.span_for(name);
    let one = |item: &deadbolt_yaml::Node| {
        let value = p.template.eval(item);
        match Value::scalar_string(&value) {
            Some(s) => Attr::set(s, span.clone()),
            None => match p.template.references(item).into_iter().next() {
                Some(id) => Attr::set(id, span.clone()),
                None => Attr::unknown(
                    value.first_unknown().cloned().unwrap_or_else(|| {
                        Unknown::new(format!("an element of `{name}` is not a string"))
                    }),
                    span.clone(),
                ),
            },
        }
    };
    match node.as_sequence() {
        Some(items) => items
            .iter()
            .filter(|i| !matches!(p.template.eval_opt(i), None | Some(Value::Null)))
            .map(one)
            .collect(),
        None => match p.template.eval(node) {
            Value::Null => Vec::new(),
            Value::List(items) => items
                .iter()
                .map(|v| match Value::scalar_string(v) {
                    Some(s) => Attr::set(s, span.clone()),
                    None => Attr::unknown(
                        v.first_unknown()
                            .cloned()
                            .unwrap_or_else(|| Unknown::new(format!("`{name}` is not a list"))),
                        span.clone(),
                    ),
                })
                .collect(),
            _ => vec![one(node)],
        },
    }
}

/// The `Roles`, `Users` and `Groups` a policy resource attaches to.
fn targets(p: &Props<'_>, policy: Attr<String>) -> Vec<PolicyAttachment> {
    let mut out = Vec::new();
    for (kind, list) in [
        (PrincipalKind::User, "Users"),
        (PrincipalKind::Role, "Roles"),
        (PrincipalKind::Group, "Groups"),
    ] {
        out.extend(
            strings(p, list)
                .into_iter()
                .map(|principal| PolicyAttachment {
                    principal_kind: kind,
                    principal,
                    policy: policy.clone(),
                }),
        );
    }
    out
}
