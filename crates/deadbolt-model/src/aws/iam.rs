//! AWS Identity and Access Management: policy documents, policies, principals, password policy.
//!
//! Policy grammar: AWS IAM User Guide, "IAM JSON policy elements reference". Action and resource
//! patterns are case-insensitive for actions and use `*` (any run) and `?` (one character).

use serde::Serialize;

use crate::attr::{Attr, Unknown};
use crate::resource::ResourceMeta;
use crate::value::Value;

/// A string inside a policy document that may be unknown before deployment (e.g. a bucket ARN).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// The literal text.
    Known(String),
    /// Not known before deployment.
    Unknown(Unknown),
}

impl Text {
    /// The text, if known.
    pub fn known(&self) -> Option<&str> {
        match self {
            Text::Known(s) => Some(s),
            Text::Unknown(_) => None,
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Denies; an explicit deny always wins.
    Deny,
}

/// An `Action`/`NotAction` or `Resource`/`NotResource` element.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Patterns {
    /// `true` for `NotAction`/`NotResource`: the statement applies to everything *except* the items.
    pub negated: bool,
    /// The patterns as written.
    pub items: Vec<Text>,
}

impl Patterns {
    /// Whether the element covers `name`: `Some(true)`/`Some(false)` when decidable, `None` when an
    /// unknown item could change the answer.
    pub fn covers(&self, name: &str) -> Option<bool> {
        let mut unknown = false;
        let mut hit = false;
        for item in &self.items {
            match item {
                Text::Known(p) if wildcard_match(p, name) => hit = true,
                Text::Known(_) => {}
                Text::Unknown(_) => unknown = true,
            }
        }
        match (hit, unknown, self.negated) {
            (true, _, negated) => Some(!negated),
            (false, true, _) => None,
            (false, false, negated) => Some(negated),
        }
    }

    /// The known items.
    pub fn known(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(Text::known)
    }

    /// The first unknown item's reason, if any.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        self.items.iter().find_map(|t| match t {
            Text::Unknown(u) => Some(u),
            Text::Known(_) => None,
        })
    }
}

/// A `Principal` or `NotPrincipal` element.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Principals {
    /// `(type, value)` pairs: `("AWS", "arn:aws:iam::123456789012:root")`, `("Service",
    /// "lambda.amazonaws.com")`. `Principal: "*"` is recorded as `("*", "*")`.
    pub entries: Vec<(String, Text)>,
}

impl Principals {
    /// `true` when the element names everyone: `"*"` or `{"AWS": "*"}` (anonymous access included).
    pub fn is_anyone(&self) -> bool {
        self.entries.iter().any(|(kind, value)| {
            (kind == "*" || kind.eq_ignore_ascii_case("AWS")) && value.known() == Some("*")
        })
    }
}

/// One condition: operator, context key and values (`StringEquals`, `aws:SourceVpc`, `[vpc-1]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    /// The operator as written, including any `ForAnyValue:` prefix or `IfExists` suffix.
    pub operator: String,
    /// The condition key.
    pub key: String,
    /// The values.
    pub values: Vec<Text>,
}

/// One statement of a policy document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statement {
    /// `Sid`, if written.
    pub sid: Option<String>,
    /// `Effect`; `None` when unknown.
    pub effect: Option<Effect>,
    /// `Action` or `NotAction`.
    pub action: Patterns,
    /// `Resource` or `NotResource`; empty items for resource policies that omit it.
    pub resource: Patterns,
    /// `Principal` (resource and trust policies).
    pub principal: Option<Principals>,
    /// `NotPrincipal`.
    pub not_principal: Option<Principals>,
    /// Every condition, flattened.
    pub conditions: Vec<Condition>,
    /// Set when the `Condition` block, or one operator's keys, is only known after apply: the
    /// known conditions are in `conditions`, but an unknown one may restrict the statement too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions_unknown: Option<Unknown>,
}

impl Statement {
    /// `true` when this statement is an `Allow`.
    pub fn is_allow(&self) -> bool {
        self.effect == Some(Effect::Allow)
    }

    /// Whether this statement's `Principal`/`NotPrincipal` lets in any principal at all: `"*"`,
    /// `{"AWS": "*"}`, or a `NotPrincipal` (everyone except the listed principals).
    pub fn names_anyone(&self) -> bool {
        self.principal.as_ref().is_some_and(Principals::is_anyone) || self.not_principal.is_some()
    }

    /// Whether this statement allows everyone: an `Allow` that [names anyone](Self::names_anyone)
    /// with no [principal restriction](Self::principal_restriction). `None` when the effect or a
    /// principal is unknown and could decide it.
    pub fn allows_anyone(&self) -> Option<bool> {
        if self.effect == Some(Effect::Deny) {
            return Some(false);
        }
        let anyone = self.names_anyone();
        let unknown_principal = self
            .principal
            .iter()
            .flat_map(|p| &p.entries)
            .any(|(_, value)| matches!(value, Text::Unknown(_)));
        if !anyone {
            return if unknown_principal { None } else { Some(false) };
        }
        if self.principal_restriction().is_some() {
            return Some(false);
        }
        if self.conditions_unknown.is_some() {
            return None;
        }
        self.effect.map(|_| true)
    }

    /// The first condition that narrows who the caller can be (its account, organization, ARN,
    /// source VPC, endpoint or IP), so that a wildcard principal no longer means everyone.
    ///
    /// Only positive matching operators count (`StringEquals`, `StringLike`, `ArnLike`,
    /// `IpAddress`...): a negated operator (`StringNotEquals`) lets in everyone it does not name, an
    /// `...IfExists` operator and `ForAllValues:` are satisfied when the key is absent, as it is for
    /// anonymous callers, and a value of `*` (or `0.0.0.0/0`) matches everyone.
    pub fn principal_restriction(&self) -> Option<&Condition> {
        self.conditions.iter().find(|c| {
            let operator = c
                .operator
                .strip_prefix("ForAnyValue:")
                .unwrap_or(&c.operator);
            let positive = RESTRICTING_OPERATORS
                .iter()
                .any(|o| operator.eq_ignore_ascii_case(o));
            let key_narrows = PRINCIPAL_RESTRICTING_KEYS
                .iter()
                .any(|k| c.key.eq_ignore_ascii_case(k));
            let matches_everyone = c
                .values
                .iter()
                .any(|v| matches!(v.known(), Some("*" | "0.0.0.0/0" | "::/0")));
            positive && key_narrows && !matches_everyone && !c.values.is_empty()
        })
    }

    /// Whether this Allow statement grants every action on every resource (`"Action": "*"`,
    /// `"Resource": "*"`) with no condition. `None` when unknown parts decide it.
    pub fn grants_full_admin(&self) -> Option<bool> {
        if !self.conditions.is_empty() {
            return Some(false);
        }
        if self.conditions_unknown.is_some() {
            return None;
        }
        self.grants_everything()
    }

    /// Whether this Allow statement grants every action on every resource, whatever its
    /// conditions: a condition (MFA present, a source IP) limits when the access applies, not what
    /// it is. `None` when unknown parts decide it.
    pub fn grants_everything(&self) -> Option<bool> {
        if self.effect? != Effect::Allow || self.action.negated {
            return Some(false);
        }
        let all_actions = self.action.known().any(|a| a == "*" || a == "*:*");
        if !all_actions {
            return if self.action.first_unknown().is_some() {
                None
            } else {
                Some(false)
            };
        }
        self.resource_is_everything()
    }

    /// Whether `Resource` is `*` (and not negated). `None` when unknown.
    pub fn resource_is_everything(&self) -> Option<bool> {
        if self.resource.negated {
            return Some(false);
        }
        if self.resource.known().any(|r| r == "*") {
            return Some(true);
        }
        if self.resource.first_unknown().is_some() {
            None
        } else {
            Some(false)
        }
    }

    /// The service-wide wildcard actions in `Action`, such as `s3:*` or `iam:*`.
    pub fn service_wildcards(&self) -> Vec<&str> {
        if self.action.negated {
            return Vec::new();
        }
        self.action
            .known()
            .filter(|a| {
                a.split_once(':').is_some_and(|(service, rest)| {
                    rest == "*" && !service.is_empty() && service != "*"
                })
            })
            .collect()
    }
}

/// Condition operators that admit only callers whose key matches (see
/// [`Statement::principal_restriction`]).
const RESTRICTING_OPERATORS: [&str; 6] = [
    "StringEquals",
    "StringEqualsIgnoreCase",
    "StringLike",
    "ArnEquals",
    "ArnLike",
    "IpAddress",
];

/// Global and service condition keys that identify or locate the caller: a positive match on one of
/// them turns a wildcard principal into a bounded set. Source: AWS IAM User Guide, "AWS global
/// condition context keys"; AWS KMS Developer Guide, "kms:CallerAccount".
const PRINCIPAL_RESTRICTING_KEYS: [&str; 16] = [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:userid",
    "aws:username",
    "kms:CallerAccount",
];

/// A parsed IAM policy document.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PolicyDocument {
    /// `Version`, if written.
    pub version: Option<String>,
    /// The statements, in order.
    pub statements: Vec<Statement>,
    /// Why some statements could not be read: the `Statement` list, or an element of it, is only
    /// known after apply. The known statements are still in `statements`, but a verdict that needs
    /// every statement (a pass) cannot be given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_statements: Option<Unknown>,
}

/// Why a policy document could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid IAM policy document: {0}")]
pub struct PolicyError(pub String);

impl PolicyDocument {
    /// Reads a policy from its JSON text.
    ///
    /// # Errors
    /// [`PolicyError`] when the text is not JSON or not shaped like a policy.
    pub fn from_json_str(text: &str) -> Result<Self, PolicyError> {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| PolicyError(format!("not JSON: {e}")))?;
        Self::from_value(&Value::from(json))
    }

    /// Reads a policy from a structured value (decoded JSON, or a `jsonencode` argument).
    ///
    /// Unknown strings become [`Text::Unknown`]; an unknown `Statement` list, or an unknown element
    /// of it, is recorded in [`PolicyDocument::unknown_statements`] rather than raised as an error,
    /// since nothing is known to be wrong.
    ///
    /// # Errors
    /// [`PolicyError`] when the value is not an object or a statement is malformed.
    pub fn from_value(value: &Value) -> Result<Self, PolicyError> {
        let obj = value.as_object().ok_or_else(|| {
            PolicyError(format!("expected an object, found {}", value.type_name()))
        })?;
        let version = obj
            .get("Version")
            .and_then(Value::as_str)
            .map(str::to_string);
        let mut unknown_statements = None;
        let statements = match obj.get("Statement") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Unknown(u)) => {
                unknown_statements = Some(u.clone());
                Vec::new()
            }
            Some(Value::List(items)) => {
                let mut statements = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Unknown(u) => {
                            unknown_statements.get_or_insert_with(|| u.clone());
                        }
                        known => statements.push(parse_statement(known)?),
                    }
                }
                statements
            }
            Some(single @ Value::Object(_)) => vec![parse_statement(single)?],
            Some(other) => {
                return Err(PolicyError(format!(
                    "`Statement` is a {}",
                    other.type_name()
                )));
            }
        };
        Ok(PolicyDocument {
            version,
            statements,
            unknown_statements,
        })
    }

    /// Statements with `Effect: Allow`.
    pub fn allows(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(|s| s.is_allow())
    }
}

fn parse_statement(value: &Value) -> Result<Statement, PolicyError> {
    let obj = value
        .as_object()
        .ok_or_else(|| PolicyError(format!("a statement is a {}", value.type_name())))?;
    let effect = match obj.get("Effect") {
        Some(Value::String(s)) if s == "Allow" => Some(Effect::Allow),
        Some(Value::String(s)) if s == "Deny" => Some(Effect::Deny),
        Some(Value::Unknown(_)) => None,
        Some(other) => {
            return Err(PolicyError(format!(
                "`Effect` must be Allow or Deny, found {other:?}"
            )));
        }
        None => return Err(PolicyError("a statement has no `Effect`".into())),
    };
    let action = patterns(obj.get("Action"), obj.get("NotAction"));
    let resource = patterns(obj.get("Resource"), obj.get("NotResource"));
    let principal = obj.get("Principal").map(principals);
    let not_principal = obj.get("NotPrincipal").map(principals);
    let mut conditions = Vec::new();
    let mut conditions_unknown = None;
    match obj.get("Condition") {
        Some(Value::Object(ops)) => {
            for (operator, keys) in ops {
                match keys {
                    Value::Object(keys) => {
                        for (key, values) in keys {
                            conditions.push(Condition {
                                operator: operator.clone(),
                                key: key.clone(),
                                values: texts(values),
                            });
                        }
                    }
                    Value::Unknown(u) => {
                        conditions_unknown.get_or_insert_with(|| u.clone());
                    }
                    _ => {}
                }
            }
        }
        Some(Value::Unknown(u)) => conditions_unknown = Some(u.clone()),
        _ => {}
    }
    Ok(Statement {
        sid: obj.get("Sid").and_then(Value::as_str).map(str::to_string),
        effect,
        action,
        resource,
        principal,
        not_principal,
        conditions,
        conditions_unknown,
    })
}

fn patterns(positive: Option<&Value>, negative: Option<&Value>) -> Patterns {
    match (positive, negative) {
        (Some(v), _) => Patterns {
            negated: false,
            items: texts(v),
        },
        (None, Some(v)) => Patterns {
            negated: true,
            items: texts(v),
        },
        (None, None) => Patterns::default(),
    }
}

fn texts(value: &Value) -> Vec<Text> {
    match value {
        Value::List(items) => items.iter().flat_map(texts).collect(),
        Value::String(s) => vec![Text::Known(s.clone())],
        Value::Number(n) => vec![Text::Known(n.to_string())],
        Value::Bool(b) => vec![Text::Known(b.to_string())],
        Value::Unknown(u) => vec![Text::Unknown(u.clone())],
        Value::Null | Value::Object(_) => Vec::new(),
    }
}

fn principals(value: &Value) -> Principals {
    let mut entries = Vec::new();
    match value {
        Value::String(s) => entries.push(("*".to_string(), Text::Known(s.clone()))),
        Value::Object(map) => {
            for (kind, v) in map {
                entries.extend(texts(v).into_iter().map(|t| (kind.clone(), t)));
            }
        }
        Value::Unknown(u) => entries.push(("AWS".to_string(), Text::Unknown(u.clone()))),
        _ => {}
    }
    Principals { entries }
}

/// Case-insensitive glob match with `*` (any run, including empty) and `?` (one character), the
/// matching IAM uses for actions. Iterative with one backtrack point: O(len(pattern) * len(text)).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// User, group or role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrincipalKind {
    /// An IAM user (long-term credentials).
    User,
    /// An IAM group.
    Group,
    /// An IAM role (assumed, temporary credentials).
    Role,
}

/// Where a policy document lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "scope", content = "principal")]
pub enum PolicyScope {
    /// A customer managed policy, attached through attachments.
    Managed,
    /// An inline policy embedded in one user, group or role.
    Inline(PrincipalKind),
}

/// An IAM identity policy: a customer managed policy or an inline policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Managed or inline (and on what kind of principal).
    pub scope: PolicyScope,
    /// For an inline policy, the user, group or role it is embedded in: its name, or the address
    /// of the principal when only a reference is known. `None` for managed policies.
    pub principal: Option<Attr<String>>,
    /// The document.
    pub document: Attr<PolicyDocument>,
}

/// The attachment of a managed policy (customer or AWS managed) to one principal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyAttachment {
    /// What kind of principal receives the policy.
    pub principal_kind: PrincipalKind,
    /// The principal's name (or address when only a reference is known).
    pub principal: Attr<String>,
    /// The policy ARN (`arn:aws:iam::aws:policy/AdministratorAccess`) or the address of a policy in
    /// the same scan.
    pub policy: Attr<String>,
}

/// An IAM user, group or role with the managed policies attached to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Principal {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// User, group or role.
    pub kind: PrincipalKind,
    /// The name.
    pub name: Attr<String>,
    /// The role trust policy (`assume_role_policy`); `None` for users and groups.
    pub trust_policy: Option<Attr<PolicyDocument>>,
    /// Managed policies its own declaration attaches (a role's `ManagedPolicyArns`), each with the
    /// span where it is written. Standalone attachment resources are [`Attachment`]s instead, so
    /// that each attachment is judged once.
    pub attachments: Vec<Attr<String>>,
}

/// A standalone policy attachment resource (`aws_iam_user_policy_attachment`,
/// `aws_iam_policy_attachment`, `AWS::IAM::ManagedPolicy` with `Users`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attachment {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// One entry per principal the resource attaches the policy to.
    pub targets: Vec<PolicyAttachment>,
}

/// The account password policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PasswordPolicy {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `MinimumPasswordLength`. Without a custom policy AWS requires 8; a custom policy that does
    /// not set it gets 6 (the API's and the Terraform provider's default).
    pub minimum_length: Attr<i64>,
    /// `PasswordReusePrevention`: how many previous passwords are remembered; 0 when unset.
    pub reuse_prevention: Attr<i64>,
    /// `MaxPasswordAge` in days; 0 when passwords never expire.
    pub max_age_days: Attr<i64>,
}

/// The AWS managed policy that grants `*` on `*`.
pub const ADMINISTRATOR_ACCESS_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_iam() {
        assert!(wildcard_match("*", "s3:GetObject"));
        assert!(wildcard_match("s3:Get*", "s3:getobject"));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject"));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject"));
        assert!(wildcard_match("iam:*", "iam:PassRole"));
        assert!(!wildcard_match("iam:Pass", "iam:PassRole"));
    }

    #[test]
    fn admin_statement_is_recognised_in_both_shapes() {
        let doc = PolicyDocument::from_json_str(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        )
        .unwrap();
        assert_eq!(doc.statements[0].grants_full_admin(), Some(true));
        let doc = PolicyDocument::from_json_str(
            r#"{"Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(doc.statements[0].grants_full_admin(), Some(false));
        assert_eq!(doc.statements[0].service_wildcards(), vec!["s3:*"]);
    }

    #[test]
    fn unknown_resource_leaves_admin_undecided() {
        let mut stmt = std::collections::BTreeMap::new();
        stmt.insert("Effect".to_string(), Value::String("Allow".into()));
        stmt.insert("Action".to_string(), Value::String("*".into()));
        stmt.insert(
            "Resource".to_string(),
            Value::Unknown(Unknown::new("aws_s3_bucket.b.arn")),
        );
        let mut doc = std::collections::BTreeMap::new();
        doc.insert(
            "Statement".to_string(),
            Value::List(vec![Value::Object(stmt)]),
        );
        let doc = PolicyDocument::from_value(&Value::Object(doc)).unwrap();
        assert_eq!(doc.statements[0].grants_full_admin(), None);
    }

    #[test]
    fn not_action_inverts_coverage() {
        let doc = PolicyDocument::from_json_str(
            r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(doc.statements[0].action.covers("iam:PassRole"), Some(false));
        assert_eq!(doc.statements[0].action.covers("s3:GetObject"), Some(true));
    }

    #[test]
    fn wildcard_principal_is_bounded_only_by_positive_caller_conditions() {
        let verdict =
            |json: &str| PolicyDocument::from_json_str(json).unwrap().statements[0].allows_anyone();
        let open = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*"}}"#;
        assert_eq!(verdict(open), Some(true));
        let org = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}}"#;
        assert_eq!(verdict(org), Some(false));
        let negated = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
            "Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}}"#;
        assert_eq!(verdict(negated), Some(true));
        let if_exists = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}}}"#;
        assert_eq!(verdict(if_exists), Some(true));
        let external_id = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
            "Condition":{"StringEquals":{"sts:ExternalId":"x"}}}}"#;
        assert_eq!(verdict(external_id), Some(true));
        let any_ip = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}}"#;
        assert_eq!(verdict(any_ip), Some(true));
        let named = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:*"}}"#;
        assert_eq!(verdict(named), Some(false));
        let not_principal = r#"{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:*"}}"#;
        assert_eq!(verdict(not_principal), Some(true));
    }

    #[test]
    fn unknown_principal_leaves_anyone_undecided() {
        let mut stmt = std::collections::BTreeMap::new();
        stmt.insert("Effect".to_string(), Value::String("Allow".into()));
        stmt.insert(
            "Principal".to_string(),
            Value::Unknown(Unknown::new("var.principal")),
        );
        let mut doc = std::collections::BTreeMap::new();
        doc.insert(
            "Statement".to_string(),
            Value::List(vec![Value::Object(stmt)]),
        );
        let doc = PolicyDocument::from_value(&Value::Object(doc)).unwrap();
        assert_eq!(doc.statements[0].allows_anyone(), None);
    }

    #[test]
    fn unknown_statements_are_recorded_not_dropped() {
        let mut known = std::collections::BTreeMap::new();
        known.insert("Effect".to_string(), Value::String("Allow".into()));
        known.insert("Action".to_string(), Value::String("*".into()));
        known.insert("Resource".to_string(), Value::String("*".into()));
        let list = Value::List(vec![
            Value::Object(known),
            Value::Unknown(Unknown::new("var.extra_statement")),
        ]);
        let mut doc = std::collections::BTreeMap::new();
        doc.insert("Statement".to_string(), list);
        let doc = PolicyDocument::from_value(&Value::Object(doc)).unwrap();
        assert_eq!(doc.statements.len(), 1);
        assert_eq!(
            doc.unknown_statements,
            Some(Unknown::new("var.extra_statement"))
        );
    }

    #[test]
    fn malformed_effect_is_an_error() {
        assert!(PolicyDocument::from_json_str(r#"{"Statement":[{"Effect":"Maybe"}]}"#).is_err());
        assert!(PolicyDocument::from_json_str("[1,2]").is_err());
    }
}
