//! Object identity: the typed names by which every catalog object is known.
//!
//! Identity never contains OIDs, so two databases built from the same files
//! give equal identities. `Display` renders quoted SQL names.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

use crate::quote;

/// A schema-qualified name. Both parts are stored unquoted, exactly as in the
/// catalog, and shared: a read allocates each schema name once and each
/// relation name once for all the identities that name it; so does a
/// decoding of a model under [`SharingNames`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct QualName {
    pub schema: Arc<str>,
    pub name: Arc<str>,
}

impl<'de> Deserialize<'de> for QualName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Parts<'a> {
            #[serde(borrow)]
            schema: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            name: std::borrow::Cow<'a, str>,
        }
        let parts = Parts::deserialize(d)?;
        Ok(QualName { schema: shared_name(&parts.schema), name: shared_name(&parts.name) })
    }
}

thread_local! {
    static DECODED_NAMES: std::cell::RefCell<Option<crate::FastSet<Arc<str>>>> =
        const { std::cell::RefCell::new(None) };
}

/// While it lives, the names of the [`QualName`]s decoded on this thread
/// are allocated once each and shared, as a catalog read shares them: a
/// cached model decoded without it held every table's name anew in each
/// identity, index and reference naming it (with its lists fitted too, a
/// 10,000-table model decodes to 67 MB instead of 96).
pub struct SharingNames(());

impl SharingNames {
    pub fn start() -> SharingNames {
        DECODED_NAMES.with(|names| *names.borrow_mut() = Some(Default::default()));
        SharingNames(())
    }
}

impl Drop for SharingNames {
    fn drop(&mut self) {
        DECODED_NAMES.with(|names| *names.borrow_mut() = None);
    }
}

fn shared_name(name: &str) -> Arc<str> {
    DECODED_NAMES.with(|names| match names.borrow_mut().as_mut() {
        Some(names) => match names.get(name) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<str> = name.into();
                names.insert(shared.clone());
                shared
            }
        },
        None => name.into(),
    })
}

impl QualName {
    pub fn new(schema: impl Into<Arc<str>>, name: impl Into<Arc<str>>) -> Self {
        QualName { schema: schema.into(), name: name.into() }
    }

    /// The name an object waits under while it is rebuilt (a type whose
    /// columns are converted) or replaced (one in the way of a rename):
    /// `name__pgrecon_old`, cut so the suffix survives the 63-byte limit.
    pub fn aside(&self) -> QualName {
        QualName::new(self.schema.clone(), quote::suffixed(&self.name, ASIDE_SUFFIX))
    }
}

/// See [`QualName::aside`].
pub const ASIDE_SUFFIX: &str = "__pgrecon_old";

impl fmt::Display for QualName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&quote::qualified(&self.schema, &self.name))
    }
}

/// A function or procedure: overloads differ by their identity arguments, as
/// `pg_get_function_identity_arguments()` prints them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FunctionId {
    pub name: QualName,
    pub args: String,
}

impl fmt::Display for FunctionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.args)
    }
}

/// Every addressable object of the model. Sub-objects (columns, constraints,
/// triggers) carry the name of the relation they belong to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectId {
    Schema {
        name: String,
    },
    Extension {
        name: String,
    },
    /// Enum, domain or composite type.
    Type {
        name: QualName,
    },
    Sequence {
        name: QualName,
    },
    Table {
        name: QualName,
    },
    Column {
        table: QualName,
        column: String,
    },
    /// A column's default or generation expression (`pg_attrdef`): other
    /// objects (sequences, functions) can be what it depends on.
    ColumnDefault {
        table: QualName,
        column: String,
    },
    Constraint {
        table: QualName,
        name: String,
    },
    Index {
        name: QualName,
    },
    Trigger {
        table: QualName,
        name: String,
    },
    /// View or materialized view.
    View {
        name: QualName,
    },
    Function {
        id: FunctionId,
    },
}

impl ObjectId {
    /// The word a person would use for this kind of object.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ObjectId::Schema { .. } => "schema",
            ObjectId::Extension { .. } => "extension",
            ObjectId::Type { .. } => "type",
            ObjectId::Sequence { .. } => "sequence",
            ObjectId::Table { .. } => "table",
            ObjectId::Column { .. } => "column",
            ObjectId::ColumnDefault { .. } => "default",
            ObjectId::Constraint { .. } => "constraint",
            ObjectId::Index { .. } => "index",
            ObjectId::Trigger { .. } => "trigger",
            ObjectId::View { .. } => "view",
            ObjectId::Function { .. } => "function",
        }
    }

    /// The relation, type or function this object is or lives on (`None`
    /// for schemas and extensions).
    pub fn subject(&self) -> Option<&QualName> {
        match self {
            ObjectId::Schema { .. } | ObjectId::Extension { .. } => None,
            ObjectId::Type { name }
            | ObjectId::Sequence { name }
            | ObjectId::Table { name }
            | ObjectId::Index { name }
            | ObjectId::View { name } => Some(name),
            ObjectId::Column { table, .. }
            | ObjectId::ColumnDefault { table, .. }
            | ObjectId::Constraint { table, .. }
            | ObjectId::Trigger { table, .. } => Some(table),
            ObjectId::Function { id } => Some(&id.name),
        }
    }

    /// The unqualified name of the object, or of the relation it lives on:
    /// a cheap key for narrowing a search over many ids (equal ids have
    /// equal base names).
    pub fn base_name(&self) -> &str {
        match self {
            ObjectId::Schema { name } | ObjectId::Extension { name } => name,
            other => other.subject().map_or("", |q| &q.name),
        }
    }

    /// The relation this object lives on, for objects that live on one.
    pub fn owning_relation(&self) -> Option<&QualName> {
        match self {
            ObjectId::Column { table, .. }
            | ObjectId::ColumnDefault { table, .. }
            | ObjectId::Constraint { table, .. }
            | ObjectId::Trigger { table, .. } => Some(table),
            _ => None,
        }
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectId::Schema { name } | ObjectId::Extension { name } => f.write_str(&quote::ident(name)),
            ObjectId::Type { name }
            | ObjectId::Sequence { name }
            | ObjectId::Table { name }
            | ObjectId::Index { name }
            | ObjectId::View { name } => name.fmt(f),
            ObjectId::Column { table, column: name }
            | ObjectId::ColumnDefault { table, column: name }
            | ObjectId::Constraint { table, name }
            | ObjectId::Trigger { table, name } => {
                write!(f, "{}.{}", table, quote::ident(name))
            }
            ObjectId::Function { id } => id.fmt(f),
        }
    }
}
