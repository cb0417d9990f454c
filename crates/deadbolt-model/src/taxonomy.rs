//! The words every finding is filed under: severity, responsibility layer and service model.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// How bad a finding is. Ordered from least to most severe, so `sev >= Severity::High` reads naturally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: worth knowing, rarely worth blocking on.
    Info,
    /// Hardening that reduces impact or aids investigation.
    Low,
    /// A weakness that needs another mistake to be exploited.
    Medium,
    /// Directly exploitable or exposes data, with some precondition.
    High,
    /// Exploitable from the internet with no precondition, or full account takeover.
    Critical,
}

impl Severity {
    /// All severities, least severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lower-case name used in CLI flags, config files and JSON (`"high"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The error for a severity name that is not one of `info`, `low`, `medium`, `high`, `critical`.
#[derive(Debug, thiserror::Error)]
#[error("unknown severity `{0}` (expected info, low, medium, high or critical)")]
pub struct ParseSeverityError(pub String);

impl FromStr for Severity {
    type Err = ParseSeverityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseSeverityError(s.to_string()))
    }
}

/// The customer-side responsibility layer a control belongs to: the part of the shared responsibility
/// model where the customer, not the provider, has to act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Who can do what: principals, policies, credentials, MFA.
    IdentityAccess,
    /// Encryption at rest and in transit, key management, public exposure of data.
    DataProtection,
    /// Firewalls, security groups, network ACLs, segmentation, exposed endpoints.
    NetworkControls,
    /// The guest operating system and host configuration the customer runs (IaaS).
    HostOs,
    /// The customer's code and its configuration: secrets in code, function settings.
    Application,
    /// Audit trails, flow logs, monitoring and alerting.
    LoggingMonitoring,
    /// Backups, point-in-time recovery, deletion protection, versioning.
    BackupRecovery,
    /// Configuration recording, patch and version policy, drift control.
    ConfigurationManagement,
    /// Legal and regulatory obligations the configuration must meet: where data is stored,
    /// replicated and backed up (data residency).
    ComplianceResidency,
}

impl Layer {
    /// All layers in report order.
    pub const ALL: [Layer; 9] = [
        Layer::IdentityAccess,
        Layer::DataProtection,
        Layer::NetworkControls,
        Layer::HostOs,
        Layer::Application,
        Layer::LoggingMonitoring,
        Layer::BackupRecovery,
        Layer::ConfigurationManagement,
        Layer::ComplianceResidency,
    ];

    /// The stable snake_case identifier used in JSON and SARIF tags (`"identity_access"`).
    pub fn id(self) -> &'static str {
        match self {
            Layer::IdentityAccess => "identity_access",
            Layer::DataProtection => "data_protection",
            Layer::NetworkControls => "network_controls",
            Layer::HostOs => "host_os",
            Layer::Application => "application",
            Layer::LoggingMonitoring => "logging_monitoring",
            Layer::BackupRecovery => "backup_recovery",
            Layer::ConfigurationManagement => "configuration_management",
            Layer::ComplianceResidency => "compliance_residency",
        }
    }

    /// The human title (`"Identity & access"`).
    pub fn title(self) -> &'static str {
        match self {
            Layer::IdentityAccess => "Identity & access",
            Layer::DataProtection => "Data protection",
            Layer::NetworkControls => "Network controls",
            Layer::HostOs => "Host & OS",
            Layer::Application => "Application",
            Layer::LoggingMonitoring => "Logging & monitoring",
            Layer::BackupRecovery => "Backup & recovery",
            Layer::ConfigurationManagement => "Configuration management",
            Layer::ComplianceResidency => "Compliance & residency",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.title())
    }
}

/// The cloud service model a control applies to. It decides how much of the stack is the
/// customer's: all of the guest OS up in IaaS, configuration and data in PaaS/FaaS, mostly identity
/// and data in SaaS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ServiceModel {
    /// Infrastructure as a service (virtual machines, volumes, networks).
    #[serde(rename = "IaaS")]
    Iaas,
    /// Platform as a service (managed databases, managed Kubernetes, load balancers, object storage).
    #[serde(rename = "PaaS")]
    Paas,
    /// Functions as a service (serverless).
    #[serde(rename = "FaaS")]
    Faas,
    /// Software as a service.
    #[serde(rename = "SaaS")]
    Saas,
}

impl ServiceModel {
    /// The conventional abbreviation (`"IaaS"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceModel::Iaas => "IaaS",
            ServiceModel::Paas => "PaaS",
            ServiceModel::Faas => "FaaS",
            ServiceModel::Saas => "SaaS",
        }
    }
}

impl fmt::Display for ServiceModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
