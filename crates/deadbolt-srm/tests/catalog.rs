//! The catalog's integrity: every reference resolves, every (service model, layer) has one owner,
//! every rule belongs to a duty and every duty's rules exist, and the catalog is as broad as the
//! product promises.

use std::collections::{BTreeSet, HashSet};

use deadbolt_srm::{Catalog, Evidence, ServiceModel};

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_reference_resolves_and_every_rule_has_a_duty() {
    let ids: HashSet<&str> = deadbolt_rules::registry::all()
        .iter()
        .map(|r| r.meta().id)
        .collect();
    let problems = catalog().problems(&ids);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_integrity_check_catches_a_broken_reference() {
    let mut broken = catalog().clone();
    broken.duties[0].layer = "no-such-layer".into();
    broken.services[0].duties.push("NO-SUCH-DUTY".into());
    let ids: HashSet<&str> = deadbolt_rules::registry::all()
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| *id != "AWS-S3-001")
        .collect();
    let problems = broken.problems(&ids);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unknown layer `no-such-layer`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unknown duty `NO-SUCH-DUTY`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unknown rule `AWS-S3-001`")),
        "{problems:?}"
    );
}

#[test]
fn the_catalog_is_as_broad_as_promised() {
    let c = catalog();
    assert_eq!(c.layers.len(), 12);
    assert_eq!(c.cells.len(), 60, "5 service models x 12 layers");
    assert!(c.services.len() >= 80, "{} services", c.services.len());
    let models: BTreeSet<ServiceModel> = c.services.iter().map(|s| s.model).collect();
    for m in [
        ServiceModel::Iaas,
        ServiceModel::Paas,
        ServiceModel::Faas,
        ServiceModel::Saas,
    ] {
        assert!(models.contains(&m), "no {} service", m.label());
    }
    for id in [
        "google-workspace",
        "dropbox",
        "aws-lightsail",
        "microsoft-365",
        "salesforce",
        "slack",
        "github",
        "okta",
    ] {
        assert!(c.service(id).is_some(), "no service `{id}`");
    }
    for evidence in [Evidence::Automated, Evidence::Attested, Evidence::Gap] {
        assert!(
            c.duties.iter().any(|d| d.evidence == evidence),
            "no {evidence:?} duty"
        );
    }
    assert!(
        c.cells.iter().any(|cell| !cell.exceptions.is_empty()),
        "no per-cloud exception recorded"
    );
    for cell in c
        .cells
        .iter()
        .filter(|c| c.model == ServiceModel::OnPremises)
    {
        assert_eq!(
            cell.owner,
            deadbolt_srm::Owner::Customer,
            "on-premises {}",
            cell.layer
        );
    }
}

#[test]
fn every_service_of_a_rule_s_resources_carries_that_rule_s_duty() {
    // A scan finding on an S3 bucket must land on a duty the stack's `aws-s3` service lists.
    let c = catalog();
    for (resource_type, rule) in [
        ("AWS::S3::Bucket", "AWS-S3-001"),
        ("aws_instance", "AWS-EC2-008"),
    ] {
        let services = c.services_of_type(resource_type);
        assert!(!services.is_empty(), "no service for {resource_type}");
        let duties: Vec<&str> = c.duties_of_rule(rule).map(|d| d.id.as_str()).collect();
        assert!(
            services
                .iter()
                .any(|s| s.duties.iter().any(|d| duties.contains(&d.as_str()))),
            "{resource_type}: none of {duties:?}"
        );
    }
}
