//! The one place where what went wrong becomes the FFI error, `PolicygraphError`
//! (`PolicygraphException` in Kotlin, `PolicygraphError` in Swift).
//!
//! | core | variant |
//! | --- | --- |
//! | a document that cannot be read (`LoadError`) | `Load`, with every problem |
//! | an unknown id (`UnknownId`, `QueryError::Unknown`) | `NotFound` |
//! | an unknown kind of element (`UnknownKind`) | `NotFound` |
//! | a bad argument (rule setting, export format, an id of the wrong kind) | `InvalidArgument` |
//! | a panic, caught at the boundary | `Internal` |
//!
//! The text of each variant is in `reason` (not `message`: Kotlin's `Throwable`
//! already has a `message`, which uniffi builds from the fields) and is the core's
//! wording, as the command line and the Python package give it.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::records::Diagnostic;

/// What went wrong inside a policygraph call.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PolicygraphError {
    /// A document could not be read: every structural problem found, each located.
    #[error("{reason}")]
    Load {
        /// The problems in one text: a line naming the document, then one line a problem
        /// (`file:line:col: error CODE/name message`).
        reason: String,
        /// Every problem, in source order.
        problems: Vec<Diagnostic>,
    },
    /// An id that names no element, or a name that is no kind of element (with the
    /// nearest one when a name is close).
    #[error("{reason}")]
    NotFound {
        /// What was not found, with a "did you mean" when something is close.
        reason: String,
    },
    /// An argument the core refuses: a rule setting that names no rule, an unknown
    /// export format, an id of the wrong kind for its filter.
    #[error("{reason}")]
    InvalidArgument {
        /// What is wrong with it.
        reason: String,
    },
    /// A bug in policygraph: a panic inside it, caught before it reached the app.
    #[error("{reason}")]
    Internal {
        /// The panic's message.
        reason: String,
    },
}

pub type Result<T, E = PolicygraphError> = std::result::Result<T, E>;

impl PolicygraphError {
    /// A document that could not be read, named `name` in the message.
    pub fn load(name: Option<&str>, e: policygraph::LoadError) -> PolicygraphError {
        PolicygraphError::Load {
            reason: policygraph_export::text::load_failure(name, &e.diagnostics),
            problems: policygraph::tables::findings_of(&e.diagnostics)
                .into_iter()
                .map(Diagnostic::from)
                .collect(),
        }
    }

    pub fn invalid(reason: impl Into<String>) -> PolicygraphError {
        PolicygraphError::InvalidArgument {
            reason: reason.into(),
        }
    }
}

impl From<policygraph::trace::UnknownId> for PolicygraphError {
    fn from(e: policygraph::trace::UnknownId) -> PolicygraphError {
        PolicygraphError::NotFound {
            reason: e.to_string(),
        }
    }
}

impl From<policygraph::graph::UnknownKind> for PolicygraphError {
    fn from(e: policygraph::graph::UnknownKind) -> PolicygraphError {
        PolicygraphError::NotFound { reason: e.message }
    }
}

impl From<policygraph::query::QueryError> for PolicygraphError {
    fn from(e: policygraph::query::QueryError) -> PolicygraphError {
        match e {
            policygraph::query::QueryError::Unknown(u) => u.into(),
            other => PolicygraphError::invalid(other.to_string()),
        }
    }
}

impl From<policygraph::check::SelectorError> for PolicygraphError {
    fn from(e: policygraph::check::SelectorError) -> PolicygraphError {
        PolicygraphError::invalid(e.message)
    }
}

impl From<policygraph::load::WriteError> for PolicygraphError {
    fn from(e: policygraph::load::WriteError) -> PolicygraphError {
        PolicygraphError::invalid(e.0)
    }
}

impl From<serde_json::Error> for PolicygraphError {
    fn from(e: serde_json::Error) -> PolicygraphError {
        PolicygraphError::Internal {
            reason: format!(
                "internal error in policygraph (please report it): cannot write JSON: {e}"
            ),
        }
    }
}

/// Runs `f`, turning a panic into [`PolicygraphError::Internal`]: every exported
/// function and method runs inside it, so no panic unwinds into the host app.
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with no message".to_owned());
            Err(PolicygraphError::Internal {
                reason: format!("internal error in policygraph (please report it): {message}"),
            })
        }
    }
}
