use deadbolt_model::aws::eks::Cluster;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// The log types an investigation cannot do without: every API request, the audit trail of who
/// did what, and which IAM identity each Kubernetes user was.
const REQUIRED: &[&str] = &["api", "audit", "authenticator"];

/// All control-plane log types, named in messages so a fix can enable them at once.
const ALL: &[&str] = &[
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
];

declare_rule! {
    /// ## What it checks
    /// An EKS cluster that does not send the `api`, `audit` and `authenticator` control-plane
    /// logs to CloudWatch Logs (none are sent by default). The `controllerManager` and
    /// `scheduler` logs are recommended as well but are not required to pass.
    ///
    /// ## Why it matters
    /// The Kubernetes audit log is the only record of who read which secret, who created a
    /// privileged pod or changed a role binding; the authenticator log ties each Kubernetes user
    /// to an IAM identity. Without them an incident in the cluster cannot be reconstructed.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_eks_cluster" "apps" {
    ///   name                      = "apps"
    ///   role_arn                  = aws_iam_role.eks.arn
    ///   enabled_cluster_log_types = ["api"]
    ///   vpc_config {
    ///     subnet_ids = var.private_subnet_ids
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_eks_cluster" "apps" {
    ///   name     = "apps"
    ///   role_arn = aws_iam_role.eks.arn
    ///   enabled_cluster_log_types = [
    ///     "api", "audit", "authenticator", "controllerManager", "scheduler",
    ///   ]
    ///   vpc_config {
    ///     subnet_ids = var.private_subnet_ids
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable all five control-plane log types (at least `api`, `audit` and `authenticator`) and
    /// set a retention period on the `/aws/eks/<cluster>/cluster` log group.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-04; NIST SP 800-53 AU-2, AU-12
    /// - Amazon EKS User Guide, "Send control plane logs to CloudWatch Logs"
    pub(crate) struct NoControlPlaneLogs;
    id: "AWS-EKS-004",
    name: "eks-no-control-plane-logs",
    title: "EKS cluster does not log its control plane (api, audit, authenticator)",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "eks",
    fix: "Enable the `api`, `audit` and `authenticator` control-plane logs (ideally all five types).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-04"],
        nist_800_53: &["AU-2", "AU-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_37"], trivy: &["AVD-AWS-0038"] },
}

impl Rule for NoControlPlaneLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for cluster in model.all::<Cluster>() {
            let attr = &cluster.control_plane_logs;
            let missing_required = |logs: &Vec<String>| -> Vec<&str> {
                REQUIRED
                    .iter()
                    .copied()
                    .filter(|t| !logs.iter().any(|l| l == t))
                    .collect()
            };
            checks.require(
                &cluster.meta,
                attr,
                |logs| missing_required(logs).is_empty(),
                |logs| {
                    let missing: Vec<String> = ALL
                        .iter()
                        .filter(|t| !logs.iter().any(|l| l == *t))
                        .map(|t| format!("`{t}`"))
                        .collect();
                    if logs.is_empty() {
                        "no control-plane logs are enabled".to_string()
                    } else {
                        format!(
                            "control-plane logs {} are not enabled (required: {})",
                            missing.join(", "),
                            missing_required(logs)
                                .iter()
                                .map(|t| format!("`{t}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                },
            );
        }
    }
}
