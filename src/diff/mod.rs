//! Diff: compares the live model with the desired one, after the planned
//! renames are applied to the live model, and lists what differs.
//!
//! The diff knows what differs, not how to change it: turning changes into
//! SQL and ordering them is the planner's job.

mod rename_live;
mod renames;
mod rewrite;

pub use rename_live::{rename_catalog, ConstraintRenames};
pub use renames::{resolve, RenameStep, Resolved, Swapped, UnplannedSwap};
pub use rewrite::NameMap;

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::*;

/// What differs between the live model (after renames) and the desired one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Create(ObjectId),
    Drop(ObjectId),
    /// Drop and create again: indexes, constraints, triggers; views and
    /// functions when they cannot be replaced in place.
    Replace(ObjectId),
    /// `CREATE OR REPLACE` of a view or function, where PostgreSQL allows it.
    Redefine(ObjectId),
    AlterColumn {
        table: QualName,
        column: String,
        what: ColumnChange,
    },
    ValidateConstraint {
        table: QualName,
        name: String,
    },
    AlterTable {
        table: QualName,
    },
    AlterSequence {
        name: QualName,
    },
    AddEnumValue {
        name: QualName,
        value: String,
        position: EnumPosition,
    },
    /// Values removed or reordered: the type is rebuilt and columns converted.
    RebuildEnum {
        name: QualName,
    },
    AlterDomain {
        name: QualName,
    },
    /// A domain's base type or collation changed, a composite type's
    /// attributes changed other than by drops and appends (see
    /// [`alterable_in_place`]), or the type either is built on is rebuilt:
    /// the type is renamed aside, created anew,
    /// columns converted, the old one dropped (a drop and create would
    /// have to wait for the columns that still use the old type, and
    /// PostgreSQL alters no attribute's type while a column uses the type).
    RebuildType {
        name: QualName,
    },
    AlterComposite {
        name: QualName,
    },
    SetTriggerEnabled {
        table: QualName,
        name: String,
    },
    Comment {
        target: ObjectId,
        subject: CommentSubject,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColumnChange {
    Type,
    NotNull,
    Identity,
    /// A stored generated column made a plain one, its values kept.
    DropExpression,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnumPosition {
    Before(String),
    After(String),
}

/// Comments live on objects and on their parts (a column of a table or
/// view, an attribute of a composite type, a domain constraint).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CommentSubject {
    Object,
    Column(String),
    DomainConstraint(String),
}

/// An index definition without its name: `ON table USING ...`.
pub fn index_body(definition: &str) -> &str {
    crate::sql_scan::find_top_level(definition, " ON ", 0).map_or(definition, |i| &definition[i..])
}

/// Whether two index definitions differ other than in their names and the
/// order of their storage parameters (a set, stored in the order written:
/// written in another order, they are no reason to rebuild the index).
pub fn index_bodies_differ(a: &str, b: &str) -> bool {
    let (a, b) = (index_body(a), index_body(b));
    a != b && with_sorted_parameters(a) != with_sorted_parameters(b)
}

/// Whether two indexes are built differently: uniqueness (which the body
/// leaves out, with the name) or the body.
pub fn indexes_differ(a: &Index, b: &Index) -> bool {
    a.unique != b.unique || index_bodies_differ(&a.definition, &b.definition)
}

fn with_sorted_parameters(body: &str) -> std::borrow::Cow<'_, str> {
    use crate::sql_scan::{find_top_level, matching_paren, split_top_level};
    let Some(with) = find_top_level(body, " WITH (", 0) else { return body.into() };
    let open = with + " WITH ".len();
    let Some(close) = matching_paren(body, open) else { return body.into() };
    let mut parameters = split_top_level(&body[open + 1..close]);
    parameters.sort();
    format!("{} WITH ({}){}", &body[..with], parameters.join(", "), &body[close + 1..]).into()
}

/// The schemas relocatable extensions move between, as qualifiers.
fn extension_moves(live: &Catalog, desired: &Catalog) -> Vec<(String, String)> {
    live.extensions
        .values()
        .filter(|l| l.relocatable)
        .filter_map(|l| desired.extensions.get(&l.name).filter(|d| d.schema != l.schema).map(|d| (l, d)))
        .map(|(l, d)| {
            (format!("{}.", crate::quote::ident(&l.schema)), format!("{}.", crate::quote::ident(&d.schema)))
        })
        .collect()
}

/// Compares `live` (renames already applied) with `desired`.
pub fn diff(live: &Catalog, desired: &Catalog) -> Vec<Change> {
    let mut d = Differ { live, desired, changes: Vec::new(), moves: extension_moves(live, desired) };
    d.schemas();
    d.extensions();
    d.enums();
    d.domains();
    d.composites();
    d.ranges();
    d.sequences();
    d.functions();
    d.tables();
    d.indexes();
    d.views();
    d.triggers();
    let mut changes = d.changes;
    changes.sort();
    changes.dedup();
    changes
}

struct Differ<'a> {
    live: &'a Catalog,
    desired: &'a Catalog,
    changes: Vec<Change>,
    /// Schemas relocatable extensions move between (`old.`, `new.`, as
    /// names are qualified in definitions): what names their objects
    /// follows them (`sql_scan::same_but_moved`).
    moves: Vec<(String, String)>,
}

impl Differ<'_> {
    /// A column of an extension's type, the extension moved: the column
    /// follows it (same type), unless the files make a type of their own
    /// under the new name.
    fn moved_type(&self, live: &str, desired: &str) -> bool {
        let base = desired.split(['[', '(']).next().unwrap_or(desired);
        let user_type = base.split_once('.').is_some_and(|(schema, name)| {
            let n = QualName::new(schema.trim_matches('"'), name.trim_matches('"'));
            self.desired.contains(&ObjectId::Type { name: n })
        });
        !user_type && crate::sql_scan::same_but_moved(live, desired, &self.moves)
    }

    fn push(&mut self, c: Change) {
        self.changes.push(c);
    }

    /// Creates and drops for a map; calls `both` for keys in both.
    fn compare<K: Ord + Clone, V>(
        &mut self,
        live: &BTreeMap<K, V>,
        desired: &BTreeMap<K, V>,
        id: impl Fn(&K) -> ObjectId,
        mut both: impl FnMut(&mut Self, &K, &V, &V),
    ) {
        for (k, v) in desired {
            match live.get(k) {
                None => self.push(Change::Create(id(k))),
                Some(l) => both(self, k, l, v),
            }
        }
        for k in live.keys().filter(|k| !desired.contains_key(*k)) {
            self.push(Change::Drop(id(k)));
        }
    }

    fn comment(
        &mut self,
        target: ObjectId,
        subject: CommentSubject,
        live: &Option<String>,
        desired: &Option<String>,
    ) {
        if live != desired {
            self.push(Change::Comment { target, subject });
        }
    }

    fn schemas(&mut self) {
        let (l, d) = (&self.live.schemas, &self.desired.schemas);
        self.compare(
            l,
            d,
            |n| ObjectId::Schema { name: n.clone() },
            |s, n, l, d| {
                s.comment(
                    ObjectId::Schema { name: n.clone() },
                    CommentSubject::Object,
                    &l.comment,
                    &d.comment,
                )
            },
        );
    }

    fn extensions(&mut self) {
        let (l, d) = (&self.live.extensions, &self.desired.extensions);
        self.compare(
            l,
            d,
            |n| ObjectId::Extension { name: n.clone() },
            |s, n, l, d| {
                let id = ObjectId::Extension { name: n.clone() };
                // Moved when it can be: dropping it would drop what uses
                // its types and operators (indexes, columns) with it.
                if l.schema != d.schema {
                    s.push(if l.relocatable {
                        Change::Redefine(id.clone())
                    } else {
                        Change::Replace(id.clone())
                    });
                }
                s.comment(id, CommentSubject::Object, &l.comment, &d.comment)
            },
        );
    }

    fn enums(&mut self) {
        let (l, d) = (&self.live.enums, &self.desired.enums);
        self.compare(
            l,
            d,
            |n| ObjectId::Type { name: n.clone() },
            |s, n, l, d| {
                s.enum_values(n, &l.values, &d.values);
                s.comment(ObjectId::Type { name: n.clone() }, CommentSubject::Object, &l.comment, &d.comment)
            },
        );
    }

    /// New values are inserted where the desired order puts them; removed or
    /// reordered values need a rebuild.
    fn enum_values(&mut self, name: &QualName, live: &[String], desired: &[String]) {
        let kept: Vec<&String> = desired.iter().filter(|v| live.contains(v)).collect();
        if kept.len() != live.len() || kept.iter().zip(live).any(|(a, b)| *a != b) {
            self.push(Change::RebuildEnum { name: name.clone() });
            return;
        }
        for (i, v) in desired.iter().enumerate() {
            if live.contains(v) {
                continue;
            }
            // The next value that already exists, else the previous one.
            let position = match desired[i + 1..].iter().find(|n| live.contains(n)) {
                Some(next) => EnumPosition::Before(next.clone()),
                None => EnumPosition::After(desired[..i].last().cloned().unwrap_or_default()),
            };
            self.push(Change::AddEnumValue { name: name.clone(), value: v.clone(), position });
        }
    }

    fn domains(&mut self) {
        let (l, d) = (&self.live.domains, &self.desired.domains);
        self.compare(
            l,
            d,
            |n| ObjectId::Type { name: n.clone() },
            |s, n, l, d| {
                let id = ObjectId::Type { name: n.clone() };
                if l.base_type != d.base_type || l.collation != d.collation {
                    s.push(Change::RebuildType { name: n.clone() });
                    return;
                }
                // A name only when both servers keep one (17 and later).
                let names_differ = |a: &Domain, b: &Domain| {
                    matches!((&a.not_null_name, &b.not_null_name), (Some(x), Some(y)) if x != y)
                };
                let differs = |a: &Domain, b: &Domain| {
                    a.default != b.default
                        || a.not_null != b.not_null
                        || names_differ(a, b)
                        || a.constraints
                            .iter()
                            .map(|(k, c)| (k, &c.definition))
                            .ne(b.constraints.iter().map(|(k, c)| (k, &c.definition)))
                };
                if differs(l, d) {
                    s.push(Change::AlterDomain { name: n.clone() });
                }
                s.comment(id.clone(), CommentSubject::Object, &l.comment, &d.comment);
                for (cname, c) in &d.constraints {
                    let live_comment = l.constraints.get(cname).and_then(|lc| lc.comment.clone());
                    s.comment(
                        id.clone(),
                        CommentSubject::DomainConstraint(cname.clone()),
                        &live_comment,
                        &c.comment,
                    );
                }
            },
        );
    }

    fn composites(&mut self) {
        let (l, d) = (&self.live.composites, &self.desired.composites);
        self.compare(
            l,
            d,
            |n| ObjectId::Type { name: n.clone() },
            |s, n, l, d| {
                let id = ObjectId::Type { name: n.clone() };
                let shape = |c: &CompositeType| -> Vec<(String, String, Option<String>)> {
                    c.attributes
                        .iter()
                        .map(|a| (a.name.clone(), a.type_name.clone(), a.collation.clone()))
                        .collect()
                };
                if shape(l) != shape(d) {
                    s.push(if alterable_in_place(l, d) {
                        Change::AlterComposite { name: n.clone() }
                    } else {
                        Change::RebuildType { name: n.clone() }
                    });
                }
                s.comment(id.clone(), CommentSubject::Object, &l.comment, &d.comment);
                for a in &d.attributes {
                    let live_comment =
                        l.attributes.iter().find(|x| x.name == a.name).and_then(|x| x.comment.clone());
                    s.comment(id.clone(), CommentSubject::Column(a.name.clone()), &live_comment, &a.comment);
                }
            },
        );
    }

    /// A range type cannot be altered: another subtype or function means a
    /// new type, its columns converted (through text).
    fn ranges(&mut self) {
        let (l, d) = (&self.live.ranges, &self.desired.ranges);
        self.compare(
            l,
            d,
            |n| ObjectId::Type { name: n.clone() },
            |s, n, l, d| {
                if l.options != d.options || l.multirange != d.multirange {
                    s.push(Change::RebuildType { name: n.clone() });
                    return;
                }
                let id = ObjectId::Type { name: n.clone() };
                s.comment(id, CommentSubject::Object, &l.comment, &d.comment);
            },
        );
    }

    fn sequences(&mut self) {
        let (l, d) = (&self.live.sequences, &self.desired.sequences);
        self.compare(
            l,
            d,
            |n| ObjectId::Sequence { name: n.clone() },
            |s, n, l, d| {
                if l.options != d.options || l.owned_by != d.owned_by {
                    s.push(Change::AlterSequence { name: n.clone() });
                }
                s.comment(
                    ObjectId::Sequence { name: n.clone() },
                    CommentSubject::Object,
                    &l.comment,
                    &d.comment,
                );
            },
        );
    }

    fn functions(&mut self) {
        let (l, d) = (&self.live.functions, &self.desired.functions);
        self.compare(
            l,
            d,
            |id| ObjectId::Function { id: id.clone() },
            |s, id, l, d| {
                let oid = ObjectId::Function { id: id.clone() };
                if l.definition != d.definition {
                    // CREATE OR REPLACE cannot take a parameter's default away.
                    let keeps_defaults = l.defaults().zip(d.defaults()).all(|(had, has)| has || !had);
                    let in_place = l.kind == d.kind
                        && l.returns == d.returns
                        && l.arguments_without_defaults() == d.arguments_without_defaults()
                        && keeps_defaults;
                    s.push(if in_place {
                        Change::Redefine(oid.clone())
                    } else {
                        Change::Replace(oid.clone())
                    });
                }
                s.comment(oid, CommentSubject::Object, &l.comment, &d.comment);
            },
        );
    }

    fn tables(&mut self) {
        let (l, d) = (&self.live.tables, &self.desired.tables);
        self.compare(l, d, |n| ObjectId::Table { name: n.clone() }, |s, n, l, d| s.table(n, l, d));
    }

    fn table(&mut self, name: &QualName, l: &Table, d: &Table) {
        // Most tables of a large schema are unchanged: one comparison that
        // allocates nothing, instead of ids built for every column.
        if l == d {
            return;
        }
        let id = ObjectId::Table { name: name.clone() };
        if l.unlogged != d.unlogged || sorted(&l.options) != sorted(&d.options) {
            self.push(Change::AlterTable { table: name.clone() });
        }
        self.comment(id.clone(), CommentSubject::Object, &l.comment, &d.comment);
        for c in d.columns.iter() {
            let column_id = ObjectId::Column { table: name.clone(), column: c.name.clone() };
            let Some(lc) = l.column(&c.name) else {
                self.push(Change::Create(column_id));
                continue;
            };
            self.column(name, lc, c);
            self.comment(id.clone(), CommentSubject::Column(c.name.clone()), &lc.comment, &c.comment);
        }
        for c in l.columns.iter().filter(|c| d.column(&c.name).is_none()) {
            self.push(Change::Drop(ObjectId::Column { table: name.clone(), column: c.name.clone() }));
        }
        let constraint = |n: &String| ObjectId::Constraint { table: name.clone(), name: n.clone() };
        self.compare(&l.constraints, &d.constraints, constraint, |s, cname, lc, dc| {
            let cid = ObjectId::Constraint { table: name.clone(), name: cname.clone() };
            let same_but_validation =
                lc.definition.trim_end_matches(" NOT VALID") == dc.definition.trim_end_matches(" NOT VALID");
            let moved = crate::sql_scan::same_but_moved(&lc.definition, &dc.definition, &s.moves);
            if (lc.definition != dc.definition && !moved) || lc.no_inherit != dc.no_inherit {
                if same_but_validation && dc.validated && !lc.validated {
                    s.push(Change::ValidateConstraint { table: name.clone(), name: cname.clone() });
                } else {
                    s.push(Change::Replace(cid.clone()));
                }
            }
            s.comment(cid, CommentSubject::Object, &lc.comment, &dc.comment);
        });
    }

    fn column(&mut self, table: &QualName, l: &Column, d: &Column) {
        let column = ObjectId::Column { table: table.clone(), column: d.name.clone() };
        let alter = |what| Change::AlterColumn { table: table.clone(), column: d.name.clone(), what };
        let stored = l.generated.is_some() && !l.generated_virtual;
        if stored && d.generated.is_none() {
            // `DROP EXPRESSION` keeps the stored values; from there on it
            // is a plain column, compared as one.
            self.push(alter(ColumnChange::DropExpression));
        } else if l.generated != d.generated || l.generated_virtual != d.generated_virtual {
            // No ALTER for a generation expression before PostgreSQL 17:
            // the column is dropped and added again (a plain column's
            // values are lost then, see `steps`).
            self.push(Change::Replace(column));
            return;
        }
        if (l.type_name != d.type_name && !self.moved_type(&l.type_name, &d.type_name))
            || l.collation != d.collation
        {
            self.push(alter(ColumnChange::Type));
        }
        let default = ObjectId::ColumnDefault { table: table.clone(), column: d.name.clone() };
        match (&l.default, &d.default) {
            (Some(_), None) => self.push(Change::Drop(default)),
            (None, Some(_)) => self.push(Change::Create(default)),
            (Some(a), Some(b)) if a != b && !crate::sql_scan::same_but_moved(a, b, &self.moves) => {
                self.push(Change::Replace(default))
            }
            _ => {}
        }
        if l.identity != d.identity {
            self.push(alter(ColumnChange::Identity));
        }
        if l.not_null != d.not_null {
            self.push(alter(ColumnChange::NotNull));
        }
    }

    fn indexes(&mut self) {
        let (l, d) = (&self.live.indexes, &self.desired.indexes);
        self.compare(
            l,
            d,
            |n| ObjectId::Index { name: n.clone() },
            |s, n, l, d| {
                if l == d && l.valid {
                    return;
                }
                let id = ObjectId::Index { name: n.clone() };
                // An extension's opclass or function, moved with it, is
                // still the one the index uses.
                let differ = indexes_differ(l, d)
                    && !crate::sql_scan::same_but_moved(&l.definition, &d.definition, &s.moves);
                if differ || !l.valid {
                    s.push(Change::Replace(id.clone()));
                }
                s.comment(id, CommentSubject::Object, &l.comment, &d.comment);
            },
        );
    }

    fn views(&mut self) {
        let (l, d) = (&self.live.views, &self.desired.views);
        self.compare(
            l,
            d,
            |n| ObjectId::View { name: n.clone() },
            |s, n, l, d| {
                let id = ObjectId::View { name: n.clone() };
                // Equal queries can name different columns: a rename of a
                // table's column reaches the live view's query, not its
                // column, which keeps the old name (`SELECT r1 AS c0`).
                let query_changed = l.query != d.query || l.columns != d.columns;
                if l.materialized != d.materialized || (l.materialized && query_changed) {
                    s.push(Change::Replace(id.clone()));
                } else if query_changed || sorted(&l.options) != sorted(&d.options) {
                    // CREATE OR REPLACE VIEW may only add columns at the end.
                    let keeps_columns =
                        d.columns.len() >= l.columns.len() && d.columns[..l.columns.len()] == l.columns[..];
                    s.push(if keeps_columns {
                        Change::Redefine(id.clone())
                    } else {
                        Change::Replace(id.clone())
                    });
                }
                s.comment(id.clone(), CommentSubject::Object, &l.comment, &d.comment);
                let columns: BTreeSet<&String> =
                    l.column_comments.keys().chain(d.column_comments.keys()).collect();
                for c in columns {
                    let (lc, dc) = (l.column_comments.get(c).cloned(), d.column_comments.get(c).cloned());
                    s.comment(id.clone(), CommentSubject::Column(c.clone()), &lc, &dc);
                }
            },
        );
    }

    fn triggers(&mut self) {
        let (l, d) = (&self.live.triggers, &self.desired.triggers);
        let id = |(t, n): &(QualName, String)| ObjectId::Trigger { table: t.clone(), name: n.clone() };
        self.compare(l, d, id, |s, (t, n), l, d| {
            let tid = ObjectId::Trigger { table: t.clone(), name: n.clone() };
            if l.definition != d.definition {
                s.push(Change::Replace(tid.clone()));
            } else if l.enabled != d.enabled {
                s.push(Change::SetTriggerEnabled { table: t.clone(), name: n.clone() });
            }
            s.comment(tid, CommentSubject::Object, &l.comment, &d.comment);
        });
    }
}

fn sorted(v: &[String]) -> Vec<&String> {
    let mut v: Vec<&String> = v.iter().collect();
    v.sort();
    v
}

/// Two composite types with the same attributes in the same order, their
/// types aside: values convert from one to the other through text.
/// Whether `live` becomes `desired` by dropping attributes and adding new
/// ones, which PostgreSQL appends: the attributes kept must stay in their
/// order, unchanged, ahead of the new ones. Anything else (a reorder, a
/// new type, which `ALTER ATTRIBUTE TYPE` refuses while a column uses the
/// type) is a rebuild; otherwise the type would never reach the desired
/// order, and a plan never come out empty.
pub fn alterable_in_place(live: &CompositeType, desired: &CompositeType) -> bool {
    let kept: Vec<_> = live.attributes.iter().filter(|a| desired.attribute(&a.name).is_some()).collect();
    let same = |a: &CompositeAttribute, b: &CompositeAttribute| {
        a.name == b.name && a.type_name == b.type_name && a.collation == b.collation
    };
    desired.attributes.len() >= kept.len()
        && kept.iter().zip(&desired.attributes).all(|(a, b)| same(a, b))
        && desired.attributes[kept.len()..].iter().all(|a| live.attribute(&a.name).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_parameters_of_an_index_are_a_set() {
        let a =
            "CREATE INDEX i ON t USING btree (a) WITH (fillfactor='70', deduplicate_items=off) WHERE (a > 0)";
        let b =
            "CREATE INDEX i ON t USING btree (a) WITH (deduplicate_items=off, fillfactor='70') WHERE (a > 0)";
        assert!(!index_bodies_differ(a, b));
        assert!(index_bodies_differ(a, &b.replace("'70'", "'80'")));
        assert!(index_bodies_differ(a, &b.replace("(a > 0)", "(a > 1)")));
    }
}
