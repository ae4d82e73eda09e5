//! Turns catalog rows into the model: resolves OIDs to identities, attaches
//! sub-objects to their relations and translates `pg_depend` into edges.

use std::collections::HashMap;
use std::sync::Arc;

use tokio_postgres::Row;

use super::deparse::{self, Attribute, IndexShape, KeyShape, Lookups};
use crate::catalog::*;
use crate::sql_scan;

// Catalog OIDs are fixed in PostgreSQL's headers and never change.
const PG_TYPE: u32 = 1247;
const PG_PROC: u32 = 1255;
const PG_CLASS: u32 = 1259;
const PG_ATTRDEF: u32 = 2604;
const PG_CONSTRAINT: u32 = 2606;
const PG_NAMESPACE: u32 = 2615;
const PG_REWRITE: u32 = 2618;
const PG_TRIGGER: u32 = 2620;
const PG_EXTENSION: u32 = 3079;

/// One catalog query's rows, in chunks as they arrive.
pub(super) struct QueryRows(pub tokio::sync::mpsc::Receiver<Vec<Row>>);

impl Iterator for QueryRows {
    type Item = Vec<Row>;
    fn next(&mut self) -> Option<Vec<Row>> {
        self.0.blocking_recv()
    }
}

/// Builds the model from the catalog queries' results, taken one query at
/// a time in the order of `catalog_queries` (the order they are used in),
/// so the model grows while the server still works on later queries. Rows
/// come in chunks and each chunk is dropped once read: at 10,000 tables a
/// whole query's rows weigh more than the model built from them. `None`
/// when fewer results come than queries were sent; rows cut short by a
/// failed query give a partial model, which the caller discards.
pub(super) fn build_streamed(
    mut queries: impl Iterator<Item = QueryRows>,
    reuse: Option<Arc<super::ReuseSlot>>,
) -> Option<Catalog> {
    let mut whole = || Some(queries.next()?.flatten().collect::<Vec<Row>>());
    let (opclasses, type_facts, binary_casts, collations) = (whole()?, whole()?, whole()?, whole()?);
    let mut b = Builder {
        lookups: Lookups::from_rows(&opclasses, &type_facts, &binary_casts, &collations),
        reuse_from: reuse,
        ..Builder::default()
    };
    // Each query's rows, then what needs all of them.
    type EachChunk = fn(&mut Builder, &[Row]);
    type AfterAll = fn(&mut Builder);
    let nothing: AfterAll = |_| {};
    let handlers: [(EachChunk, AfterAll); 15] = [
        (Builder::schemas, nothing),
        (Builder::extensions, nothing),
        (Builder::definitions, nothing),
        (Builder::relations, nothing),
        (Builder::types, nothing),
        (Builder::sequences, nothing),
        (Builder::columns, Builder::finish_columns),
        (Builder::definitions, nothing),
        (Builder::constraints, Builder::share_tables),
        (Builder::indexes, nothing),
        (Builder::functions, nothing),
        (Builder::triggers, nothing),
        (Builder::rewrite_rules, nothing),
        (Builder::dependencies, Builder::finish_dependencies),
        (Builder::unmanaged_rows, nothing),
    ];
    for (handle, after) in handlers {
        for chunk in queries.next()? {
            handle(&mut b, &chunk);
        }
        after(&mut b);
    }
    Some(b.finish())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelKind {
    Table,
    View,
    Sequence,
    Composite,
}

struct Relation {
    name: QualName,
    kind: RelKind,
}

use crate::{FastMap, FastSet};

#[derive(Default)]
struct Builder {
    catalog: Catalog,
    namespaces: FastMap<u32, String>,
    /// Managed relations by OID.
    relations: FastMap<u32, Relation>,
    /// Non-relation objects by (catalog OID, object OID).
    /// Shared: the dependency edges reuse them.
    objects: FastMap<(u32, u32), Arc<ObjectId>>,
    /// Columns of every user relation (managed or not) by (relation OID, attnum).
    attributes: FastMap<(u32, i16), Attribute>,
    lookups: Lookups,
    /// Schema names, each allocated once for every name in it.
    schema_names: FastSet<Arc<str>>,
    /// Identity sequences (read before the columns) by the column they
    /// belong to, (relation OID, attnum), until the column comes; with the
    /// sequence's OID, which then names the column.
    identities: FastMap<(u32, i16), (QualName, SequenceOptions, u32)>,
    /// Sequences `OWNED BY` a column, by (relation OID, attnum): named once
    /// the columns are read (the server joining them cost it 60 ms at
    /// 10,000 sequences).
    owned_sequences: Vec<(QualName, u32, i16)>,
    dependencies: DependencyRows,
    /// What only the server's deparser prints, by what it is (`c`, `p`, `i`
    /// or `v`; see `queries::expression_definitions`) and OID.
    definitions: FastMap<(char, u32), String>,
    /// Expression indexes' keys as the server prints them, by index OID.
    index_keys: FastMap<u32, Vec<String>>,
    /// The table whose constraints are being read.
    constraints_of: Option<u32>,
    /// The table whose columns are being read, and its columns so far with
    /// their numbers.
    column_run: Option<(u32, Vec<(i16, Column)>)>,
    /// Tables whose columns came in more than one run: sorted after the last.
    unordered_tables: FastSet<u32>,
    /// Where the model offered for reuse comes from; taken (waiting for a
    /// promised one) when sharing starts.
    reuse_from: Option<Arc<super::ReuseSlot>>,
    reuse: Option<Arc<super::Reuse>>,
    /// Objects pgrecon does not manage that others may depend on, by
    /// (catalog OID, object OID).
    unmanaged_objects: FastMap<(u32, u32), Unmanaged>,
    /// Edges between a managed object and one the model does not hold,
    /// by the other's address: `true` when the managed object uses it.
    /// Named after the last query, which lists the rest of what is not
    /// managed (policies, collations, ...).
    edges_out_of_model: Vec<(Arc<ObjectId>, (u32, u32), bool)>,
}

/// `pg_depend` rows read so far, as pairs of packed catalog addresses:
/// large schemas have hundreds of thousands of rows naming far fewer
/// objects, and after the last row each address is resolved once. (A map
/// from address to object, filled row by row, peaked at over 16 MB while
/// it grew at 10,000 tables; these pairs take 16 bytes a row.)
#[derive(Default)]
struct DependencyRows {
    /// Catalog OIDs seen, in the order first seen: an address holds the
    /// position of its catalog here.
    catalogs: Vec<u32>,
    edges: Vec<(u64, u64)>,
    /// Per edge: a normal dependency (`deptype = 'n'`), which stops a drop;
    /// an automatic one goes with what it depends on.
    normal: Vec<bool>,
}

fn comment(row: &Row) -> Option<String> {
    row.get("comment")
}

fn char_of(row: &Row, column: &str) -> char {
    row.get::<_, String>(column).chars().next().unwrap_or(' ')
}

impl Builder {
    fn finish(mut self) -> Catalog {
        self.catalog.unmanaged.sort();
        self.catalog.unmanaged.dedup();
        for (id, address, uses) in std::mem::take(&mut self.edges_out_of_model) {
            let Some(other) = self.unmanaged_objects.get(&address) else { continue };
            let list = match uses {
                true => &mut self.catalog.uses_unmanaged,
                false => &mut self.catalog.used_by_unmanaged,
            };
            list.push(((*id).clone(), other.clone()));
        }
        for list in [&mut self.catalog.uses_unmanaged, &mut self.catalog.used_by_unmanaged] {
            list.sort();
            list.dedup();
        }
        self.catalog
    }

    /// The model offered for reuse, taken once, when sharing starts (after
    /// the last column, well into a large read): a promised one (a cached
    /// model decoding alongside) is waited for.
    fn take_reuse(&mut self) {
        if let Some(slot) = self.reuse_from.take() {
            self.reuse = slot.wait();
        }
    }

    /// After the last column: each relation's columns in `attnum` order,
    /// then each table's column list equal to its namesake's in `reuse`
    /// becomes that one (waiting for a promised model).
    fn finish_columns(&mut self) {
        self.end_column_run();
        self.order_columns();
        self.name_sequence_owners();
        self.take_reuse();
        let Some(reuse) = &self.reuse else { return };
        for (name, table) in &mut self.catalog.tables {
            share_columns(table, reuse.tables.get(name));
        }
    }

    /// Tables are complete once their constraints are in (nothing later
    /// changes them): each equal to one of `reuse` becomes that one.
    fn share_tables(&mut self) {
        self.take_reuse();
        let Some(reuse) = &self.reuse else { return };
        for (name, table) in &mut self.catalog.tables {
            share_if_equal(table, reuse.tables.get(name));
        }
    }

    /// [`share_tables`](Self::share_tables) for one table, by OID.
    fn share_table(&mut self, relid: u32) {
        self.take_reuse();
        let (Some(reuse), Some(rel)) = (&self.reuse, self.relations.get(&relid)) else { return };
        if let Some(table) = self.catalog.tables.get_mut(&rel.name) {
            share_if_equal(table, reuse.tables.get(&rel.name));
        }
    }

    fn qualified(&mut self, schema: &str, name: &str) -> QualName {
        let schema = match self.schema_names.get(schema) {
            Some(interned) => interned.clone(),
            None => {
                let interned: Arc<str> = schema.into();
                self.schema_names.insert(interned.clone());
                interned
            }
        };
        QualName { schema, name: name.into() }
    }

    fn unmanaged(&mut self, kind: &str, name: String) {
        self.catalog.unmanaged.push(Unmanaged { kind: kind.to_string(), name });
    }

    /// An unmanaged object others may depend on, at its catalog addresses.
    fn unmanaged_object(&mut self, kind: &str, name: String, addresses: &[(u32, u32)]) {
        let object = Unmanaged { kind: kind.to_string(), name };
        for &address in addresses {
            self.unmanaged_objects.insert(address, object.clone());
        }
        self.catalog.unmanaged.push(object);
    }

    fn schemas(&mut self, rows: &[Row]) {
        for row in rows {
            let name: String = row.get("nspname");
            self.namespaces.insert(row.get("oid"), name.clone());
            self.objects
                .insert((PG_NAMESPACE, row.get("oid")), Arc::new(ObjectId::Schema { name: name.clone() }));
            let comment = comment(row);
            self.catalog.schemas.insert(name.clone(), Schema { name, comment });
        }
    }

    fn extensions(&mut self, rows: &[Row]) {
        for row in rows {
            let name: String = row.get("extname");
            self.objects
                .insert((PG_EXTENSION, row.get("oid")), Arc::new(ObjectId::Extension { name: name.clone() }));
            let ext = Extension {
                name: name.clone(),
                schema: row.get("nspname"),
                version: row.get("extversion"),
                relocatable: row.get("extrelocatable"),
                comment: comment(row),
            };
            self.catalog.extensions.insert(name, ext);
        }
    }

    fn definitions(&mut self, rows: &[Row]) {
        for row in rows {
            let oid: u32 = row.get("oid");
            let what = char_of(row, "what");
            // NULL when the object was dropped after the snapshot was taken.
            if let Some(definition) = row.get::<_, Option<String>>("definition") {
                self.definitions.insert((what, oid), definition);
            }
            if let Some(keys) = row.get::<_, Option<Vec<String>>>("keys") {
                self.index_keys.insert(oid, keys);
            }
        }
    }

    fn relations(&mut self, rows: &[Row]) {
        for row in rows {
            let name = self.qualified(row.get("nspname"), row.get("relname"));
            let relkind = char_of(row, "relkind");
            if self.report_unmanaged_relation(row, relkind, &name) {
                continue;
            }
            let kind = match relkind {
                'r' => RelKind::Table,
                'v' | 'm' => RelKind::View,
                'S' => RelKind::Sequence,
                _ => RelKind::Composite,
            };
            let oid: u32 = row.get("oid");
            if kind != RelKind::Composite {
                // The row type of a table or view stands for the relation.
                let id = relation_object(kind, &name);
                self.objects.insert((PG_TYPE, row.get("reltype")), Arc::new(id));
            }
            match kind {
                RelKind::Table => self.add_table(row, &name),
                RelKind::View => self.add_view(row, oid, &name, relkind == 'm'),
                _ => {}
            }
            self.relations.insert(oid, Relation { name, kind });
        }
    }

    /// Column settings pgrecon does not manage (`ALTER COLUMN ... SET ...`).
    fn report_unmanaged_column(&mut self, row: &Row, table: &QualName, column: &str) {
        const SETTINGS: [(&str, &str); 5] = [
            ("has_stattarget", "column statistics target"),
            ("custom_storage", "column storage"),
            ("has_compression", "column compression"),
            ("has_options", "column options"),
            ("has_acl", "privileges on column"),
        ];
        for (flag, kind) in SETTINGS {
            if row.get(flag) {
                self.unmanaged(kind, format!("{table}.{}", crate::quote::ident(column)));
            }
        }
    }

    /// Reports relation kinds and features pgrecon does not manage; returns
    /// true when the relation itself stays out of the model.
    fn report_unmanaged_relation(&mut self, row: &Row, relkind: char, name: &QualName) -> bool {
        if row.get("has_acl") {
            self.unmanaged("privileges on relation", name.to_string());
        }
        if row.get("relrowsecurity") {
            self.unmanaged("row level security", name.to_string());
        }
        if row.get("has_tablespace") {
            self.unmanaged("tablespace", name.to_string());
        }
        let persistence = char_of(row, "relpersistence");
        if relkind == 'S' && persistence == 'u' {
            self.unmanaged("UNLOGGED of a sequence", name.to_string());
        }
        if row.get("typed") {
            self.unmanaged("OF type of a table", name.to_string());
        }
        let replident = char_of(row, "relreplident");
        if relkind == 'r' && replident != 'd' {
            self.unmanaged("replica identity", name.to_string());
        }
        let skipped = if relkind == 'p' {
            Some("partitioned table")
        } else if relkind == 'f' {
            Some("foreign table")
        } else if row.get("relispartition") {
            Some("partition")
        } else if row.get("inherits") {
            Some("inheritance child table")
        } else {
            None
        };
        if let Some(kind) = skipped {
            let addresses = [(PG_CLASS, row.get("oid")), (PG_TYPE, row.get("reltype"))];
            self.unmanaged_object(kind, name.to_string(), &addresses);
        }
        skipped.is_some()
    }

    fn add_table(&mut self, row: &Row, name: &QualName) {
        let table = Table {
            name: name.clone(),
            // Filled when its run of columns ends (see `end_column_run`).
            columns: Arc::new(Vec::new()),
            constraints: Default::default(),
            unlogged: char_of(row, "relpersistence") == 'u',
            options: row.get::<_, Option<Vec<String>>>("reloptions").unwrap_or_default(),
            comment: comment(row),
        };
        self.catalog.tables.insert(name.clone(), Arc::new(table));
    }

    fn add_view(&mut self, row: &Row, oid: u32, name: &QualName, materialized: bool) {
        let view = View {
            name: name.clone(),
            materialized,
            query: self.definitions.remove(&('v', oid)).unwrap_or_default(),
            columns: Vec::new(),
            options: row.get::<_, Option<Vec<String>>>("reloptions").unwrap_or_default(),
            column_comments: Default::default(),
            comment: comment(row),
        };
        self.catalog.views.insert(name.clone(), view);
    }

    fn types(&mut self, rows: &[Row]) {
        for row in rows {
            let name = self.qualified(row.get("nspname"), row.get("typname"));
            let id = ObjectId::Type { name: name.clone() };
            let oid: u32 = row.get("oid");
            match char_of(row, "typtype") {
                'e' => self.add_enum(row, &name),
                'd' => self.add_domain(row, &name),
                'c' => self.add_composite(row, &name),
                'r' => self.add_range(row, &name),
                _ => {
                    self.unmanaged_object("base type", name.to_string(), &[(PG_TYPE, oid)]);
                    continue;
                }
            }
            let id = Arc::new(id);
            self.objects.insert((PG_TYPE, row.get("typarray")), id.clone());
            // A range's multirange type and constructor functions are made
            // and dropped with it: what uses them depends on the range.
            if let Some(multirange) = row.get::<_, Option<u32>>("multirange_oid") {
                self.objects.insert((PG_TYPE, multirange), id.clone());
            }
            for constructor in row.get::<_, Option<Vec<u32>>>("constructors").unwrap_or_default() {
                self.objects.insert((PG_PROC, constructor), id.clone());
            }
            self.objects.insert((PG_TYPE, oid), id);
        }
    }

    fn add_enum(&mut self, row: &Row, name: &QualName) {
        let e = EnumType {
            name: name.clone(),
            values: row.get::<_, Option<Vec<String>>>("labels").unwrap_or_default(),
            comment: comment(row),
        };
        self.catalog.enums.insert(name.clone(), e);
    }

    fn add_domain(&mut self, row: &Row, name: &QualName) {
        let d = Domain {
            name: name.clone(),
            base_type: row.get("base_type"),
            collation: row.get("collation"),
            default: row.get("typdefault"),
            not_null: row.get("typnotnull"),
            not_null_name: row.get("not_null_name"),
            constraints: Default::default(),
            comment: comment(row),
        };
        self.catalog.domains.insert(name.clone(), d);
    }

    fn add_range(&mut self, row: &Row, name: &QualName) {
        let multirange = row
            .get::<_, Option<&str>>("multirange_schema")
            .zip(row.get::<_, Option<&str>>("multirange_name"))
            .map(|(schema, type_name)| self.qualified(schema, type_name));
        let r = RangeType {
            name: name.clone(),
            options: row.get::<_, Option<String>>("range_options").unwrap_or_default(),
            multirange,
            comment: comment(row),
        };
        self.catalog.ranges.insert(name.clone(), r);
    }

    fn add_composite(&mut self, row: &Row, name: &QualName) {
        let c = CompositeType { name: name.clone(), attributes: Vec::new(), comment: comment(row) };
        self.catalog.composites.insert(name.clone(), c);
    }

    /// Columns come in no particular order (see `queries::columns`), but
    /// usually each table's together (in the order of the catalog's
    /// pages): a table's run of columns is sorted and shared when the next
    /// table's starts ([`Builder::end_column_run`]), so the read does not
    /// hold a second copy of every column list until the last row (some
    /// 25 MB at 10,000 tables). [`Builder::order_columns`] sorts what came
    /// otherwise once all have come. Identity sequences were read before,
    /// so each column is complete as read.
    fn columns(&mut self, rows: &[Row]) {
        for row in rows {
            let relid: u32 = row.get("attrelid");
            let attnum: i16 = row.get("attnum");
            let name: String = row.get("attname");
            let attribute = Attribute {
                name: name.clone(),
                type_oid: row.get("atttypid"),
                collation: row.get("attcollation"),
            };
            self.attributes.insert((relid, attnum), attribute);
            let Some(rel) = self.relations.get(&relid) else {
                continue;
            };
            let rel_name = rel.name.clone();
            let kind = rel.kind;
            if let Some(attrdef) = row.get::<_, Option<u32>>("attrdef_oid") {
                let id = ObjectId::ColumnDefault { table: rel_name.clone(), column: name.clone() };
                self.objects.insert((PG_ATTRDEF, attrdef), Arc::new(id));
            }
            self.report_unmanaged_column(row, &rel_name, &name);
            if kind == RelKind::View && row.get::<_, Option<&str>>("default_expr").is_some() {
                self.unmanaged(
                    "default of a view column",
                    format!("{rel_name}.{}", crate::quote::ident(&name)),
                );
            }
            match kind {
                RelKind::Table => self.add_column(row, relid, attnum, &rel_name, name),
                RelKind::View => self.add_view_column(row, &rel_name, name),
                RelKind::Composite => self.add_attribute(row, &rel_name, name),
                RelKind::Sequence => {}
            }
        }
    }

    /// Puts in `attnum` order the columns of views, composite types and the
    /// tables whose columns did not come in one run.
    fn order_columns(&mut self) {
        let mut by_relation: FastMap<u32, Vec<(&str, i16)>> = FastMap::default();
        for ((relid, attnum), a) in &self.attributes {
            let unordered =
                |rel: &Relation| rel.kind != RelKind::Table || self.unordered_tables.contains(relid);
            if self.relations.get(relid).is_some_and(unordered) {
                by_relation.entry(*relid).or_default().push((a.name.as_str(), *attnum));
            }
        }
        for (relid, mut positions) in by_relation {
            positions.sort_unstable();
            let attnum = |name: &str| {
                positions.binary_search_by(|(n, _)| (*n).cmp(name)).map_or(i16::MAX, |k| positions[k].1)
            };
            let rel = &self.relations[&relid];
            match rel.kind {
                RelKind::Table => {
                    if let Some(t) = self.catalog.tables.get_mut(&rel.name) {
                        let columns = Arc::make_mut(&mut Arc::make_mut(t).columns);
                        columns.sort_by_cached_key(|c| attnum(&c.name));
                        columns.shrink_to_fit();
                    }
                }
                RelKind::View => {
                    if let Some(v) = self.catalog.views.get_mut(&rel.name) {
                        v.columns.sort_by_cached_key(|c| attnum(c));
                    }
                }
                RelKind::Composite => {
                    if let Some(c) = self.catalog.composites.get_mut(&rel.name) {
                        c.attributes.sort_by_cached_key(|a| attnum(&a.name));
                    }
                }
                RelKind::Sequence => {}
            }
        }
    }

    fn attname(&self, relid: u32, attnum: i16) -> Option<&str> {
        self.attributes.get(&(relid, attnum)).map(|a| a.name.as_str())
    }

    fn add_column(&mut self, row: &Row, relid: u32, attnum: i16, table: &QualName, name: String) {
        let expr: Option<String> = row.get("default_expr");
        let generation = char_of(row, "attgenerated");
        let generated = generation == 's' || generation == 'v';
        let always = char_of(row, "attidentity") == 'a';
        let identity = self.identities.remove(&(relid, attnum)).map(|(sequence, options, oid)| {
            let id = ObjectId::Column { table: table.clone(), column: name.clone() };
            self.objects.insert((PG_CLASS, oid), Arc::new(id));
            Box::new(Identity { always, sequence, options })
        });
        let column = Column {
            name,
            type_name: row.get("type_name"),
            collation: row.get("collation"),
            not_null: row.get("attnotnull"),
            not_null_name: row.get("not_null_name"),
            default: if generated { None } else { expr.clone() },
            identity,
            generated: if generated { expr } else { None },
            generated_virtual: generation == 'v',
            comment: comment(row),
        };
        if self.column_run.as_ref().is_some_and(|(of, _)| *of != relid) {
            self.end_column_run();
        }
        let (_, run) = self.column_run.get_or_insert_with(|| (relid, Vec::new()));
        run.push((attnum, column));
    }

    /// The table whose columns were being read has them all, unless more
    /// come later (then it is sorted with the views' and types' columns,
    /// after the last): in `attnum` order, they become the table's, or
    /// those of its namesake offered for reuse when equal.
    fn end_column_run(&mut self) {
        let Some((relid, mut run)) = self.column_run.take() else { return };
        let Some(name) = self.relations.get(&relid).map(|rel| rel.name.clone()) else { return };
        run.sort_unstable_by_key(|(attnum, _)| *attnum);
        let columns = run.into_iter().map(|(_, c)| c);
        self.take_reuse();
        let Some(t) = self.catalog.tables.get_mut(&name) else { return };
        if t.columns.is_empty() {
            Arc::make_mut(t).columns = Arc::new(columns.collect());
            share_columns(t, self.reuse.as_ref().and_then(|reuse| reuse.tables.get(&name)));
        } else {
            Arc::make_mut(&mut Arc::make_mut(t).columns).extend(columns);
            self.unordered_tables.insert(relid);
        }
    }

    fn add_view_column(&mut self, row: &Row, view: &QualName, name: String) {
        if let Some(v) = self.catalog.views.get_mut(view) {
            if let Some(c) = comment(row) {
                v.column_comments.insert(name.clone(), c);
            }
            v.columns.push(name);
        }
    }

    fn add_attribute(&mut self, row: &Row, type_name: &QualName, name: String) {
        if let Some(c) = self.catalog.composites.get_mut(type_name) {
            c.attributes.push(CompositeAttribute {
                name,
                type_name: row.get("type_name"),
                collation: row.get("collation"),
                comment: comment(row),
            });
        }
    }

    fn sequences(&mut self, rows: &[Row]) {
        for row in rows {
            let name = self.qualified(row.get("nspname"), row.get("relname"));
            let options = SequenceOptions {
                data_type: row.get("data_type"),
                start: row.get("seqstart"),
                increment: row.get("seqincrement"),
                min_value: row.get("seqmin"),
                max_value: row.get("seqmax"),
                cache: row.get("seqcache"),
                cycle: row.get("seqcycle"),
            };
            let oid: u32 = row.get("oid");
            let owner = self.sequence_owner(row);
            if let Some((relid, attnum, 'i')) = owner {
                self.identities.insert((relid, attnum), (name, options, oid));
                continue;
            }
            if let Some((relid, attnum, _)) = owner {
                self.owned_sequences.push((name.clone(), relid, attnum));
            }
            let id = ObjectId::Sequence { name: name.clone() };
            self.objects.insert((PG_CLASS, oid), Arc::new(id));
            let seq = Sequence { name: name.clone(), options, owned_by: None, comment: comment(row) };
            self.catalog.sequences.insert(name, seq);
        }
    }

    /// The managed relation and column owning a sequence, and how (`a` for
    /// OWNED BY, `i` for an identity column).
    fn sequence_owner(&self, row: &Row) -> Option<(u32, i16, char)> {
        let relid: u32 = row.get::<_, Option<u32>>("owner_rel")?;
        let attnum: i32 = row.get::<_, Option<i32>>("owner_col")?;
        self.relations.get(&relid)?;
        let kind = row.get::<_, Option<String>>("owner_kind")?.chars().next()?;
        Some((relid, attnum as i16, kind))
    }

    /// Names the column each `OWNED BY` sequence belongs to.
    fn name_sequence_owners(&mut self) {
        for (sequence, relid, attnum) in std::mem::take(&mut self.owned_sequences) {
            let (Some(rel), Some(column)) =
                (self.relations.get(&relid), self.attributes.get(&(relid, attnum)))
            else {
                continue;
            };
            if let Some(seq) = self.catalog.sequences.get_mut(&sequence) {
                seq.owned_by = Some((rel.name.clone(), column.name.clone()));
            }
        }
    }

    fn constraints(&mut self, rows: &[Row]) {
        for row in rows {
            let oid: u32 = row.get("oid");
            let relid: u32 = row.get("conrelid");
            let typid: u32 = row.get("contypid");
            if relid != 0 {
                // A new table often means the last one is complete (its
                // constraints come together when they were written in its
                // CREATE TABLE; see `queries::constraints`). Shared now, not
                // after the last row, the read does not hold a second copy
                // of every table's constraints (some 15 MB at 10,000
                // tables). Sharing too early costs a copy, never a wrong
                // model: a later constraint copies the table before adding
                // itself (`Arc::make_mut`), and `share_tables` shares what
                // is left.
                if let Some(last) = self.constraints_of.filter(|last| *last != relid) {
                    self.share_table(last);
                }
                self.constraints_of = Some(relid);
                self.add_table_constraint(row, oid, relid);
            } else if typid != 0 {
                self.add_domain_constraint(row, oid, typid);
            }
        }
    }

    fn column_names(&self, relid: u32, attnums: Option<Vec<i16>>) -> Vec<String> {
        attnums
            .unwrap_or_default()
            .into_iter()
            .filter_map(|n| self.attname(relid, n).map(str::to_string))
            .collect()
    }

    fn add_table_constraint(&mut self, row: &Row, oid: u32, relid: u32) {
        let Some(rel) = self.relations.get(&relid) else {
            return;
        };
        if rel.kind != RelKind::Table || !row.get::<_, bool>("conislocal") {
            return;
        }
        let table = rel.name.clone();
        let name: String = row.get("conname");
        let kind = match char_of(row, "contype") {
            'p' => ConstraintKind::PrimaryKey,
            'u' => ConstraintKind::Unique,
            'f' => ConstraintKind::ForeignKey,
            'c' => ConstraintKind::Check,
            _ => ConstraintKind::Exclude,
        };
        let foreign_key = (kind == ConstraintKind::ForeignKey).then(|| self.foreign_key(row)).flatten();
        let server_definition = self.definitions.remove(&('c', oid));
        let Some(definition) = server_definition.or_else(|| self.constraint_definition(row, relid, kind))
        else {
            // Only when a key names a column the columns query did not return.
            self.unmanaged("unreadable constraint", format!("{name} on {table}"));
            return;
        };
        let constraint = Constraint {
            name: name.clone(),
            kind,
            definition,
            columns: self.column_names(relid, row.get("conkey")),
            foreign_key,
            deferrable: row.get("condeferrable"),
            initially_deferred: row.get("condeferred"),
            validated: row.get("convalidated"),
            no_inherit: row.get("connoinherit"),
            comment: comment(row),
        };
        let id = Arc::new(ObjectId::Constraint { table: table.clone(), name: name.clone() });
        self.objects.insert((PG_CONSTRAINT, oid), id.clone());
        let index: u32 = row.get("conindid");
        if index != 0 && kind != ConstraintKind::ForeignKey {
            // The index behind a PRIMARY KEY, UNIQUE or EXCLUDE constraint is
            // part of the constraint, not an object of its own.
            self.objects.insert((PG_CLASS, index), id);
        }
        if let Some(t) = self.catalog.tables.get_mut(&table) {
            Arc::make_mut(t).constraints.insert(name, Box::new(constraint));
        }
    }

    /// A key constraint's definition, assembled (see `deparse`); the others
    /// keep the server's words.
    fn constraint_definition(&self, row: &Row, relid: u32, kind: ConstraintKind) -> Option<String> {
        let names = |rel: u32, attnums: &[i16]| -> Option<Vec<&str>> {
            attnums.iter().map(|&n| self.attname(rel, n)).collect()
        };
        let attnums = |column: &str| row.get::<_, Option<Vec<i16>>>(column).unwrap_or_default();
        let conkey = attnums("conkey");
        let columns = names(relid, &conkey)?;
        let shape = match kind {
            ConstraintKind::PrimaryKey | ConstraintKind::Unique => {
                let index_columns = attnums("index_columns");
                let include = names(relid, index_columns.get(conkey.len()..).unwrap_or_default())?;
                if kind == ConstraintKind::PrimaryKey {
                    KeyShape::PrimaryKey { columns, include }
                } else {
                    KeyShape::Unique { columns, include, nulls_not_distinct: row.get("nulls_not_distinct") }
                }
            }
            ConstraintKind::ForeignKey => {
                let set_columns = match row.get::<_, Option<Vec<i16>>>("set_columns") {
                    Some(set) => Some(names(relid, &set)?),
                    None => None,
                };
                KeyShape::ForeignKey(deparse::ForeignKeyShape {
                    columns,
                    table: crate::quote::qualified(row.get("ref_schema"), row.get("ref_table")),
                    ref_columns: names(row.get("confrelid"), &attnums("confkey"))?,
                    match_type: char_of(row, "match_type"),
                    on_update: char_of(row, "on_update"),
                    on_delete: char_of(row, "on_delete"),
                    set_columns,
                })
            }
            _ => return None,
        };
        let flags = deparse::ConstraintFlags {
            deferrable: row.get("condeferrable"),
            initially_deferred: row.get("condeferred"),
            validated: row.get("convalidated"),
        };
        Some(deparse::constraint_definition(&shape, &flags))
    }

    fn foreign_key(&self, row: &Row) -> Option<ForeignKey> {
        let target: u32 = row.get("confrelid");
        Some(ForeignKey {
            table: self.relations.get(&target)?.name.clone(),
            columns: self.column_names(target, row.get("confkey")),
            match_type: char_of(row, "match_type"),
            on_update: char_of(row, "on_update"),
            on_delete: char_of(row, "on_delete"),
        })
    }

    fn add_domain_constraint(&mut self, row: &Row, oid: u32, typid: u32) {
        let Some(ObjectId::Type { name }) = self.objects.get(&(PG_TYPE, typid)).map(|id| ObjectId::clone(id))
        else {
            return;
        };
        let Some(domain) = self.catalog.domains.get_mut(&name) else {
            return;
        };
        let cname: String = row.get("conname");
        domain.constraints.insert(
            cname.clone(),
            DomainConstraint {
                name: cname,
                definition: self.definitions.remove(&('c', oid)).unwrap_or_default(),
                validated: row.get("convalidated"),
                comment: comment(row),
            },
        );
        self.objects.insert((PG_CONSTRAINT, oid), Arc::new(ObjectId::Type { name }));
    }

    fn indexes(&mut self, rows: &[Row]) {
        self.take_reuse();
        for row in rows {
            let oid: u32 = row.get("indexrelid");
            if self.objects.contains_key(&(PG_CLASS, oid)) {
                continue; // backs a constraint
            }
            let Some(rel) = self.relations.get(&row.get::<_, u32>("indrelid")) else {
                continue;
            };
            let table = rel.name.clone();
            let name = self.qualified(row.get("nspname"), row.get("relname"));
            if row.get("has_tablespace") {
                self.unmanaged("tablespace", name.to_string());
            }
            // A table clustered on the index, or whose replica identity it
            // is, loses that with the index: a plan dropping or rebuilding
            // it is refused (`plan::unmanaged`).
            let index_id = ObjectId::Index { name: name.clone() };
            if row.get("indisclustered") {
                self.unmanaged("CLUSTER on index", name.to_string());
                let user = Unmanaged { kind: "CLUSTER on index".into(), name: name.to_string() };
                self.catalog.used_by_unmanaged.push((index_id.clone(), user));
            }
            if row.get("indisreplident") {
                let user = Unmanaged { kind: "replica identity".into(), name: table.to_string() };
                self.catalog.used_by_unmanaged.push((index_id, user));
            }
            let Some(index) = self.index_from_row(row, name.clone(), table) else {
                self.unmanaged("unreadable index", name.to_string());
                continue;
            };
            self.objects.insert((PG_CLASS, oid), Arc::new(ObjectId::Index { name: name.clone() }));
            // Complete as read: shared at once, so the read never holds a
            // second copy of every index.
            let mut index = Arc::new(index);
            share_if_equal(&mut index, self.reuse.as_ref().and_then(|reuse| reuse.indexes.get(&name)));
            self.catalog.indexes.insert(name, index);
        }
    }

    fn index_from_row(&self, row: &Row, name: QualName, table: QualName) -> Option<Index> {
        let relid: u32 = row.get("indrelid");
        let nkeys = row.get::<_, i32>("nkeys") as usize;
        let attnums: Vec<i16> = row.get("attnums");
        let opclasses: Vec<u32> = row.get("opclasses");
        let collations: Vec<u32> = row.get("collations");
        let options: Vec<i16> = row.get("key_options");
        let reloptions = row.get::<_, Option<Vec<String>>>("reloptions").unwrap_or_default();
        let oid: u32 = row.get("indexrelid");
        let predicate = self.definitions.get(&('p', oid)).cloned();
        let (definition, mut keys, key_opclasses) = match self.definitions.get(&('i', oid)).cloned() {
            // Expression keys need the server's deparser.
            Some(definition) => {
                let keys = self.index_keys.get(&oid).cloned().unwrap_or_default();
                let opclasses: Vec<Option<String>> = opclasses
                    .iter()
                    .map(|&o| {
                        (!self.lookups.opclass_is_default(o))
                            .then(|| self.lookups.opclass_qualified(o))
                            .flatten()
                    })
                    .collect();
                (definition, keys, opclasses)
            }
            None => {
                let columns: Vec<&Attribute> =
                    attnums.iter().map(|&n| self.attributes.get(&(relid, n))).collect::<Option<_>>()?;
                let opclass_options = opclass_options(row);
                let shape = IndexShape {
                    name: &name.name,
                    table: &table.to_string(),
                    unique: row.get("indisunique"),
                    only: row.get("only"),
                    method: row.get("relam"),
                    method_name: row.get("amname"),
                    key_count: nkeys,
                    columns,
                    opclasses: &opclasses,
                    collations: &collations,
                    options: &options,
                    opclass_options: &opclass_options,
                    nulls_not_distinct: row.get("nulls_not_distinct"),
                    reloptions: &reloptions,
                    predicate: predicate.as_deref(),
                };
                let keys = shape.columns.iter().map(|c| crate::quote::ident(&c.name)).collect();
                let key_opclasses = (0..nkeys).map(|k| shape.key_opclass(k, &self.lookups)).collect();
                (shape.definition(&self.lookups), keys, key_opclasses)
            }
        };
        let include = keys.split_off(nkeys.min(keys.len()));
        let key = keys
            .into_iter()
            .enumerate()
            .map(|(k, expression)| {
                let option = options.get(k).copied().unwrap_or(0);
                IndexKey {
                    expression,
                    opclass: key_opclasses.get(k).cloned().flatten(),
                    collation: self.key_collation(
                        relid,
                        attnums.get(k).copied().unwrap_or(0),
                        collations.get(k),
                    ),
                    descending: option & 1 != 0,
                    nulls_first: option & 2 != 0,
                }
            })
            .collect();
        Some(Index {
            name,
            table,
            unique: row.get("indisunique"),
            nulls_not_distinct: row.get("nulls_not_distinct"),
            method: row.get("amname"),
            key,
            include,
            predicate,
            options: reloptions,
            definition,
            valid: row.get("indisvalid"),
            comment: comment(row),
        })
    }

    /// A key's collation when it is not the column's own (for expressions:
    /// not the database default).
    fn key_collation(&self, relid: u32, attnum: i16, collation: Option<&u32>) -> Option<String> {
        const DEFAULT_COLLATION: u32 = 100;
        let collation = *collation?;
        let own = self.attributes.get(&(relid, attnum)).map_or(DEFAULT_COLLATION, |a| a.collation);
        (collation != 0 && collation != own).then(|| self.lookups.collation_qualified(collation)).flatten()
    }

    fn functions(&mut self, rows: &[Row]) {
        for row in rows {
            let name = self.qualified(row.get("nspname"), row.get("proname"));
            let id = FunctionId { name, args: row.get("identity_args") };
            let kind = match char_of(row, "prokind") {
                'f' => RoutineKind::Function,
                'p' => RoutineKind::Procedure,
                'a' => {
                    self.unmanaged_object("aggregate", id.to_string(), &[(PG_PROC, row.get("oid"))]);
                    continue;
                }
                _ => {
                    self.unmanaged("window function", id.to_string());
                    continue;
                }
            };
            if row.get("has_acl") {
                self.unmanaged("privileges on function", id.to_string());
            }
            self.objects.insert((PG_PROC, row.get("oid")), Arc::new(ObjectId::Function { id: id.clone() }));
            let function = Function {
                id: id.clone(),
                kind,
                arguments: row.get("arguments"),
                returns: row.get("returns"),
                language: row.get("lanname"),
                volatility: char_of(row, "volatility"),
                strict: row.get("proisstrict"),
                security_definer: row.get("prosecdef"),
                leakproof: row.get("proleakproof"),
                parallel: char_of(row, "parallel"),
                config: sorted(row.get::<_, Option<Vec<String>>>("proconfig").unwrap_or_default()),
                definition: settings_sorted(row.get("definition")),
                comment: comment(row),
            };
            self.catalog.functions.insert(id, function);
        }
    }

    fn triggers(&mut self, rows: &[Row]) {
        for row in rows {
            let Some(rel) = self.relations.get(&row.get::<_, u32>("tgrelid")) else {
                continue;
            };
            let table = rel.name.clone();
            let trigger = trigger_from_row(row, table.clone());
            let id = ObjectId::Trigger { table: table.clone(), name: trigger.name.clone() };
            self.objects.insert((PG_TRIGGER, row.get("oid")), Arc::new(id));
            self.catalog.triggers.insert((table, trigger.name.clone()), trigger);
        }
    }

    fn rewrite_rules(&mut self, rows: &[Row]) {
        for row in rows {
            let Some(rel) = self.relations.get(&row.get::<_, u32>("ev_class")) else {
                continue;
            };
            let rule: String = row.get("rulename");
            if rel.kind == RelKind::View && rule == "_RETURN" {
                let id = ObjectId::View { name: rel.name.clone() };
                self.objects.insert((PG_REWRITE, row.get("oid")), Arc::new(id));
            } else {
                let name = format!("{} on {}", crate::quote::ident(&rule), rel.name);
                self.unmanaged("rule", name);
            }
        }
    }

    fn resolve(&self, class: u32, oid: u32, subid: i32) -> Option<Arc<ObjectId>> {
        if class != PG_CLASS {
            return self.objects.get(&(class, oid)).cloned();
        }
        let Some(rel) = self.relations.get(&oid) else {
            return self.objects.get(&(class, oid)).cloned();
        };
        match (rel.kind, subid) {
            (RelKind::Table | RelKind::View, 1..) => Some(Arc::new(ObjectId::Column {
                table: rel.name.clone(),
                column: self.attname(oid, subid as i16)?.to_string(),
            })),
            (RelKind::Sequence, _) => self.objects.get(&(class, oid)).cloned(),
            (kind, _) => Some(Arc::new(relation_object(kind, &rel.name))),
        }
    }

    /// The equal identity of the model offered for reuse, if it has one:
    /// most edges of the desired model name objects the live one has.
    fn shared_identity(&self, id: Arc<ObjectId>) -> Arc<ObjectId> {
        let offered = self.reuse.as_ref().and_then(|reuse| reuse.identities.get(&*id));
        offered.cloned().unwrap_or(id)
    }

    /// An edge between managed object `id` and the object at `address`,
    /// which the model does not hold: kept when that may be one pgrecon
    /// does not manage (relations, functions and types are all known by
    /// now; the rest is listed last).
    fn out_of_model(&mut self, id: &Arc<ObjectId>, (class, oid, _): (u32, u32, i32), uses: bool) {
        let known_by_now = matches!(class, PG_CLASS | PG_PROC | PG_TYPE);
        if known_by_now && !self.unmanaged_objects.contains_key(&(class, oid)) {
            return;
        }
        self.edges_out_of_model.push((id.clone(), (class, oid), uses));
    }

    fn dependencies(&mut self, rows: &[Row]) {
        let deps = &mut self.dependencies;
        for row in rows {
            // Column positions of `queries::dependencies`.
            let from = deps.pack(row.get(0), row.get(1), row.get(2));
            let to = deps.pack(row.get(3), row.get(4), row.get(5));
            deps.edges.push((from, to));
            deps.normal.push(row.get(6));
        }
    }

    /// The edges, in the model's order. Each address is resolved once;
    /// identities are ranked once, so the edges sort and deduplicate as
    /// numbers rather than by comparing names; two addresses naming one
    /// object (a table and its row type) share a rank.
    fn finish_dependencies(&mut self) {
        self.take_reuse();
        let rows = std::mem::take(&mut self.dependencies);
        let mut addresses: Vec<u64> = Vec::with_capacity(rows.edges.len() * 2);
        addresses.extend(rows.edges.iter().flat_map(|&(from, to)| [from, to]));
        addresses.sort_unstable();
        addresses.dedup();
        addresses.shrink_to_fit();
        let ids: Vec<Option<Arc<ObjectId>>> = addresses
            .iter()
            .map(|&a| {
                let (class, oid, subid) = rows.unpack(a);
                self.resolve(class, oid, subid).map(|id| self.shared_identity(id))
            })
            .collect();
        let mut by_identity: Vec<u32> =
            (0..ids.len() as u32).filter(|k| ids[*k as usize].is_some()).collect();
        by_identity.sort_unstable_by(|a, b| ids[*a as usize].cmp(&ids[*b as usize]));
        let mut rank = vec![u32::MAX; ids.len()];
        let mut canonical: Vec<&Arc<ObjectId>> = Vec::new();
        for k in by_identity {
            let id = ids[k as usize].as_ref().expect("only resolved addresses are ranked");
            if canonical.last().is_none_or(|last| last != &id) {
                canonical.push(id);
            }
            rank[k as usize] = canonical.len() as u32 - 1;
        }
        let rank_of =
            |address: u64| rank[addresses.binary_search(&address).expect("every address is listed")];
        let mut ranked: Vec<(u32, u32)> = Vec::with_capacity(rows.edges.len());
        for (&(from, to), &normal) in rows.edges.iter().zip(&rows.normal) {
            match (rank_of(from), rank_of(to)) {
                (u32::MAX, u32::MAX) => {}
                (u32::MAX, _) | (_, u32::MAX) if !normal => {}
                (u32::MAX, to) => self.out_of_model(canonical[to as usize], rows.unpack(from), false),
                (from, u32::MAX) => self.out_of_model(canonical[from as usize], rows.unpack(to), true),
                pair => ranked.push(pair),
            }
        }
        ranked.sort_unstable();
        ranked.dedup();
        let shared = ranked
            .into_iter()
            .filter(|(f, t)| f != t)
            .map(|(f, t)| (canonical[f as usize], canonical[t as usize]))
            .filter(|(from, to)| !self.is_sequence_ownership(from, to))
            .map(|(from, to)| (from.clone(), to.clone()))
            .collect();
        self.catalog.dependencies = Dependencies::from_sorted(shared);
    }

    /// `OWNED BY` is recorded on the sequence; as an edge it would make a
    /// serial column's sequence depend on the table whose default uses it.
    fn is_sequence_ownership(&self, from: &ObjectId, to: &ObjectId) -> bool {
        let (ObjectId::Sequence { name }, ObjectId::Column { table, column }) = (from, to) else {
            return false;
        };
        self.catalog.sequences.get(name).and_then(|s| s.owned_by.as_ref())
            == Some(&(table.clone(), column.clone()))
    }

    fn unmanaged_rows(&mut self, rows: &[Row]) {
        for row in rows {
            let kind: String = row.get(0);
            let name: String = row.get(1);
            // Columns of `queries::unmanaged`.
            match (row.get::<_, Option<u32>>(2), row.get::<_, Option<u32>>(3)) {
                (Some(class), Some(oid)) => self.unmanaged_object(&kind, name, &[(class, oid)]),
                _ => self.unmanaged(&kind, name),
            }
        }
    }
}

impl DependencyRows {
    /// One `u64` for a catalog address: the catalog's position in
    /// `catalogs` (bits 48 and up), the object's OID (bits 16 to 47) and
    /// the sub-object, a column number (the low 16 bits; columns number at
    /// most 1,600).
    fn pack(&mut self, class: u32, oid: u32, subid: i32) -> u64 {
        let catalog = match self.catalogs.iter().position(|&c| c == class) {
            Some(k) => k,
            None => {
                self.catalogs.push(class);
                self.catalogs.len() - 1
            }
        };
        ((catalog as u64) << 48) | (u64::from(oid) << 16) | u64::from(subid as i16 as u16)
    }

    fn unpack(&self, address: u64) -> (u32, u32, i32) {
        let class = self.catalogs[(address >> 48) as usize];
        (class, (address >> 16) as u32, i32::from(address as u16 as i16))
    }
}

/// `table`'s column list becomes `other`'s when equal.
fn share_columns(table: &mut Arc<Table>, other: Option<&Arc<Table>>) {
    let Some(other) = other else { return };
    if !Arc::ptr_eq(&table.columns, &other.columns) && table.columns == other.columns {
        Arc::make_mut(table).columns = other.columns.clone();
    }
}

/// Makes `mine` the `offered` object when the two are equal: one copy
/// held instead of two.
fn share_if_equal<T: PartialEq>(mine: &mut Arc<T>, offered: Option<&Arc<T>>) {
    if let Some(other) = offered.filter(|other| *other == mine) {
        *mine = other.clone();
    }
}

fn relation_object(kind: RelKind, name: &QualName) -> ObjectId {
    let name = name.clone();
    match kind {
        RelKind::Table => ObjectId::Table { name },
        RelKind::View => ObjectId::View { name },
        RelKind::Sequence => ObjectId::Sequence { name },
        RelKind::Composite => ObjectId::Type { name },
    }
}

/// Operator class options by key position, from `[[attnum, ["name=value", ...]], ...]`.
fn opclass_options(row: &Row) -> HashMap<usize, Vec<String>> {
    let Some(json) = row.get::<_, Option<String>>("opclass_options") else {
        return HashMap::new();
    };
    let entries: Vec<(usize, Vec<String>)> = serde_json::from_str(&json).unwrap_or_default();
    entries
        .into_iter()
        .filter(|(attnum, _)| *attnum > 0)
        .map(|(attnum, options)| (attnum - 1, options))
        .collect()
}

// Bits of pg_trigger.tgtype (src/include/catalog/pg_trigger.h).
const TRIGGER_ROW: i32 = 1;
const TRIGGER_BEFORE: i32 = 2;
const TRIGGER_INSERT: i32 = 4;
const TRIGGER_DELETE: i32 = 8;
const TRIGGER_UPDATE: i32 = 16;
const TRIGGER_TRUNCATE: i32 = 32;
const TRIGGER_INSTEAD: i32 = 64;

fn trigger_from_row(row: &Row, table: QualName) -> Trigger {
    let tgtype: i32 = row.get("tgtype");
    let timing = if tgtype & TRIGGER_INSTEAD != 0 {
        TriggerTiming::InsteadOf
    } else if tgtype & TRIGGER_BEFORE != 0 {
        TriggerTiming::Before
    } else {
        TriggerTiming::After
    };
    let events = [
        (TRIGGER_INSERT, TriggerEvent::Insert),
        (TRIGGER_UPDATE, TriggerEvent::Update),
        (TRIGGER_DELETE, TriggerEvent::Delete),
        (TRIGGER_TRUNCATE, TriggerEvent::Truncate),
    ]
    .into_iter()
    .filter(|(bit, _)| tgtype & bit != 0)
    .map(|(_, e)| e)
    .collect();
    let definition: String = row.get("definition");
    Trigger {
        table,
        name: row.get("tgname"),
        timing,
        events,
        update_columns: row.get("update_columns"),
        for_each_row: tgtype & TRIGGER_ROW != 0,
        when: sql_scan::trigger_when_clause(&definition),
        function: QualName::new(
            row.get::<_, String>("function_schema"),
            row.get::<_, String>("function_name"),
        ),
        arguments: trigger_arguments(row.get("tgargs")),
        constraint: row.get("is_constraint"),
        deferrable: row.get("tgdeferrable"),
        initially_deferred: row.get("tginitdeferred"),
        enabled: char_of(row, "enabled"),
        definition,
        comment: comment(row),
    }
}

/// `pg_trigger.tgargs`: each argument followed by a NUL byte.
fn trigger_arguments(raw: Vec<u8>) -> Vec<String> {
    raw.split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect::<Vec<_>>()
        .split_last()
        .map(|(_, args)| args.to_vec())
        .unwrap_or_default()
}

/// A function's settings are a set: kept in the order written, read in one
/// order, so that writing them in another is no change.
fn sorted(mut settings: Vec<String>) -> Vec<String> {
    settings.sort();
    settings
}

/// `pg_get_functiondef` with its ` SET name TO value` lines (one per
/// setting, in the header before the body) in one order, as [`sorted`].
fn settings_sorted(definition: String) -> String {
    let mut lines: Vec<&str> = definition.split('\n').collect();
    let header = 1 + lines.iter().skip(1).take_while(|l| l.starts_with(' ')).count();
    let slots: Vec<usize> = (1..header).filter(|&i| lines[i].starts_with(" SET ")).collect();
    if slots.len() < 2 {
        return definition;
    }
    let mut settings: Vec<&str> = slots.iter().map(|&i| lines[i]).collect();
    settings.sort_unstable();
    for (slot, line) in slots.into_iter().zip(settings) {
        lines[slot] = line;
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_addresses_read_back_and_keep_catalogs_apart() {
        let mut rows = DependencyRows::default();
        let addresses = [(PG_CLASS, u32::MAX, 1600), (PG_CLASS, 16384, 0), (PG_TYPE, 16384, 0), (2606, 1, 7)];
        let packed: Vec<u64> = addresses.iter().map(|&(c, o, s)| rows.pack(c, o, s)).collect();
        for (address, p) in addresses.iter().zip(&packed) {
            assert_eq!(rows.unpack(*p), *address);
        }
        assert_ne!(packed[1], packed[2], "same OID in two catalogs");
        assert_eq!(rows.pack(PG_CLASS, 16384, 0), packed[1], "one address, one number");
    }
}
