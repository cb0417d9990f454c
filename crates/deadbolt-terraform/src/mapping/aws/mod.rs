//! AWS resource mappings, one file per service.

use super::MapContext;
use crate::evaluated::EvaluatedResource;

mod apigateway;
mod cloudfront;
mod cloudtrail;
mod config;
mod datastore;
mod dynamodb;
mod ec2;
mod ecr;
mod eks;
mod elb;
mod iam;
mod kms;
mod lambda;
mod lightsail;
mod policy;
mod rds;
mod s3;

/// Maps a primary resource; `false` when no service claims its type.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    iam::map_primary(res, cx)
        || apigateway::map_primary(res, cx)
        || s3::map_primary(res, cx)
        || ec2::map_primary(res, cx)
        || rds::map_primary(res, cx)
        || dynamodb::map_primary(res, cx)
        || kms::map_primary(res, cx)
        || cloudtrail::map_primary(res, cx)
        || elb::map_primary(res, cx)
        || cloudfront::map_primary(res, cx)
        || lambda::map_primary(res, cx)
        || eks::map_primary(res, cx)
        || ecr::map_primary(res, cx)
        || datastore::map_primary(res, cx)
        || config::map_primary(res, cx)
        || lightsail::map_primary(res, cx)
}

/// Joins a split resource into its parent; `false` when no service claims its type.
pub(super) fn map_split(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    iam::map_split(res, cx)
        || apigateway::map_split(res, cx)
        || s3::map_split(res, cx)
        || ec2::map_split(res, cx)
        || rds::map_split(res, cx)
        || dynamodb::map_split(res, cx)
        || kms::map_split(res, cx)
        || cloudtrail::map_split(res, cx)
        || elb::map_split(res, cx)
        || cloudfront::map_split(res, cx)
        || lambda::map_split(res, cx)
        || eks::map_split(res, cx)
        || ecr::map_split(res, cx)
        || datastore::map_split(res, cx)
        || config::map_split(res, cx)
        || lightsail::map_split(res, cx)
}

/// Runs each service's final pass (unresolved joins become unknowns).
pub(super) fn finish(cx: &mut MapContext) {
    iam::finish(cx);
    apigateway::finish(cx);
    s3::finish(cx);
    ec2::finish(cx);
    rds::finish(cx);
    dynamodb::finish(cx);
    kms::finish(cx);
    cloudtrail::finish(cx);
    elb::finish(cx);
    cloudfront::finish(cx);
    lambda::finish(cx);
    eks::finish(cx);
    ecr::finish(cx);
    datastore::finish(cx);
    config::finish(cx);
    lightsail::finish(cx);
}
