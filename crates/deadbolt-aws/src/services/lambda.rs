//! Lambda, per region: functions (environment variable values are masked before they are
//! recorded), each function's URL configuration and resource-based policy.

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let lambda = clients.lambda(region);
    let functions: Vec<String> = pages(
        session,
        "lambda",
        "ListFunctions",
        region,
        params! {},
        "Marker",
        |token, c| {
            lambda
                .list_functions()
                .set_marker(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_marker().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.functions())
    .filter_map(|f| f.function_name().map(str::to_string))
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(functions, move |function| {
        let (session, lambda, region) = (s.clone(), c.lambda(&r), r.clone());
        async move {
            let p = params! {"FunctionName" => function.as_str()};
            let _ = session
                .call("lambda", "GetFunctionUrlConfig", &region, p.clone(), |c| {
                    lambda
                        .get_function_url_config()
                        .function_name(&function)
                        .customize()
                        .interceptor(c)
                        .send()
                })
                .await;
            let _ = session
                .call("lambda", "GetPolicy", &region, p, |c| {
                    lambda
                        .get_policy()
                        .function_name(&function)
                        .customize()
                        .interceptor(c)
                        .send()
                })
                .await;
        }
    })
    .await;
}
