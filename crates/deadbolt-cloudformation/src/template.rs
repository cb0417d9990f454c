//! A template's context (parameters, mappings, conditions, resources) and the intrinsic-function
//! evaluator.
//!
//! Values are evaluated where their inputs are known and become [`Value::Unknown`] with a reason
//! otherwise: a `Ref` to a resource or an `Fn::GetAtt` is known only once the stack exists, an
//! `Fn::ImportValue` depends on another stack, and `AWS::Region` on where the stack is deployed.
//! Nothing is guessed.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level, Unknown, Value};
use deadbolt_yaml::{Data, Node, Scalar};

/// Parameter values given outside the template (a `--parameters` file), by parameter name.
pub type ParameterValues = BTreeMap<String, String>;

/// One resource of the template.
pub(crate) struct TemplateResource<'a> {
    /// The logical ID.
    pub id: String,
    /// `AWS::S3::Bucket`.
    pub kind: String,
    /// The logical ID's key node (its line is where the resource starts).
    pub key: &'a Node,
    /// The resource's mapping (`Type`, `Properties`, `Metadata`, ...).
    pub node: &'a Node,
}

/// The parts of a template that intrinsic functions read.
pub(crate) struct Template<'a> {
    pub file: Arc<str>,
    parameters: BTreeMap<String, Value>,
    mappings: Option<&'a Node>,
    /// SAM's `Globals` section: properties every `AWS::Serverless::*` resource of a kind shares.
    pub globals: Option<&'a Node>,
    conditions: HashMap<String, &'a Node>,
    condition_cache: RefCell<HashMap<String, Option<bool>>>,
    resource_ids: HashSet<String>,
    pub resources: Vec<TemplateResource<'a>>,
    /// Problems found while evaluating (an undefined `Ref`, a malformed intrinsic).
    pub diagnostics: RefCell<Vec<Diagnostic>>,
}

/// The SAM transform that turns `AWS::Serverless::*` resources into plain ones.
pub(crate) const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

impl<'a> Template<'a> {
    pub fn new(file: Arc<str>, doc: &'a Node, given: &ParameterValues) -> Template<'a> {
        let mut parameters = BTreeMap::new();
        for (key, param) in doc
            .get("Parameters")
            .and_then(Node::as_mapping)
            .unwrap_or_default()
        {
            let Some(name) = key.scalar_text() else {
                continue;
            };
            let list_type = param
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            let text = given.get(&*name).cloned().or_else(|| {
                param
                    .get("Default")
                    .and_then(|d| d.scalar_text())
                    .map(Into::into)
            });
            let value = match text {
                Some(t) if list_type => Value::List(
                    t.split(',')
                        .map(|s| Value::String(s.trim().to_string()))
                        .collect(),
                ),
                Some(t) => Value::String(t),
                None => Value::Unknown(Unknown::new(format!(
                    "parameter {name} has no Default and no value was given (--parameters)"
                ))),
            };
            parameters.insert(name.into_owned(), value);
        }
        let conditions = doc
            .get("Conditions")
            .and_then(Node::as_mapping)
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((k.scalar_text()?.into_owned(), v)))
            .collect();
        let mut resources = Vec::new();
        for (key, node) in doc
            .get("Resources")
            .and_then(Node::as_mapping)
            .unwrap_or_default()
        {
            let Some(id) = key.scalar_text() else {
                continue;
            };
            let kind = node
                .get("Type")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string();
            resources.push(TemplateResource {
                id: id.into_owned(),
                kind,
                key,
                node,
            });
        }
        Template {
            resource_ids: resources.iter().map(|r| r.id.clone()).collect(),
            file,
            parameters,
            mappings: doc.get("Mappings"),
            globals: doc.get("Globals"),
            conditions,
            condition_cache: RefCell::new(HashMap::new()),
            resources,
            diagnostics: RefCell::new(Vec::new()),
        }
    }

    fn warn(&self, node: &Node, message: String) {
        self.diagnostics.borrow_mut().push(Diagnostic::at(
            Level::Warning,
            self.file.clone(),
            node.span.start.line,
            node.span.start.column,
            message,
        ));
    }

    /// Whether `id` is a resource of this template.
    pub fn is_resource(&self, id: &str) -> bool {
        self.resource_ids.contains(id)
    }

    /// Evaluates a node; `AWS::NoValue` (a property removed) is null.
    pub fn eval(&self, node: &Node) -> Value {
        self.eval_opt(node).unwrap_or(Value::Null)
    }

    /// Evaluates a node; `None` for `AWS::NoValue`, which removes the property or list item.
    pub fn eval_opt(&self, node: &Node) -> Option<Value> {
        if let Some((name, arg)) = intrinsic(node) {
            return self.call(name, arg, node);
        }
        self.eval_data(node)
    }

    /// An intrinsic's argument. In the short form (`!Base64 text`) the argument is the tagged node
    /// itself, so only its data is evaluated (evaluating it whole would call the function again).
    fn eval_arg(&self, arg: &Node, at: &Node) -> Option<Value> {
        if std::ptr::eq(arg, at) {
            self.eval_data(arg)
        } else {
            self.eval_opt(arg)
        }
    }

    fn eval_data(&self, node: &Node) -> Option<Value> {
        Some(match &node.data {
            Data::Scalar(s) => scalar_value(s),
            Data::Sequence(items) => {
                Value::List(items.iter().filter_map(|i| self.eval_opt(i)).collect())
            }
            Data::Mapping(entries) => Value::Object(
                entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.scalar_text()?.into_owned(), self.eval_opt(v)?)))
                    .collect(),
            ),
        })
    }

    fn call(&self, name: &str, arg: &Node, at: &Node) -> Option<Value> {
        let unknown = |reason: String| Some(Value::Unknown(Unknown::new(reason)));
        match name {
            "Ref" => {
                let target = arg.scalar_text().unwrap_or_default();
                if target == "AWS::NoValue" {
                    return None;
                }
                Some(self.reference(&target, at))
            }
            "Fn::GetAtt" => {
                let (resource, attribute) = get_att_parts(arg).unwrap_or_default();
                if !self.is_resource(&resource) {
                    self.warn(
                        at,
                        format!(
                            "Fn::GetAtt to `{resource}`, which is not a resource of this template"
                        ),
                    );
                }
                unknown(format!(
                    "{resource}.{attribute} is known only after the stack is created"
                ))
            }
            "Fn::ImportValue" => {
                let export = match self.eval_arg(arg, at).unwrap_or(Value::Null) {
                    Value::String(s) => s,
                    _ => "(computed name)".into(),
                };
                unknown(format!("imported from another stack's export {export}"))
            }
            "Fn::Sub" => Some(self.sub(arg, at)),
            "Fn::Join" => {
                let Some([delimiter, list]) = pair(arg) else {
                    return self.malformed(name, at);
                };
                let delimiter = delimiter.scalar_text().unwrap_or_default();
                match self.eval(list) {
                    Value::List(items) => {
                        let mut parts = Vec::new();
                        for item in &items {
                            match item {
                                Value::Unknown(u) => return Some(Value::Unknown(u.clone())),
                                other => {
                                    parts.push(Value::scalar_string(other).unwrap_or_default())
                                }
                            }
                        }
                        Some(Value::String(parts.join(&delimiter)))
                    }
                    Value::Unknown(u) => Some(Value::Unknown(u)),
                    _ => self.malformed(name, at),
                }
            }
            "Fn::Select" => {
                let Some([index, list]) = pair(arg) else {
                    return self.malformed(name, at);
                };
                let index = self.eval(index);
                let list = self.eval(list);
                match (index.as_i64(), list) {
                    (_, Value::Unknown(u)) => Some(Value::Unknown(u)),
                    (None, _) if index.unknown().is_some() => Some(index),
                    (Some(i), Value::List(items)) => {
                        match usize::try_from(i).ok().and_then(|i| items.get(i)) {
                            Some(v) => Some(v.clone()),
                            None => {
                                self.warn(at, format!("Fn::Select index {i} is out of range"));
                                unknown(format!("Fn::Select index {i} is out of range"))
                            }
                        }
                    }
                    _ => self.malformed(name, at),
                }
            }
            "Fn::Split" => {
                let Some([delimiter, source]) = pair(arg) else {
                    return self.malformed(name, at);
                };
                let delimiter = delimiter.scalar_text().unwrap_or_default();
                match self.eval(source) {
                    Value::String(s) if !delimiter.is_empty() => Some(Value::List(
                        s.split(&*delimiter)
                            .map(|p| Value::String(p.to_string()))
                            .collect(),
                    )),
                    Value::Unknown(u) => Some(Value::Unknown(u)),
                    _ => self.malformed(name, at),
                }
            }
            "Fn::FindInMap" => Some(self.find_in_map(arg, at)),
            "Fn::If" => {
                let items = arg.as_sequence().filter(|i| i.len() == 3);
                let Some([condition, then, otherwise]) = items else {
                    return self.malformed(name, at);
                };
                let condition_name = condition.scalar_text().unwrap_or_default();
                match self.condition(&condition_name, at) {
                    Some(true) => self.eval_opt(then),
                    Some(false) => self.eval_opt(otherwise),
                    None => unknown(format!("depends on condition {condition_name}")),
                }
            }
            "Fn::Base64" => {
                // Kept as the plain text: rules read what the instance receives (user data), and
                // CloudFormation does the encoding.
                self.eval_arg(arg, at)
            }
            "Fn::GetAZs" => unknown("the Availability Zones of the deployment region".into()),
            "Fn::Cidr" => unknown("Fn::Cidr blocks are not computed".into()),
            "Fn::Length" => match self.eval_arg(arg, at).unwrap_or(Value::Null) {
                Value::List(items) => Some(Value::Number(items.len() as f64)),
                Value::Unknown(u) => Some(Value::Unknown(u)),
                _ => self.malformed(name, at),
            },
            "Fn::ToJsonString" => match self.eval_arg(arg, at).unwrap_or(Value::Null).to_json() {
                Ok(json) => Some(Value::String(json.to_string())),
                Err(u) => Some(Value::Unknown(u)),
            },
            "Fn::Transform" => {
                unknown("the output of a CloudFormation macro (Fn::Transform)".into())
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                match self.condition_expr(at, &mut Vec::new()) {
                    Some(b) => Some(Value::Bool(b)),
                    None => unknown("a condition whose inputs are unknown".into()),
                }
            }
            _ => self.malformed(name, at),
        }
    }

    fn malformed(&self, name: &str, at: &Node) -> Option<Value> {
        self.warn(
            at,
            format!("malformed {name}; its value is treated as unknown"),
        );
        Some(Value::Unknown(Unknown::new(format!("malformed {name}"))))
    }

    /// The value of `Ref: name`.
    fn reference(&self, name: &str, at: &Node) -> Value {
        if let Some(v) = self.parameters.get(name) {
            return v.clone();
        }
        if self.is_resource(name) {
            return Value::Unknown(Unknown::new(format!(
                "{name} (Ref) is known only after the stack is created"
            )));
        }
        if name.starts_with("AWS::") {
            return Value::Unknown(Unknown::new(format!("{name} is known only at deployment")));
        }
        self.warn(
            at,
            format!("Ref to `{name}`, which is not a parameter or resource of this template"),
        );
        Value::Unknown(Unknown::new(format!("Ref to undefined `{name}`")))
    }

    fn sub(&self, arg: &Node, at: &Node) -> Value {
        let (text, variables) = match &arg.data {
            Data::Sequence(items) if items.len() == 2 => (items[0].scalar_text(), Some(&items[1])),
            Data::Scalar(_) => (arg.scalar_text(), None),
            _ => (None, None),
        };
        let Some(text) = text else {
            return self.malformed("Fn::Sub", at).unwrap_or(Value::Null);
        };
        let mut out = String::new();
        let mut rest: &str = &text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = match variables.and_then(|v| v.get(name)) {
                Some(node) => self.eval(node),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        Value::Unknown(Unknown::new(format!(
                            "{resource}.{attribute} is known only after the stack is created"
                        )))
                    }
                    _ => self.reference(name, at),
                },
            };
            match value {
                Value::Unknown(u) => return Value::Unknown(u),
                other => out.push_str(&Value::scalar_string(&other).unwrap_or_default()),
            }
        }
        out.push_str(rest);
        Value::String(out)
    }

    fn find_in_map(&self, arg: &Node, at: &Node) -> Value {
        let Some(items) = arg.as_sequence().filter(|i| i.len() >= 3) else {
            return self.malformed("Fn::FindInMap", at).unwrap_or(Value::Null);
        };
        let mut keys = Vec::new();
        for item in &items[..3] {
            match self.eval(item) {
                Value::Unknown(u) => return Value::Unknown(u),
                v => keys.push(Value::scalar_string(&v).unwrap_or_default()),
            }
        }
        let found = self
            .mappings
            .and_then(|m| m.get(&keys[0]))
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]));
        match found {
            Some(node) => self.eval(node),
            None => match items.get(3).and_then(|d| d.get("DefaultValue")) {
                Some(default) => self.eval(default),
                None => {
                    self.warn(
                        at,
                        format!(
                            "Fn::FindInMap: no {}/{}/{} in Mappings",
                            keys[0], keys[1], keys[2]
                        ),
                    );
                    Value::Unknown(Unknown::new(format!(
                        "no {}/{}/{} in Mappings",
                        keys[0], keys[1], keys[2]
                    )))
                }
            },
        }
    }

    /// The value of a named condition; `None` when it depends on something unknown.
    pub fn condition(&self, name: &str, at: &Node) -> Option<bool> {
        if let Some(cached) = self.condition_cache.borrow().get(name) {
            return *cached;
        }
        let Some(node) = self.conditions.get(name) else {
            self.warn(
                at,
                format!("condition `{name}` is not defined in Conditions"),
            );
            return None;
        };
        let value = self.condition_expr(node, &mut vec![name.to_string()]);
        self.condition_cache
            .borrow_mut()
            .insert(name.to_string(), value);
        value
    }

    fn condition_expr(&self, node: &Node, visiting: &mut Vec<String>) -> Option<bool> {
        let (name, arg) = intrinsic(node)?;
        let items = || arg.as_sequence().unwrap_or_default();
        match name {
            "Fn::Equals" => {
                let [a, b] = items() else { return None };
                let (a, b) = (self.eval(a), self.eval(b));
                if a.first_unknown().is_some() || b.first_unknown().is_some() {
                    return None;
                }
                // `Fn::Equals: [22, "22"]` is true: CloudFormation compares as strings.
                Some(match (Value::scalar_string(&a), Value::scalar_string(&b)) {
                    (Some(a), Some(b)) => a == b,
                    _ => a == b,
                })
            }
            "Fn::Not" => self.condition_expr(items().first()?, visiting).map(|b| !b),
            "Fn::And" | "Fn::Or" => {
                let is_and = name == "Fn::And";
                let mut any_unknown = false;
                for item in items() {
                    match self.condition_expr(item, visiting) {
                        Some(b) if b != is_and => return Some(b),
                        Some(_) => {}
                        None => any_unknown = true,
                    }
                }
                if any_unknown { None } else { Some(is_and) }
            }
            "Condition" => {
                let target = arg.scalar_text()?.into_owned();
                if visiting.contains(&target) {
                    self.warn(node, format!("condition `{target}` refers to itself"));
                    return None;
                }
                if let Some(cached) = self.condition_cache.borrow().get(&target) {
                    return *cached;
                }
                let def = self.conditions.get(&target)?;
                visiting.push(target.clone());
                let value = self.condition_expr(def, visiting);
                visiting.pop();
                self.condition_cache.borrow_mut().insert(target, value);
                value
            }
            _ => None,
        }
    }

    /// Logical IDs of this template's resources that `node` refers to (`Ref`, `Fn::GetAtt`,
    /// `${Name}` in `Fn::Sub`), in order of appearance: how a split resource finds its parent.
    pub fn references(&self, node: &Node) -> Vec<String> {
        let mut out = Vec::new();
        node.walk(&mut |n| {
            let Some((name, arg)) = intrinsic(n) else {
                return;
            };
            let found: Vec<String> = match name {
                "Ref" => arg
                    .scalar_text()
                    .map(|s| vec![s.into_owned()])
                    .unwrap_or_default(),
                "Fn::GetAtt" => get_att_parts(arg).map(|(r, _)| vec![r]).unwrap_or_default(),
                "Fn::Sub" => {
                    let text = match &arg.data {
                        Data::Sequence(items) => items.first().and_then(Node::scalar_text),
                        _ => arg.scalar_text(),
                    };
                    let text = text.unwrap_or_default();
                    text.split("${")
                        .skip(1)
                        .filter_map(|p| p.split_once('}'))
                        .map(|(name, _)| name.split('.').next().unwrap_or(name).to_string())
                        .collect()
                }
                _ => Vec::new(),
            };
            out.extend(found.into_iter().filter(|id| self.is_resource(id)));
        });
        out.dedup();
        out
    }
}

/// Warnings for tags that are not CloudFormation intrinsics (`!Reff`, `!Custom`): the value is read
/// as if untagged, which is probably not what the author meant.
pub(crate) fn unknown_tags(file: &Arc<str>, doc: &Node) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    doc.walk(&mut |n| {
        if let Some(tag) = n.tag.as_deref()
            && tag.strip_prefix('!').and_then(function_name).is_none()
        {
            out.push(Diagnostic::at(
                Level::Warning,
                file.clone(),
                n.span.start.line,
                n.span.start.column,
                format!("unknown tag `{tag}` (not a CloudFormation intrinsic function); read as its untagged value"),
            ));
        }
    });
    out
}

/// The intrinsic function a node calls, and its argument: the short form (`!Ref X`, whose argument
/// is the tagged node itself) or the long form (`{"Ref": "X"}`, a one-key mapping).
pub(crate) fn intrinsic(node: &Node) -> Option<(&'static str, &Node)> {
    if let Some(tag) = node.tag.as_deref() {
        return Some((function_name(tag.strip_prefix('!')?)?, node));
    }
    let [(key, arg)] = node.as_mapping()? else {
        return None;
    };
    let key = key.as_str()?;
    let name = match key {
        "Ref" | "Condition" => key,
        _ => key.strip_prefix("Fn::")?,
    };
    Some((function_name(name)?, arg))
}

fn function_name(short: &str) -> Option<&'static str> {
    Some(match short {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "Join" => "Fn::Join",
        "If" => "Fn::If",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Transform" => "Fn::Transform",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        _ => return None,
    })
}

/// `Fn::GetAtt` takes `[Resource, Attribute]` or `"Resource.Attribute"`.
fn get_att_parts(arg: &Node) -> Option<(String, String)> {
    match &arg.data {
        Data::Sequence(items) if items.len() == 2 => Some((
            items[0].scalar_text()?.into_owned(),
            items[1].scalar_text()?.into_owned(),
        )),
        Data::Scalar(_) => {
            let text = arg.scalar_text()?;
            let (r, a) = text.split_once('.')?;
            Some((r.to_string(), a.to_string()))
        }
        _ => None,
    }
}

fn pair(arg: &Node) -> Option<&[Node; 2]> {
    arg.as_sequence()?.try_into().ok()
}

fn scalar_value(s: &Scalar) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(*b),
        Scalar::Int(i) => Value::Number(*i as f64),
        Scalar::Float { value, .. } => Value::Number(*value),
        Scalar::String(s) => Value::String(s.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_template(text: &str, given: &[(&str, &str)], check: impl FnOnce(&Template<'_>, &Node)) {
        let file: Arc<str> = "t.yaml".into();
        let docs = deadbolt_yaml::parse(&file, text).expect("parses");
        let given: ParameterValues = given
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let template = Template::new(file, &docs[0], &given);
        check(&template, docs[0].get("Outputs").expect("Outputs"));
    }

    fn out(t: &Template<'_>, outputs: &Node, name: &str) -> Value {
        t.eval(outputs.get(name).expect("output"))
    }

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    const TEMPLATE: &str = r##"
Parameters:
  Env: {Type: String, Default: test}
  Zones: {Type: CommaDelimitedList, Default: "a, b, c"}
  NoDefault: {Type: String}
Mappings:
  Sizes:
    test: {Instance: t3.micro}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsTest: !Not [!Condition IsProd]
  Both: !And [!Condition IsTest, !Equals [1, "1"]]
  Either: !Or [!Condition IsProd, !Equals [!Ref NoDefault, x]]
  Loop: !Condition Loop
Resources:
  Bucket: {Type: AWS::S3::Bucket}
Outputs:
  SubString: !Sub "${Env}-${!Literal}-x"
  SubVars: !Sub ["${Name}.${Env}", {Name: !Select [2, !Ref Zones]}]
  SubUnknown: !Sub "${Bucket.Arn}/*"
  Joined: !Join [":", !Split [",", "p,q"]]
  Mapped: !FindInMap [Sizes, !Ref Env, Instance]
  Fallback: {"Fn::FindInMap": [Sizes, prod, Instance, {DefaultValue: m5.large}]}
  Chosen: !If [IsProd, big, small]
  Removed: [one, !If [IsProd, two, !Ref AWS::NoValue], three]
  Count: !Length [a, b]
  Json: !ToJsonString {k: [1, true]}
  Encoded: !Base64 "#!/bin/sh"
  Zones: !GetAZs ""
  Region: !Ref AWS::Region
  Missing: !Ref NoDefault
  Imported: {"Fn::ImportValue": !Sub "${Env}-vpc"}
"##;

    #[test]
    fn intrinsics_evaluate_where_inputs_are_known() {
        with_template(TEMPLATE, &[], |t, o| {
            assert_eq!(out(t, o, "SubString"), s("test-${Literal}-x"));
            assert_eq!(out(t, o, "SubVars"), s("c.test"));
            assert_eq!(out(t, o, "Joined"), s("p:q"));
            assert_eq!(out(t, o, "Mapped"), s("t3.micro"));
            assert_eq!(out(t, o, "Fallback"), s("m5.large"));
            assert_eq!(out(t, o, "Chosen"), s("small"));
            assert_eq!(
                out(t, o, "Removed"),
                Value::List(vec![s("one"), s("three")])
            );
            assert_eq!(out(t, o, "Count"), Value::Number(2.0));
            assert_eq!(out(t, o, "Json"), s(r#"{"k":[1,true]}"#));
            assert_eq!(out(t, o, "Encoded"), s("#!/bin/sh"));
        });
    }

    #[test]
    fn unknowns_carry_their_reason() {
        with_template(TEMPLATE, &[], |t, o| {
            let reason = |name: &str| out(t, o, name).unknown().map(|u| u.0.to_string());
            assert_eq!(
                reason("SubUnknown").as_deref(),
                Some("Bucket.Arn is known only after the stack is created")
            );
            assert_eq!(
                reason("Region").as_deref(),
                Some("AWS::Region is known only at deployment")
            );
            assert_eq!(
                reason("Missing").as_deref(),
                Some("parameter NoDefault has no Default and no value was given (--parameters)")
            );
            assert_eq!(
                reason("Imported").as_deref(),
                Some("imported from another stack's export test-vpc")
            );
            assert!(reason("Zones").is_some());
        });
    }

    #[test]
    fn conditions_combine_and_cycles_are_reported_not_followed() {
        with_template(TEMPLATE, &[("Env", "prod")], |t, o| {
            let at = o;
            assert_eq!(t.condition("IsProd", at), Some(true));
            assert_eq!(t.condition("IsTest", at), Some(false));
            assert_eq!(t.condition("Both", at), Some(false));
            // True whatever the unknown parameter is.
            assert_eq!(t.condition("Either", at), Some(true));
            assert_eq!(t.condition("Loop", at), None);
            assert_eq!(out(t, o, "Chosen"), s("big"));
        });
        with_template(TEMPLATE, &[], |t, o| {
            // Unknown when the deciding input is unknown.
            assert_eq!(t.condition("Either", o), None);
            let messages: Vec<String> = t
                .diagnostics
                .borrow()
                .iter()
                .map(|d| d.message.clone())
                .collect();
            assert!(messages.is_empty(), "{messages:?}");
            t.condition("Loop", o);
            assert!(
                t.diagnostics
                    .borrow()
                    .iter()
                    .any(|d| d.message.contains("refers to itself"))
            );
        });
    }

    #[test]
    fn references_find_template_resources_in_every_form() {
        with_template(TEMPLATE, &[], |t, o| {
            assert_eq!(t.references(o), ["Bucket"]);
            let docs = deadbolt_yaml::parse(
                &"r.yaml".into(),
                "- {Ref: Bucket}\n- {\"Fn::GetAtt\": [Bucket, Arn]}\n- !GetAtt Bucket.Arn\n- !Ref Env\n",
            )
            .expect("parses");
            let refs: Vec<String> = docs[0]
                .as_sequence()
                .unwrap_or_default()
                .iter()
                .flat_map(|n| t.references(n))
                .collect();
            assert_eq!(refs, ["Bucket", "Bucket", "Bucket"]);
        });
    }
}
