//! What goes into a statement ([`Param`]) and what comes out of it ([`Row`]), owned so they can
//! cross to a blocking thread and back, and the same for both backends.

use std::sync::Arc;

use super::super::StoreError;

/// A value bound to a `$N` placeholder. NULLs keep their type: PostgreSQL checks a NULL's type
/// against the column it meets.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::store) enum Param {
    /// An integer or a NULL integer.
    Integer(Option<i64>),
    /// A floating-point number or a NULL one.
    Real(Option<f64>),
    /// Text or NULL text.
    Text(Option<String>),
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Param::Integer(Some(value))
    }
}

impl From<Option<i64>> for Param {
    fn from(value: Option<i64>) -> Self {
        Param::Integer(value)
    }
}

impl From<f64> for Param {
    fn from(value: f64) -> Self {
        Param::Real(Some(value))
    }
}

impl From<Option<f64>> for Param {
    fn from(value: Option<f64>) -> Self {
        Param::Real(value)
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Text(Some(value.to_owned()))
    }
}

impl From<&String> for Param {
    fn from(value: &String) -> Self {
        Param::Text(Some(value.clone()))
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::Text(Some(value))
    }
}

impl From<Option<&str>> for Param {
    fn from(value: Option<&str>) -> Self {
        Param::Text(value.map(str::to_owned))
    }
}

impl From<Option<String>> for Param {
    fn from(value: Option<String>) -> Self {
        Param::Text(value)
    }
}

/// `params![a, b]`: the values of a statement's placeholders, `$1` first.
macro_rules! params {
    () => { Vec::<$crate::store::database::Param>::new() };
    ($($value:expr),+ $(,)?) => {
        vec![$($crate::store::database::Param::from($value)),+]
    };
}
pub(in crate::store) use params;

/// A column value as read back.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::store) enum Value {
    /// NULL.
    Null,
    /// An integer (booleans too).
    Integer(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// One row of a result, with its column names (shared by every row of the result).
#[derive(Clone, Debug)]
pub(in crate::store) struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

/// A column by name or by position.
pub(in crate::store) trait ColumnIndex {
    /// Its position in `columns`.
    fn position(&self, columns: &[String]) -> Option<usize>;
    /// How to name it in an error.
    fn describe(&self) -> String;
}

impl ColumnIndex for &str {
    fn position(&self, columns: &[String]) -> Option<usize> {
        columns.iter().position(|column| column == self)
    }

    fn describe(&self) -> String {
        (*self).to_owned()
    }
}

impl ColumnIndex for usize {
    fn position(&self, columns: &[String]) -> Option<usize> {
        (*self < columns.len()).then_some(*self)
    }

    fn describe(&self) -> String {
        format!("#{self}")
    }
}

impl Row {
    /// A row of `values` under `columns`.
    pub(in crate::store) fn new(columns: Arc<[String]>, values: Vec<Value>) -> Self {
        Row { columns, values }
    }

    /// The value of a column as `T`; an error names the column when it is missing or of
    /// another type.
    pub(in crate::store) fn try_get<T: FromValue>(
        &self,
        column: impl ColumnIndex,
    ) -> Result<T, StoreError> {
        let mismatch = |found: &str| StoreError::Decode {
            column: column.describe(),
            expected: T::EXPECTED,
            found: found.to_owned(),
        };
        let Some(value) = column
            .position(&self.columns)
            .and_then(|position| self.values.get(position))
        else {
            return Err(mismatch("no such column"));
        };
        T::from_value(value).ok_or_else(|| mismatch(value.type_name()))
    }
}

impl Value {
    fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Integer(_) => "integer",
            Value::Real(_) => "real",
            Value::Text(_) => "text",
            Value::Blob(_) => "blob",
        }
    }
}

/// A Rust type a column value decodes into.
pub(in crate::store) trait FromValue: Sized {
    /// What it takes, for errors.
    const EXPECTED: &'static str;
    /// The decoded value, `None` when the value has another type.
    fn from_value(value: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    const EXPECTED: &'static str = "integer";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Integer(number) => Some(*number),
            _ => None,
        }
    }
}

impl FromValue for f64 {
    const EXPECTED: &'static str = "real";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Real(number) => Some(*number),
            // SQLite stores a whole REAL computed from integers as an integer.
            Value::Integer(number) => Some(*number as f64),
            _ => None,
        }
    }
}

impl FromValue for String {
    const EXPECTED: &'static str = "text";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl FromValue for Vec<u8> {
    const EXPECTED: &'static str = "blob";
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Blob(bytes) => Some(bytes.clone()),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_another_type_is_an_error_naming_the_column() {
        let row = Row::new(Arc::from(vec!["title".to_owned()]), vec![Value::Integer(3)]);
        let error = row.try_get::<String>("title").expect_err("not text");
        assert!(
            matches!(&error, StoreError::Decode { column, expected: "text", found } if column == "title" && found == "integer"),
            "{error:?}"
        );
        assert!(row.try_get::<String>("missing").is_err());
        assert_eq!(row.try_get::<i64>(0).expect("integer"), 3);
        assert_eq!(
            row.try_get::<Option<f64>>("title").expect("real"),
            Some(3.0)
        );
    }
}
