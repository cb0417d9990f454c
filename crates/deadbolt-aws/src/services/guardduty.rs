//! GuardDuty, per region: detectors and their status.

use std::sync::Arc;

use crate::record::params;
use crate::services::pages;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let guardduty = clients.guardduty(region);
    let detectors: Vec<String> = pages(
        session,
        "guardduty",
        "ListDetectors",
        region,
        params! {},
        "NextToken",
        |token, c| {
            guardduty
                .list_detectors()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.detector_ids().iter().cloned())
    .collect();
    for detector in detectors {
        let _ = session
            .call(
                "guardduty",
                "GetDetector",
                region,
                params! {"DetectorId" => detector.as_str()},
                |c| {
                    guardduty
                        .get_detector()
                        .detector_id(&detector)
                        .customize()
                        .interceptor(c)
                        .send()
                },
            )
            .await;
    }
}
