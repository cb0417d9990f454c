//! File access shared by deadbolt's text sources (Terraform, CloudFormation, Kubernetes).
//!
//! - [`walk`] lists the files under a directory that a source wants, without following symlinked
//!   directories (a link loop cannot trap it) and skipping the user's `--skip-path`s; every entry
//!   it cannot use is a [`Diagnostic`].
//! - [`read_text`] reads one file as UTF-8 with the limits that keep hostile input harmless: regular
//!   files only, at most [`MAX_FILE_BYTES`], no NUL bytes.
//! - [`parallel_map`] maps over files on every core, with large stacks.

mod parallel;
mod read;
mod walk;

pub use parallel::parallel_map;
pub use read::{MAX_FILE_BYTES, decode_text, read_text};
pub use walk::{display_path, walk};
