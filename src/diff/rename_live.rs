//! The live model under the planned renames: keys, references and deparsed
//! texts use the new names, so it compares with the desired model.
//!
//! Renames touch few objects, and a plan at 10,000 tables must not pay for
//! the rest: the model is copied once and only what a rename reaches is
//! changed in place. Deparsed texts are tokenized and rewritten only when a
//! multi-pattern search finds one of the old names in them (a text that
//! contains none cannot change), and lookups by name allocate nothing
//! unless something is renamed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::catalog::*;

use super::rewrite::NameMap;

use crate::FastHash;

/// Constraint renames, (new table, old name) → new name.
pub type ConstraintRenames = BTreeMap<(QualName, String), String>;

/// The live model with renames applied.
pub fn rename_catalog(live: &Catalog, names: &NameMap, constraints: &ConstraintRenames) -> Catalog {
    let mut c = live.clone();
    if !names.is_empty() || !constraints.is_empty() {
        let renamer = Renamer::new(names, constraints);
        renamer.objects(&mut c);
        renamer.dependencies(&mut c.dependencies);
    }
    c
}

/// [`rename_catalog`] without the dependency edges (left as they are), for
/// comparing objects only.
pub(super) fn rename_objects(live: &Catalog, names: &NameMap, constraints: &ConstraintRenames) -> Catalog {
    let mut c = live.clone();
    if !names.is_empty() || !constraints.is_empty() {
        Renamer::new(names, constraints).objects(&mut c);
    }
    c
}

struct Renamer<'a> {
    names: &'a NameMap,
    constraints: &'a ConstraintRenames,
    /// Old names a rewrite could replace in any text, ASCII
    /// case-insensitively: relations, types, functions, enum values, and
    /// the columns of renamed relations (`alias.column`).
    old_words: Option<AhoCorasick>,
    /// Old column names, by (new) table: only that table's texts can use
    /// them bare. Kept apart because a column renamed in a few tables is
    /// often named the same in every table (`name`).
    old_columns: HashMap<&'a QualName, AhoCorasick>,
    /// Bare names of every relation, type or function that a rename
    /// reaches (renamed, or with renamed columns or constraints): an
    /// object id naming none of them is not renamed.
    touched: HashSet<&'a str, FastHash>,
    /// Tables (new names) with renamed columns, and with renamed constraints.
    tables_with_columns: HashSet<&'a QualName>,
    tables_with_constraints: HashSet<&'a QualName>,
}

impl<'a> Renamer<'a> {
    fn new(names: &'a NameMap, constraints: &'a ConstraintRenames) -> Renamer<'a> {
        Renamer {
            names,
            constraints,
            old_words: search(old_words(names)),
            old_columns: old_columns(names),
            touched: touched(names, constraints),
            tables_with_columns: names.columns.keys().map(|(t, _)| t).collect(),
            tables_with_constraints: constraints.keys().map(|(t, _)| t).collect(),
        }
    }

    fn objects(&self, c: &mut Catalog) {
        for t in c.tables.values_mut() {
            if self.reaches_table(t) {
                self.table(Arc::make_mut(t));
            }
        }
        rekey(&mut c.tables, |t| t.name.clone());
        for v in c.views.values_mut() {
            self.relation(&mut v.name);
            self.text(&mut v.query, None);
        }
        rekey(&mut c.views, |v| v.name.clone());
        for i in c.indexes.values_mut() {
            if !self.reaches_index(i) {
                continue;
            }
            let i = Arc::make_mut(i);
            self.relation(&mut i.name);
            self.relation(&mut i.table);
            self.text(&mut i.definition, Some(&i.table));
            if let Some(p) = &mut i.predicate {
                self.text(p, Some(&i.table));
            }
        }
        rekey(&mut c.indexes, |i| i.name.clone());
        for s in c.sequences.values_mut() {
            self.relation(&mut s.name);
            if let Some((t, col)) = &mut s.owned_by {
                self.relation(t);
                self.column(t, col);
            }
        }
        rekey(&mut c.sequences, |s| s.name.clone());
        for t in c.triggers.values_mut() {
            self.relation(&mut t.table);
            self.text(&mut t.definition, Some(&t.table));
            if let Some(w) = &mut t.when {
                self.text(w, Some(&t.table));
            }
            for col in &mut t.update_columns {
                self.column(&t.table, col);
            }
        }
        rekey(&mut c.triggers, |t| (t.table.clone(), t.name.clone()));
        for e in c.enums.values_mut() {
            self.type_name(&mut e.name);
            for v in &mut e.values {
                if let Some(new) = self.names.enum_values.get(&(e.name.clone(), v.clone())) {
                    v.clone_from(new);
                }
            }
        }
        rekey(&mut c.enums, |e| e.name.clone());
        // A domain or composite type over a renamed type names it in its
        // texts: renamed with it, not rebuilt (a table rewrite).
        for d in c.domains.values_mut() {
            self.type_name(&mut d.name);
            self.text(&mut d.base_type, None);
            if let Some(default) = &mut d.default {
                self.text(default, None);
            }
            for constraint in d.constraints.values_mut() {
                self.text(&mut constraint.definition, None);
            }
        }
        rekey(&mut c.domains, |d| d.name.clone());
        for t in c.composites.values_mut() {
            self.type_name(&mut t.name);
            for a in &mut t.attributes {
                self.text(&mut a.type_name, None);
                if let Some(new) = self.names.attributes.get(&(t.name.clone(), a.name.clone())) {
                    a.name.clone_from(new);
                }
            }
        }
        rekey(&mut c.composites, |t| t.name.clone());
        for r in c.ranges.values_mut() {
            self.type_name(&mut r.name);
            if let Some(m) = &mut r.multirange {
                self.type_name(m);
            }
            self.text(&mut r.options, None);
        }
        rekey(&mut c.ranges, |r| r.name.clone());
        for f in c.functions.values_mut() {
            self.function(f);
        }
        rekey(&mut c.functions, |f| f.id.clone());
        // All taken out before any goes back: in a chain (`b` → `c`, `a` →
        // `b`) a schema's new name is another's old one.
        let moved: Vec<_> = (self.names.schemas.iter())
            .filter_map(|(old, new)| c.schemas.remove(old).map(|schema| (new, schema)))
            .collect();
        for (new, mut schema) in moved {
            schema.name.clone_from(new);
            c.schemas.insert(new.clone(), schema);
        }
        for e in c.extensions.values_mut() {
            if let Some(new) = self.names.schemas.get(&e.schema) {
                e.schema.clone_from(new);
            }
        }
    }

    /// A function's name, and the types its signature names; in its
    /// definition only the header (name, arguments, result): a body names
    /// whatever its text says, renamed or not.
    fn function(&self, f: &mut Function) {
        // An overload that keeps its name while another is renamed: its
        // header is rewritten for other renames (types, schemas), and then
        // given its own name back.
        // So does one renamed apart from the name's other overloads.
        let own_name = match self.names.overloads.get(&f.id) {
            Some(new) => Some(new),
            None => self.names.kept_overloads.contains(&f.id).then_some(&f.id.name),
        };
        let keeps_name = own_name.map(|own| {
            let renamed = self.names.functions.get(&f.id.name).map(|n| format!("{n}("));
            (renamed, format!("{own}("))
        });
        if let Some(id) = self.function_id(&f.id) {
            f.id = id;
        }
        self.text(&mut f.arguments, None);
        if let Some(returns) = &mut f.returns {
            self.text(returns, None);
        }
        let header_lines = |line: &str| line.starts_with("CREATE ") || line.starts_with(" RETURNS ");
        if f.definition.lines().any(|l| header_lines(l) && self.may_change(l, None)) {
            let lines: Vec<String> = f
                .definition
                .split_inclusive('\n')
                .map(|l| if header_lines(l) { self.names.rewrite(l, None) } else { l.to_string() })
                .collect();
            f.definition = lines.concat();
            if let Some((Some(renamed), own)) = &keeps_name {
                f.definition = f.definition.replacen(renamed.as_str(), own, 1);
            }
        }
    }

    /// The function's id under the renames, if it changes: its name, and
    /// the types of its arguments.
    fn function_id(&self, id: &FunctionId) -> Option<FunctionId> {
        let name = self.names.overloads.get(id).or_else(|| {
            self.names.functions.get(&id.name).filter(|_| !self.names.kept_overloads.contains(id))
        });
        let args = self.may_change(&id.args, None).then(|| self.names.rewrite(&id.args, None));
        if name.is_none() && args.as_ref().is_none_or(|a| *a == id.args) {
            return None;
        }
        Some(FunctionId {
            name: name.unwrap_or(&id.name).clone(),
            args: args.unwrap_or_else(|| id.args.clone()),
        })
    }

    /// Whether [`Self::table`] would change anything.
    fn reaches_table(&self, t: &Table) -> bool {
        let renamed = |q: &QualName| self.names.relations.contains_key(q);
        let name = self.names.relations.get(&t.name).unwrap_or(&t.name);
        if renamed(&t.name)
            || self.tables_with_columns.contains(name)
            || self.tables_with_constraints.contains(name)
        {
            return true;
        }
        // From here the table has no renamed columns of its own, so only
        // the words every text shares can occur (`table: None`).
        let text = |s: &str| self.may_change(s, None);
        t.columns.iter().any(|c| {
            text(&c.type_name)
                || c.default.as_deref().is_some_and(text)
                || c.generated.as_deref().is_some_and(text)
                || c.identity.as_ref().is_some_and(|i| renamed(&i.sequence))
        }) || t.constraints.values().any(|c| {
            text(&c.definition)
                || c.foreign_key
                    .as_ref()
                    .is_some_and(|fk| renamed(&fk.table) || self.tables_with_columns.contains(&fk.table))
        })
    }

    fn reaches_index(&self, i: &Index) -> bool {
        self.names.relations.contains_key(&i.name)
            || self.names.relations.contains_key(&i.table)
            || self.may_change(&i.definition, Some(self.names.relations.get(&i.table).unwrap_or(&i.table)))
            || i.predicate.as_deref().is_some_and(|p| {
                self.may_change(p, Some(self.names.relations.get(&i.table).unwrap_or(&i.table)))
            })
    }

    fn table(&self, t: &mut Table) {
        self.relation(&mut t.name);
        let name = &t.name;
        let columns_renamed = self.tables_with_columns.contains(name);
        let constraints_renamed = self.tables_with_constraints.contains(name);
        for c in Arc::make_mut(&mut t.columns) {
            if columns_renamed {
                self.column(name, &mut c.name);
            }
            // PostgreSQL 18's NOT NULL constraints are renamed as constraints.
            if let Some(n) = c.not_null_name.as_mut().filter(|_| constraints_renamed) {
                if let Some(new) = self.constraints.get(&(name.clone(), n.clone())) {
                    n.clone_from(new);
                }
            }
            self.text(&mut c.type_name, None);
            if let Some(d) = &mut c.default {
                self.text(d, Some(name));
            }
            if let Some(g) = &mut c.generated {
                self.text(g, Some(name));
            }
            if let Some(identity) = &mut c.identity {
                self.relation(&mut identity.sequence);
            }
        }
        for c in t.constraints.values_mut() {
            if self.tables_with_constraints.contains(name) {
                if let Some(new) = self.constraints.get(&(name.clone(), c.name.clone())) {
                    c.name.clone_from(new);
                }
            }
            if columns_renamed {
                for col in &mut c.columns {
                    self.column(name, col);
                }
            }
            self.constraint_definition(c, name);
            if let Some(fk) = &mut c.foreign_key {
                self.relation(&mut fk.table);
                for col in &mut fk.columns {
                    self.column(&fk.table, col);
                }
            }
        }
        rekey(&mut t.constraints, |c| c.name.clone());
    }

    /// A foreign key's own columns belong to its table, the referenced ones
    /// to the referenced table.
    fn constraint_definition(&self, c: &mut Constraint, table: &QualName) {
        if !self.may_change_constraint(c, table) {
            return;
        }
        let Some(fk) = &c.foreign_key else {
            c.definition = self.names.rewrite(&c.definition, Some(table));
            return;
        };
        if let Some((own, referenced)) = c.definition.split_once(" REFERENCES ") {
            let target = self.names.relation(&fk.table);
            c.definition = format!(
                "{} REFERENCES {}",
                self.names.rewrite(own, Some(table)),
                self.names.rewrite(referenced, Some(&target))
            );
        } else {
            c.definition = self.names.rewrite(&c.definition, Some(table));
        }
    }

    /// Dependencies that name a renamed object are replaced; the rest stay.
    /// An object moved to another schema depends on that schema now.
    fn dependencies(&self, deps: &mut Dependencies) {
        let renamed = |id: &ObjectId| if self.may_touch(id) { self.id(id) } else { None };
        deps.rename_edges(|from, to| {
            let new_from = renamed(from);
            let own_schema = match (&new_from, to) {
                (Some(moved), ObjectId::Schema { name }) => {
                    moved.subject().filter(|q| *q.schema != **name).map(|q| q.schema.to_string())
                }
                _ => None,
            };
            let new_to = match own_schema {
                Some(name) => Some(ObjectId::Schema { name }),
                None => renamed(to),
            };
            (new_from, new_to)
        });
    }

    /// The id under the renames, if it changes.
    fn id(&self, id: &ObjectId) -> Option<ObjectId> {
        let relation = |name: &QualName| self.names.relations.get(name);
        let column = |table: &QualName, column: &str| -> Option<String> {
            if !self.tables_with_columns.contains(table) {
                return None;
            }
            self.names.columns.get(&(table.clone(), column.to_string())).cloned()
        };
        match id {
            ObjectId::Table { name } => relation(name).map(|n| ObjectId::Table { name: n.clone() }),
            ObjectId::View { name } => relation(name).map(|n| ObjectId::View { name: n.clone() }),
            ObjectId::Sequence { name } => relation(name).map(|n| ObjectId::Sequence { name: n.clone() }),
            ObjectId::Index { name } => relation(name).map(|n| ObjectId::Index { name: n.clone() }),
            ObjectId::Type { name } => self.names.types.get(name).map(|n| ObjectId::Type { name: n.clone() }),
            ObjectId::Column { table, column: col } | ObjectId::ColumnDefault { table, column: col } => {
                let new_table = relation(table);
                let t = new_table.unwrap_or(table);
                let new_column = column(t, col);
                if new_table.is_none() && new_column.is_none() {
                    return None;
                }
                let (table, column) = (t.clone(), new_column.unwrap_or_else(|| col.clone()));
                Some(match id {
                    ObjectId::Column { .. } => ObjectId::Column { table, column },
                    _ => ObjectId::ColumnDefault { table, column },
                })
            }
            ObjectId::Constraint { table, name } => {
                let new_table = relation(table);
                let t = new_table.unwrap_or(table);
                let new_name = if self.tables_with_constraints.contains(t) {
                    self.constraints.get(&(t.clone(), name.clone()))
                } else {
                    None
                };
                if new_table.is_none() && new_name.is_none() {
                    return None;
                }
                Some(ObjectId::Constraint { table: t.clone(), name: new_name.unwrap_or(name).clone() })
            }
            ObjectId::Trigger { table, name } => {
                relation(table).map(|t| ObjectId::Trigger { table: t.clone(), name: name.clone() })
            }
            ObjectId::Function { id } => self.function_id(id).map(|id| ObjectId::Function { id }),
            ObjectId::Schema { name } => {
                self.names.schemas.get(name).map(|new| ObjectId::Schema { name: new.clone() })
            }
            ObjectId::Extension { .. } => None,
        }
    }

    fn relation(&self, name: &mut QualName) {
        if let Some(new) = self.names.relations.get(name) {
            name.clone_from(new);
        }
    }

    fn type_name(&self, name: &mut QualName) {
        if let Some(new) = self.names.types.get(name) {
            name.clone_from(new);
        }
    }

    /// `table` is the table's new name.
    fn column(&self, table: &QualName, column: &mut String) {
        if !self.tables_with_columns.contains(table) {
            return;
        }
        if let Some(new) = self.names.columns.get(&(table.clone(), column.clone())) {
            column.clone_from(new);
        }
    }

    fn text(&self, text: &mut String, table: Option<&QualName>) {
        if self.may_change(text, table) {
            *text = self.names.rewrite(text, table);
        }
    }

    /// False only when no rewrite can apply: none of the old names occurs.
    /// Unquoted words in deparsed text are ASCII (PostgreSQL quotes any
    /// other identifier), so an ASCII case-insensitive search finds every
    /// word the tokenizer would fold to an old name; a text with other
    /// characters is always rewritten, to be safe. `table` is the (new)
    /// table whose columns the text may name bare.
    fn may_change(&self, text: &str, table: Option<&QualName>) -> bool {
        let found = |words: &AhoCorasick| words.is_match(text);
        !text.is_ascii()
            || self.old_words.as_ref().is_some_and(found)
            || table.and_then(|t| self.old_columns.get(t)).is_some_and(found)
    }

    /// A foreign key also names the referenced table's columns.
    fn may_change_constraint(&self, c: &Constraint, table: &QualName) -> bool {
        self.may_change(&c.definition, Some(table))
            || c.foreign_key.as_ref().is_some_and(|fk| {
                let target = self.names.relations.get(&fk.table).unwrap_or(&fk.table);
                self.may_change(&c.definition, Some(target))
            })
    }

    /// Whether the renames can reach this id at all (see `touched`).
    fn may_touch(&self, id: &ObjectId) -> bool {
        match id {
            ObjectId::Schema { name } => self.names.schemas.contains_key(name),
            ObjectId::Function { id } if self.may_change(&id.args, None) => true,
            _ => id.subject().is_some_and(|q| self.touched.contains(&*q.name)),
        }
    }
}

/// Relations, types and functions (bare names), enum values, and the old
/// columns of renamed relations. Quoted forms double their quotes.
fn old_words(names: &NameMap) -> Vec<String> {
    let qualified = names.relations.keys().chain(names.types.keys()).chain(names.functions.keys());
    let mut words: Vec<String> = qualified.map(|q| q.name.to_string()).collect();
    words.extend(names.enum_values.keys().map(|(_, v)| v.clone()));
    let renamed: HashSet<&QualName> = names.relations.values().collect();
    words.extend(names.columns.keys().filter(|(t, _)| renamed.contains(t)).map(|(_, c)| c.clone()));
    words
}

fn old_columns(names: &NameMap) -> HashMap<&QualName, AhoCorasick> {
    let mut by_table: HashMap<&QualName, Vec<String>> = HashMap::new();
    for (table, column) in names.columns.keys() {
        by_table.entry(table).or_default().push(column.clone());
    }
    by_table.into_iter().filter_map(|(t, words)| Some((t, search(words)?))).collect()
}

fn touched<'a>(names: &'a NameMap, constraints: &'a ConstraintRenames) -> HashSet<&'a str, FastHash> {
    let qualified = names.relations.iter().chain(&names.types).chain(&names.functions);
    let mut touched: HashSet<&str, FastHash> =
        qualified.flat_map(|(old, new)| [&*old.name, &*new.name]).collect();
    touched.extend(names.columns.keys().map(|(t, _)| &*t.name));
    touched.extend(constraints.keys().map(|(t, _)| &*t.name));
    touched
}

/// An ASCII case-insensitive search for any of `words`, in their plain and
/// quoted spellings; None when there are none.
fn search(mut words: Vec<String>) -> Option<AhoCorasick> {
    let escaped: Vec<String> =
        words.iter().flat_map(|w| [w.replace('"', "\"\""), w.replace('\'', "''")]).collect();
    words.extend(escaped);
    words.retain(|w| !w.is_empty());
    words.sort();
    words.dedup();
    if words.is_empty() {
        return None;
    }
    let built = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(&words)
        .expect("old names make a valid search");
    Some(built)
}

/// Moves entries whose key changed to their new key. All moved entries are
/// taken out before any goes back, so swapped names (a → b, b → a) work.
fn rekey<K: Ord + Clone, V>(map: &mut BTreeMap<K, V>, key: impl Fn(&V) -> K) {
    let moved: Vec<K> = map.iter().filter(|(k, v)| **k != key(v)).map(|(k, _)| k.clone()).collect();
    let values: Vec<V> = moved.iter().filter_map(|k| map.remove(k)).collect();
    for v in values {
        map.insert(key(&v), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &str) -> QualName {
        QualName::new("public", name)
    }

    /// Two tables with a column `name` each, an index and a CHECK on it,
    /// and the index depending on the column.
    fn live() -> Catalog {
        let mut c = Catalog::default();
        for t in ["t1", "t2"] {
            let column = Column {
                name: "name".into(),
                type_name: "text".into(),
                collation: None,
                not_null: false,
                not_null_name: None,
                default: None,
                identity: None,
                generated: None,
                generated_virtual: false,
                comment: None,
            };
            let check = Constraint {
                name: format!("{t}_name_check"),
                kind: ConstraintKind::Check,
                definition: "CHECK ((length(name) > 0))".into(),
                columns: vec!["name".into()],
                foreign_key: None,
                deferrable: false,
                initially_deferred: false,
                validated: true,
                no_inherit: false,
                comment: None,
            };
            let table = Table {
                name: q(t),
                columns: vec![column].into(),
                constraints: [(check.name.clone(), Box::new(check))].into(),
                unlogged: false,
                options: Vec::new(),
                comment: None,
            };
            c.tables.insert(q(t), Arc::new(table));
            let index = Index {
                name: q(&format!("{t}_name_idx")),
                table: q(t),
                unique: false,
                nulls_not_distinct: false,
                method: "btree".into(),
                key: Vec::new(),
                include: Vec::new(),
                predicate: None,
                options: Vec::new(),
                definition: format!("CREATE INDEX {t}_name_idx ON public.{t} USING btree (name)"),
                valid: true,
                comment: None,
            };
            c.indexes.insert(index.name.clone(), Arc::new(index));
        }
        c.dependencies = ["t1", "t2"]
            .iter()
            .map(|t| Dependency {
                from: ObjectId::Index { name: q(&format!("{t}_name_idx")) },
                to: ObjectId::Column { table: q(t), column: "name".into() },
            })
            .collect();
        c
    }

    #[test]
    fn a_column_renamed_in_one_table_leaves_the_same_name_elsewhere_alone() {
        let live = live();
        let mut names = NameMap::default();
        names.columns.insert((q("t1"), "name".into()), "title".into());
        let renamed = rename_catalog(&live, &names, &ConstraintRenames::new());

        let t1 = &renamed.tables[&q("t1")];
        assert_eq!(t1.columns[0].name, "title");
        assert_eq!(t1.constraints["t1_name_check"].definition, "CHECK ((length(title) > 0))");
        assert_eq!(
            renamed.indexes[&q("t1_name_idx")].definition,
            "CREATE INDEX t1_name_idx ON public.t1 USING btree (title)"
        );
        assert!(renamed.dependencies.contains(
            &ObjectId::Index { name: q("t1_name_idx") },
            &ObjectId::Column { table: q("t1"), column: "title".into() }
        ));
        // The other table is not copied, let alone rewritten.
        assert!(Arc::ptr_eq(&renamed.tables[&q("t2")], &live.tables[&q("t2")]));
        assert!(Arc::ptr_eq(&renamed.indexes[&q("t2_name_idx")], &live.indexes[&q("t2_name_idx")]));
        // And the live model is untouched.
        assert_eq!(live.tables[&q("t1")].columns[0].name, "name");
        assert_eq!(live, self::live());
    }

    #[test]
    fn a_renamed_table_moves_with_its_index_and_edges() {
        let live = live();
        let mut names = NameMap::default();
        names.relations.insert(q("t2"), q("t3"));
        let renamed = rename_catalog(&live, &names, &ConstraintRenames::new());

        assert!(!renamed.tables.contains_key(&q("t2")));
        assert_eq!(renamed.tables[&q("t3")].name, q("t3"));
        let index = &renamed.indexes[&q("t2_name_idx")];
        assert_eq!(index.table, q("t3"));
        assert_eq!(index.definition, "CREATE INDEX t2_name_idx ON public.t3 USING btree (name)");
        assert!(renamed.dependencies.contains(
            &ObjectId::Index { name: q("t2_name_idx") },
            &ObjectId::Column { table: q("t3"), column: "name".into() }
        ));
        assert_eq!(renamed.dependencies.len(), 2);
    }
}
