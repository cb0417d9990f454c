//! Recording calls into a snapshot: the raw response body of every call, the error AWS answered
//! with, or the reason there was no answer; and the read-only guard every client carries.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextMut,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use deadbolt_aws_snapshot::calls::is_read_only;
use deadbolt_aws_snapshot::{Call, CallError, Problem, mask, xml};
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

/// The parameters identifying one call, as a snapshot records them.
pub(crate) type Params = Map<String, Value>;

/// `params!{"Bucket" => name}`: the parameters of a call.
macro_rules! params {
    () => { serde_json::Map::new() };
    ($($name:literal => $value:expr),+ $(,)?) => {{
        let mut params = serde_json::Map::new();
        $(params.insert($name.to_string(), serde_json::Value::from($value));)+
        params
    }};
}
pub(crate) use params;

/// Everything one collection records, shared by every task.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    calls: Arc<Mutex<Vec<Call>>>,
    problems: Arc<Mutex<Vec<Problem>>>,
    invoked: Invoked,
}

impl Recorder {
    /// The calls and problems recorded so far, taken out of the recorder.
    pub(crate) fn take(&self) -> (Vec<Call>, Vec<Problem>) {
        let calls = std::mem::take(&mut *self.calls.lock().unwrap_or_else(PoisonError::into_inner));
        let problems =
            std::mem::take(&mut *self.problems.lock().unwrap_or_else(PoisonError::into_inner));
        (calls, problems)
    }

    /// The guard to put on every client: it records each operation invoked and refuses any that
    /// is not a read.
    pub fn guard(&self) -> ReadOnlyGuard {
        ReadOnlyGuard {
            invoked: self.invoked.clone(),
        }
    }

    /// Every operation invoked so far, as the SDK names it: (service, operation), e.g.
    /// `("S3", "GetBucketPolicy")`, in invocation order, repeats included.
    pub fn invoked(&self) -> Vec<(String, String)> {
        self.invoked
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records that `service`'s `operation` could not be attempted or answered.
    pub(crate) fn problem(&self, service: &str, operation: &str, region: &str, message: String) {
        self.problems
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Problem {
                service: service.to_string(),
                operation: operation.to_string(),
                region: region.to_string(),
                message,
            });
    }

    fn push(&self, call: Call) {
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(call);
    }
}

/// The operations invoked, shared between the recorder and every guard.
#[derive(Clone, Debug, Default)]
struct Invoked(Arc<Mutex<Vec<(String, String)>>>);

/// An interceptor on every client: records the operation (from the SDK's own operation metadata,
/// not from deadbolt's labels) and stops any operation that is not a `List`, `Get`, `Describe` or
/// `Generate` before it is serialised, signed or sent.
///
/// It refuses in `modify_before_serialization`, the first hook that knows the operation (client
/// interceptors run `read_before_execution` before the operation's metadata is configured): the
/// orchestrator stops after the first hook that fails, so no interceptor's later hooks see a
/// refused operation. (Every interceptor's instance of one hook runs even when another's failed:
/// refusing in `read_before_serialization` let other interceptors read the request, and the SDK's
/// mock answer it.)
#[derive(Clone, Debug)]
pub struct ReadOnlyGuard {
    invoked: Invoked,
}

impl Intercept for ReadOnlyGuard {
    fn name(&self) -> &'static str {
        "deadbolt read-only guard"
    }

    fn modify_before_serialization(
        &self,
        _context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(metadata) = cfg.load::<Metadata>() else {
            return Err("deadbolt is read-only: an operation without metadata was refused".into());
        };
        self.invoked
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((metadata.service().to_string(), metadata.name().to_string()));
        if is_read_only(metadata.name()) {
            Ok(())
        } else {
            Err(format!(
                "deadbolt is read-only: {}:{} was refused before it was sent",
                metadata.service(),
                metadata.name()
            )
            .into())
        }
    }
}

/// A per-call interceptor that keeps the raw response body the SDK deserialised.
#[derive(Clone, Debug, Default)]
pub(crate) struct Capture(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for Capture {
    fn name(&self) -> &'static str {
        "deadbolt response capture"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let body = context.response().body().bytes().map(<[u8]>::to_vec);
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = body;
        Ok(())
    }
}

impl Capture {
    fn body(&self) -> Option<Vec<u8>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// What one collection task needs: the recorder and the bound on calls in flight.
#[derive(Clone, Debug)]
pub struct Session {
    /// Where calls go.
    pub recorder: Recorder,
    limit: Arc<Semaphore>,
}

impl Session {
    /// A session recording into `recorder` with at most `concurrency` calls in flight (at least 1).
    pub fn new(recorder: Recorder, concurrency: usize) -> Self {
        Session {
            recorder,
            limit: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    /// Makes one call and records it: `send` gets the capture interceptor to add to the call
    /// (`.customize().interceptor(capture).send()`). Returns the SDK's output when AWS answered
    /// with one; an error answer is recorded as the call's error, no answer as a problem, and
    /// either is returned as one line of text.
    pub(crate) async fn call<O, E, Fut>(
        &self,
        service: &str,
        operation: &str,
        region: &str,
        params: Params,
        send: impl FnOnce(Capture) -> Fut,
    ) -> Result<O, String>
    where
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let _permit = self
            .limit
            .acquire()
            .await
            .map_err(|_| "the collection was stopped".to_string())?;
        let capture = Capture::default();
        let result = send(capture.clone()).await;
        let mut call = Call {
            service: service.to_string(),
            operation: operation.to_string(),
            region: region.to_string(),
            params,
            response: None,
            error: None,
        };
        match result {
            Ok(output) => {
                let mut response = capture
                    .body()
                    .map(|body| body_to_json(&body))
                    .unwrap_or(Value::Object(Map::new()));
                mask::mask_response(service, operation, &mut response);
                call.response = Some(response);
                self.recorder.push(call);
                Ok(output)
            }
            // A 2xx answer the SDK could not read (moto names some S3 root elements differently
            // from AWS) still holds the state asked for: the raw body is recorded, and the
            // normaliser, which reads bodies by member names, judges it.
            Err(SdkError::ServiceError(failure))
                if failure.raw().status().is_success()
                    && failure.raw().body().bytes().is_some_and(|b| !b.is_empty()) =>
            {
                let body = failure.raw().body().bytes().unwrap_or_default();
                let mut response = body_to_json(body);
                mask::mask_response(service, operation, &mut response);
                call.response = Some(response);
                self.recorder.push(call);
                Err(format!(
                    "{service}:{operation} answered HTTP {} with a body the SDK could not read",
                    failure.raw().status().as_u16()
                ))
            }
            Err(SdkError::ServiceError(failure)) => {
                let error = failure.err();
                let answer = CallError {
                    code: error.code().unwrap_or("Unknown").to_string(),
                    message: error.message().unwrap_or("").to_string(),
                    http_status: failure.raw().status().as_u16(),
                };
                let text = format!("{}: {}", answer.code, answer.message);
                call.error = Some(answer);
                self.recorder.push(call);
                Err(text)
            }
            Err(other) => {
                let message =
                    aws_smithy_types::error::display::DisplayErrorContext(&other).to_string();
                self.recorder
                    .problem(service, operation, region, message.clone());
                Err(message)
            }
        }
    }
}

/// A response body as JSON: XML converted ([`xml::to_json`]), JSON parsed, anything else kept as
/// text; a body that is neither parseable XML nor JSON is kept as text too.
fn body_to_json(body: &[u8]) -> Value {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Value::Object(Map::new());
    }
    if trimmed.starts_with('<')
        && let Ok(value) = xml::to_json(trimmed)
    {
        return value;
    }
    serde_json::from_str(trimmed).unwrap_or_else(|_| Value::String(text.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_every_protocol_become_json() {
        assert_eq!(
            body_to_json(b"<R><A>1</A></R>"),
            serde_json::json!({"A": "1"})
        );
        assert_eq!(
            body_to_json(br#"{"Version":"2012-10-17"}"#),
            serde_json::json!({"Version": "2012-10-17"})
        );
        assert_eq!(body_to_json(b""), serde_json::json!({}));
        assert_eq!(body_to_json(b"plain"), serde_json::json!("plain"));
    }
}
