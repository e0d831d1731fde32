//! The records a webmaster edits, as read from disk: private fields included.
//!
//! Nothing here is ever handed to a template; `project` makes the public view.

pub mod case;
pub mod committee;
pub mod date;
pub mod focal_point;
pub mod ids;
pub mod localized;
pub mod referral;
pub mod session;
pub mod vocab;

use std::sync::Arc;

use crate::diagnostics::SourceFile;

/// A record with the file it came from, so later checks can point into that file.
#[derive(Debug)]
pub struct Record<T> {
    pub file: Arc<SourceFile>,
    pub value: T,
}
