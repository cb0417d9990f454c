use deadbolt_model::aws::lambda::Function;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, Unknown};

use crate::checks::{Checks, mask};
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::secrets;

/// Name fragments (upper case, separators removed) of variables that hold secrets.
const SECRET_NAME_PARTS: &[&str] = &[
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "APIKEY",
    "PRIVATEKEY",
    "CREDENTIAL",
];

/// Name endings of variables that point at a secret or describe it rather than hold it
/// (`DB_SECRET_ARN`, `TOKEN_URL`, `API_KEY_PARAMETER`).
const POINTER_NAME_SUFFIXES: &[&str] = &[
    "ARN",
    "ID",
    "NAME",
    "PATH",
    "PARAM",
    "PARAMETER",
    "URL",
    "URI",
    "ENDPOINT",
    "TTL",
    "HEADER",
    "FILE",
    "TYPE",
    "VERSION",
    "REGION",
    "ENABLED",
];

/// Prefixes of values that point at a secret store or a file instead of holding the secret.
const POINTER_VALUE_PREFIXES: &[&str] = &["arn:", "{{resolve:", "/", "ssm:", "secretsmanager:"];

fn normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn is_secret_name(name: &str) -> bool {
    let n = normalized(name);
    SECRET_NAME_PARTS.iter().any(|p| n.contains(p))
        && !POINTER_NAME_SUFFIXES.iter().any(|s| n.ends_with(s))
}

/// What kind of credential the value itself shows, whatever the variable's name.
fn credential_kind(value: &str) -> Option<&'static str> {
    if !secrets::aws_access_key_ids(value).is_empty() {
        return Some("an AWS access key ID");
    }
    if secrets::private_key_header(value).is_some() {
        return Some("a private key");
    }
    if secrets::has_url_password(value) {
        return Some("a connection string with a password");
    }
    secrets::token_kind(value)
}

/// A literal that cannot be a secret: empty, a pointer to a secret store or file, a flag or a
/// number.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || POINTER_VALUE_PREFIXES.iter().any(|p| v.starts_with(p))
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
        || v.chars().all(|c| c.is_ascii_digit())
}

declare_rule! {
    /// ## What it checks
    /// A Lambda function whose environment variables hold literal secrets: a variable named like
    /// a secret (`*SECRET*`, `*PASSWORD*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE_KEY*`,
    /// `*CREDENTIAL*`) with a literal value, or any variable whose value looks like a credential
    /// (an AWS access key ID, a private key, a connection string with a password such as
    /// `postgres://app:pw@db/x`, GitHub, Slack or Stripe tokens). Names that point at
    /// a secret (`DB_SECRET_ARN`, `TOKEN_URL`) and values that do (`arn:…`, SSM paths) are not
    /// secrets. A secret-named variable whose value is only known after apply is not evaluated;
    /// evidence is masked.
    ///
    /// ## Why it matters
    /// Environment variables are stored in the function's configuration, shown in the console,
    /// returned by `GetFunctionConfiguration` to anyone with read access, copied into every
    /// version and committed with the Terraform code and state. A secret there is readable by far
    /// more people than should ever hold it, and cannot be rotated without a redeploy.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lambda_function" "sync" {
    ///   function_name = "sync"
    ///   role          = aws_iam_role.sync.arn
    ///   runtime       = "nodejs20.x"
    ///   handler       = "index.handler"
    ///   filename      = "sync.zip"
    ///   environment {
    ///     variables = {
    ///       CRM_API_KEY = "3f9c2e7a1b8d4c6e"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lambda_function" "sync" {
    ///   function_name = "sync"
    ///   role          = aws_iam_role.sync.arn
    ///   runtime       = "nodejs20.x"
    ///   handler       = "index.handler"
    ///   filename      = "sync.zip"
    ///   environment {
    ///     variables = {
    ///       CRM_API_KEY_SECRET_ARN = aws_secretsmanager_secret.crm.arn
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Store the secret in AWS Secrets Manager or SSM Parameter Store (SecureString), pass its ARN
    /// or name in the environment, and read it at run time (the Parameters and Secrets Lambda
    /// extension caches it). Rotate any secret that was ever committed.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-01; NIST SP 800-53 IA-5(7)
    /// - AWS Lambda Developer Guide, "Securing Lambda environment variables"
    pub(crate) struct EnvSecrets;
    id: "AWS-LAMBDA-002",
    name: "lambda-env-secrets",
    title: "Lambda environment variables hold literal secrets",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Faas],
    provider: Provider::Aws,
    service: "lambda",
    fix: "Move the secret to Secrets Manager or SSM Parameter Store, pass only its ARN or name, read it at run time, and rotate it.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-01"],
        nist_800_53: &["IA-5(7)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_45"], trivy: &[] },
}

impl Rule for EnvSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for function in model.all::<Function>() {
            let Some(vars) = function.environment.known() else {
                checks.not_evaluated_attr(&function.meta, &function.environment);
                continue;
            };
            let mut failed = false;
            let mut unknown: Option<&Unknown> = None;
            for var in vars {
                let name = &var.name;
                match var.value.known() {
                    Some(value) => {
                        if let Some(kind) = credential_kind(value) {
                            checks.fail(
                                &function.meta,
                                &var.value.span,
                                format!(
                                    "environment variable `{name}` holds {kind} (`{}`)",
                                    mask(value)
                                ),
                            );
                            failed = true;
                        } else if is_secret_name(name) && !is_placeholder(value) {
                            checks.fail(
                                &function.meta,
                                &var.value.span,
                                format!(
                                    "environment variable `{name}` holds a literal secret (`{}`)",
                                    mask(value)
                                ),
                            );
                            failed = true;
                        }
                    }
                    None if is_secret_name(name) => {
                        unknown = unknown.or(var.value.unknown_reason())
                    }
                    None => {}
                }
            }
            match (failed, unknown) {
                (true, _) => {}
                (false, Some(reason)) => checks.not_evaluated(&function.meta, reason),
                (false, None) => checks.pass(&function.meta),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{credential_kind, is_placeholder, is_secret_name};

    #[test]
    fn secret_names_but_not_pointers() {
        for name in [
            "DB_PASSWORD",
            "secret_key",
            "apiKey",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "DB_SECRET_ARN",
            "TOKEN_URL",
            "API_KEY_PARAMETER",
            "LOG_LEVEL",
            "SECRET_ID",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn credential_values() {
        assert_eq!(
            credential_kind("AKIAIOSFODNN7EXAMPLE"),
            Some("an AWS access key ID")
        );
        assert_eq!(
            credential_kind("id=ASIAIOSFODNN7EXAMPLE;x"),
            Some("an AWS access key ID")
        );
        assert_eq!(credential_kind("AKIAIOSFODNN7EXAMPLEX"), None);
        assert_eq!(credential_kind("https://example.com"), None);
    }

    #[test]
    fn placeholders_are_not_secrets() {
        assert!(is_placeholder(
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db"
        ));
        assert!(is_placeholder("/prod/db/password"));
        assert!(is_placeholder(""));
        assert!(!is_placeholder("hunter2"));
    }
}
