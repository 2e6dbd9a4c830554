//! The one conversion from the core's serializable data to Python objects.
//!
//! Every value the core returns is `serde::Serialize`; it becomes Python data through
//! pythonize, field for field, so a field added to the core appears in Python with no
//! change here. Structs become `policygraph.Record`s (dicts whose keys are also
//! attributes): the class is the one of the same name in `policygraph._records` when
//! there is one (`Diagnostic`, `Trace`, …, typed in the stubs), else `Record` itself.
//! Maps stay dicts and lists stay lists; [`to_plain`] gives plain dicts throughout (for
//! `to_dict()`).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyMapping, PyString};
use pythonize::{PythonizeNamedMappingType, PythonizeTypes};
use serde::Serialize;

/// `policygraph._records`, imported once.
static RECORDS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn records_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(RECORDS
        .get_or_try_init(py, || py.import("policygraph._records").map(Bound::unbind))?
        .bind(py))
}

/// The class a struct of this name becomes.
fn class_for<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let module = records_module(py)?;
    match module.getattr(name) {
        Ok(class) => Ok(class),
        Err(_) => module.getattr("Record"),
    }
}

struct RecordTypes;

impl PythonizeTypes for RecordTypes {
    type Map = PyDict;
    type NamedMap = NamedRecord;
    type List = PyList;
}

struct NamedRecord;

impl PythonizeNamedMappingType for NamedRecord {
    type Builder<'py> = Bound<'py, PyAny>;

    fn builder<'py>(
        py: Python<'py>,
        _len: usize,
        name: &'static str,
    ) -> PyResult<Self::Builder<'py>> {
        class_for(py, name)?.call0()
    }

    fn push_field<'py>(
        builder: &mut Self::Builder<'py>,
        name: Bound<'py, PyString>,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        builder.set_item(name, value)
    }

    fn finish<'py>(builder: Self::Builder<'py>) -> PyResult<Bound<'py, PyMapping>> {
        Ok(builder.cast_into::<PyMapping>()?)
    }
}

fn error(e: pythonize::PythonizeError) -> PyErr {
    crate::errors::InternalError::new_err(format!(
        "internal error in policygraph (please report it): cannot convert a result: {e}"
    ))
}

/// Core data as Python records.
pub fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize_custom::<RecordTypes, T>(py, value).map_err(error)
}

/// Core data as plain dicts and lists (JSON-shaped).
pub fn to_plain<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(error)
}
