//! The snapshot file format, version 1.
//!
//! ```json
//! {
//!   "deadbolt_snapshot": 1,
//!   "provider": "aws",
//!   "collected_at": "2026-11-29T20:00:00Z",
//!   "collector": "deadbolt 0.1.0",
//!   "account": { "id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit" },
//!   "regions": ["eu-west-1", "us-east-1"],
//!   "calls": [
//!     { "service": "s3", "operation": "GetBucketPolicy", "region": "eu-west-1",
//!       "params": { "Bucket": "media" },
//!       "response": { "Version": "2012-10-17", "Statement": [] } },
//!     { "service": "s3", "operation": "GetBucketEncryption", "region": "eu-west-1",
//!       "params": { "Bucket": "media" },
//!       "error": { "code": "ServerSideEncryptionConfigurationNotFoundError", "message": "...", "http_status": 404 } }
//!   ],
//!   "problems": [
//!     { "service": "guardduty", "operation": "ListDetectors", "region": "ap-south-1",
//!       "message": "AccessDenied: ..." }
//!   ]
//! }
//! ```
//!
//! - `calls` holds one entry per API response, in collection order; a paginated operation has one
//!   entry per page, each with the `params` of that page's request (the pagination token
//!   included). Readers iterate every entry of an operation and must not assume one.
//! - `service` is the SDK's service name in lower case (`s3`, `iam`, `ec2`, `cloudtrail`, ...);
//!   `operation` is the API operation name exactly as AWS spells it (`DescribeSecurityGroups`).
//! - `region` is the region the request was sent to (IAM, S3 Control and CloudFront are global:
//!   their calls carry the region the client was configured with).
//! - `response` is the response body as a JSON value: JSON protocols keep the body as sent;
//!   XML protocols (S3, IAM, EC2, RDS, ELBv2, SNS, CloudFront) are converted element by element by
//!   [`crate::xml::to_json`] (every leaf a string; `member` and `item` lists always arrays). A
//!   body that is neither (S3 `GetBucketPolicy` returns the policy document itself) is kept as the
//!   JSON it is, or as a string.
//! - `error` replaces `response` when AWS answered with an error: the error `code` (such as
//!   `NoSuchBucketPolicy`, which means "there is none", or `AccessDenied`), its message and the
//!   HTTP status.
//! - `problems` are calls that got no answer at all (a timeout, a connection refused, throttling
//!   that outlasted the retries) or were not attempted; the scan of such a snapshot is partial.
//! - Secret values never enter a snapshot: [`crate::mask`] masks them before a call is recorded.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// One AWS account's collected state: raw API responses per region and service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The format version ([`FORMAT_VERSION`]).
    pub deadbolt_snapshot: u32,
    /// Always `"aws"` in version 1.
    pub provider: String,
    /// When collection started, RFC 3339 in UTC.
    pub collected_at: String,
    /// The tool and version that collected it (`deadbolt 0.1.0`).
    pub collector: String,
    /// The account the credentials belong to.
    pub account: Account,
    /// The regions collected, sorted.
    pub regions: Vec<String>,
    /// Every API response, in collection order.
    pub calls: Vec<Call>,
    /// Calls that got no answer; a non-empty list makes the scan partial.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// The account a snapshot describes (from STS `GetCallerIdentity`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account ID.
    pub id: String,
    /// The partition: `aws`, `aws-cn` or `aws-us-gov`.
    pub partition: String,
    /// The ARN of the principal that collected it.
    pub caller_arn: String,
}

/// One API response (or one page of one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// The service, lower case (`s3`, `ec2`).
    pub service: String,
    /// The API operation (`GetBucketPolicy`).
    pub operation: String,
    /// The region the request was sent to.
    pub region: String,
    /// The request's parameters that identify what was asked (bucket name, pagination token),
    /// with AWS's parameter names; `{}` when the operation takes none.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub params: serde_json::Map<String, Value>,
    /// The response body as JSON (absent when [`Call::error`] is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    /// The error AWS answered with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<CallError>,
}

impl Call {
    /// A parameter as text (`params["Bucket"]`).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }
}

/// An error response from AWS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallError {
    /// The error code (`AccessDenied`, `NoSuchBucketPolicy`, `NoSuchEntity`).
    pub code: String,
    /// The error message AWS gave, if any.
    #[serde(default)]
    pub message: String,
    /// The HTTP status code (403, 404, ...).
    #[serde(default)]
    pub http_status: u16,
}

/// A call that got no answer (or was not attempted), with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The service, lower case.
    pub service: String,
    /// The API operation.
    pub operation: String,
    /// The region.
    pub region: String,
    /// What happened, in one line.
    pub message: String,
}
