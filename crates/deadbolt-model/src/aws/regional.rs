//! Account-wide detection and configuration services that must be switched on region by region:
//! AWS Config, Amazon GuardDuty, AWS Security Hub and IAM Access Analyzer.
//!
//! Only live state can say whether such a service is on in a region, so these resources come from
//! account snapshots only: one [`RegionalService`] per service and collected region (the
//! snapshot's `regions`), including regions where the service was never set up, so "not enabled"
//! is a finding about that region rather than an absence nobody sees.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// Which regional service a [`RegionalService`] describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// AWS Config: on when a configuration recorder is recording all supported resource types
    /// (`DescribeConfigurationRecorders` and `DescribeConfigurationRecorderStatus`).
    Config,
    /// Amazon GuardDuty: on when a detector's status is `ENABLED` (`ListDetectors`, `GetDetector`).
    GuardDuty,
    /// AWS Security Hub: on when `DescribeHub` answers (the error `InvalidAccessException` means
    /// the account is not subscribed in that region).
    SecurityHub,
    /// IAM Access Analyzer: on when `ListAnalyzers` lists an analyzer whose status is `ACTIVE`.
    AccessAnalyzer,
}

impl ServiceKind {
    /// The service's name for messages (`"GuardDuty"`).
    pub fn name(self) -> &'static str {
        match self {
            ServiceKind::Config => "AWS Config",
            ServiceKind::GuardDuty => "GuardDuty",
            ServiceKind::SecurityHub => "Security Hub",
            ServiceKind::AccessAnalyzer => "IAM Access Analyzer",
        }
    }
}

/// One service in one region (address: `aws://REGION/SERVICE`, as the service has no ARN of its
/// own when it is off).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionalService {
    /// Common metadata; its one location is the region.
    pub meta: ResourceMeta,
    /// Which service.
    pub kind: ServiceKind,
    /// The region (`eu-west-1`).
    pub region: String,
    /// Whether the service is on in the region, with what was found; unknown (with the reason
    /// naming the call) when a call it needs failed (`AccessDenied`) or was not collected.
    pub status: Attr<ServiceStatus>,
}

/// What a regional service's calls showed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceStatus {
    /// The service is on (see [`ServiceKind`] for what "on" means per service).
    pub enabled: bool,
    /// What was found, in words, for messages: `"no detector"`, `"detector 12abc is SUSPENDED"`,
    /// `"recorder default is not recording"`.
    pub detail: String,
}
