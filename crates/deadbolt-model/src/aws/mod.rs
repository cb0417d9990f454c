//! Amazon Web Services resources, one module per service.
//!
//! Field names follow the AWS API's concepts rather than any one source's spelling, so Terraform,
//! CloudFormation and live collectors fill the same fields. Absent settings carry the AWS default
//! (documented per field) with `explicit == false`.

pub mod account;
pub mod apigateway;
pub mod cloudfront;
pub mod cloudtrail;
pub mod config;
pub mod datastore;
pub mod dynamodb;
pub mod ec2;
pub mod ecr;
pub mod eks;
pub mod elb;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod lightsail;
pub mod rds;
pub mod regional;
pub mod s3;
pub mod sharing;
