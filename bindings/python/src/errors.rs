//! The one place where what went wrong becomes a Python exception.
//!
//! | core | Python |
//! | --- | --- |
//! | a document that cannot be read | `policygraph.LoadError` (a `ValueError`) with `.problems` |
//! | a file that does not exist | `FileNotFoundError` |
//! | an unknown id | `KeyError` |
//! | a bad argument (unknown kind, rule, format) | `ValueError` |
//! | a panic, caught at the boundary | `policygraph.InternalError` |
//!
//! Wrong argument types are `TypeError`s raised by pyo3's own conversions.

use std::panic::{AssertUnwindSafe, catch_unwind};

use policygraph::Diagnostic;
use pyo3::exceptions::{PyFileNotFoundError, PyKeyError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    policygraph,
    LoadError,
    PyValueError,
    "A document could not be read: `.problems` lists every structural problem found."
);
pyo3::create_exception!(
    policygraph,
    InternalError,
    PyRuntimeError,
    "A bug in policygraph (a panic inside it, caught before it reached Python)."
);

/// What went wrong inside a binding call.
#[derive(Debug)]
pub enum Error {
    /// A document could not be read: its name (when it has one) and every problem.
    Load {
        name: Option<String>,
        problems: Vec<Diagnostic>,
    },
    /// A file that does not exist.
    NoSuchFile(String),
    /// An id that names no element.
    UnknownId(String),
    /// An argument the core refuses.
    Invalid(String),
    /// A panic, caught at the boundary.
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match e {
            Error::Load { name, problems } => Python::attach(|py| {
                let message = policygraph_export::text::load_failure(name.as_deref(), &problems);
                let err = LoadError::new_err(message);
                let set = crate::records::to_python(py, &problems)
                    .and_then(|list| err.value(py).setattr("problems", list));
                match set {
                    Ok(()) => err,
                    Err(conversion) => conversion,
                }
            }),
            Error::NoSuchFile(path) => {
                PyFileNotFoundError::new_err((2, "no such file or directory".to_owned(), path))
            }
            Error::UnknownId(message) => PyKeyError::new_err(message),
            Error::Invalid(message) => PyValueError::new_err(message),
            Error::Internal(message) => InternalError::new_err(format!(
                "internal error in policygraph (please report it): {message}"
            )),
        }
    }
}

impl From<policygraph::trace::UnknownId> for Error {
    fn from(e: policygraph::trace::UnknownId) -> Error {
        Error::UnknownId(e.to_string())
    }
}

impl From<policygraph::query::QueryError> for Error {
    fn from(e: policygraph::query::QueryError) -> Error {
        match e {
            policygraph::query::QueryError::Unknown(u) => u.into(),
            other => Error::Invalid(other.to_string()),
        }
    }
}

/// Runs `f`, turning a panic into [`Error::Internal`].
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with no message".to_owned());
            Err(Error::Internal(message))
        }
    }
}

/// Runs `f` with the GIL released (other Python threads go on meanwhile), turning a
/// panic into [`Error::Internal`] and an error into its exception.
pub fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T> + Send) -> PyResult<T> {
    py.detach(|| guard(f)).map_err(PyErr::from)
}
