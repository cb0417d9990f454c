use deadbolt_model::aws::dynamodb::Table;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A DynamoDB table without point-in-time recovery (`point_in_time_recovery` absent or
    /// `enabled = false`).
    ///
    /// ## Why it matters
    /// Point-in-time recovery keeps continuous backups for up to 35 days and restores the table as
    /// it was at any second in that window. Without it, a bad deployment, a buggy batch job or a
    /// malicious `DeleteItem` loop can only be undone from on-demand backups, if someone took one,
    /// and everything written since is lost.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name         = "orders"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "order_id"
    ///   attribute {
    ///     name = "order_id"
    ///     type = "S"
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name         = "orders"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "order_id"
    ///   attribute {
    ///     name = "order_id"
    ///     type = "S"
    ///   }
    ///   point_in_time_recovery {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `point_in_time_recovery { enabled = true }` to the table.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-11; NIST SP 800-53 CP-9, CP-10
    /// - Amazon DynamoDB Developer Guide, "Point-in-time recovery for DynamoDB"
    pub(crate) struct TablePitrDisabled;
    id: "AWS-DYNAMODB-001",
    name: "dynamodb-pitr-disabled",
    title: "DynamoDB table has no point-in-time recovery",
    severity: Severity::Medium,
    layer: Layer::BackupRecovery,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "dynamodb",
    fix: "Enable point-in-time recovery on the table.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-11"],
        nist_800_53: &["CP-9", "CP-10"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_28"], trivy: &["AVD-AWS-0024"] },
}

impl Rule for TablePitrDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for table in model.all::<Table>() {
            checks.require(
                &table.meta,
                &table.point_in_time_recovery,
                |on| *on,
                |_| {
                    if table.point_in_time_recovery.explicit {
                        "point-in-time recovery is switched off".to_string()
                    } else {
                        "point-in-time recovery is not enabled".to_string()
                    }
                },
            );
        }
    }
}
