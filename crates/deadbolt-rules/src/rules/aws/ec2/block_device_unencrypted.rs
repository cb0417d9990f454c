use deadbolt_model::aws::ec2::Instance;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, Unknown};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EC2 instance, launch template or launch configuration that launches an unencrypted EBS
    /// volume: a root or EBS block device with `encrypted = false`, or (for instances and launch
    /// configurations) a root device that does not set `encrypted` at all. When the scanned code
    /// also turns on EBS encryption by default (`aws_ebs_encryption_by_default`), devices that do
    /// not set the flag are encrypted anyway and pass. Launch templates without block device
    /// mappings use the AMI's mappings and are not judged.
    ///
    /// ## Why it matters
    /// Unencrypted volumes and their snapshots hold the disk contents in the clear: a snapshot
    /// shared by mistake, copied to another account or restored by an insider exposes everything on
    /// the disk, including keys and database files. EBS encryption is free of charge and
    /// transparent to the instance.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    ///   root_block_device {
    ///     encrypted = false
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    ///   root_block_device {
    ///     encrypted = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `encrypted = true` on every root and EBS block device (optionally with `kms_key_id`), or
    /// turn on EBS encryption by default in every region.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon EBS User Guide, "Amazon EBS encryption"
    pub(crate) struct BlockDeviceUnencrypted;
    id: "AWS-EC2-010",
    name: "ec2-block-device-unencrypted",
    title: "Instance or launch template has an unencrypted block device",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Encrypt the root and EBS block devices (`Encrypted`; Terraform `encrypted = true`), or enable EBS encryption by default.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents {
        checkov: &["CKV_AWS_8"],
        trivy: &["AVD-AWS-0131", "AVD-AWS-0008"],
    },
}

impl Rule for BlockDeviceUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        let by_default = super::ebs_encrypted_by_default(model);
        for instance in model.all::<Instance>() {
            if instance.block_devices.is_empty() {
                continue;
            }
            let mut failed = false;
            let mut unknown: Option<&Unknown> = None;
            for device in &instance.block_devices {
                let name = if device.name == "root" {
                    "root block device".to_string()
                } else if device.name.is_empty() {
                    "block device".to_string()
                } else {
                    format!("block device `{}`", device.name)
                };
                match super::unencrypted(&device.encrypted, by_default) {
                    Some(true) if device.encrypted.explicit => {
                        checks.fail(
                            &instance.meta,
                            &device.encrypted.span,
                            format!("{name} has `encrypted = false`"),
                        );
                        failed = true;
                    }
                    Some(true) => {
                        checks.fail(
                            &instance.meta,
                            &device.encrypted.span,
                            format!(
                                "{name} does not set `encrypted` and is unencrypted by default"
                            ),
                        );
                        failed = true;
                    }
                    Some(false) => {}
                    None => unknown = unknown.or(device.encrypted.unknown_reason()),
                }
            }
            if failed {
                continue;
            }
            match unknown {
                Some(reason) => checks.not_evaluated(&instance.meta, reason),
                None => checks.pass(&instance.meta),
            }
        }
    }
}
