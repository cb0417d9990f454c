//! AWS rules, one folder per service.

use crate::rule::Rule;

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
mod rds;
mod s3;

/// Every AWS rule.
pub(crate) fn all() -> Vec<&'static dyn Rule> {
    let mut rules = Vec::new();
    rules.extend_from_slice(iam::RULES);
    rules.extend_from_slice(s3::RULES);
    rules.extend_from_slice(ec2::RULES);
    rules.extend_from_slice(rds::RULES);
    rules.extend_from_slice(dynamodb::RULES);
    rules.extend_from_slice(kms::RULES);
    rules.extend_from_slice(cloudtrail::RULES);
    rules.extend_from_slice(elb::RULES);
    rules.extend_from_slice(cloudfront::RULES);
    rules.extend_from_slice(lambda::RULES);
    rules.extend_from_slice(eks::RULES);
    rules.extend_from_slice(ecr::RULES);
    rules.extend_from_slice(datastore::RULES);
    rules.extend_from_slice(config::RULES);
    rules.extend_from_slice(lightsail::RULES);
    rules
}
