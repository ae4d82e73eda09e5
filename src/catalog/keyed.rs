//! Maps keyed by structured names serialize as lists of their values (JSON
//! object keys must be strings); each value knows its own key, so nothing is
//! stored twice.

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::*;

/// An object that carries the key it is stored under.
pub trait Keyed {
    type Key: Ord;
    fn key(&self) -> Self::Key;
}

pub fn serialize<S, V>(map: &BTreeMap<V::Key, V>, s: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    V: Keyed + Serialize,
{
    s.collect_seq(map.values())
}

pub fn deserialize<'de, D, V>(d: D) -> Result<BTreeMap<V::Key, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Keyed + Deserialize<'de>,
{
    let values = Vec::<V>::deserialize(d)?;
    Ok(values.into_iter().map(|v| (v.key(), v)).collect())
}

/// Shared objects are keyed as the objects they share.
impl<T: Keyed> Keyed for std::sync::Arc<T> {
    type Key = T::Key;
    fn key(&self) -> Self::Key {
        T::key(self)
    }
}

/// Boxed objects too.
impl<T: Keyed> Keyed for Box<T> {
    type Key = T::Key;
    fn key(&self) -> Self::Key {
        T::key(self)
    }
}

macro_rules! keyed_by {
    ($type:ty, $key:ty, |$v:ident| $body:expr) => {
        impl Keyed for $type {
            type Key = $key;
            fn key(&self) -> $key {
                let $v = self;
                $body
            }
        }
    };
}

keyed_by!(Schema, String, |v| v.name.clone());
keyed_by!(Extension, String, |v| v.name.clone());
keyed_by!(EnumType, QualName, |v| v.name.clone());
keyed_by!(Domain, QualName, |v| v.name.clone());
keyed_by!(DomainConstraint, String, |v| v.name.clone());
keyed_by!(CompositeType, QualName, |v| v.name.clone());
keyed_by!(RangeType, QualName, |v| v.name.clone());
keyed_by!(Sequence, QualName, |v| v.name.clone());
keyed_by!(Table, QualName, |v| v.name.clone());
keyed_by!(Constraint, String, |v| v.name.clone());
keyed_by!(View, QualName, |v| v.name.clone());
keyed_by!(Index, QualName, |v| v.name.clone());
keyed_by!(Trigger, (QualName, String), |v| (v.table.clone(), v.name.clone()));
keyed_by!(Function, FunctionId, |v| v.id.clone());
