use deadbolt_model::aws::datastore::{DataStore, StoreKind};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Redshift provisioned cluster with a public endpoint (`publicly_accessible = true`).
    ///
    /// An unset `publicly_accessible` is reported too: AWS provider v5 and earlier send `true` when
    /// the argument is absent (v6 changed the default to `false`), so the same code makes a public
    /// cluster or a private one depending on the provider version. Writing the value down removes
    /// the doubt.
    ///
    /// ## Why it matters
    /// A public cluster gets an internet-resolvable address. Its security groups become the only
    /// thing between the warehouse and the internet's scanners and password-guessers, and one
    /// `0.0.0.0/0` rule added for a quick test exposes the whole warehouse. Analysts and BI tools
    /// can reach a private cluster through a VPN, a bastion or Redshift-managed VPC endpoints.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier  = "warehouse"
    ///   node_type           = "ra3.xlplus"
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier        = "warehouse"
    ///   node_type                 = "ra3.xlplus"
    ///   publicly_accessible       = false
    ///   cluster_subnet_group_name = aws_redshift_subnet_group.private.name
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `publicly_accessible = false`, place the cluster in private subnets, and give clients
    /// access through the VPC (VPN, peering, or Redshift-managed VPC endpoints).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-3
    /// - Amazon Redshift Management Guide, "Managing clusters in a VPC" (public accessibility)
    pub(crate) struct RedshiftPublic;
    id: "AWS-REDSHIFT-002",
    name: "redshift-cluster-public",
    title: "Redshift cluster has a public endpoint",
    severity: Severity::High,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "redshift",
    fix: "Make the cluster not publicly accessible (`PubliclyAccessible` false) and reach it through the VPC.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-3"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_87"], trivy: &[] },
}

impl Rule for RedshiftPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        let clusters = model
            .all::<DataStore>()
            .filter(|s| s.kind == StoreKind::RedshiftCluster);
        for cluster in clusters {
            let Some(public) = &cluster.publicly_accessible else {
                continue;
            };
            checks.require(
                &cluster.meta,
                public,
                |on| !*on,
                |_| {
                    if public.explicit {
                        "the cluster is publicly accessible".to_string()
                    } else {
                        "public accessibility is not set, and the default assumed for it is public"
                            .to_string()
                    }
                },
            );
        }
    }
}
