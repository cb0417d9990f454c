//! AWS Backup plans, for data residency; and what is collected without a model.
//!
//! Reads every page of `backup:ListBackupPlans` of every region and, per plan (parameter
//! `BackupPlanId`, in its region), `GetBackupPlan`: each rule's `CopyActions` copy the backups to
//! the region of `DestinationBackupVaultArn`, which becomes a [`LocationRole::Backup`] location
//! of the plan, as for Terraform's `aws_backup_plan` (the plan, a [`OtherResource`] of kind
//! `AWS::Backup::BackupPlan`, is what copies the data; its primary location is its region). When
//! `GetBackupPlan` failed, one backup location of unknown region keeps the residency rule from
//! passing the plan.
//!
//! Collected but not normalised, because no model type holds what they show:
//! `backup:ListProtectedResources` (which resources are backed up), `secretsmanager:ListSecrets`
//! (secrets and their rotation) and `logs:DescribeLogGroups` (log groups, their retention and
//! KMS keys). They stay in the snapshot for newer deadbolt versions to judge.

use deadbolt_model::{Attr, Location, LocationRole, OtherResource, Unknown};

use super::resource::{regional, required};
use super::{Context, Lookup, lookup_in, span_of};
use crate::json::{list, path, text};

/// Reads every region's backup plans.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("backup", "ListBackupPlans") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for plan in list(response.get("BackupPlansList")) {
            let Some(id) = required(cx, call, plan, "BackupPlanId") else {
                continue;
            };
            let arn = text(plan.get("BackupPlanArn"))
                .unwrap_or_else(|| cx.arn("backup", &call.region, &format!("backup-plan:{id}")));
            let mut meta = regional(arn, "AWS::Backup::BackupPlan", call);
            let found = lookup_in(
                cx.calls,
                "backup",
                "GetBackupPlan",
                &call.region,
                &[("BackupPlanId", &id)],
                &[],
                &span_of(call),
            );
            match &found {
                Lookup::Found(by, response) => {
                    let at = span_of(by);
                    if response.get("BackupPlan").is_none() {
                        cx.malformed(by, "no BackupPlan");
                    }
                    for rule in list(path(response, &["BackupPlan", "Rules"])) {
                        for copy in list(rule.get("CopyActions")) {
                            let vault = text(copy.get("DestinationBackupVaultArn"));
                            let region = vault
                                .as_deref()
                                .and_then(|arn| arn.split(':').nth(3))
                                .filter(|r| !r.is_empty());
                            let region = match region {
                                Some(r) => Attr::set(r.to_string(), at.clone()),
                                None => Attr::unknown(
                                    Unknown::new(format!(
                                        "the copy destination `{}` names no region",
                                        vault.unwrap_or_default()
                                    )),
                                    at.clone(),
                                ),
                            };
                            meta.locations.push(Location {
                                region,
                                role: LocationRole::Backup,
                            });
                        }
                    }
                }
                Lookup::Unknown(reason, at) => meta.locations.push(Location {
                    region: Attr::unknown(reason.clone(), at.clone()),
                    role: LocationRole::Backup,
                }),
                Lookup::None(_) => {}
            }
            cx.model.push(OtherResource { meta });
        }
    }
}
