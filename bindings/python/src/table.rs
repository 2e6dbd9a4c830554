//! `policygraph.Table`: rows of one of the core's flat row types, as a typed columnar
//! table for pandas, polars and pyarrow.
//!
//! The columns are built once, in Rust, when first asked for: the Arrow schema comes
//! from the row type's JSON Schema (strings, `format: date` strings as dates, integers,
//! numbers, booleans, lists of strings; a field that may be absent is nullable) and the
//! values go into Arrow arrays through serde_arrow. A table is handed to Python through
//! the Arrow PyCapsule interface (`__arrow_c_stream__`), which pyarrow, polars and pandas
//! read without a copy per value and without a Python loop per row. A field added to a
//! row type is a new column with no change here.

use std::sync::{Arc, OnceLock};

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, FieldRef};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyList};
use pyo3_arrow::PyTable;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::errors::{Error, Result, detached};

/// Rows of one type, with what a table needs of them.
pub trait Rows: Send + Sync {
    fn len(&self) -> usize;
    fn batch(&self) -> Result<RecordBatch>;
    fn records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>>;
    fn record<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Option<Bound<'py, PyAny>>>;
    fn columns(&self) -> Result<Vec<String>>;
}

struct Typed<T>(Vec<T>);

impl<T: Serialize + JsonSchema + Send + Sync> Rows for Typed<T> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn batch(&self) -> Result<RecordBatch> {
        let fields = fields_of::<T>()?;
        serde_arrow::to_record_batch(&fields, &self.0)
            .map_err(|e| Error::Internal(format!("cannot build the table's columns: {e}")))
    }

    fn records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        Ok(crate::records::to_python(py, &self.0)?.cast_into::<PyList>()?)
    }

    fn record<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0
            .get(i)
            .map(|row| crate::records::to_python(py, row))
            .transpose()
    }

    fn columns(&self) -> Result<Vec<String>> {
        Ok(fields_of::<T>()?.iter().map(|f| f.name().clone()).collect())
    }
}

/// The Arrow fields of a row type, from its JSON Schema.
pub fn fields_of<T: JsonSchema>() -> Result<Vec<FieldRef>> {
    let schema = schemars::SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value();
    let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(Value::Object(properties)) = schema.get("properties") else {
        return Err(Error::Internal(format!(
            "the rows of `{}` are not records",
            T::schema_name()
        )));
    };
    properties
        .iter()
        .map(|(name, property)| {
            let (data_type, nullable) = column_type(property, &defs).ok_or_else(|| {
                Error::Internal(format!(
                    "the field `{name}` of `{}` is not a flat column",
                    T::schema_name()
                ))
            })?;
            let nullable = nullable || !required.contains(&name.as_str());
            Ok(Arc::new(Field::new(name, data_type, nullable)))
        })
        .collect()
}

/// The column type of a property's schema, and whether it admits null.
fn column_type(schema: &Value, defs: &Value) -> Option<(DataType, bool)> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next()?;
        return column_type(defs.get(name)?, defs);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(options)) = schema.get(key) {
            let is_null = |s: &Value| s.get("type").and_then(Value::as_str) == Some("null");
            let nullable = options.iter().any(is_null);
            let mut types = options
                .iter()
                .filter(|s| !is_null(s))
                .map(|s| column_type(s, defs));
            let first = types.next()??;
            // variants of one enum are all strings; anything else is not one column
            return types
                .all(|t| t.as_ref().is_some_and(|(d, _)| *d == first.0))
                .then_some((first.0, nullable || first.1));
        }
    }
    if schema.get("const").is_some_and(Value::is_string) {
        return Some((DataType::Utf8, false));
    }
    let (name, nullable) = match schema.get("type") {
        Some(Value::String(t)) => (t.as_str(), false),
        Some(Value::Array(ts)) => {
            let nullable = ts.iter().any(|t| t == "null");
            let mut rest = ts.iter().filter_map(Value::as_str).filter(|t| *t != "null");
            let one = rest.next()?;
            if rest.next().is_some() {
                return None;
            }
            (one, nullable)
        }
        _ if schema.get("enum").is_some() => ("string", false),
        _ => return None,
    };
    let data_type = match name {
        "string" if schema.get("format").and_then(Value::as_str) == Some("date") => {
            DataType::Date32
        }
        "string" => DataType::Utf8,
        "integer" => DataType::Int64,
        "number" => DataType::Float64,
        "boolean" => DataType::Boolean,
        "array" => {
            let (item, _) = column_type(schema.get("items")?, defs)?;
            if matches!(item, DataType::List(_)) {
                return None;
            }
            DataType::List(Arc::new(Field::new("item", item, false)))
        }
        _ => return None,
    };
    Some((data_type, nullable))
}

/// A table of rows, with typed columns built on first use.
#[pyclass(module = "policygraph", name = "Table", frozen)]
pub struct Table {
    name: String,
    rows: Box<dyn Rows>,
    batch: OnceLock<RecordBatch>,
}

impl Table {
    pub fn new<T: Serialize + JsonSchema + Send + Sync + 'static>(
        name: &str,
        rows: Vec<T>,
    ) -> Table {
        Table {
            name: name.to_owned(),
            rows: Box::new(Typed(rows)),
            batch: OnceLock::new(),
        }
    }

    fn arrow(&self, py: Python<'_>) -> PyResult<PyTable> {
        let batch = match self.batch.get() {
            Some(b) => b.clone(),
            None => {
                let built = detached(py, || self.rows.batch())?;
                self.batch.get_or_init(|| built).clone()
            }
        };
        let schema = batch.schema();
        PyTable::try_new(vec![batch], schema)
    }
}

fn import<'py>(py: Python<'py>, module: &str, method: &str) -> PyResult<Bound<'py, PyModule>> {
    py.import(module).map_err(|e| {
        if e.is_instance_of::<pyo3::exceptions::PyImportError>(py) {
            pyo3::exceptions::PyImportError::new_err(format!(
                "`{method}` needs {module}: install it with `pip install {module}` (or `pip install 'policygraph[dataframes]'`)"
            ))
        } else {
            e
        }
    })
}

#[pymethods]
impl Table {
    /// What the table holds (`findings`, `lines`, `elements`, …).
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The column names, in order.
    #[getter]
    fn columns(&self) -> PyResult<Vec<String>> {
        Ok(self.rows.columns()?)
    }

    fn __len__(&self) -> usize {
        self.rows.len()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyAny>> {
        let n = self.rows.len() as isize;
        let i = if index < 0 { index + n } else { index };
        let out_of_range = || {
            pyo3::exceptions::PyIndexError::new_err(format!(
                "row {index} is out of range for a table of {n} rows"
            ))
        };
        if i < 0 {
            return Err(out_of_range());
        }
        self.rows.record(py, i as usize)?.ok_or_else(out_of_range)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.rows.records(py)?.try_iter()?.into_any())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "<policygraph.Table {} ({} rows: {})>",
            self.name,
            self.rows.len(),
            self.rows.columns()?.join(", ")
        ))
    }

    /// The rows as records.
    fn to_pylist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.rows.records(py)
    }

    /// The Arrow PyCapsule interface: `pyarrow.table(t)`, `polars.DataFrame(t)`.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let table = Bound::new(py, self.arrow(py)?)?;
        table.call_method1("__arrow_c_stream__", (requested_schema,))
    }

    /// The table as a `pyarrow.Table`.
    pub fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        import(py, "pyarrow", "to_arrow")?.call_method1("table", (slf,))
    }

    /// The table as a `polars.DataFrame`.
    pub fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        import(py, "polars", "to_polars")?.call_method1("DataFrame", (slf,))
    }

    /// The table as a `pandas.DataFrame` with Arrow-backed columns (`string[pyarrow]`,
    /// `date32[day][pyarrow]`, `int64[pyarrow]`, `double[pyarrow]`, `bool[pyarrow]`,
    /// lists as `list<item: string>[pyarrow]`).
    pub fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let pandas = import(py, "pandas", "to_pandas")?;
        import(py, "pyarrow", "to_pandas")?;
        let table = Self::to_arrow(slf)?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("types_mapper", pandas.getattr("ArrowDtype")?)?;
        table.call_method("to_pandas", (), Some(&kwargs))
    }
}
