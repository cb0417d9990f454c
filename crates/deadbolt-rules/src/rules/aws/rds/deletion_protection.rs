use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{defaulted, owns_storage};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An RDS DB instance or an RDS/Aurora cluster without deletion protection (off unless
    /// requested). Aurora cluster members are judged through their cluster, which is what
    /// deletion protection applies to.
    ///
    /// ## Why it matters
    /// Without it, one API call, console click or an unreviewed `terraform destroy` (or a plan that
    /// replaces the resource) deletes the database. Deletion protection makes deletion a
    /// deliberate two-step change.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_rds_cluster" "catalog" {
    ///   cluster_identifier = "catalog"
    ///   engine             = "aurora-mysql"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_rds_cluster" "catalog" {
    ///   cluster_identifier  = "catalog"
    ///   engine              = "aurora-mysql"
    ///   deletion_protection = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable deletion protection on production databases; turn it off deliberately, in a
    /// separate change, when a database really is to be removed.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 CM-3
    /// - Amazon RDS User Guide, "Deletion protection"
    pub(crate) struct NoDeletionProtection;
    id: "AWS-RDS-004",
    name: "rds-no-deletion-protection",
    title: "RDS database has no deletion protection",
    severity: Severity::Medium,
    layer: Layer::BackupRecovery,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Enable deletion protection on the DB instance or cluster.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["CM-3"],
    },
    equivalents: Equivalents {
        checkov: &["CKV_AWS_293", "CKV_AWS_139"],
        trivy: &["AVD-AWS-0177", "AVD-AWS-0343"],
    },
}

impl Rule for NoDeletionProtection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for db in model.all::<Database>().filter(|db| owns_storage(db)) {
            let attr = &db.deletion_protection;
            checks.require(
                &db.meta,
                attr,
                |on| *on,
                |_| format!("deletion protection is off{}", defaulted(attr.explicit)),
            );
        }
    }
}
