//! The catalog queries. Their number is fixed: it never depends on how many
//! objects the database holds (one query per kind, never one per table).
//!
//! They run with an empty `search_path`, so every name PostgreSQL prints is
//! schema-qualified unless it lives in `pg_catalog`. They are written for
//! PostgreSQL 13 to 18; columns that differ between majors are chosen by
//! [`Version`].

/// Server major version, from `server_version_num`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub i32);

impl Version {
    pub fn major(self) -> i32 {
        self.0 / 10000
    }
}

/// Namespaces that hold user objects.
// `pgrecon` holds pgrecon's own bookkeeping (applied pre/post steps).
const USER_NAMESPACE: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgrecon') \
     AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";

/// The object is not a member of an extension (`deptype = 'e'`).
///
/// Asked of the few rows that reference an extension (found through
/// `pg_depend`'s index on the referenced object), which the server hashes
/// once: a `NOT EXISTS` probed `pg_depend` once per row, or scanned all of
/// it, a tenth of a large catalog's columns query.
fn not_in_extension(catalog: &str, oid: &str) -> String {
    format!(
        "{oid} NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e \
         WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass \
         AND e.classid = 'pg_catalog.{catalog}'::pg_catalog.regclass AND e.deptype = 'e')"
    )
}

/// The comment of each row, as a join: a correlated subquery would probe
/// `pg_description` once per row, which dominates on large catalogs.
fn description_join(alias: &str, catalog: &str, oid: &str, subid: &str) -> String {
    format!(
        "LEFT JOIN pg_catalog.pg_description {alias} ON {alias}.classoid = 'pg_catalog.{catalog}'::pg_catalog.regclass \
         AND {alias}.objoid = {oid} AND {alias}.objsubid = {subid}"
    )
}

/// `schema.name` of a collation, quoted.
fn collation_name(oid: &str) -> String {
    format!(
        "(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) \
         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
         WHERE co.oid = {oid})"
    )
}

pub fn schemas() -> String {
    format!(
        "SELECT n.oid, n.nspname, d.description AS comment \
         FROM pg_catalog.pg_namespace n {desc} \
         WHERE {USER_NAMESPACE} AND {not_ext}",
        desc = description_join("d", "pg_namespace", "n.oid", "0"),
        not_ext = not_in_extension("pg_namespace", "n.oid"),
    )
}

pub fn extensions() -> String {
    format!(
        "SELECT x.oid, x.extname, n.nspname, x.extversion, x.extrelocatable, d.description AS comment \
         FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace {desc} \
         WHERE x.extname <> 'plpgsql'",
        desc = description_join("d", "pg_extension", "x.oid", "0"),
    )
}

/// User types of every kind; the builder keeps enums, domains and composite
/// types and reports the others as unmanaged. Array types are left out: they
/// come and go with their element type.
///
/// From PostgreSQL 17 a domain's NOT NULL is a `contype = 'n'` constraint
/// with a name, read here as a property of the domain.
pub fn types(version: Version) -> String {
    let not_null_name = if version.major() >= 17 {
        "CASE WHEN t.typtype = 'd' AND t.typnotnull THEN (SELECT nn.conname::text \
           FROM pg_catalog.pg_constraint nn WHERE nn.contypid = t.oid AND nn.contype = 'n') END"
    } else {
        "NULL::text"
    };
    format!(
        "SELECT t.oid, n.nspname, t.typname, t.typtype::text AS typtype, t.typarray, t.typrelid, \
           CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type, \
           t.typnotnull, {not_null_name} AS not_null_name, t.typdefault, \
           CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN {coll} END AS collation, \
           CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT l.enumlabel::text FROM pg_catalog.pg_enum l \
             WHERE l.enumtypid = t.oid ORDER BY l.enumsortorder) END AS labels, \
           CASE WHEN t.typtype = 'r' THEN {range_options} END AS range_options, \
           {multirange} AS multirange_oid, \
           CASE WHEN t.typtype = 'r' THEN (SELECT mn.nspname FROM pg_catalog.pg_type mt \
             JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace WHERE mt.oid = {multirange}) END AS multirange_schema, \
           CASE WHEN t.typtype = 'r' THEN (SELECT mt.typname FROM pg_catalog.pg_type mt WHERE mt.oid = {multirange}) END \
             AS multirange_name, \
           CASE WHEN t.typtype = 'r' THEN ARRAY(SELECT d.objid FROM pg_catalog.pg_depend d \
             WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.deptype = 'i' \
               AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass \
               AND d.refobjid IN (t.oid, COALESCE({multirange}, 0))) END AS constructors, \
           d.description AS comment \
         FROM pg_catalog.pg_type t \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype \
         LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid {desc} \
         WHERE {USER_NAMESPACE} AND {not_ext} \
           AND (t.typrelid = 0 OR rc.relkind = 'c') AND t.typtype <> 'm' \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type el WHERE el.typarray = t.oid)",
        coll = collation_name("t.typcollation"),
        desc = description_join("d", "pg_type", "t.oid", "0"),
        not_ext = not_in_extension("pg_type", "t.oid"),
        range_options = range_options(),
        multirange = if version.major() >= 14 {
            "(SELECT r.rngmultitypid FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid)"
        } else {
            "NULL::oid"
        },
    )
}

/// A range type's options as `CREATE TYPE ... AS RANGE` takes them, in the
/// words pg_dump uses: the subtype, then what is not the default (the
/// subtype's operator class and collation, the canonical and difference
/// functions). The multirange type's name is read apart.
fn range_options() -> String {
    format!(
        "(SELECT 'subtype = ' || pg_catalog.format_type(r.rngsubtype, NULL) \
           || CASE WHEN NOT o.opcdefault THEN ', subtype_opclass = ' || pg_catalog.quote_ident(opn.nspname) \
                || '.' || pg_catalog.quote_ident(o.opcname) ELSE '' END \
           || CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation \
                THEN ', collation = ' || {coll} ELSE '' END \
           || CASE WHEN r.rngcanonical <> 0 THEN ', canonical = ' || r.rngcanonical::pg_catalog.regproc::text ELSE '' END \
           || CASE WHEN r.rngsubdiff <> 0 THEN ', subtype_diff = ' || r.rngsubdiff::pg_catalog.regproc::text ELSE '' END \
         FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype \
         JOIN pg_catalog.pg_opclass o ON o.oid = r.rngsubopc \
         JOIN pg_catalog.pg_namespace opn ON opn.oid = o.opcnamespace WHERE r.rngtypid = t.oid)",
        coll = collation_name("r.rngcollation"),
    )
}

pub fn relations() -> String {
    format!(
        "SELECT c.oid, n.nspname, c.relname, c.relkind::text AS relkind, c.reltype, c.relnatts, \
           c.relpersistence::text AS relpersistence, c.reloptions::text[] AS reloptions, \
           c.relispartition, c.relrowsecurity, c.relreplident::text AS relreplident, \
           c.reloftype <> 0 AS typed, \
           c.reltablespace <> 0 AS has_tablespace, \
           EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) AS inherits, \
           COALESCE(NOT (c.relacl = pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)), false) AS has_acl, \
           d.description AS comment \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {desc} \
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND {USER_NAMESPACE} AND {not_ext}",
        desc = description_join("d", "pg_class", "c.oid", "0"),
        not_ext = not_in_extension("pg_class", "c.oid"),
    )
}

/// Columns of every user relation, partitions and extension members'
/// neighbours included: index and constraint definitions are assembled from
/// these names and types (see `deparse`). Unordered: sorting 100,000 rows
/// on the server spills to disk; the builder sorts by `attnum`.
///
/// From PostgreSQL 18 a NOT NULL column has a `contype = 'n'` constraint,
/// one per column, whose name survives renames of the table and column;
/// it is read here, next to `attnotnull`, as a property of the column.
pub fn columns(version: Version) -> String {
    let (not_null_name, not_null_join) = if version.major() >= 18 {
        (
            "nn.conname::text",
            "LEFT JOIN pg_catalog.pg_constraint nn ON nn.conrelid = a.attrelid AND nn.contype = 'n' \
             AND nn.conkey[1] = a.attnum",
        )
    } else {
        ("NULL::text", "")
    };
    format!(
        "SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type_name, \
           a.atttypid, a.attcollation, \
           a.attnotnull, {not_null_name} AS not_null_name, \
           a.attgenerated::text AS attgenerated, a.attidentity::text AS attidentity, \
           pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) AS default_expr, \
           ad.oid AS attrdef_oid, \
           CASE WHEN a.attcollation <> t.typcollation THEN {coll} END AS collation, \
           COALESCE(a.attstattarget::int, -1) >= 0 AS has_stattarget, \
           a.attstorage <> t.typstorage AS custom_storage, {compression} AS has_compression, \
           a.attoptions IS NOT NULL AS has_options, a.attacl IS NOT NULL AS has_acl, \
           d.description AS comment \
         FROM pg_catalog.pg_attribute a \
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
         {not_null_join} {desc} \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') \
           AND {USER_NAMESPACE} AND {not_ext}",
        coll = collation_name("a.attcollation"),
        compression = if version.major() >= 14 { "a.attcompression <> ''" } else { "false" },
        desc = description_join("d", "pg_class", "a.attrelid", "a.attnum"),
        not_ext = not_in_extension("pg_class", "c.oid"),
    )
}

/// Sequences with what owns them: `a` for `OWNED BY`, `i` for an identity
/// column, and the owning column's number (read before the columns, so that
/// each table's columns are complete as they are read; the builder names
/// the column).
pub fn sequences() -> String {
    format!(
        "SELECT c.oid, n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL) AS data_type, \
           s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, \
           dep.refobjid AS owner_rel, dep.refobjsubid AS owner_col, dep.deptype::text AS owner_kind, \
           d.description AS comment \
         FROM pg_catalog.pg_sequence s \
         JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass \
           AND dep.objid = c.oid AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass \
           AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i') \
         {desc} \
         WHERE {USER_NAMESPACE} AND {not_ext}",
        desc = description_join("d", "pg_class", "c.oid", "0"),
        not_ext = not_in_extension("pg_class", "c.oid"),
    )
}

/// Table and domain constraints. NOT NULL constraints (`contype = 'n'`,
/// PostgreSQL 18; domains from 17) are not among them: a column's is read
/// with the column (see [`columns`]), a domain's is `typnotnull`.
///
/// Only CHECK and EXCLUDE constraints (and the rare shapes listed in
/// [`expression_definitions`]) are deparsed by the server, in that query:
/// `pg_get_constraintdef` costs tens of microseconds per call on a cold
/// backend, so PRIMARY KEY, UNIQUE and FOREIGN KEY definitions are
/// assembled from the columns instead (`deparse`).
///
/// Not sorted: ordering by table cost the server 55 ms at 10,000 tables.
/// The rows usually come in the order the constraints were created, so a
/// table's constraints come together when they were written in its CREATE
/// TABLE, and in a few runs when added by later ALTER TABLEs (as pg_dump
/// writes them). The builder's early sharing is only less effective then,
/// never wrong.
pub fn constraints(version: Version) -> String {
    let (nulls_not_distinct, set_columns) = if version.major() >= 15 {
        ("ix.indnullsnotdistinct", "co.confdelsetcols::int2[]")
    } else {
        ("false", "NULL::int2[]")
    };
    format!(
        "SELECT co.oid, co.conname, co.contype::text AS contype, co.conrelid, co.contypid, \
           co.conkey::int2[] AS conkey, co.confrelid, co.confkey::int2[] AS confkey, \
           fn.nspname AS ref_schema, fc.relname AS ref_table, {set_columns} AS set_columns, \
           ix.indkey::int2[] AS index_columns, COALESCE({nulls_not_distinct}, false) AS nulls_not_distinct, \
           co.confmatchtype::text AS match_type, co.confupdtype::text AS on_update, \
           co.confdeltype::text AS on_delete, co.condeferrable, co.condeferred, co.convalidated, \
           co.connoinherit, co.conindid, co.conislocal, d.description AS comment \
         FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace \
         LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid AND co.contype IN ('p', 'u') \
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid \
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace {desc} \
         WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND {USER_NAMESPACE}",
        desc = description_join("d", "pg_constraint", "co.oid", "0"),
    )
}

/// What only the server's deparsers can print, for the objects that need
/// them: CHECK and EXCLUDE constraints (and the rare key shapes below),
/// index predicates and expression keys, and views' queries. Each row is
/// (what, oid, definition, keys): `what` is `c` for a constraint, `p` for
/// an index predicate, `i` for an expression index (its definition, and
/// its keys one by one), `v` for a view.
///
/// Deparsing an expression opens its table, which on a fresh connection
/// builds the table's relation cache entry: tens of microseconds per
/// table, most of the server's work at 10,000 tables. So these calls are
/// one query, run on the helper connection while the main one streams the
/// catalog rows, and each table's entry is built once, whichever of its
/// objects needs it first. Definitions of views come first: they are
/// needed with the relations, the others later, with the constraints.
pub fn view_definitions() -> String {
    format!(
        "SELECT 'v' AS what, c.oid, pg_catalog.pg_get_viewdef(c.oid) AS definition, NULL::text[] AS keys \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('v', 'm') AND {USER_NAMESPACE} AND {not_ext}",
        not_ext = not_in_extension("pg_class", "c.oid"),
    )
}

/// [`view_definitions`] in batches: those after view `$1` (an oid), at
/// most `$2` of them, in oid order.
pub fn view_definitions_after() -> String {
    format!("{} AND c.oid > $1 ORDER BY c.oid LIMIT $2", view_definitions())
}

/// See [`view_definitions`]: the constraints' and indexes' part.
pub fn expression_definitions(version: Version) -> String {
    // Temporal keys and NOT ENFORCED (PostgreSQL 18) keep the server's words.
    let server_shapes = if version.major() >= 18 { " OR co.conperiod OR NOT co.conenforced" } else { "" };
    // The referenced table's columns are not read when an extension owns it.
    let ref_in_ext = format!("NOT {}", not_in_extension("pg_class", "co.confrelid"));
    format!(
        "SELECT 'c' AS what, co.oid, pg_catalog.pg_get_constraintdef(co.oid) AS definition, NULL::text[] AS keys \
         FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace \
         WHERE (co.contype IN ('c', 'x'){server_shapes} OR (co.contype = 'f' AND {ref_in_ext})) \
           AND {USER_NAMESPACE} \
         UNION ALL \
         SELECT 'p', i.indexrelid, pg_catalog.pg_get_expr(i.indpred, i.indrelid), NULL \
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE i.indpred IS NOT NULL AND {USER_NAMESPACE} \
         UNION ALL \
         SELECT 'i', i.indexrelid, pg_catalog.pg_get_indexdef(i.indexrelid), \
           ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, false) \
             FROM pg_catalog.generate_series(1, i.indnatts) k ORDER BY k) \
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE i.indexprs IS NOT NULL AND {USER_NAMESPACE}"
    )
}

/// Indexes, with their keys as catalog numbers: the builder assembles the
/// definition `pg_get_indexdef` would print (see `deparse`), which on a
/// cold backend costs about 70 µs per index — seconds for a large schema.
/// Predicates and indexes with expression keys keep the server's deparse
/// (see [`expression_definitions`]). Indexes behind a constraint are left
/// out: the constraint stands for them.
pub fn indexes(version: Version) -> String {
    let nulls_not_distinct = if version.major() >= 15 { "i.indnullsnotdistinct" } else { "false" };
    format!(
        "SELECT i.indexrelid, i.indrelid, n.nspname, c.relname, i.indisunique, \
           {nulls_not_distinct} AS nulls_not_distinct, c.relam, am.amname, i.indnkeyatts::int AS nkeys, \
           c.relkind = 'I' AND NOT c.relispartition AS only, \
           i.indkey::int2[] AS attnums, i.indclass::oid[] AS opclasses, i.indcollation::oid[] AS collations, \
           i.indoption::int2[] AS key_options, \
           CASE WHEN am.amname <> 'btree' THEN (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(ia.attnum, ia.attoptions)) \
             FROM pg_catalog.pg_attribute ia WHERE ia.attrelid = i.indexrelid AND ia.attoptions IS NOT NULL)::text END AS opclass_options, \
           c.reloptions::text[] AS reloptions, \
           i.indisvalid, i.indisclustered, i.indisreplident, c.reltablespace <> 0 AS has_tablespace, \
           d.description AS comment \
         FROM pg_catalog.pg_index i \
         JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_am am ON am.oid = c.relam {desc} \
         WHERE {USER_NAMESPACE} AND NOT i.indisprimary AND NOT i.indisexclusion \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint uc WHERE uc.conindid = i.indexrelid AND uc.contype = 'u')",
        desc = description_join("d", "pg_class", "i.indexrelid", "0"),
    )
}

/// Whether no transaction has ended since the transaction's snapshot was
/// taken, asked inside it: no new transaction ID has been handed out (`age`
/// reads the next one at its first call in a transaction, which this is)
/// and those running at the snapshot are running still (`pg_xact_status`
/// reads the commit log, not the snapshot). Then no change can have been
/// committed since, and the deparsers read what the snapshot holds.
pub fn nothing_ended_since_snapshot() -> String {
    "SELECT pg_catalog.age(pg_catalog.pg_snapshot_xmax(s)::xid) = 0 \
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_snapshot_xip(s) x \
         WHERE pg_catalog.pg_xact_status(x) IS DISTINCT FROM 'in progress') \
     FROM (SELECT pg_catalog.pg_current_snapshot() AS s) q"
        .to_string()
}

/// One line that changes whenever a transaction commits a change to the
/// rows the server's deparsers read for user objects (see
/// `introspect_client`): per catalog, the number of rows and the sum of
/// their `xmin`. Every update writes a new row version with a new `xmin`;
/// VACUUM and ANALYZE update in place and freezing keeps the raw `xmin`, so
/// neither counts as a change. Temporary objects are left out: other
/// sessions create them all the time.
pub fn catalog_fingerprint() -> String {
    let of = |catalog: &str, alias: &str, namespace: &str| {
        let joins = match namespace {
            "class" => format!(
                "JOIN pg_catalog.pg_class c ON c.oid = {alias} \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            ),
            column => format!("JOIN pg_catalog.pg_namespace n ON n.oid = x.{column}"),
        };
        format!(
            "(SELECT count(*) || ':' || COALESCE(sum(x.xmin::text::bigint), 0) \
             FROM pg_catalog.{catalog} x {joins} WHERE {USER_NAMESPACE})"
        )
    };
    let parts = [
        of("pg_namespace", "", "oid"),
        of("pg_class", "", "relnamespace"),
        of("pg_attribute", "x.attrelid", "class"),
        of("pg_attrdef", "x.adrelid", "class"),
        of("pg_index", "x.indrelid", "class"),
        of("pg_trigger", "x.tgrelid", "class"),
        of("pg_rewrite", "x.ev_class", "class"),
        of("pg_constraint", "", "connamespace"),
        of("pg_type", "", "typnamespace"),
        of("pg_proc", "", "pronamespace"),
        "(SELECT count(*) || ':' || COALESCE(sum(x.xmin::text::bigint), 0) FROM pg_catalog.pg_enum x)".into(),
        "(SELECT count(*) || ':' || COALESCE(sum(x.xmin::text::bigint), 0) FROM pg_catalog.pg_extension x)"
            .into(),
    ];
    format!("SELECT concat_ws(' ', {})", parts.join(", "))
}

/// Every operator class: which one is the default for a key's type decides
/// whether the definition names it.
pub fn opclasses() -> String {
    "SELECT o.oid, o.opcmethod, o.opcname, n.nspname, o.opcdefault, o.opcintype \
     FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace"
        .to_string()
}

/// What `GetDefaultOpClass` needs to know about a key's type, for every type
/// but the row types of tables and views (and their arrays): a type is kept
/// when neither it nor its element has a relation, or when that relation
/// is a composite type's. Asking which relations are composite types, not
/// joining every relation, halves the query at 10,000 tables.
pub fn type_facts(version: Version) -> String {
    let is_array = if version.major() >= 14 {
        "t.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc"
    } else {
        "t.typlen = -1"
    };
    format!(
        "SELECT t.oid, t.typtype::text AS typtype, t.typcategory::text AS typcategory, t.typispreferred, \
           t.typbasetype, t.typrelid <> 0 AS is_composite, t.typelem <> 0 AND {is_array} AS is_array, \
           COALESCE(el.typrelid <> 0, false) AS is_composite_array \
         FROM pg_catalog.pg_type t \
         LEFT JOIN pg_catalog.pg_type el ON el.oid = t.typelem AND t.typelem <> 0 \
         WHERE COALESCE(NULLIF(t.typrelid, 0), el.typrelid, 0) = 0 \
           OR COALESCE(NULLIF(t.typrelid, 0), el.typrelid) IN \
             (SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relkind = 'c')"
    )
}

/// Implicit binary-compatible casts (`IsBinaryCoercible`).
pub fn binary_casts() -> String {
    "SELECT c.castsource, c.casttarget FROM pg_catalog.pg_cast c \
     WHERE c.castmethod = 'b' AND c.castcontext = 'i'"
        .to_string()
}

pub fn collations() -> String {
    "SELECT co.oid, n.nspname, co.collname FROM pg_catalog.pg_collation co \
     JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace"
        .to_string()
}

/// Functions and procedures. Those a type made for itself (a range type's
/// constructors: an internal dependency) are the type's, not the user's.
pub fn functions() -> String {
    format!(
        "SELECT p.oid, n.nspname, p.proname, p.prokind::text AS prokind, \
           pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_args, \
           pg_catalog.pg_get_function_arguments(p.oid) AS arguments, \
           CASE WHEN p.prokind = 'f' THEN pg_catalog.pg_get_function_result(p.oid) END AS returns, \
           l.lanname, p.provolatile::text AS volatility, p.proisstrict, p.prosecdef, p.proleakproof, \
           p.proparallel::text AS parallel, p.proconfig, COALESCE(NOT (p.proacl = pg_catalog.acldefault('f', p.proowner)), false) AS has_acl, \
           CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition, \
           d.description AS comment \
         FROM pg_catalog.pg_proc p \
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         JOIN pg_catalog.pg_language l ON l.oid = p.prolang {desc} \
         WHERE {USER_NAMESPACE} AND {not_ext} \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass \
             AND i.objid = p.oid AND i.deptype = 'i')",
        desc = description_join("d", "pg_proc", "p.oid", "0"),
        not_ext = not_in_extension("pg_proc", "p.oid"),
    )
}

pub fn triggers() -> String {
    format!(
        "SELECT t.oid, t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid, false) AS definition, \
           t.tgtype::int AS tgtype, fn.nspname AS function_schema, f.proname AS function_name, t.tgargs, \
           ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) WITH ORDINALITY u(attnum, k) \
             JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = u.attnum \
             ORDER BY u.k) AS update_columns, \
           t.tgenabled::text AS enabled, t.tgconstraint <> 0 AS is_constraint, \
           t.tgdeferrable, t.tginitdeferred, d.description AS comment \
         FROM pg_catalog.pg_trigger t \
         JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid \
         JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace {desc} \
         WHERE NOT t.tgisinternal AND {USER_NAMESPACE}",
        desc = description_join("d", "pg_trigger", "t.oid", "0"),
    )
}

pub fn rewrite_rules() -> String {
    format!(
        "SELECT r.oid, r.ev_class, r.rulename FROM pg_catalog.pg_rewrite r \
         JOIN pg_catalog.pg_class c ON c.oid = r.ev_class \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE {USER_NAMESPACE}"
    )
}

/// Dependencies between user objects. A reference to an object that belongs
/// to an extension is reported as a reference to the extension itself.
///
/// The extension members are a handful of rows, found through the index on
/// the referenced object and materialized so the planner hashes them rather
/// than all of `pg_depend`. Internal edges that always
/// join an object to itself in the model, or to nothing in it, are left out:
/// array and row types, the triggers behind foreign keys, the index behind
/// a key constraint, TOAST tables and identity sequences (the only internal
/// edges between two relations). On large schemas they are a third of the
/// rows.
pub fn dependencies() -> String {
    "WITH ext AS MATERIALIZED (SELECT classid, objid, refclassid, refobjid FROM pg_catalog.pg_depend \
       WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND deptype = 'e' AND objsubid = 0) \
     SELECT d.classid, d.objid, d.objsubid, \
       COALESCE(x.refclassid, d.refclassid) AS refclassid, \
       COALESCE(x.refobjid, d.refobjid) AS refobjid, \
       CASE WHEN x.refobjid IS NULL THEN d.refobjsubid ELSE 0 END AS refobjsubid, \
       d.deptype = 'n' AS normal \
     FROM pg_catalog.pg_depend d \
     LEFT JOIN ext x ON x.classid = d.refclassid AND x.objid = d.refobjid \
     WHERE d.objid >= 16384 AND d.refobjid >= 16384 AND d.deptype IN ('n', 'a', 'i') \
       AND NOT (d.deptype = 'i' AND (d.classid, d.refclassid) IN ( \
         ('pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass), \
         ('pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass), \
         ('pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass), \
         ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass), \
         ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass)))"
        .to_string()
}

/// Object kinds pgrecon does not manage, as (kind, readable name, catalog
/// OID, object OID) rows; the OIDs, for objects others can depend on, name
/// them in `pg_depend`.
/// Kinds that other queries already see (rules, aggregates, partitions,
/// range types, ...) are reported by the builder instead.
pub fn unmanaged() -> String {
    let user_ns = |alias: &str| USER_NAMESPACE.replace("n.", &format!("{alias}."));
    let not_ext = not_in_extension;
    [
        "SELECT 'policy', pg_catalog.quote_ident(p.polname) || ' on ' || p.polrelid::pg_catalog.regclass::text \
            , 'pg_catalog.pg_policy'::pg_catalog.regclass::pg_catalog.oid, p.oid FROM pg_catalog.pg_policy p".to_string(),
        "SELECT 'event trigger', pg_catalog.quote_ident(evtname), 'pg_catalog.pg_event_trigger'::pg_catalog.regclass::pg_catalog.oid, e0.oid FROM pg_catalog.pg_event_trigger e0 \
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.objid = e0.oid AND e.deptype = 'e')"
            .to_string(),
        "SELECT 'publication', pg_catalog.quote_ident(pubname), \
         'pg_catalog.pg_publication'::pg_catalog.regclass::pg_catalog.oid, oid FROM pg_catalog.pg_publication"
            .to_string(),
        format!(
            "SELECT 'foreign data wrapper', pg_catalog.quote_ident(w.fdwname), 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass::pg_catalog.oid, w.oid FROM pg_catalog.pg_foreign_data_wrapper w \
             WHERE {}",
            not_ext("pg_foreign_data_wrapper", "w.oid")
        ),
        format!(
            "SELECT 'foreign server', pg_catalog.quote_ident(s.srvname), 'pg_catalog.pg_foreign_server'::pg_catalog.regclass::pg_catalog.oid, s.oid FROM pg_catalog.pg_foreign_server s WHERE {}",
            not_ext("pg_foreign_server", "s.oid")
        ),
        format!(
            "SELECT 'operator', o.oid::pg_catalog.regoperator::text, 'pg_catalog.pg_operator'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_operator o \
             JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace WHERE {} AND {}",
            user_ns("n"),
            not_ext("pg_operator", "o.oid")
        ),
        format!(
            "SELECT 'operator class', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(o.opcname) \
            , 'pg_catalog.pg_opclass'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace WHERE {} AND {}",
            user_ns("n"),
            not_ext("pg_opclass", "o.oid")
        ),
        format!(
            "SELECT 'cast', '(' || pg_catalog.format_type(c.castsource, NULL) || ' AS ' \
               || pg_catalog.format_type(c.casttarget, NULL) || ')' \
            , 'pg_catalog.pg_cast'::pg_catalog.regclass::pg_catalog.oid, c.oid FROM pg_catalog.pg_cast c WHERE c.oid >= 16384 AND {} \
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i \
                 WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i')",
            not_ext("pg_cast", "c.oid")
        ),
        format!(
            "SELECT 'collation', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.collname) \
            , 'pg_catalog.pg_collation'::pg_catalog.regclass::pg_catalog.oid, c.oid FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace \
             WHERE {} AND {}",
            user_ns("n"),
            not_ext("pg_collation", "c.oid")
        ),
        format!(
            "SELECT 'text search configuration', c.oid::pg_catalog.regconfig::text, 'pg_catalog.pg_ts_config'::pg_catalog.regclass::pg_catalog.oid, c.oid FROM pg_catalog.pg_ts_config c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace WHERE {} AND {}",
            user_ns("n"),
            not_ext("pg_ts_config", "c.oid")
        ),
        format!(
            "SELECT 'text search dictionary', c.oid::pg_catalog.regdictionary::text, 'pg_catalog.pg_ts_dict'::pg_catalog.regclass::pg_catalog.oid, c.oid FROM pg_catalog.pg_ts_dict c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.dictnamespace WHERE {} AND {}",
            user_ns("n"),
            not_ext("pg_ts_dict", "c.oid")
        ),
        format!(
            "SELECT 'statistics object', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(s.stxname) \
            , 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass::pg_catalog.oid, s.oid FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace WHERE {}",
            user_ns("n")
        ),
        format!(
            "SELECT 'conversion', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.conname) \
            , 'pg_catalog.pg_conversion'::pg_catalog.regclass::pg_catalog.oid, c.oid FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace \
             WHERE {} AND {}",
            user_ns("n"),
            not_ext("pg_conversion", "c.oid")
        ),
        format!(
            "SELECT 'language', pg_catalog.quote_ident(l.lanname), 'pg_catalog.pg_language'::pg_catalog.regclass::pg_catalog.oid, l.oid FROM pg_catalog.pg_language l \
             WHERE l.oid >= 16384 AND {}",
            not_ext("pg_language", "l.oid")
        ),
        // Other indexes' tablespaces are reported with the indexes.
        format!(
            "SELECT 'tablespace', c.oid::pg_catalog.regclass::text, NULL::pg_catalog.oid, NULL::pg_catalog.oid FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'i' AND c.reltablespace <> 0 AND {} AND c.oid IN \
               (SELECT co.conindid FROM pg_catalog.pg_constraint co WHERE co.contype IN ('p', 'u', 'x'))",
            user_ns("n")
        ),
        format!(
            "SELECT 'privileges on schema', pg_catalog.quote_ident(n.nspname), NULL::pg_catalog.oid, NULL::pg_catalog.oid FROM pg_catalog.pg_namespace n \
             WHERE {} AND n.nspname <> 'public' AND n.nspacl IS NOT NULL",
            user_ns("n")
        ),
        format!(
            "SELECT 'privileges on type', t.oid::pg_catalog.regtype::text, NULL::pg_catalog.oid, NULL::pg_catalog.oid FROM pg_catalog.pg_type t \
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE {} AND t.typacl IS NOT NULL AND {}",
            user_ns("n"),
            not_ext("pg_type", "t.oid")
        ),
        "SELECT 'default privileges', COALESCE(pg_catalog.quote_ident(n.nspname), 'database') \
        , NULL::pg_catalog.oid, NULL::pg_catalog.oid FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace"
            .to_string(),
    ]
    .join(" UNION ALL ")
}
