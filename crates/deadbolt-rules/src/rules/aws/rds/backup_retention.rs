use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{defaulted, owns_storage};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// The shortest retention that covers a week of incidents noticed late (a weekend, a holiday).
const MIN_DAYS: i64 = 7;

declare_rule! {
    /// ## What it checks
    /// An RDS DB instance or an RDS/Aurora cluster that keeps automated backups for fewer than
    /// 7 days, or has them off (0). When the retention is not written, the RDS API default of
    /// 1 day applies (Amazon RDS User Guide, "Backup retention period"), so it fails. Aurora
    /// cluster members are judged through their cluster.
    ///
    /// This is stricter than Checkov (CKV_AWS_133 accepts 1 day and passes an unset retention)
    /// and Trivy (AVD-AWS-0077 fails only 1 day or less).
    ///
    /// ## Why it matters
    /// Automated backups are what point-in-time restore works from. Corruption, a bad migration
    /// or a ransomware-style wipe is often noticed days later; with one day of backups the last
    /// good state may already be gone.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_rds_cluster" "billing" {
    ///   cluster_identifier      = "billing"
    ///   engine                  = "aurora-postgresql"
    ///   backup_retention_period = 1
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_rds_cluster" "billing" {
    ///   cluster_identifier      = "billing"
    ///   engine                  = "aurora-postgresql"
    ///   backup_retention_period = 14
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set the backup retention period to at least 7 days (up to 35), and consider AWS Backup
    /// plans for longer-term copies.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-11; NIST SP 800-53 CP-9
    /// - Amazon RDS User Guide, "Backup retention period"
    pub(crate) struct BackupRetentionShort;
    id: "AWS-RDS-003",
    name: "rds-backup-retention-lt-7",
    title: "RDS automated backups are kept for fewer than 7 days",
    severity: Severity::Medium,
    layer: Layer::BackupRecovery,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Set the backup retention period to 7 days or more.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-11"],
        nist_800_53: &["CP-9"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_133"], trivy: &["AVD-AWS-0077"] },
}

impl Rule for BackupRetentionShort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for db in model.all::<Database>().filter(|db| owns_storage(db)) {
            let attr = &db.backup_retention_days;
            checks.require(
                &db.meta,
                attr,
                |days| *days >= MIN_DAYS,
                |days| {
                    let what = if *days <= 0 {
                        "automated backups are off".to_string()
                    } else {
                        format!(
                            "automated backups are kept {days} day{}",
                            if *days == 1 { "" } else { "s" }
                        )
                    };
                    format!(
                        "{what}{}; at least {MIN_DAYS} days are required",
                        defaulted(attr.explicit)
                    )
                },
            );
        }
    }
}
