//! cloudtrail resources.

use crate::evaluated::EvaluatedResource;
use crate::mapping::MapContext;

/// Maps the service's primary resource types.
pub(super) fn map_primary(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Joins the service's split resource types into their parents.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Final pass after all joins.
pub(super) fn finish(_cx: &mut MapContext) {}
