use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::defaulted;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A standalone RDS DB instance that is not a Multi-AZ deployment (single-AZ is the
    /// default). Clusters and their members are not judged: their availability comes from the
    /// cluster's topology (Aurora storage spans three Availability Zones; Multi-AZ DB clusters
    /// have two standbys).
    ///
    /// ## Why it matters
    /// A single-AZ instance is down for as long as its Availability Zone, host or storage volume
    /// is, and maintenance such as OS patching takes it offline. Multi-AZ keeps a synchronous
    /// standby in another zone and fails over automatically, usually within a minute or two.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_db_instance" "sessions" {
    ///   identifier        = "sessions"
    ///   engine            = "mariadb"
    ///   instance_class    = "db.t4g.medium"
    ///   allocated_storage = 20
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_db_instance" "sessions" {
    ///   identifier        = "sessions"
    ///   engine            = "mariadb"
    ///   instance_class    = "db.t4g.medium"
    ///   allocated_storage = 20
    ///   multi_az          = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable Multi-AZ on production instances (it can be turned on for a running instance), or
    /// suppress the finding with a reason for development databases.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-03; NIST SP 800-53 CP-10, SC-36
    /// - Amazon RDS User Guide, "Configuring and managing a Multi-AZ deployment"
    pub(crate) struct NoMultiAz;
    id: "AWS-RDS-007",
    name: "rds-no-multi-az",
    title: "RDS DB instance is not Multi-AZ",
    severity: Severity::Low,
    layer: Layer::BackupRecovery,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Enable Multi-AZ for production DB instances.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-03"],
        nist_800_53: &["CP-10", "SC-36"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_157"], trivy: &[] },
}

impl Rule for NoMultiAz {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for db in model
            .all::<Database>()
            .filter(|db| !db.is_cluster && !db.in_cluster)
        {
            let attr = &db.multi_az;
            checks.require(
                &db.meta,
                attr,
                |on| *on,
                |_| {
                    format!(
                        "the instance runs in a single Availability Zone{}",
                        defaulted(attr.explicit)
                    )
                },
            );
        }
    }
}
