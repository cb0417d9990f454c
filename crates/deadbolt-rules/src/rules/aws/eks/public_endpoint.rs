use deadbolt_model::aws::eks::Cluster;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EKS cluster whose Kubernetes API server endpoint is reachable from the internet (the
    /// default), whatever CIDRs it is limited to. AWS-EKS-002 reports the worse case of an
    /// endpoint open to every address.
    ///
    /// ## Why it matters
    /// The API server is the cluster's control plane: a leaked kubeconfig, a stolen IAM
    /// credential mapped to a cluster role, or an API server vulnerability is exploitable from
    /// anywhere the endpoint is reachable. A private endpoint confines all of that to the VPC and
    /// its connected networks.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_eks_cluster" "apps" {
    ///   name     = "apps"
    ///   role_arn = aws_iam_role.eks.arn
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
    ///   vpc_config {
    ///     subnet_ids              = var.private_subnet_ids
    ///     endpoint_private_access = true
    ///     endpoint_public_access  = false
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable the private endpoint and disable the public one; reach the API from CI runners and
    /// administrators' machines through the VPC (VPN, Direct Connect, a bastion or SSM). If a
    /// public endpoint is unavoidable, limit it to known CIDRs and suppress this finding with the
    /// reason.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7
    /// - Amazon EKS User Guide, "Control network access to cluster API server endpoint"
    pub(crate) struct PublicEndpoint;
    id: "AWS-EKS-001",
    name: "eks-public-endpoint",
    title: "EKS cluster API endpoint is reachable from the internet",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "eks",
    fix: "Enable the private API endpoint and disable the public one (or limit it to known CIDRs).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_39"], trivy: &["AVD-AWS-0040"] },
}

impl Rule for PublicEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for cluster in model.all::<Cluster>() {
            let attr = &cluster.endpoint_public_access;
            checks.require(
                &cluster.meta,
                attr,
                |public| !*public,
                |_| {
                    let default = if attr.explicit { "" } else { " (the default)" };
                    format!("the API server endpoint is public{default}")
                },
            );
        }
    }
}
