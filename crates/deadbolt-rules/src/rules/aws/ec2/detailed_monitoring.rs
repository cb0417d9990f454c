use deadbolt_model::aws::ec2::{Instance, InstanceKind};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EC2 instance or launch template without detailed (1-minute) CloudWatch monitoring:
    /// `monitoring` is false or not set. Launch configurations turn it on unless
    /// `enable_monitoring = false`.
    ///
    /// ## Why it matters
    /// Basic monitoring reports every 5 minutes, which blurs short CPU or network spikes (a crypto
    /// miner starting, a burst of exfiltration) and slows alarms and scaling. Detailed monitoring
    /// has a small cost, which is why this is rated Low.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    ///   monitoring    = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `monitoring = true` on instances, `monitoring { enabled = true }` in launch templates.
    ///
    /// ## References
    /// - NIST CSF 2.0 DE.CM-09; NIST SP 800-53 SI-4
    /// - Amazon EC2 User Guide, "Enable or turn off detailed monitoring for your instances"
    pub(crate) struct DetailedMonitoringOff;
    id: "AWS-EC2-015",
    name: "ec2-detailed-monitoring-disabled",
    title: "EC2 instance does not have detailed monitoring",
    severity: Severity::Low,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Enable detailed monitoring (`Monitoring`; Terraform `monitoring = true`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["DE.CM-09"],
        nist_800_53: &["SI-4"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_126"], trivy: &[] },
}

impl Rule for DetailedMonitoringOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for instance in model.all::<Instance>() {
            let monitoring = &instance.detailed_monitoring;
            let what = match instance.kind {
                InstanceKind::Instance => "instance",
                InstanceKind::LaunchTemplate => "launch template",
                InstanceKind::LaunchConfiguration => "launch configuration",
            };
            checks.require(
                &instance.meta,
                monitoring,
                |m| *m,
                |_| {
                    if monitoring.explicit {
                        format!("detailed monitoring is turned off on this {what}")
                    } else {
                        format!(
                            "detailed monitoring is not set on this {what} and is off by default"
                        )
                    }
                },
            );
        }
    }
}
