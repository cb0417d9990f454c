use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An RDS DB instance, Aurora cluster member or Multi-AZ DB cluster with automatic minor
    /// version upgrades turned off (they are on by default).
    ///
    /// ## Why it matters
    /// Minor engine versions carry security fixes. With automatic upgrades off, the database stays
    /// on a vulnerable version until someone schedules the upgrade by hand, which in practice is
    /// often never.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_db_instance" "crm" {
    ///   identifier                 = "crm"
    ///   engine                     = "postgres"
    ///   instance_class             = "db.t4g.medium"
    ///   allocated_storage          = 20
    ///   auto_minor_version_upgrade = false
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_db_instance" "crm" {
    ///   identifier                 = "crm"
    ///   engine                     = "postgres"
    ///   instance_class             = "db.t4g.medium"
    ///   allocated_storage          = 20
    ///   auto_minor_version_upgrade = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn automatic minor version upgrades on and pick a maintenance window that suits the
    /// workload.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.3.2
    /// - NIST CSF 2.0 PR.PS-02; NIST SP 800-53 SI-2
    /// - Amazon RDS User Guide, "Automatically upgrading the minor engine version"
    pub(crate) struct AutoMinorUpgradeOff;
    id: "AWS-RDS-005",
    name: "rds-auto-minor-upgrade-off",
    title: "RDS automatic minor version upgrades are off",
    severity: Severity::Medium,
    layer: Layer::ConfigurationManagement,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Enable automatic minor version upgrades and set a maintenance window.",
    references: References {
        cis_aws_v3: &["2.3.2"],
        nist_csf_2: &["PR.PS-02"],
        nist_800_53: &["SI-2"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_226"], trivy: &[] },
}

impl Rule for AutoMinorUpgradeOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for db in model.all::<Database>() {
            checks.require(
                &db.meta,
                &db.auto_minor_version_upgrade,
                |on| *on,
                |_| "automatic minor version upgrades are off".to_string(),
            );
        }
    }
}
