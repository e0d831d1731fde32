//! The records a webmaster edits, as read from disk: private fields included.
//!
//! Nothing here is ever handed to a template; `project` makes the public view.

pub(crate) mod case;
pub(crate) mod committee;
pub(crate) mod date;
pub(crate) mod focal_point;
pub(crate) mod ids;
pub(crate) mod localized;
pub(crate) mod referral;
pub(crate) mod session;
pub(crate) mod vocab;

use std::sync::Arc;

use crate::diagnostics::SourceFile;

/// A record with the file it came from, so later checks can point into that file.
#[derive(Debug)]
pub struct Record<T> {
    pub file: Arc<SourceFile>,
    pub value: T,
}
