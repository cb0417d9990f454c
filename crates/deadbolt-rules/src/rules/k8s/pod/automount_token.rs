use deadbolt_model::k8s::{ServiceAccount, Workload};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every workload whose pod does not set `automountServiceAccountToken: false`, unless its
    /// ServiceAccount (found in the scan, same namespace) sets it to `false` and the pod does not
    /// override it.
    ///
    /// ## Why it matters
    /// By default every container gets a token for its service account at a well-known path. Most
    /// applications never call the Kubernetes API, but whoever compromises them gets the token and
    /// every permission bound to the account, the first step of most in-cluster escalations.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: apps
    /// spec:
    ///   automountServiceAccountToken: false
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## Fix
    /// Set `automountServiceAccountToken: false` in the pod spec, or on the ServiceAccount so every pod
    /// using it inherits it. Pods that do call the API should use a dedicated ServiceAccount with a
    /// narrow Role.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6, IA-5
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", protecting pod service account tokens
    /// - Kubernetes documentation, "Configure Service Accounts for Pods"
    pub(crate) struct AutomountToken;
    id: "K8S-POD-018",
    name: "k8s-service-account-token-automounted",
    title: "Pod mounts a service account token it may not need",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `automountServiceAccountToken: false` on the pod (or its ServiceAccount) unless it calls the API server.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6", "IA-5"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_38"], trivy: &[] },
}

impl Rule for AutomountToken {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for workload in model.all::<Workload>() {
            let pod = &workload.pod;
            let account = pod
                .service_account_name
                .known()
                .map_or("default", String::as_str);
            let (mounted, span, how) = match pod.automount_service_account_token.known() {
                Some(Some(mount)) => (
                    *mount,
                    &pod.automount_service_account_token.span,
                    "the pod sets `automountServiceAccountToken: true`",
                ),
                _ => {
                    let from_account = model
                        .all::<ServiceAccount>()
                        .find(|sa| {
                            sa.object.name == account
                                && sa.object.namespace_name() == workload.object.namespace_name()
                        })
                        .and_then(|sa| *sa.automount_service_account_token.known()?);
                    (
                        from_account.unwrap_or(true),
                        &pod.span,
                        "neither the pod nor its service account sets `automountServiceAccountToken: false`",
                    )
                }
            };
            if mounted {
                checks.fail(
                    &workload.meta,
                    span,
                    format!("mounts the API token of service account `{account}`: {how}"),
                );
            } else {
                checks.pass(&workload.meta);
            }
        }
    }
}
