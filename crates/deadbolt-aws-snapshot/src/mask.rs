//! Secret values are masked before a call enters a snapshot, so a snapshot can be shared with
//! whoever runs the scan.
//!
//! What is masked:
//! - Lambda environment variable values (`Environment.Variables` of `ListFunctions`,
//!   `GetFunction` and `GetFunctionConfiguration`);
//! - CloudFront origin custom header values (`HeaderValue`: often a shared secret between the
//!   distribution and its origin).
//!
//! A value is masked as deadbolt masks secrets in reports: the first four characters and `*` for
//! the rest, every character hidden when it is eight characters or shorter. Values that point at a
//! secret instead of holding one (`arn:...`, `{{resolve:...}}`, an SSM parameter path `/...`,
//! `ssm:`, `secretsmanager:`) and `true`, `false`, empty and all-digit values are kept, so the
//! rules can still tell a pointer from a literal.
//!
//! Live scans therefore judge Lambda environment variables by their names (`DB_PASSWORD` holding a
//! literal), not by the shape of their values.

use serde_json::Value;

/// Masks every secret value in one response of `service`'s `operation`, in place.
pub fn mask_response(service: &str, operation: &str, response: &mut Value) {
    match (service, operation) {
        ("lambda", "ListFunctions" | "GetFunction" | "GetFunctionConfiguration") => {
            walk(response, &mut |key, value| {
                if key == "Environment"
                    && let Some(Value::Object(vars)) = value.get_mut("Variables")
                {
                    for v in vars.values_mut() {
                        mask_in_place(v);
                    }
                }
            })
        }
        ("cloudfront", _) => walk(response, &mut |key, value| {
            if key == "HeaderValue" {
                mask_in_place(value);
            }
        }),
        _ => {}
    }
}

/// Calls `visit` with every object member (key and value) under `value`, depth first.
fn walk(value: &mut Value, visit: &mut dyn FnMut(&str, &mut Value)) {
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                visit(key, member);
                walk(member, visit);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, visit);
            }
        }
        _ => {}
    }
}

const POINTER_PREFIXES: &[&str] = &["arn:", "{{resolve:", "/", "ssm:", "secretsmanager:"];

fn mask_in_place(value: &mut Value) {
    if let Value::String(text) = value {
        *text = mask(text);
    }
}

/// `text` masked (see the module documentation); pointers and flags are returned unchanged.
pub fn mask(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || POINTER_PREFIXES.iter().any(|p| trimmed.starts_with(p))
        || trimmed.eq_ignore_ascii_case("true")
        || trimmed.eq_ignore_ascii_case("false")
        || trimmed.chars().all(|c| c.is_ascii_digit())
    {
        return text.to_string();
    }
    let count = text.chars().count();
    if count <= 8 {
        return "*".repeat(count.max(4));
    }
    let head: String = text.chars().take(4).collect();
    format!("{head}{}", "*".repeat(count - 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lambda_environment_values_are_masked_and_pointers_kept() {
        let mut response = json!({"Functions": [{"FunctionName": "f", "Environment": {"Variables": {
            "DB_PASSWORD": "hunter2-but-longer",
            "SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:x",
            "DEBUG": "true",
            "PIN": "secret"
        }}}]});
        mask_response("lambda", "ListFunctions", &mut response);
        let vars = &response["Functions"][0]["Environment"]["Variables"];
        assert_eq!(vars["DB_PASSWORD"], "hunt**************");
        assert_eq!(
            vars["SECRET_ARN"],
            "arn:aws:secretsmanager:eu-west-1:1:secret:x"
        );
        assert_eq!(vars["DEBUG"], "true");
        assert_eq!(vars["PIN"], "******");
        assert_eq!(response["Functions"][0]["FunctionName"], "f");
    }

    #[test]
    fn cloudfront_origin_header_values_are_masked() {
        let mut response = json!({"DistributionConfig": {"Origins": {"Items": {"Origin": {
            "CustomHeaders": {"Items": {"OriginCustomHeader": {"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cr3t-value-123"}}}
        }}}}});
        mask_response("cloudfront", "GetDistributionConfig", &mut response);
        let header = &response["DistributionConfig"]["Origins"]["Items"]["Origin"]["CustomHeaders"]
            ["Items"]["OriginCustomHeader"];
        assert_eq!(header["HeaderValue"], "s3cr************");
        assert_eq!(header["HeaderName"], "X-Origin-Verify");
    }
}
