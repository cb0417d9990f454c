use crate::checks::mask;
use crate::rules::secrets;
use deadbolt_model::k8s::Workload;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `env` entry of every container with a literal `value` that is a credential: the variable's
    /// name says password, secret, token or key (`DB_PASSWORD`, `API_TOKEN`, `AWS_SECRET_ACCESS_KEY`),
    /// or the value has the shape of one (an AWS access key ID, a private key, a URL with a password, a
    /// GitHub, Slack or Stripe token). Placeholders (`$(VAR)`, `${VAR}`) and empty values are not
    /// credentials. Values are masked in findings.
    ///
    /// ## Why it matters
    /// A literal value in a manifest is in every copy of it: the Git history, CI logs, `kubectl get -o
    /// yaml` output and the object in etcd, readable by anyone who can read the workload (a far wider
    /// group than those who can read Secrets).
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.1
    ///     env:
    ///     - name: DB_PASSWORD
    ///       value: "correct-horse-battery"
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.1
    ///     env:
    ///     - name: DB_PASSWORD
    ///       valueFrom:
    ///         secretKeyRef:
    ///           name: api-db
    ///           key: password
    ///     - name: LOG_LEVEL
    ///       value: info
    /// ```
    ///
    /// ## Fix
    /// Create a Secret (ideally from an external secret store through the Secrets Store CSI driver or
    /// External Secrets) and reference it with `valueFrom.secretKeyRef`, or mount it as a file. Rotate
    /// the credential: it has been exposed.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-01, PR.DS-01; NIST SP 800-53 IA-5(7), SC-28
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening", Secrets
    /// - Kubernetes documentation, "Good practices for Kubernetes Secrets"
    pub(crate) struct SecretInEnv;
    id: "K8S-POD-017",
    name: "k8s-secret-in-env-value",
    title: "Container has a secret written into an environment variable",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Move the value into a Secret and reference it with `valueFrom.secretKeyRef` or a mounted volume.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-01", "PR.DS-01"],
        nist_800_53: &["IA-5(7)", "SC-28"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

/// Name parts that mark a variable as holding a credential.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATE",
];

/// Whether a variable's name says it holds a credential: one of [`SECRET_WORDS`] as a part of the
/// name, or `KEY` as the last part (`API_KEY`, `STRIPE_KEY`; not `KEYBOARD_LAYOUT`).
fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split(['_', '-', '.']).collect();
    parts.iter().any(|p| SECRET_WORDS.contains(p)) || parts.last() == Some(&"KEY")
}

/// What credential shape `value` has, if any.
fn secret_shape(value: &str) -> Option<&'static str> {
    if !secrets::aws_access_key_ids(value).is_empty() {
        Some("an AWS access key ID")
    } else if secrets::private_key_header(value).is_some() {
        Some("a private key")
    } else if secrets::has_url_password(value) {
        Some("a URL with a password")
    } else {
        secrets::token_kind(value)
    }
}

/// Whether a value only refers to another variable (`$(DB_PASS)`, `${DB_PASS}`).
fn placeholder(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with("$(") && v.ends_with(')')) || (v.starts_with("${") && v.ends_with('}'))
}

impl Rule for SecretInEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for workload in model.all::<Workload>() {
            let mut failed = false;
            for c in &workload.pod.containers {
                for var in &c.env {
                    let Some(value) = var.value.as_ref() else {
                        continue;
                    };
                    let Some(text) = value.known() else { continue };
                    if text.trim().is_empty() || placeholder(text) {
                        continue;
                    }
                    let why = match secret_shape(text) {
                        Some(shape) => format!("holds {shape}"),
                        None if secret_name(&var.name) => "is named like a credential".to_string(),
                        None => continue,
                    };
                    checks.fail(
                        &workload.meta,
                        &value.span,
                        format!(
                            "{} `{}`: environment variable `{}` {why} and its value is written in the manifest (`{}`)",
                            c.kind.noun(),
                            c.name,
                            var.name,
                            mask(text)
                        ),
                    );
                    failed = true;
                }
            }
            if !failed {
                checks.pass(&workload.meta);
            }
        }
    }
}
