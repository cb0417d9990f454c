//! Judging copies of data the account owns (EBS snapshots, AMIs, RDS snapshots) for public
//! sharing.

use deadbolt_model::Model;
use deadbolt_model::aws::sharing::{CopyKind, SharedCopy};

use crate::checks::Checks;

/// Fails every copy of one of `kinds` that anyone may copy or restore, passes the others, and
/// leaves those whose sharing could not be read not evaluated.
pub(crate) fn judge_public<'m>(model: &'m Model, checks: &mut Checks<'m>, kinds: &[CopyKind]) {
    for copy in model
        .all::<SharedCopy>()
        .filter(|c| kinds.contains(&c.kind))
    {
        checks.require(
            &copy.meta,
            &copy.public,
            |public| !*public,
            |_| {
                format!(
                    "{} `{}` is shared publicly: any AWS account can use it",
                    copy.kind.name(),
                    copy.id
                )
            },
        );
    }
}
