//! Introspection into the catalog model.

use pgrecon::catalog::*;

use crate::support::*;

#[tokio::test]
async fn introspecting_twice_gives_equal_models() {
    let db = TestDb::create("twice").await;
    db.psql_example_schema();
    let first = db.catalog().await;
    let second = db.catalog().await;
    assert_eq!(first, second);
    assert!(first.tables.len() >= 30, "the example schema has {} tables", first.tables.len());
}

/// A helper connection answers half the catalog queries in the main
/// connection's snapshot: the model is the one a single connection reads.
/// A helper that cannot import the snapshot (here: connected to another
/// database) is not used, and the read still succeeds.
#[tokio::test]
async fn reading_on_two_connections_gives_the_same_model() {
    let db = TestDb::create("two_connections").await;
    db.psql_example_schema();
    for f in sql_files("tests/fixtures/torture") {
        db.psql_file(&f);
    }
    let (single, single_stats) = pgrecon::introspect::introspect_client(&db.client().await).await.unwrap();

    let (main, helper) = (db.client().await, db.client().await);
    let (shared, shared_stats) =
        pgrecon::introspect::introspect_with(&main, Some(&helper), None).await.unwrap();
    assert_same_model(&single, &shared, "read on two connections");
    assert_eq!(shared_stats.statements, single_stats.statements + 4, "the helper took part");

    let elsewhere = TestDb::create("two_connections_other").await;
    let stranger = elsewhere.client().await;
    let (alone, alone_stats) =
        pgrecon::introspect::introspect_with(&main, Some(&stranger), None).await.unwrap();
    assert_same_model(&single, &alone, "read after the helper could not share the snapshot");
    assert_eq!(alone_stats.statements, single_stats.statements, "the helper was left out");

    // A helper whose connection is gone is left out too.
    let lost = db.client().await;
    let pid: i32 = lost.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);
    main.execute("SELECT pg_terminate_backend($1)", &[&pid]).await.unwrap();
    // Gone once the server no longer lists it (waiting in the call itself
    // is PostgreSQL 14+).
    while main.query_opt("SELECT 1 FROM pg_stat_activity WHERE pid = $1", &[&pid]).await.unwrap().is_some() {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let (without, without_stats) =
        pgrecon::introspect::introspect_with(&main, Some(&lost), None).await.unwrap();
    assert_same_model(&single, &without, "read after the helper's connection was lost");
    assert_eq!(without_stats.statements, single_stats.statements, "the lost helper was left out");
    // The read's transaction is REPEATABLE READ; the session's default is not.
    let isolation: String =
        main.query_one("SELECT current_setting('transaction_isolation')", &[]).await.unwrap().get(0);
    assert_eq!(isolation, "read committed", "the main connection is not left inside the read's transaction");
}

/// A read offered another model's objects shares those that come out
/// equal. Promised (a cached model still decoding), the objects are waited
/// for when the read starts sharing; a promise dropped unkept releases the
/// read, which then shares nothing.
#[tokio::test]
async fn a_read_waits_for_a_promised_model_and_shares_it() {
    use pgrecon::introspect::{introspect_with, ReuseSlot};
    use std::sync::Arc;
    let db = TestDb::create("promised_reuse").await;
    db.psql_example_schema();
    let offered = db.catalog().await;
    let client = db.client().await;
    // Offered well after a read of this size is done, unless it waits.
    let late = std::time::Duration::from_millis(500);

    let slot = Arc::new(ReuseSlot::default());
    let promise = slot.promise();
    let (read, ()) = tokio::join!(introspect_with(&client, None, Some(slot.clone())), async {
        tokio::time::sleep(late).await;
        slot.offer(&offered);
        drop(promise);
    });
    let read = read.unwrap().0;
    assert_eq!(read, offered);
    for (name, table) in &read.tables {
        assert!(Arc::ptr_eq(table, &offered.tables[name]), "table {name} is the offered one");
    }
    for (name, index) in &read.indexes {
        assert!(Arc::ptr_eq(index, &offered.indexes[name]), "index {name} is the offered one");
    }

    let slot = Arc::new(ReuseSlot::default());
    let promise = slot.promise();
    let (read, ()) = tokio::join!(introspect_with(&client, None, Some(slot.clone())), async {
        tokio::time::sleep(late).await;
        drop(promise);
    });
    let read = read.unwrap().0;
    assert_eq!(read, offered);
    assert!(read.tables.iter().all(|(name, table)| !Arc::ptr_eq(table, &offered.tables[name])));
}

/// Tables numbered `range`, each with a primary key, an index, a CHECK, an FK, a trigger.
fn many_tables(range: std::ops::Range<usize>) -> String {
    let mut sql = String::new();
    if range.start == 0 {
        sql += "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n";
    }
    for i in range {
        let fk = if i > 0 { format!(", parent int REFERENCES t{} (id)", i - 1) } else { String::new() };
        sql += &format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, v text CHECK (v <> ''){fk});\n\
             CREATE INDEX t{i}_v ON t{i} (v);\n\
             CREATE TRIGGER t{i}_touch BEFORE UPDATE ON t{i} FOR EACH ROW EXECUTE FUNCTION touch();\n"
        );
    }
    sql
}

/// The bar: the same number of catalog statements for 10 and for
/// 10,000 tables. Loaded 1,000 tables per transaction, as a default server
/// would need.
#[tokio::test]
async fn query_count_does_not_grow_with_the_schema() {
    let small = TestDb::create("ten").await;
    small.execute(&many_tables(0..10)).await;
    let large = TestDb::create("ten_thousand").await;
    for start in (0..10_000).step_by(1_000) {
        large.execute(&many_tables(start..start + 1_000)).await;
    }

    let mut c = small.client().await;
    let (small_model, small_stats) = pgrecon::introspect::introspect(&mut c).await.unwrap();
    let mut c = large.client().await;
    let (large_model, large_stats) = pgrecon::introspect::introspect(&mut c).await.unwrap();

    assert_eq!(small_model.tables.len(), 10);
    assert_eq!(large_model.tables.len(), 10_000);
    assert_eq!(large_model.indexes.len(), 10_000);
    assert_eq!(large_model.triggers.len(), 10_000);
    assert_eq!(small_stats.statements, large_stats.statements);
}

/// Index and key-constraint definitions are assembled from catalog numbers
/// (src/introspect/deparse.rs); they must read exactly as the server's own
/// `pg_get_indexdef` / `pg_get_constraintdef`, for every shape in the
/// fixtures.
#[tokio::test]
async fn assembled_definitions_match_the_servers_deparse() {
    let db = TestDb::create("deparse").await;
    db.psql_file(&fixture("tests/fixtures/index_shapes.sql"));
    for f in sql_files("schema").into_iter().chain(sql_files("tests/fixtures/torture")) {
        db.psql_file(&f);
    }
    let model = db.catalog().await;
    let client = db.client().await;
    client.batch_execute("SET search_path = ''").await.unwrap();
    let mut checked = 0;
    for index in model.indexes.values() {
        let row = client
            .query_one(
                "SELECT pg_catalog.pg_get_indexdef(pg_catalog.to_regclass($1))",
                &[&index.name.to_string()],
            )
            .await
            .unwrap();
        assert_eq!(index.definition, row.get::<_, String>(0), "index {}", index.name);
        checked += 1;
    }
    for table in model.tables.values() {
        for constraint in table.constraints.values() {
            let row = client
                .query_one(
                    "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint \
                     WHERE conrelid = pg_catalog.to_regclass($1) AND conname = $2",
                    &[&table.name.to_string(), &constraint.name],
                )
                .await
                .unwrap();
            assert_eq!(
                constraint.definition,
                row.get::<_, String>(0),
                "{} on {}",
                constraint.name,
                table.name
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} definitions compared");
}

#[tokio::test]
async fn model_captures_structure() {
    let db = TestDb::create("structure").await;
    db.execute(
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
         CREATE TABLE parent (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10) PRIMARY KEY);
         CREATE TABLE child (
             id serial PRIMARY KEY,
             parent_id bigint REFERENCES parent ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
             m mood DEFAULT 'ok',
             body text COLLATE \"C\",
             doc tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(body, ''))) STORED
         );
         CREATE INDEX child_doc ON child USING gin (doc) WHERE m <> 'sad';
         CREATE UNIQUE INDEX child_body ON child (body DESC NULLS LAST) INCLUDE (m) WITH (fillfactor = 70);
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER tr BEFORE UPDATE OF body, m ON child FOR EACH ROW WHEN (OLD.m IS DISTINCT FROM NEW.m)
             EXECUTE FUNCTION f('x', '4''2');",
    )
    .await;
    let c = db.catalog().await;
    let q = |n: &str| QualName::new("public", n);

    assert_eq!(c.enums[&q("mood")].values, ["sad", "ok", "happy"]);
    let parent_id = &c.tables[&q("parent")].columns[0];
    let identity = parent_id.identity.as_ref().expect("identity column");
    assert!(identity.always);
    assert_eq!((identity.options.start, identity.options.increment), (100, 10));
    assert!(!c.sequences.contains_key(&q("parent_id_seq")), "identity sequences belong to their column");

    let child = &c.tables[&q("child")];
    assert_eq!(c.sequences[&q("child_id_seq")].owned_by, Some((q("child"), "id".to_string())));
    assert_eq!(child.column("body").unwrap().collation.as_deref(), Some("pg_catalog.\"C\""));
    assert!(child.column("doc").unwrap().generated.is_some());
    let fk = &child.constraints["child_parent_id_fkey"];
    assert_eq!(fk.kind, ConstraintKind::ForeignKey);
    assert!(fk.deferrable && fk.initially_deferred);
    assert_eq!(fk.foreign_key.as_ref().unwrap().on_delete, 'c');

    let gin = &c.indexes[&q("child_doc")];
    assert_eq!(gin.method, "gin");
    assert_eq!(gin.predicate.as_deref(), Some("(m <> 'sad'::public.mood)"));
    let unique = &c.indexes[&q("child_body")];
    assert!(unique.unique && unique.key[0].descending && !unique.key[0].nulls_first);
    assert_eq!(unique.include, ["m"]);
    assert_eq!(unique.options, ["fillfactor=70"]);

    let tr = &c.triggers[&(q("child"), "tr".to_string())];
    assert_eq!(tr.update_columns, ["body", "m"]);
    assert_eq!(tr.arguments, ["x", "4'2"]);
    assert_eq!(tr.when.as_deref(), Some("(old.m IS DISTINCT FROM new.m)"));
    assert!(tr.for_each_row);

    let depends = |from: ObjectId, to: ObjectId| c.dependencies.contains(&from, &to);
    let column = |t: &str, col: &str| ObjectId::Column { table: q(t), column: col.into() };
    assert!(depends(column("child", "m"), ObjectId::Type { name: q("mood") }));
    assert!(depends(ObjectId::Index { name: q("child_doc") }, column("child", "doc")));
    let trigger = ObjectId::Trigger { table: q("child"), name: "tr".into() };
    assert!(depends(trigger, ObjectId::Function { id: FunctionId { name: q("f"), args: String::new() } }));
}

#[tokio::test]
async fn extension_objects_stay_out_and_unmanaged_kinds_are_reported() {
    let db = TestDb::create("unmanaged").await;
    db.execute(
        "CREATE EXTENSION pg_trgm;
         CREATE TABLE docs (id int PRIMARY KEY, body text);
         CREATE INDEX docs_trgm ON docs USING gin (body gin_trgm_ops);
         ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
         CREATE POLICY own_docs ON docs USING (id > 0);
         CREATE RULE no_delete AS ON DELETE TO docs DO INSTEAD NOTHING;
         CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);
         CREATE FUNCTION no_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
         CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION no_ddl();
         CREATE TABLE measurements (at date) PARTITION BY RANGE (at);
         CREATE TYPE pair AS (a int, b int);
         CREATE TABLE pairs OF pair;
         CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
         CREATE VIEW doc_ids AS SELECT id FROM docs;
         ALTER VIEW doc_ids ALTER COLUMN id SET DEFAULT 0;
         CREATE VIEW doc_total AS SELECT total(id) FROM docs;",
    )
    .await;
    let mut expected = vec![
        "policy",
        "row level security",
        "rule",
        "aggregate",
        "event trigger",
        "partitioned table",
        "OF type of a table",
        "default of a view column",
    ];
    if cluster().server_major() >= 15 {
        db.execute("CREATE UNLOGGED SEQUENCE scratch_ids;").await;
        expected.push("UNLOGGED of a sequence");
    }
    let c = db.catalog().await;
    assert!(
        c.functions.keys().all(|f| &*f.name.name == "no_ddl"),
        "extension functions leaked: {:?}",
        c.functions.keys()
    );
    assert!(c.extensions.contains_key("pg_trgm"));
    let kinds: Vec<&str> = c.unmanaged.iter().map(|u| u.kind.as_str()).collect();
    // A range type is managed; its constructors and casts are the type's own.
    assert!(c.ranges.contains_key(&QualName::new("public", "floatrange")), "{:?}", c.ranges.keys());
    assert!(!kinds.contains(&"cast"), "{kinds:?}");
    for kind in expected {
        assert!(kinds.contains(&kind), "{kind} not reported; got {kinds:?}");
    }
    // The index on an extension opclass depends on the extension.
    let index = ObjectId::Index { name: QualName::new("public", "docs_trgm") };
    let ext = ObjectId::Extension { name: "pg_trgm".into() };
    assert!(c.dependencies.contains(&index, &ext));

    let out = pgrecon(&["dump", "--db", &db.url]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: not managed by pgrecon (policy, left out): own_docs on public.docs"),
        "{stderr}"
    );
    // The view is dumped, the aggregate it calls is not: said.
    assert!(
        stderr.contains("warning: the dump does not load by itself: view public.doc_total uses aggregate"),
        "{stderr}"
    );
}

#[tokio::test]
async fn our_quoting_agrees_with_postgres_for_every_keyword() {
    let db = TestDb::create("keywords").await;
    let client = db.client().await;
    let rows = client.query("SELECT word, quote_ident(word) FROM pg_get_keywords()", &[]).await.unwrap();
    assert!(rows.len() > 400);
    for row in rows {
        let (word, theirs): (String, String) = (row.get(0), row.get(1));
        if theirs != word {
            assert_eq!(pgrecon::quote::ident(&word), theirs, "keyword {word}");
        }
    }
}

/// Columns added later sit in the catalog after other tables' columns: the
/// model still lists each table's columns in `attnum` order, dropped ones
/// left out, and shares nothing wrongly with an offered model.
#[tokio::test]
async fn columns_added_later_keep_their_table_order() {
    let db = TestDb::create("column_runs").await;
    db.execute(
        "CREATE TABLE t1 (a int, c int); CREATE TABLE t2 (x int, y text);
         ALTER TABLE t1 ADD COLUMN b int; ALTER TABLE t1 DROP COLUMN c; ALTER TABLE t1 ADD COLUMN d text;",
    )
    .await;
    let in_catalog_order = db
        .strings(
            "SELECT attname::text FROM pg_attribute WHERE attrelid IN ('t1'::regclass, 't2'::regclass) \
             AND attnum > 0 AND NOT attisdropped ORDER BY ctid",
        )
        .await;
    assert_eq!(in_catalog_order, ["a", "x", "y", "b", "d"], "the test needs t1's columns in two runs");
    let names = |c: &Catalog, t: &str| -> Vec<String> {
        c.tables[&QualName::new("public", t)].columns.iter().map(|c| c.name.clone()).collect()
    };
    let alone = db.catalog().await;
    assert_eq!(names(&alone, "t1"), ["a", "b", "d"]);
    assert_eq!(names(&alone, "t2"), ["x", "y"]);

    let (client, helper) = (db.client().await, db.client().await);
    let offered = pgrecon::introspect::ReuseSlot::offering(&alone);
    let (shared, _) =
        pgrecon::introspect::introspect_with(&client, Some(&helper), Some(offered)).await.unwrap();
    assert_eq!(shared, alone);
    assert!(std::sync::Arc::ptr_eq(
        &shared.tables[&QualName::new("public", "t2")].columns,
        &alone.tables[&QualName::new("public", "t2")].columns
    ));
}

/// `pg_get_viewdef` keeps its locks (on the view and what it reads) until
/// the read ends: on a server whose lock table cannot hold them all, the
/// views are read in batches of their own transactions, in the same
/// snapshot. Read on one connection, which cannot batch, the error says
/// what to raise.
#[tokio::test]
async fn views_too_many_for_the_lock_table_are_read_in_batches() {
    let small = pgrecon::cluster::ScratchCluster::start_with(
        cluster().bindir().to_path_buf(),
        &["max_locks_per_transaction=10", "max_connections=10"],
    )
    .expect("a cluster with a small lock table");
    let url = small.url("postgres");
    let client = client_for(&url).await;
    const VIEWS: usize = 1500;
    for chunk in (0..VIEWS).collect::<Vec<_>>().chunks(25) {
        let sql: String = chunk
            .iter()
            .map(|i| format!("CREATE TABLE t{i} (id int); CREATE VIEW v{i} AS SELECT id FROM t{i};"))
            .collect();
        client.batch_execute(&sql).await.expect("create a few views");
    }
    let helper = client_for(&url).await;
    let (catalog, _) = pgrecon::introspect::introspect_with(&client, Some(&helper), None)
        .await
        .expect("the views are read in batches");
    assert_eq!(catalog.views.len(), VIEWS);
    let last = &catalog.views[&QualName::new("public", format!("v{}", VIEWS - 1))];
    assert!(last.query.contains(&format!("FROM public.t{}", VIEWS - 1)), "{}", last.query);

    let error = pgrecon::introspect::introspect_client(&client).await.expect_err("too many locks at once");
    assert!(error.to_string().contains("raise the server's max_locks_per_transaction"), "{error}");
}
