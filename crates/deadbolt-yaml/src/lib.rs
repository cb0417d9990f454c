//! deadbolt's YAML and JSON reader, shared by the CloudFormation and Kubernetes sources.
//!
//! [`parse`] turns a YAML stream (one or more documents) into [`Node`] trees that keep what the
//! sources need and generic loaders drop: the [`Span`] of every key and value (findings point at
//! the offending property's line), the tag of every node (`!Ref`, `!GetAtt`, ...), and the order
//! of mapping entries. [`parse_json`] reads a `.json` file strictly first (YAML would accept a
//! trailing comma that `aws cloudformation` rejects) and then the same way.
//!
//! Hostile input gets a [`Diagnostic`] with the file and line, never a panic or unbounded memory:
//! nesting deeper than [`MAX_DEPTH`], alias expansion beyond [`MAX_ALIAS_NODES`] ("billion
//! laughs"), and duplicate keys are errors. The event parser (saphyr-parser) is driven as an
//! iterator, so nesting costs heap, not stack.

mod suppress;
mod tree;

pub use suppress::{SuppressionComment, suppression_comments};
pub use tree::{Data, MAX_ALIAS_NODES, MAX_DEPTH, Node, Scalar, parse, parse_json};
