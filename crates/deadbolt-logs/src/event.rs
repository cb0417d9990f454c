//! The fields of a CloudTrail record that every step needs, read without building the whole tree.
//!
//! Field names and meanings are those of the CloudTrail record contents reference (AWS CloudTrail
//! User Guide, "CloudTrail record contents for management, data, and network activity events").
//! Most records match no detection; reading only these fields (borrowed from the record's text)
//! lets the engine decide that without allocating the full tree.

use std::borrow::Cow;
use std::cell::Cell;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The top-level fields of one CloudTrail record. Every field is optional: a record missing one
/// is still read, and what needs the field does without it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header<'a> {
    /// `eventTime`: ISO 8601 in UTC (`2024-07-31T13:06:24Z`).
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub event_time: Option<Cow<'a, str>>,
    /// `eventSource`: the service's endpoint name (`iam.amazonaws.com`).
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub event_source: Option<Cow<'a, str>>,
    /// `eventName`: the API action (`CreateAccessKey`).
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub event_name: Option<Cow<'a, str>>,
    /// `awsRegion`.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub aws_region: Option<Cow<'a, str>>,
    /// `sourceIPAddress`: an IP address, or a service name for calls AWS made on the caller's
    /// behalf (`cloudformation.amazonaws.com`).
    #[serde(
        rename = "sourceIPAddress",
        borrow,
        default,
        deserialize_with = "lenient_text"
    )]
    pub source_ip_address: Option<Cow<'a, str>>,
    /// `userAgent`.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub user_agent: Option<Cow<'a, str>>,
    /// `errorCode`, present when the call failed (`AccessDenied`).
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub error_code: Option<Cow<'a, str>>,
    /// `eventID`: unique per record.
    #[serde(rename = "eventID", borrow, default, deserialize_with = "lenient_text")]
    pub event_id: Option<Cow<'a, str>>,
    /// `eventType`: `AwsApiCall`, `AwsConsoleSignIn`, `AwsServiceEvent`, `AwsCloudTrailInsight`...
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub event_type: Option<Cow<'a, str>>,
    /// `eventCategory`: `Management`, `Data`, `Insight`, `NetworkActivity`.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub event_category: Option<Cow<'a, str>>,
    /// `readOnly`: whether CloudTrail classes the call as one that only reads.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub read_only: Option<bool>,
    /// `recipientAccountId`: the account that received the call.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub recipient_account_id: Option<Cow<'a, str>>,
    /// `userIdentity`: who made the call.
    #[serde(borrow, default, deserialize_with = "lenient_object")]
    pub user_identity: Option<Identity<'a>>,
    /// `additionalEventData`, read for `MFAUsed` on console sign-ins.
    #[serde(borrow, default, deserialize_with = "lenient_object")]
    pub additional_event_data: Option<AdditionalData<'a>>,
    /// `vpcEndpointId`: the VPC endpoint the call came through.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub vpc_endpoint_id: Option<Cow<'a, str>>,
    /// Whether every field above held a string, a null, an integer or a boolean (or was missing)
    /// where the record's full tree would read it: the fields then say exactly what a rule would
    /// find in the tree, and rules over them alone need no tree (see [`CheckedHeader`]). False
    /// when not known.
    #[serde(skip)]
    pub(crate) plain: bool,
}

thread_local! {
    /// Set while a header is read when a field holds what its text cannot stand for (a list, an
    /// object in a text field, a float, whose text differs from the tree's). A side channel,
    /// because the lenient readers fill fields that are plain text and have nowhere else to say it.
    static ODD: Cell<bool> = const { Cell::new(false) };
}

fn odd() {
    ODD.with(|o| o.set(true));
}

/// A [`Header`] read with [`Header::plain`] set.
pub(crate) struct CheckedHeader<'a>(pub(crate) Header<'a>);

impl<'de> Deserialize<'de> for CheckedHeader<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ODD.with(|o| o.set(false));
        let mut header = Header::deserialize(d)?;
        header.plain = !ODD.with(|o| o.replace(false));
        Ok(CheckedHeader(header))
    }
}

/// `userIdentity`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity<'a> {
    /// `type`: `Root`, `IAMUser`, `AssumedRole`, `FederatedUser`, `AWSService`, `AWSAccount`,
    /// `IdentityCenterUser`, `Unknown`.
    #[serde(rename = "type", borrow, default, deserialize_with = "lenient_text")]
    pub kind: Option<Cow<'a, str>>,
    /// `arn`.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub arn: Option<Cow<'a, str>>,
    /// `accountId`: the account that owns the principal.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub account_id: Option<Cow<'a, str>>,
    /// `accessKeyId`: the key used to sign the request (an ID, not a secret).
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub access_key_id: Option<Cow<'a, str>>,
    /// `principalId`.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub principal_id: Option<Cow<'a, str>>,
    /// `userName`.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub user_name: Option<Cow<'a, str>>,
    /// `invokedBy`: the AWS service that made the call for the principal.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub invoked_by: Option<Cow<'a, str>>,
    /// `sessionContext`, for temporary credentials.
    #[serde(borrow, default, deserialize_with = "lenient_object")]
    pub session_context: Option<SessionContext<'a>>,
}

/// `userIdentity.sessionContext`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext<'a> {
    /// `attributes`.
    #[serde(borrow, default, deserialize_with = "lenient_object")]
    pub attributes: Option<SessionAttributes<'a>>,
    /// `sessionIssuer`: the role or user the session was issued for.
    #[serde(borrow, default, deserialize_with = "lenient_object")]
    pub session_issuer: Option<SessionIssuer<'a>>,
}

/// `userIdentity.sessionContext.attributes`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAttributes<'a> {
    /// `mfaAuthenticated`: `"true"` or `"false"` (a string in CloudTrail).
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub mfa_authenticated: Option<Cow<'a, str>>,
}

/// `userIdentity.sessionContext.sessionIssuer`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionIssuer<'a> {
    /// `arn` of the role or user.
    #[serde(borrow, default, deserialize_with = "lenient_text")]
    pub arn: Option<Cow<'a, str>>,
    /// `type`: `Role`, `IAMUser`, `Root`.
    #[serde(rename = "type", borrow, default, deserialize_with = "lenient_text")]
    pub kind: Option<Cow<'a, str>>,
}

/// `additionalEventData`.
#[derive(Debug, Default, Deserialize)]
pub struct AdditionalData<'a> {
    /// `MFAUsed` on `ConsoleLogin`: `"Yes"` or `"No"`.
    #[serde(rename = "MFAUsed", borrow, default, deserialize_with = "lenient_text")]
    pub mfa_used: Option<Cow<'a, str>>,
}

/// A field CloudTrail writes as a string, read whatever JSON type it has: numbers and booleans
/// as their text, objects and lists as missing. A record with one odd field still gets reviewed.
fn lenient_text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    struct Text;
    impl<'de> Visitor<'de> for Text {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v)))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(if v { "true" } else { "false" })))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            odd();
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            odd();
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            odd();
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(Text)
}

/// An object field (`userIdentity`, `sessionContext`), or missing when the record has something
/// else there.
fn lenient_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    struct Object<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Object<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            odd();
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_borrowed_str<E: de::Error>(self, _: &'de str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Object(std::marker::PhantomData))
}

/// `readOnly`: a boolean, or its text.
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match lenient_text(d)?.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("true") => Some(true),
        Some(t) if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// A string field that [`Header`] reads, by its dotted CloudTrail path. Rules whose conditions need
/// only these fields can be judged without the record's full tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderField {
    /// `eventTime`.
    EventTime,
    /// `eventSource`.
    EventSource,
    /// `eventName`.
    EventName,
    /// `awsRegion`.
    AwsRegion,
    /// `sourceIPAddress`.
    SourceIpAddress,
    /// `userAgent`.
    UserAgent,
    /// `errorCode`.
    ErrorCode,
    /// `eventID`.
    EventId,
    /// `eventType`.
    EventType,
    /// `eventCategory`.
    EventCategory,
    /// `recipientAccountId`.
    RecipientAccountId,
    /// `userIdentity.type`.
    IdentityType,
    /// `userIdentity.arn`.
    IdentityArn,
    /// `userIdentity.accountId`.
    IdentityAccountId,
    /// `userIdentity.accessKeyId`.
    IdentityAccessKeyId,
    /// `userIdentity.principalId`.
    IdentityPrincipalId,
    /// `userIdentity.userName`.
    IdentityUserName,
    /// `userIdentity.invokedBy`.
    IdentityInvokedBy,
    /// `userIdentity.sessionContext.attributes.mfaAuthenticated`.
    MfaAuthenticated,
    /// `userIdentity.sessionContext.sessionIssuer.arn`.
    SessionIssuerArn,
    /// `userIdentity.sessionContext.sessionIssuer.type`.
    SessionIssuerType,
    /// `additionalEventData.MFAUsed`.
    MfaUsed,
    /// `vpcEndpointId`.
    VpcEndpointId,
}

impl HeaderField {
    /// The field at a dotted path, when [`Header`] reads it.
    pub fn from_path(path: &str) -> Option<HeaderField> {
        use HeaderField::*;
        Some(match path {
            "eventTime" => EventTime,
            "eventSource" => EventSource,
            "eventName" => EventName,
            "awsRegion" => AwsRegion,
            "sourceIPAddress" => SourceIpAddress,
            "userAgent" => UserAgent,
            "errorCode" => ErrorCode,
            "eventID" => EventId,
            "eventType" => EventType,
            "eventCategory" => EventCategory,
            "recipientAccountId" => RecipientAccountId,
            "userIdentity.type" => IdentityType,
            "userIdentity.arn" => IdentityArn,
            "userIdentity.accountId" => IdentityAccountId,
            "userIdentity.accessKeyId" => IdentityAccessKeyId,
            "userIdentity.principalId" => IdentityPrincipalId,
            "userIdentity.userName" => IdentityUserName,
            "userIdentity.invokedBy" => IdentityInvokedBy,
            "userIdentity.sessionContext.attributes.mfaAuthenticated" => MfaAuthenticated,
            "userIdentity.sessionContext.sessionIssuer.arn" => SessionIssuerArn,
            "userIdentity.sessionContext.sessionIssuer.type" => SessionIssuerType,
            "additionalEventData.MFAUsed" => MfaUsed,
            "vpcEndpointId" => VpcEndpointId,
            _ => return None,
        })
    }
}

impl Header<'_> {
    /// The value of a header field (`None`: missing or null).
    pub fn get(&self, field: HeaderField) -> Option<&str> {
        use HeaderField::*;
        let id = self.user_identity.as_ref();
        let session = id.and_then(|i| i.session_context.as_ref());
        let issuer = session.and_then(|s| s.session_issuer.as_ref());
        match field {
            EventTime => self.event_time.as_deref(),
            EventSource => self.event_source.as_deref(),
            EventName => self.event_name.as_deref(),
            AwsRegion => self.aws_region.as_deref(),
            SourceIpAddress => self.source_ip_address.as_deref(),
            UserAgent => self.user_agent.as_deref(),
            ErrorCode => self.error_code.as_deref(),
            EventId => self.event_id.as_deref(),
            EventType => self.event_type.as_deref(),
            EventCategory => self.event_category.as_deref(),
            RecipientAccountId => self.recipient_account_id.as_deref(),
            IdentityType => id.and_then(|i| i.kind.as_deref()),
            IdentityArn => id.and_then(|i| i.arn.as_deref()),
            IdentityAccountId => id.and_then(|i| i.account_id.as_deref()),
            IdentityAccessKeyId => id.and_then(|i| i.access_key_id.as_deref()),
            IdentityPrincipalId => id.and_then(|i| i.principal_id.as_deref()),
            IdentityUserName => id.and_then(|i| i.user_name.as_deref()),
            IdentityInvokedBy => id.and_then(|i| i.invoked_by.as_deref()),
            MfaAuthenticated => session
                .and_then(|s| s.attributes.as_ref())
                .and_then(|a| a.mfa_authenticated.as_deref()),
            SessionIssuerArn => issuer.and_then(|i| i.arn.as_deref()),
            SessionIssuerType => issuer.and_then(|i| i.kind.as_deref()),
            MfaUsed => self
                .additional_event_data
                .as_ref()
                .and_then(|a| a.mfa_used.as_deref()),
            VpcEndpointId => self.vpc_endpoint_id.as_deref(),
        }
    }

    /// Whether the record looks like a CloudTrail event at all (it names an event and a source or
    /// a time).
    pub fn is_event(&self) -> bool {
        self.event_name.is_some() && (self.event_source.is_some() || self.event_time.is_some())
    }

    /// Whether this is a CloudTrail Insights record (an anomaly summary AWS computed, not an API
    /// call).
    pub fn is_insight(&self) -> bool {
        self.event_category.as_deref() == Some("Insight")
            || self.event_type.as_deref() == Some("AwsCloudTrailInsight")
    }

    /// The principal: the session issuer's ARN for assumed roles (one role, many sessions), else
    /// the identity's ARN, else the invoking service, else the account.
    pub fn principal(&self) -> Option<&str> {
        let id = self.user_identity.as_ref()?;
        id.session_context
            .as_ref()
            .and_then(|s| s.session_issuer.as_ref())
            .and_then(|i| i.arn.as_deref())
            .or(id.arn.as_deref())
            .or(id.invoked_by.as_deref())
            .or(id.account_id.as_deref())
    }

    /// Whether MFA was used: the session's `mfaAuthenticated`, or `MFAUsed` of a console sign-in.
    /// `None` when the record does not say.
    pub fn mfa_used(&self) -> Option<bool> {
        let session = self
            .user_identity
            .as_ref()
            .and_then(|i| i.session_context.as_ref())
            .and_then(|s| s.attributes.as_ref())
            .and_then(|a| a.mfa_authenticated.as_deref())
            .map(|v| v.eq_ignore_ascii_case("true"));
        let login = self
            .additional_event_data
            .as_ref()
            .and_then(|a| a.mfa_used.as_deref())
            .map(|v| v.eq_ignore_ascii_case("yes"));
        match (session, login) {
            (Some(a), Some(b)) => Some(a || b),
            (a, b) => a.or(b),
        }
    }

    /// The account the record belongs to: `recipientAccountId`, else the caller's account.
    pub fn account(&self) -> Option<&str> {
        self.recipient_account_id.as_deref().or_else(|| {
            self.user_identity
                .as_ref()
                .and_then(|i| i.account_id.as_deref())
        })
    }
}

/// Milliseconds since the Unix epoch of a CloudTrail `eventTime`, or `None` when it is not an
/// RFC 3339 / ISO 8601 timestamp.
pub fn parse_time(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_it_needs_and_ignores_the_rest() {
        let raw = r#"{"eventTime":"2024-07-31T13:06:24Z","eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com",
            "requestParameters":{"name":"t"},"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s",
            "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/r","type":"Role"},"attributes":{"mfaAuthenticated":"false"}}},
            "recipientAccountId":"1","tlsDetails":{"x":[1,2,{"y":null}]}}"#;
        let h: Header = serde_json::from_str(raw).unwrap();
        assert!(h.is_event());
        assert_eq!(h.principal(), Some("arn:aws:iam::1:role/r"));
        assert_eq!(h.mfa_used(), Some(false));
        assert_eq!(h.account(), Some("1"));
        assert_eq!(
            parse_time(h.event_time.as_deref().unwrap()),
            Some(1_722_431_184_000)
        );
    }

    #[test]
    fn fields_of_odd_types_are_read_as_text_or_missing() {
        let h: Header = serde_json::from_str(
            r#"{"eventName":5,"eventSource":"s","readOnly":"false","errorCode":403,"recipientAccountId":123,
                "userIdentity":"x","additionalEventData":[1]}"#,
        )
        .unwrap();
        assert_eq!(h.event_name.as_deref(), Some("5"));
        assert_eq!(h.read_only, Some(false));
        assert_eq!(h.error_code.as_deref(), Some("403"));
        assert_eq!(h.account(), Some("123"));
        assert!(h.user_identity.is_none() && h.additional_event_data.is_none());
        let h: Header = serde_json::from_str(
            r#"{"eventName":"X","userIdentity":{"type":"AssumedRole","sessionContext":{"attributes":{"mfaAuthenticated":false}}}}"#,
        )
        .unwrap();
        assert_eq!(h.mfa_used(), Some(false));
    }

    #[test]
    fn escaped_strings_are_read() {
        let h: Header =
            serde_json::from_str(r#"{"userAgent":"a\"b","eventName":"X","eventSource":"s"}"#)
                .unwrap();
        assert_eq!(h.user_agent.as_deref(), Some("a\"b"));
        assert_eq!(h.mfa_used(), None);
    }
}
