use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An RDS DB instance, Aurora cluster member or Multi-AZ DB cluster marked publicly
    /// accessible: RDS gives it a DNS name that resolves to a public IP address.
    ///
    /// ## Why it matters
    /// A publicly accessible database is one security group rule away from the internet, where
    /// database ports are scanned continuously for weak passwords and unpatched engines. Databases
    /// almost never need to be reached from outside the VPC; applications, bastions and VPNs reach
    /// them privately.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_db_instance" "reports" {
    ///   identifier          = "reports"
    ///   engine              = "mysql"
    ///   instance_class      = "db.t4g.small"
    ///   allocated_storage   = 20
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_db_instance" "reports" {
    ///   identifier          = "reports"
    ///   engine              = "mysql"
    ///   instance_class      = "db.t4g.small"
    ///   allocated_storage   = 20
    ///   publicly_accessible = false
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn public accessibility off, place the database in private subnets, and reach it through
    /// the application tier, a bastion, Session Manager port forwarding or a VPN.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.3.3
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-3
    /// - Amazon RDS User Guide, "Working with a DB instance in a VPC"
    pub(crate) struct PubliclyAccessible;
    id: "AWS-RDS-002",
    name: "rds-publicly-accessible",
    title: "RDS database is publicly accessible",
    severity: Severity::High,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Disable public accessibility, use private subnets, and reach the database through private paths (application tier, bastion, VPN).",
    references: References {
        cis_aws_v3: &["2.3.3"],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-3"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_17"], trivy: &["AVD-AWS-0180"] },
}

impl Rule for PubliclyAccessible {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for db in model.all::<Database>() {
            checks.require(
                &db.meta,
                &db.publicly_accessible,
                |public| !*public,
                |_| "the database is publicly accessible".to_string(),
            );
        }
    }
}
