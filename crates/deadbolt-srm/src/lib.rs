//! deadbolt's responsibility map: the shared-responsibility catalog, the stack file, and the
//! coverage of the customer's duties.
//!
//! - [`catalog`]: the data compiled into the binary (layers, who owns each layer in each service
//!   model, services, customer duties and the rules that check them).
//! - [`stack`]: the organisation's `deadbolt.yaml` (services, regions, data classes, residency
//!   policy, attestations).
//! - [`coverage`]: the matrix (layers × services) and the duty checklist for one stack.

pub mod catalog;
pub mod coverage;
pub mod stack;

pub use catalog::{Catalog, CatalogError, Duty, Evidence, Owner, Service, ServiceModel};
pub use coverage::{DutyLine, DutyStatus, Map, ScanResult, ServicesFrom, map};
pub use stack::{Stack, find as find_stack, read as read_stack};
