//! ECR: `AWS::ECR::Repository`, and `AWS::ECR::RegistryScanningConfiguration`, whose rules turn
//! on scanning for every repository their filters match.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::ecr::Repository;
use deadbolt_model::{Attr, Model, OtherResource};

use super::Res;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::ECR::Repository" {
        return false;
    }
    let p = &r.props;
    let scan_on_push = if p.has("ImageScanningConfiguration") {
        p.nested("ImageScanningConfiguration")
            .bool("ScanOnPush", false)
    } else {
        Attr::default(false, p.span())
    };
    let encryption_type = if p.has("EncryptionConfiguration") {
        p.nested("EncryptionConfiguration")
            .string("EncryptionType", "AES256")
    } else {
        Attr::default("AES256".to_string(), p.span())
    };
    model.push(Repository {
        meta: r.meta.clone(),
        name: p.string("RepositoryName", ""),
        tag_mutability: p.string("ImageTagMutability", "MUTABLE"),
        scan_on_push,
        encryption_type,
    });
    true
}

/// Applies the registry's scanning rules to the repositories they match. The registry setting is
/// account-wide, so it needs no reference to a repository.
pub(super) fn secondary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::ECR::RegistryScanningConfiguration" {
        return false;
    }
    for rule in r.props.list("Rules") {
        let frequency = rule.string("ScanFrequency", "");
        // A manual rule scans nothing by itself.
        if frequency.is(&"MANUAL".to_string()) == Some(true) {
            continue;
        }
        for filter in rule.list("RepositoryFilters") {
            let pattern = filter.string("Filter", "");
            for repo in model.all_mut::<Repository>() {
                repo.apply_registry_scanning(&frequency, &pattern);
            }
        }
    }
    model.push(OtherResource {
        meta: r.meta.clone(),
    });
    true
}
