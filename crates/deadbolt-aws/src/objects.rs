//! S3 objects for `deadbolt logs s3://BUCKET/PREFIX`: the keys under a prefix (`ListObjectsV2`),
//! then their bodies (`GetObject`), fetched a window at a time and handed over in key order, so
//! memory holds at most one window of objects. The same read-only guard as collection applies;
//! nothing is recorded into a snapshot.

use std::collections::VecDeque;

use aws_smithy_types::error::display::DisplayErrorContext;
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use crate::{Clients, CollectError, Options, Recorder};

/// The largest object fetched, in bytes; a larger one is reported instead (download it and read
/// it from disk, where it is streamed).
pub const MAX_OBJECT_BYTES: i64 = 256 << 20;

/// Objects fetched at once.
pub const WINDOW: usize = 16;

/// A bucket and key prefix, from `s3://BUCKET/PREFIX`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Location {
    /// The bucket name.
    pub bucket: String,
    /// The key prefix (may be empty).
    pub prefix: String,
}

impl S3Location {
    /// Parses `s3://BUCKET` or `s3://BUCKET/PREFIX`; `None` for anything else.
    pub fn parse(url: &str) -> Option<S3Location> {
        let rest = url.strip_prefix("s3://")?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        (!bucket.is_empty()).then(|| S3Location {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }
}

/// The objects under one location, listed; fetch them with [`Objects::fetch`].
pub struct Objects {
    runtime: Runtime,
    client: aws_sdk_s3::Client,
    location: S3Location,
    /// Every key under the prefix, in the order S3 lists them (lexicographic), with its size.
    pub keys: Vec<(String, i64)>,
}

impl Objects {
    /// Lists the objects under `location` (the bucket's region from `GetBucketLocation`).
    pub fn list(options: &Options, location: &S3Location) -> Result<Objects, CollectError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        let (client, keys) = runtime.block_on(async {
            let clients = Clients::load(options, Recorder::default().guard()).await;
            let home = clients.home_region().to_string();
            let located = clients
                .s3(&home)
                .get_bucket_location()
                .bucket(&location.bucket)
                .send()
                .await
                .map_err(|e| CollectError::Objects(DisplayErrorContext(&e).to_string()))?;
            let region = deadbolt_aws_snapshot::bucket_region(
                located.location_constraint().map(|l| l.as_str()),
            );
            let client = clients.s3(&region);
            let mut keys = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let page = client
                    .list_objects_v2()
                    .bucket(&location.bucket)
                    .prefix(&location.prefix)
                    .set_continuation_token(token.clone())
                    .send()
                    .await
                    .map_err(|e| CollectError::Objects(DisplayErrorContext(&e).to_string()))?;
                keys.extend(
                    page.contents()
                        .iter()
                        .filter_map(|o| Some((o.key()?.to_string(), o.size().unwrap_or(0)))),
                );
                match page.next_continuation_token() {
                    Some(next)
                        if page.is_truncated() == Some(true) && Some(next) != token.as_deref() =>
                    {
                        token = Some(next.to_string())
                    }
                    _ => break,
                }
            }
            Ok::<_, CollectError>((client, keys))
        })?;
        Ok(Objects {
            runtime,
            client,
            location: location.clone(),
            keys,
        })
    }

    /// `s3://BUCKET/KEY`.
    pub fn url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.location.bucket)
    }

    /// Fetches `keys` a window at a time and hands each body (or why it could not be fetched) to
    /// `each`, in the order of `keys`.
    pub fn fetch(
        &self,
        keys: &[(String, i64)],
        mut each: impl FnMut(&str, Result<Vec<u8>, String>),
    ) {
        let mut pending: VecDeque<&(String, i64)> = keys.iter().collect();
        while !pending.is_empty() {
            let window: Vec<(String, i64)> = (0..WINDOW)
                .filter_map(|_| pending.pop_front().cloned())
                .collect();
            let bodies = self.runtime.block_on(async {
                let mut set = JoinSet::new();
                for (index, (key, size)) in window.iter().cloned().enumerate() {
                    let client = self.client.clone();
                    let bucket = self.location.bucket.clone();
                    set.spawn(async move {
                        if size > MAX_OBJECT_BYTES {
                            return (
                                index,
                                Err(format!(
                                    "{size} bytes, more than the {} MiB read from S3 at once: download it and read it from disk",
                                    MAX_OBJECT_BYTES >> 20
                                )),
                            );
                        }
                        let body = async {
                            let object = client
                                .get_object()
                                .bucket(bucket)
                                .key(key)
                                .send()
                                .await
                                .map_err(|e| DisplayErrorContext(&e).to_string())?;
                            object
                                .body
                                .collect()
                                .await
                                .map(|data| data.into_bytes().to_vec())
                                .map_err(|e| e.to_string())
                        };
                        (index, body.await)
                    });
                }
                let mut bodies: Vec<Option<Result<Vec<u8>, String>>> = vec![None; window.len()];
                while let Some(joined) = set.join_next().await {
                    if let Ok((index, body)) = joined
                        && let Some(slot) = bodies.get_mut(index)
                    {
                        *slot = Some(body);
                    }
                }
                bodies
            });
            for ((key, _), body) in window.iter().zip(bodies) {
                each(
                    key,
                    body.unwrap_or_else(|| Err("the fetch task failed".to_string())),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse() {
        assert_eq!(
            S3Location::parse("s3://trail-logs/AWSLogs/123/"),
            Some(S3Location {
                bucket: "trail-logs".into(),
                prefix: "AWSLogs/123/".into()
            })
        );
        assert_eq!(
            S3Location::parse("s3://trail-logs"),
            Some(S3Location {
                bucket: "trail-logs".into(),
                prefix: String::new()
            })
        );
        assert_eq!(S3Location::parse("s3:///x"), None);
        assert_eq!(S3Location::parse("/tmp/x"), None);
    }
}
