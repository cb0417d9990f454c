//! Judging the account-wide services that must be on in every collected region (AWS Config,
//! GuardDuty, Security Hub, IAM Access Analyzer): one outcome per region.

use deadbolt_model::Model;
use deadbolt_model::aws::regional::{RegionalService, ServiceKind};

use crate::checks::Checks;

/// Fails each region where `kind` is off (at the call that showed it), passes each where it is
/// on, and leaves a region not evaluated when its calls failed or were not collected.
pub(crate) fn judge_every_region<'m>(model: &'m Model, checks: &mut Checks<'m>, kind: ServiceKind) {
    for service in model.all::<RegionalService>().filter(|s| s.kind == kind) {
        checks.require(
            &service.meta,
            &service.status,
            |status| status.enabled,
            |status| {
                format!(
                    "{} is not enabled in {}: {}",
                    kind.name(),
                    service.region,
                    status.detail
                )
            },
        );
    }
}
