//! What the credential-report rules share: the report's availability.

use deadbolt_model::Model;
use deadbolt_model::aws::account::RootUser;

use crate::checks::Checks;

/// Records the account as not evaluated when its credential report could not be read, so an
/// account whose IAM users were never seen is not taken for one without users.
pub(crate) fn report_unread<'m>(model: &'m Model, checks: &mut Checks<'m>) {
    for root in model.all::<RootUser>() {
        if root.credential_report.known().is_none() {
            checks.not_evaluated_attr(&root.meta, &root.credential_report);
        }
    }
}
