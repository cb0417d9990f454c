use deadbolt_model::aws::eks::Cluster;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

const WORLD: &[&str] = &["0.0.0.0/0", "::/0"];

declare_rule! {
    /// ## What it checks
    /// An EKS cluster whose public API server endpoint accepts connections from every address:
    /// public access is on (the default) and the allowed CIDRs include `0.0.0.0/0` (the default
    /// when none are listed) or `::/0`.
    ///
    /// ## Why it matters
    /// The API server is then exposed to the whole internet, where it is found by scanners within
    /// hours. Any leaked credential, misconfigured anonymous binding or API server vulnerability
    /// becomes exploitable by anyone, not just from the networks you trust.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_eks_cluster" "apps" {
    ///   name     = "apps"
    ///   role_arn = aws_iam_role.eks.arn
    ///   vpc_config {
    ///     subnet_ids          = var.private_subnet_ids
    ///     public_access_cidrs = ["0.0.0.0/0"]
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
    ///     public_access_cidrs     = ["203.0.113.0/24"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Disable the public endpoint, or restrict it to the CIDRs of your offices, VPN egress and
    /// CI runners.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7
    /// - Amazon EKS User Guide, "Control network access to cluster API server endpoint"
    pub(crate) struct PublicEndpointOpenToWorld;
    id: "AWS-EKS-002",
    name: "eks-public-endpoint-open-to-world",
    title: "EKS cluster API endpoint is open to the whole internet",
    severity: Severity::High,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "eks",
    fix: "Disable the public API endpoint or restrict its allowed CIDRs to known networks.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_38"], trivy: &["AVD-AWS-0041"] },
}

impl Rule for PublicEndpointOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for cluster in model.all::<Cluster>() {
            match cluster.endpoint_public_access.known() {
                Some(true) => {}
                Some(false) => {
                    checks.pass(&cluster.meta);
                    continue;
                }
                None => {
                    checks.not_evaluated_attr(&cluster.meta, &cluster.endpoint_public_access);
                    continue;
                }
            }
            let attr = &cluster.public_access_cidrs;
            checks.require(
                &cluster.meta,
                attr,
                |cidrs| !cidrs.iter().any(|c| WORLD.contains(&c.as_str())),
                |cidrs| {
                    let world = cidrs
                        .iter()
                        .find(|c| WORLD.contains(&c.as_str()))
                        .map_or("0.0.0.0/0", String::as_str);
                    let default = if attr.explicit { "" } else { " (the default)" };
                    format!("the public API server endpoint allows `{world}`{default}")
                },
            );
        }
    }
}
