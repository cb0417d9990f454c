//! Terraform's built-in functions (the ones configurations use to build security-relevant values).
//!
//! Semantics follow the Terraform language documentation, "Built-in Functions". A function that
//! depends on the clock, randomness or provider state (`timestamp`, `uuid`, `bcrypt`) returns an
//! unknown; an unsupported function returns an unknown that names it, never a guess.

use std::collections::BTreeMap;

use base64::Engine as _;
use deadbolt_model::{Unknown, Value};
use hcl_edit::expr::{Expression, FuncCall};

use super::{EvalError, Evaluator, ModuleInstance, Result, Scope, err, unknown};
use crate::source::SourceFile;

/// Functions that rearrange collections without looking into their elements' values.
const STRUCTURAL: &[&str] = &[
    "tolist",
    "toset",
    "tomap",
    "flatten",
    "compact",
    "distinct",
    "keys",
    "values",
    "element",
    "contains",
    "reverse",
    "slice",
    "one",
    "coalescelist",
    "chunklist",
    "setunion",
    "setintersection",
    "setsubtract",
    "zipmap",
    "index",
];

pub(super) fn call(
    ev: &Evaluator,
    inst: &ModuleInstance,
    file: &SourceFile,
    scope: &Scope,
    call: &FuncCall,
) -> Result<Value> {
    let name = call.name.name.as_str();
    let arg_exprs: Vec<&Expression> = call.args.iter().collect();
    // try/can evaluate lazily: an argument's error selects the next one.
    match name {
        "try" => {
            let mut last = EvalError("try() needs at least one argument".into());
            for expr in &arg_exprs {
                match ev.eval(inst, file, scope, expr) {
                    Ok(v) => return Ok(v),
                    Err(e) => last = e,
                }
            }
            return Err(last);
        }
        "can" => {
            let [expr] = arg_exprs.as_slice() else {
                return err("can() takes one argument");
            };
            return Ok(match ev.eval(inst, file, scope, expr) {
                Ok(Value::Unknown(u)) => Value::Unknown(u),
                Ok(_) => Value::Bool(true),
                Err(_) => Value::Bool(false),
            });
        }
        _ => {}
    }
    let mut args = Vec::with_capacity(arg_exprs.len());
    for expr in &arg_exprs {
        args.push(ev.eval(inst, file, scope, expr)?);
    }
    // `f(list...)` expands the last argument.
    if call.args.expand_final()
        && let Some(last) = args.pop()
    {
        match last {
            Value::List(items) => args.extend(items),
            Value::Unknown(u) => return Ok(Value::Unknown(u)),
            other => {
                return err(format!(
                    "cannot expand a {} as arguments",
                    other.type_name()
                ));
            }
        }
    }
    // Functions that look inside partially unknown values handle unknowns themselves.
    match name {
        "jsonencode" => return jsonencode(&args),
        "merge" => return merge(args),
        "concat" => return concat(args),
        "coalesce" => return coalesce(args),
        "lookup" => return lookup(args),
        "length" => return length(&args),
        "templatefile" => return templatefile(ev, inst, args),
        _ => {}
    }
    // Functions that only rearrange collections keep unknown elements as they are (a list with
    // one unknown CIDR still holds its known ones); they need only their arguments themselves to
    // be known. The others need every part known.
    let structural = STRUCTURAL.contains(&name);
    let blocking = if structural {
        args.iter().find_map(Value::unknown)
    } else {
        args.iter().find_map(Value::first_unknown)
    };
    if let Some(u) = blocking {
        return Ok(Value::Unknown(u.clone()));
    }
    if name == "contains"
        && let [Value::List(items), wanted] = args.as_slice()
        && !items.contains(wanted)
        && let Some(u) = items.iter().find_map(Value::first_unknown)
    {
        return Ok(Value::Unknown(u.clone()));
    }
    let s = |i: usize| -> Result<String> {
        args.get(i)
            .and_then(Value::scalar_string)
            .ok_or_else(|| EvalError(format!("{name}(): argument {} must be a string", i + 1)))
    };
    let n = |i: usize| -> Result<f64> {
        args.get(i)
            .and_then(Value::as_f64)
            .ok_or_else(|| EvalError(format!("{name}(): argument {} must be a number", i + 1)))
    };
    let list = |i: usize| -> Result<Vec<Value>> {
        match args.get(i) {
            Some(Value::List(items)) => Ok(items.clone()),
            Some(Value::Object(map)) => Ok(map.values().cloned().collect()),
            _ => err(format!("{name}(): argument {} must be a list", i + 1)),
        }
    };
    Ok(match name {
        "jsondecode" => {
            let text = s(0)?;
            Value::from(
                serde_json::from_str::<serde_json::Value>(&text)
                    .map_err(|e| EvalError(format!("jsondecode(): {e}")))?,
            )
        }
        "format" => format(&s(0)?, &args[1..])?,
        "formatlist" => {
            let fmt = s(0)?;
            let lists: Vec<Vec<Value>> = args[1..]
                .iter()
                .map(|a| match a {
                    Value::List(l) => l.clone(),
                    v => vec![v.clone()],
                })
                .collect();
            let len = lists.iter().map(Vec::len).max().unwrap_or(0);
            Value::List(
                (0..len)
                    .map(|i| {
                        format(
                            &fmt,
                            &lists
                                .iter()
                                .map(|l| l.get(i).or(l.first()).cloned().unwrap_or(Value::Null))
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect::<Result<_>>()?,
            )
        }
        "join" => {
            let sep = s(0)?;
            let mut parts = Vec::new();
            for l in &args[1..] {
                parts.extend(
                    Value::string_list(l)
                        .ok_or_else(|| EvalError("join(): lists must hold strings".into()))?,
                );
            }
            Value::String(parts.join(&sep))
        }
        "split" => Value::List(
            s(1)?
                .split(&s(0)?)
                .map(|p| Value::String(p.to_string()))
                .collect(),
        ),
        "replace" => {
            let (text, search, with) = (s(0)?, s(1)?, s(2)?);
            if search.len() > 2 && search.starts_with('/') && search.ends_with('/') {
                return Ok(unknown(
                    "replace() with a regular expression is not evaluated",
                ));
            }
            Value::String(text.replace(&search, &with))
        }
        "lower" => Value::String(s(0)?.to_lowercase()),
        "upper" => Value::String(s(0)?.to_uppercase()),
        "title" => Value::String(
            s(0)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "trimspace" => Value::String(s(0)?.trim().to_string()),
        "chomp" => Value::String(s(0)?.trim_end_matches(['\n', '\r']).to_string()),
        "trim" => {
            let cut = s(1)?;
            Value::String(s(0)?.trim_matches(|c| cut.contains(c)).to_string())
        }
        "trimprefix" => {
            let t = s(0)?;
            let p = s(1)?;
            Value::String(t.strip_prefix(&p).unwrap_or(&t).to_string())
        }
        "trimsuffix" => {
            let t = s(0)?;
            let p = s(1)?;
            Value::String(t.strip_suffix(&p).unwrap_or(&t).to_string())
        }
        "startswith" => Value::Bool(s(0)?.starts_with(&s(1)?)),
        "endswith" => Value::Bool(s(0)?.ends_with(&s(1)?)),
        "strcontains" => Value::Bool(s(0)?.contains(&s(1)?)),
        "substr" => {
            let text: Vec<char> = s(0)?.chars().collect();
            let offset = n(1)? as i64;
            let length = n(2)? as i64;
            let start = if offset < 0 {
                (text.len() as i64 + offset).max(0)
            } else {
                offset.min(text.len() as i64)
            } as usize;
            let end = if length < 0 {
                text.len()
            } else {
                (start + length as usize).min(text.len())
            };
            Value::String(text[start..end].iter().collect())
        }
        "element" => {
            let l = list(0)?;
            if l.is_empty() {
                return err("element() of an empty list");
            }
            let i = n(1)? as usize;
            l[i % l.len()].clone()
        }
        "index" => {
            let [_, wanted] = args.as_slice() else {
                return err("index() takes two arguments");
            };
            let l = list(0)?;
            Value::Number(
                l.iter()
                    .position(|v| v == wanted)
                    .ok_or_else(|| EvalError("index(): value not in list".into()))?
                    as f64,
            )
        }
        "contains" => {
            let [_, wanted] = args.as_slice() else {
                return err("contains() takes two arguments");
            };
            Value::Bool(list(0)?.contains(wanted))
        }
        "keys" => match args.first() {
            Some(Value::Object(m)) => {
                Value::List(m.keys().map(|k| Value::String(k.clone())).collect())
            }
            _ => return err("keys() needs a map"),
        },
        "values" => match args.first() {
            Some(Value::Object(m)) => Value::List(m.values().cloned().collect()),
            _ => return err("values() needs a map"),
        },
        "zipmap" => Value::Object(
            list(0)?
                .iter()
                .filter_map(Value::scalar_string)
                .zip(list(1)?)
                .collect(),
        ),
        "tolist" | "toset" => match args.first() {
            Some(Value::List(items)) if name == "toset" => {
                let mut out: Vec<Value> = Vec::new();
                for i in items {
                    if !out.contains(i) {
                        out.push(i.clone());
                    }
                }
                // Terraform orders a set of strings lexically and a set of numbers numerically.
                if out.iter().all(|v| matches!(v, Value::String(_))) {
                    out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                } else if out.iter().all(|v| matches!(v, Value::Number(_))) {
                    out.sort_by(|a, b| {
                        a.as_f64()
                            .partial_cmp(&b.as_f64())
                            .unwrap_or(std::cmp::Ordering::Equal)
                    });
                }
                Value::List(out)
            }
            Some(Value::List(items)) => Value::List(items.clone()),
            Some(Value::Null) => Value::Null,
            _ => return err(format!("{name}() needs a list")),
        },
        "tomap" => match args.first() {
            Some(v @ (Value::Object(_) | Value::Null)) => v.clone(),
            _ => return err("tomap() needs an object"),
        },
        "tostring" => match args.first() {
            Some(Value::Null) => Value::Null,
            Some(v) => Value::String(
                Value::scalar_string(v)
                    .ok_or_else(|| EvalError("tostring() needs a primitive".into()))?,
            ),
            None => return err("tostring() takes one argument"),
        },
        "tonumber" => match args.first() {
            Some(Value::Null) => Value::Null,
            _ => Value::Number(n(0)?),
        },
        "tobool" => match args.first() {
            Some(Value::Null) => Value::Null,
            Some(v) => Value::Bool(
                v.as_bool()
                    .ok_or_else(|| EvalError("tobool() needs a bool".into()))?,
            ),
            None => return err("tobool() takes one argument"),
        },
        "flatten" => {
            fn flat(v: &Value, out: &mut Vec<Value>) {
                match v {
                    Value::List(items) => items.iter().for_each(|i| flat(i, out)),
                    other => out.push(other.clone()),
                }
            }
            let mut out = Vec::new();
            flat(&Value::List(list(0)?), &mut out);
            Value::List(out)
        }
        "compact" => Value::List(
            list(0)?
                .into_iter()
                .filter(|v| !v.is_null() && v.as_str() != Some(""))
                .collect(),
        ),
        "distinct" => {
            let mut out: Vec<Value> = Vec::new();
            for i in list(0)? {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            Value::List(out)
        }
        "reverse" => Value::List(list(0)?.into_iter().rev().collect()),
        "sort" => {
            let mut items: Vec<String> = list(0)?.iter().filter_map(Value::scalar_string).collect();
            items.sort();
            Value::List(items.into_iter().map(Value::String).collect())
        }
        "slice" => {
            let l = list(0)?;
            let (a, b) = (n(1)? as usize, n(2)? as usize);
            if a > b || b > l.len() {
                return err("slice(): indexes out of range");
            }
            Value::List(l[a..b].to_vec())
        }
        "range" => {
            let (start, end, step) = match args.len() {
                1 => (0.0, n(0)?, 1.0),
                2 => (n(0)?, n(1)?, 1.0),
                _ => (n(0)?, n(1)?, n(2)?),
            };
            if step == 0.0 {
                return err("range(): step is zero");
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                if out.len() >= 1024 {
                    return err("range(): more than 1024 elements");
                }
                out.push(Value::Number(x));
                x += step;
            }
            Value::List(out)
        }
        "one" => {
            let l = list(0)?;
            match l.len() {
                0 => Value::Null,
                1 => l[0].clone(),
                _ => return err("one(): more than one element"),
            }
        }
        "min" => Value::Number(
            args.iter()
                .filter_map(Value::as_f64)
                .fold(f64::INFINITY, f64::min),
        ),
        "max" => Value::Number(
            args.iter()
                .filter_map(Value::as_f64)
                .fold(f64::NEG_INFINITY, f64::max),
        ),
        "sum" => Value::Number(list(0)?.iter().filter_map(Value::as_f64).sum()),
        "abs" => Value::Number(n(0)?.abs()),
        "ceil" => Value::Number(n(0)?.ceil()),
        "floor" => Value::Number(n(0)?.floor()),
        "pow" => Value::Number(n(0)?.powf(n(1)?)),
        "signum" => Value::Number(n(0)?.signum()),
        "parseint" => Value::Number(
            i64::from_str_radix(&s(0)?, n(1)? as u32)
                .map_err(|e| EvalError(format!("parseint(): {e}")))? as f64,
        ),
        "base64encode" => Value::String(base64::engine::general_purpose::STANDARD.encode(s(0)?)),
        "base64decode" => Value::String(
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(s(0)?)
                    .map_err(|e| EvalError(format!("base64decode(): {e}")))?,
            )
            .map_err(|_| EvalError("base64decode(): result is not UTF-8".into()))?,
        ),
        "file" => Value::String(ev.read_file(inst, &s(0)?)?),
        "fileexists" => Value::Bool(ev.read_file(inst, &s(0)?).is_ok()),
        "filebase64" => Value::String(
            base64::engine::general_purpose::STANDARD.encode(ev.read_file(inst, &s(0)?)?),
        ),
        "cidrsubnet" => cidrsubnet(&s(0)?, n(1)?, n(2)?)?,
        "cidrhost" => cidrhost(&s(0)?, n(1)?)?,
        "abspath" | "dirname" | "basename" | "pathexpand" => {
            let p = std::path::PathBuf::from(s(0)?);
            Value::String(match name {
                "dirname" => p
                    .parent()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default(),
                "basename" => p
                    .file_name()
                    .map(|d| d.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                _ => p.display().to_string(),
            })
        }
        // Sensitivity marks change how Terraform displays a value, not the value.
        "sensitive" | "nonsensitive" => match args.as_slice() {
            [v] => v.clone(),
            _ => return err(format!("{name}() takes one argument")),
        },
        "alltrue" | "anytrue" => {
            let items = list(0)?;
            let bools: Option<Vec<bool>> = items.iter().map(Value::as_bool).collect();
            let bools =
                bools.ok_or_else(|| EvalError(format!("{name}() needs a list of bools")))?;
            Value::Bool(if name == "alltrue" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            })
        }
        "coalescelist" => args
            .iter()
            .find(|a| a.as_list().is_some_and(|l| !l.is_empty()))
            .cloned()
            .ok_or_else(|| EvalError("coalescelist(): no non-empty list".into()))?,
        "setunion" | "setintersection" | "setsubtract" => {
            let mut sets: Vec<Vec<Value>> = Vec::new();
            for i in 0..args.len() {
                sets.push(list(i)?);
            }
            let Some((first, rest)) = sets.split_first() else {
                return err(format!("{name}() needs sets"));
            };
            let mut out: Vec<Value> = Vec::new();
            let mut push = |v: &Value| {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            };
            match name {
                "setunion" => sets.iter().flatten().for_each(&mut push),
                "setintersection" => first
                    .iter()
                    .filter(|v| rest.iter().all(|s| s.contains(v)))
                    .for_each(&mut push),
                _ => first
                    .iter()
                    .filter(|v| rest.iter().all(|s| !s.contains(v)))
                    .for_each(&mut push),
            }
            Value::List(out)
        }
        "chunklist" => {
            let size = n(1)? as usize;
            if size == 0 {
                return err("chunklist(): size must be positive");
            }
            Value::List(
                list(0)?
                    .chunks(size)
                    .map(|c| Value::List(c.to_vec()))
                    .collect(),
            )
        }
        "strrev" => Value::String(s(0)?.chars().rev().collect()),
        "urlencode" => Value::String(
            s(0)?
                .bytes()
                .map(|b| match b {
                    // Query escaping, as Go's url.QueryEscape (Terraform docs: "Hello World!"
                    // becomes "Hello+World%21").
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    b' ' => "+".to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect(),
        ),
        "cidrsubnets" => {
            // Consecutive subnets of the given extra bits, each aligned after the previous one.
            let prefix = s(0)?;
            let base: ipnet::IpNet = prefix
                .parse()
                .map_err(|e| EvalError(format!("cidrsubnets(): {e}")))?;
            let mut out = Vec::new();
            let mut next: u128 = 0; // in units of the smallest address
            let total_bits = base.max_prefix_len() as u32;
            for i in 1..args.len() {
                let newbits = n(i)? as u32;
                let len = base.prefix_len() as u32 + newbits;
                if len > total_bits {
                    return err("cidrsubnets(): prefix too long");
                }
                let size = 1u128.checked_shl(total_bits - len).unwrap_or(0);
                let start = if size == 0 {
                    next
                } else {
                    next.div_ceil(size) * size
                };
                let netnum = start.checked_div(size).unwrap_or(0);
                out.push(cidrsubnet(&prefix, newbits as f64, netnum as f64)?);
                next = start + size;
            }
            Value::List(out)
        }
        "regex" | "regexall" => {
            let re = regex::Regex::new(&s(0)?).map_err(|e| EvalError(format!("{name}(): {e}")))?;
            let text = s(1)?;
            let one = |caps: regex::Captures<'_>| -> Value {
                let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
                if names.is_empty() {
                    Value::String(caps[0].to_string())
                } else if names.iter().all(Option::is_some) {
                    Value::Object(
                        names
                            .iter()
                            .flatten()
                            .map(|n| {
                                (
                                    n.to_string(),
                                    caps.name(n)
                                        .map_or(Value::Null, |m| Value::String(m.as_str().into())),
                                )
                            })
                            .collect(),
                    )
                } else {
                    Value::List(
                        caps.iter()
                            .skip(1)
                            .map(|m| m.map_or(Value::Null, |m| Value::String(m.as_str().into())))
                            .collect(),
                    )
                }
            };
            if name == "regex" {
                one(re
                    .captures(&text)
                    .ok_or_else(|| EvalError("regex(): no match".into()))?)
            } else {
                Value::List(re.captures_iter(&text).map(one).collect())
            }
        }
        "timestamp" | "uuid" | "bcrypt" | "plantimestamp" => {
            unknown(format!("{name}() is known only at apply time"))
        }
        other => unknown(format!("function {other}() is not evaluated by deadbolt")),
    })
}

/// `jsonencode`: a JSON string when the value is fully known. When parts are unknown, the result is
/// the structured value itself, so consumers that understand structure (policy parsing) still read
/// the known parts instead of losing the whole document.
fn jsonencode(args: &[Value]) -> Result<Value> {
    let [v] = args else {
        return err("jsonencode() takes one argument");
    };
    match v.to_json() {
        Ok(json) => Ok(Value::String(json.to_string())),
        Err(_) if matches!(v, Value::Unknown(_)) => Ok(v.clone()),
        Err(_) => Ok(v.clone()),
    }
}

fn merge(args: Vec<Value>) -> Result<Value> {
    let mut out = BTreeMap::new();
    for a in args {
        match a {
            Value::Object(map) => out.extend(map),
            Value::Null => {}
            Value::Unknown(u) => return Ok(Value::Unknown(u)),
            other => return err(format!("merge() needs maps, found a {}", other.type_name())),
        }
    }
    Ok(Value::Object(out))
}

fn concat(args: Vec<Value>) -> Result<Value> {
    let mut out = Vec::new();
    for a in args {
        match a {
            Value::List(items) => out.extend(items),
            Value::Unknown(u) => return Ok(Value::Unknown(u)),
            other => {
                return err(format!(
                    "concat() needs lists, found a {}",
                    other.type_name()
                ));
            }
        }
    }
    Ok(Value::List(out))
}

fn coalesce(args: Vec<Value>) -> Result<Value> {
    for a in args {
        match a {
            Value::Null => continue,
            Value::String(ref s) if s.is_empty() => continue,
            other => return Ok(other),
        }
    }
    err("coalesce(): no non-null argument")
}

fn lookup(args: Vec<Value>) -> Result<Value> {
    let (map, key, default) = match args.as_slice() {
        [m, k] => (m, k, None),
        [m, k, d] => (m, k, Some(d)),
        _ => return err("lookup() takes two or three arguments"),
    };
    if let Some(u) = map.unknown().or(key.unknown()) {
        return Ok(Value::Unknown(u.clone()));
    }
    let key = Value::scalar_string(key)
        .ok_or_else(|| EvalError("lookup(): key must be a string".into()))?;
    match map.as_object().and_then(|m| m.get(&key)) {
        Some(v) => Ok(v.clone()),
        None => default
            .cloned()
            .ok_or_else(|| EvalError(format!("lookup(): no key `{key}` and no default"))),
    }
}

fn length(args: &[Value]) -> Result<Value> {
    Ok(match args {
        [Value::List(l)] => Value::Number(l.len() as f64),
        [Value::Object(m)] => Value::Number(m.len() as f64),
        [Value::String(s)] => Value::Number(s.chars().count() as f64),
        [Value::Unknown(u)] => Value::Unknown(u.clone()),
        _ => return err("length() needs one list, map or string"),
    })
}

fn templatefile(ev: &Evaluator, inst: &ModuleInstance, args: Vec<Value>) -> Result<Value> {
    let [path, vars] = args.as_slice() else {
        return err("templatefile() takes two arguments");
    };
    let Some(path) = path.as_str() else {
        return Ok(path
            .unknown()
            .map(|u| Value::Unknown(u.clone()))
            .unwrap_or_else(|| unknown("templatefile(): path is not a string")));
    };
    let text = ev.read_file(inst, path)?;
    let template = hcl_edit::parser::parse_template(&text)
        .map_err(|e| EvalError(format!("templatefile({path}): {}", e.message())))?;
    let mut scope = Scope::default();
    if let Value::Object(map) = vars {
        for (k, v) in map {
            scope = scope.with(k, v.clone());
        }
    }
    let file = crate::source::parse(path.to_string().into(), String::new())
        .map_err(|d| EvalError(d.message))?;
    let mut out = String::new();
    let mut unknown_part: Option<Unknown> = None;
    ev.trim_next.set(false);
    ev.render_elements(inst, &file, &scope, &template, &mut out, &mut unknown_part)?;
    Ok(match unknown_part {
        Some(u) => Value::Unknown(u),
        None => Value::String(out),
    })
}

/// `format` with the verbs `%s`, `%d`, `%v`, `%q`, `%t`, `%f` and `%%`.
fn format(fmt: &str, args: &[Value]) -> Result<Value> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next = args.iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || matches!(d, '.' | '-' | '+' | '#' | ' ') {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb @ ('s' | 'd' | 'v' | 'q' | 't' | 'f')) => {
                let v = next
                    .next()
                    .ok_or_else(|| EvalError("format(): too few arguments".into()))?;
                if let Value::Unknown(u) = v {
                    return Ok(Value::Unknown(u.clone()));
                }
                // Flags, width and precision as in Go's fmt: `-` pads right, `0` pads with zeros.
                let left = spec.contains('-');
                let digits = spec.trim_start_matches(['-', '+', '#', ' ']);
                let zero = digits.starts_with('0');
                let (width, precision) = match digits.split_once('.') {
                    Some((w, p)) => (w.parse::<usize>().unwrap_or(0), p.parse::<usize>().ok()),
                    None => (digits.parse::<usize>().unwrap_or(0), None),
                };
                if width > 4096 || precision.is_some_and(|p| p > 64) {
                    return err("format(): width or precision too large");
                }
                let text = match verb {
                    'q' => serde_json::Value::String(Value::scalar_string(v).unwrap_or_default())
                        .to_string(),
                    'd' => format!(
                        "{}",
                        v.as_f64()
                            .ok_or_else(|| EvalError("format(): %d needs a number".into()))?
                            as i64
                    ),
                    'f' => {
                        let x = v
                            .as_f64()
                            .ok_or_else(|| EvalError("format(): %f needs a number".into()))?;
                        format!("{x:.prec$}", prec = precision.unwrap_or(6))
                    }
                    'v' if !matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)) => {
                        v.to_json().map(|j| j.to_string()).unwrap_or_default()
                    }
                    _ => Value::scalar_string(v)
                        .ok_or_else(|| EvalError(format!("format(): %{verb} needs a primitive")))?,
                };
                let pad = width.saturating_sub(text.chars().count());
                if left {
                    out.push_str(&text);
                    out.extend(std::iter::repeat_n(' ', pad));
                } else if zero && matches!(verb, 'd' | 'f') {
                    let (sign, digits) = text
                        .strip_prefix('-')
                        .map_or(("", text.as_str()), |d| ("-", d));
                    out.push_str(sign);
                    out.extend(std::iter::repeat_n('0', pad));
                    out.push_str(digits);
                } else {
                    out.extend(std::iter::repeat_n(' ', pad));
                    out.push_str(&text);
                }
            }
            _ => return err("format(): unsupported verb"),
        }
    }
    Ok(Value::String(out))
}

fn cidrsubnet(prefix: &str, newbits: f64, netnum: f64) -> Result<Value> {
    let net: ipnet::IpNet = prefix
        .parse()
        .map_err(|e| EvalError(format!("cidrsubnet(): {e}")))?;
    let new_len = net.prefix_len() as u32 + newbits as u32;
    if new_len > net.max_prefix_len() as u32 || newbits < 0.0 || netnum < 0.0 {
        return err("cidrsubnet(): prefix too long");
    }
    let netnum = netnum as u128;
    if newbits < 128.0 && netnum >= (1u128 << newbits as u32) {
        return err("cidrsubnet(): netnum does not fit in newbits");
    }
    Ok(Value::String(match net {
        ipnet::IpNet::V4(n) => {
            let base = u32::from(n.network()) as u128;
            let addr = base | (netnum << (32 - new_len));
            format!("{}/{new_len}", std::net::Ipv4Addr::from(addr as u32))
        }
        ipnet::IpNet::V6(n) => {
            let base = u128::from(n.network());
            let addr = base | netnum.checked_shl(128 - new_len).unwrap_or(0);
            format!("{}/{new_len}", std::net::Ipv6Addr::from(addr))
        }
    }))
}

fn cidrhost(prefix: &str, hostnum: f64) -> Result<Value> {
    let net: ipnet::IpNet = prefix
        .parse()
        .map_err(|e| EvalError(format!("cidrhost(): {e}")))?;
    // A negative host number counts back from the end of the range (-1 is the last address).
    let host_bits = u32::from(net.max_prefix_len() - net.prefix_len());
    let size: i128 = if host_bits >= 127 {
        i128::MAX
    } else {
        1i128 << host_bits
    };
    let n = hostnum as i128;
    let offset = if n < 0 { size + n } else { n };
    if offset < 0 || offset >= size {
        return err(format!("cidrhost(): host number {n} is outside {prefix}"));
    }
    Ok(Value::String(match net {
        ipnet::IpNet::V4(v4) => {
            std::net::Ipv4Addr::from(u32::from(v4.network()) + offset as u32).to_string()
        }
        ipnet::IpNet::V6(v6) => {
            std::net::Ipv6Addr::from(u128::from(v6.network()) + offset as u128).to_string()
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrsubnet_matches_terraform_examples() {
        // Terraform docs: cidrsubnet("172.16.0.0/12", 4, 2) = "172.18.0.0/16"
        assert_eq!(
            cidrsubnet("172.16.0.0/12", 4.0, 2.0).unwrap(),
            Value::String("172.18.0.0/16".into())
        );
        // cidrsubnet("10.1.2.0/24", 4, 15) = "10.1.2.240/28"
        assert_eq!(
            cidrsubnet("10.1.2.0/24", 4.0, 15.0).unwrap(),
            Value::String("10.1.2.240/28".into())
        );
        // cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162) = "fd00:fd12:3456:7800:a200::/72"
        assert_eq!(
            cidrsubnet("fd00:fd12:3456:7890::/56", 16.0, 162.0).unwrap(),
            Value::String("fd00:fd12:3456:7800:a200::/72".into())
        );
    }

    #[test]
    fn format_verbs() {
        assert_eq!(
            format("%s-%d%%", &[Value::String("a".into()), Value::Number(3.0)]).unwrap(),
            Value::String("a-3%".into())
        );
    }
}
