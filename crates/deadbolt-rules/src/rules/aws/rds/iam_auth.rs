use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{defaulted, owns_storage};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// Engine families that have no IAM database authentication.
const UNSUPPORTED_ENGINE_PREFIXES: &[&str] = &["oracle", "sqlserver", "db2", "custom-"];

declare_rule! {
    /// ## What it checks
    /// An RDS DB instance or an RDS/Aurora cluster running MySQL, MariaDB, PostgreSQL or Aurora
    /// without IAM database authentication (off by default). Oracle, SQL Server and Db2, which do
    /// not support it, are not judged; Aurora cluster members are judged through their cluster.
    ///
    /// ## Why it matters
    /// With only database passwords, credentials live in configuration files and secrets stores
    /// for years and are not tied to a person or a workload. IAM authentication issues
    /// short-lived tokens to IAM identities, so access follows IAM policy, is logged in CloudTrail
    /// and ends when the role does.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_rds_cluster" "ledger" {
    ///   cluster_identifier = "ledger"
    ///   engine             = "aurora-postgresql"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_rds_cluster" "ledger" {
    ///   cluster_identifier                  = "ledger"
    ///   engine                              = "aurora-postgresql"
    ///   iam_database_authentication_enabled = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable IAM database authentication, create database users mapped to IAM (`rds_iam` role on
    /// PostgreSQL, `AWSAuthenticationPlugin` on MySQL), and grant `rds-db:connect` to the roles
    /// that need it.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-03; NIST SP 800-53 IA-2, AC-2
    /// - Amazon RDS User Guide, "IAM database authentication for MariaDB, MySQL, and PostgreSQL"
    pub(crate) struct IamAuthOff;
    id: "AWS-RDS-006",
    name: "rds-iam-auth-off",
    title: "RDS IAM database authentication is off",
    severity: Severity::Low,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Enable IAM database authentication and grant `rds-db:connect` to the IAM roles that need database access.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-03"],
        nist_800_53: &["IA-2", "AC-2"],
    },
    equivalents: Equivalents {
        checkov: &["CKV_AWS_161", "CKV_AWS_162"],
        trivy: &["AVD-AWS-0176"],
    },
}

impl Rule for IamAuthOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for db in model.all::<Database>().filter(|db| owns_storage(db)) {
            let attr = &db.iam_authentication;
            match (attr.known(), db.engine.known()) {
                (None, _) => checks.not_evaluated_attr(&db.meta, attr),
                (Some(true), _) => checks.pass(&db.meta),
                (Some(false), Some(engine))
                    if UNSUPPORTED_ENGINE_PREFIXES
                        .iter()
                        .any(|p| engine.starts_with(p)) => {}
                (Some(false), Some(_)) => checks.fail(
                    &db.meta,
                    &attr.span,
                    format!(
                        "IAM database authentication is off{}",
                        defaulted(attr.explicit)
                    ),
                ),
                // The engine decides whether IAM authentication exists at all.
                (Some(false), None) => checks.not_evaluated_attr(&db.meta, &db.engine),
            }
        }
    }
}
