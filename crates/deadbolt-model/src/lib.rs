//! The deadbolt resource model.
//!
//! Sources (Terraform, CloudFormation, Kubernetes, live cloud state) turn what they read into the
//! typed resources of this crate; rules read only this model. Every attribute is an [`Attr`]: a value
//! that is known or unknown (with the reason), plus the [`Span`] it came from, so that a rule can give
//! three answers (fail, pass, not evaluated) and every finding can point at a file and line.

pub mod attr;
pub mod aws;
pub mod diagnostic;
pub mod k8s;
pub mod resource;
pub mod settings;
pub mod span;
pub mod suppression;
pub mod taxonomy;
pub mod value;

pub use attr::{Attr, State, Unknown};
pub use diagnostic::{Diagnostic, Level};
pub use resource::{
    Location, LocationRole, Model, OtherResource, Provider, ResidencyPolicy, Resource,
    ResourceMeta, Suppression, Typed,
};
pub use settings::Settings;
pub use span::{LineIndex, Position, Span};
pub use taxonomy::{Layer, ServiceModel, Severity};
pub use value::Value;
