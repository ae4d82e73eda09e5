//! Fuzzing the desired-state loaders, which need no database: whatever the
//! input (arbitrary text, real fixtures cut and spliced, annotation lines in
//! odd places, YAML of the wrong shape), loading gives a `SourceSet` or a
//! diagnostic, never a panic, and every position it reports lies inside its
//! source on a character boundary (miette slices the source there).
//!
//! `PROPTEST_CASES` sets the number of cases per property.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use pgrecon::load::{self, LoadError, SourceError, SourceFile, SourceSet, Span};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;

use crate::support::project_path;

// ---------------------------------------------------------------------------
// The property

/// Cases per property: `PROPTEST_CASES` when set (proptest's `with_cases`
/// would override it), else `default`. Integration tests have no source
/// file for proptest to persist failures next to, so persistence is off;
/// the failing input is printed instead.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    Config { cases, failure_persistence: None, ..Config::default() }
}

/// Loads in-memory files and checks the outcome.
fn check_files(files: &[(String, String)]) -> Result<(), TestCaseError> {
    let sources =
        files.iter().map(|(name, text)| SourceFile::new(PathBuf::from(name), text.clone())).collect();
    check_outcome(load::from_sources(sources))
}

fn check_outcome(result: Result<SourceSet, LoadError>) -> Result<(), TestCaseError> {
    match result {
        Ok(set) => check_set(&set),
        Err(LoadError::Source(e)) => check_error(&e),
        Err(e @ (LoadError::Read { .. } | LoadError::NoFiles(_))) => {
            Err(TestCaseError::fail(format!("unexpected error for files in memory: {e}")))
        }
    }
}

/// Every span the set carries is later turned into a diagnostic (errors of
/// elaboration point at statements, warnings at annotations).
fn check_set(set: &SourceSet) -> Result<(), TestCaseError> {
    for s in &set.statements {
        check_span(set, s.span, "statement")?;
        if s.verbatim {
            prop_assert_eq!(&set.file(&s.span).text[s.span.start..s.span.end], s.text.as_str());
        }
    }
    for r in &set.renames {
        check_span(set, r.span, "rename")?;
    }
    for h in &set.hints {
        check_span(set, h.span, "column hint")?;
    }
    for w in &set.warnings {
        check_error(w)?;
    }
    Ok(())
}

fn check_span(set: &SourceSet, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(span.file < set.files.len(), "{what} span in file {} of {}", span.file, set.files.len());
    check_range(&set.files[span.file].text, span.start, span.end, what)
}

fn check_range(text: &str, start: usize, end: usize, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(start <= end && end <= text.len(), "{what} span {start}..{end} outside 0..{}", text.len());
    prop_assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} span {start}..{end} cuts a character: {:?}",
        &text[floor(text, start)..ceil(text, end)]
    );
    Ok(())
}

/// The nearest character boundary at or before `i` (`str::floor_char_boundary`
/// is newer than the crate's minimum Rust version).
fn floor(text: &str, i: usize) -> usize {
    (0..=i.min(text.len())).rev().find(|&k| text.is_char_boundary(k)).unwrap_or(0)
}

fn ceil(text: &str, i: usize) -> usize {
    (i.min(text.len())..=text.len()).find(|&k| text.is_char_boundary(k)).unwrap_or(text.len())
}

/// The label lies inside the source and the report renders.
fn check_error(e: &SourceError) -> Result<(), TestCaseError> {
    let text: &str = e.src.text();
    check_range(text, e.span.offset(), e.span.offset() + e.span.len(), "diagnostic")?;
    let line: usize = e.location.rsplit(':').nth(1).and_then(|l| l.parse().ok()).unwrap_or(0);
    prop_assert!(
        line >= 1 && line <= text.lines().count().max(1) + 1,
        "location {} outside the file ({} lines)",
        e.location,
        text.lines().count()
    );
    let mut rendered = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .render_report(&mut rendered, e as &dyn Diagnostic)
        .map_err(|err| TestCaseError::fail(format!("rendering failed: {err}")))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Inputs: real fixtures, pieces that matter to the splitter, edits

/// The project's SQL files: example schema, fixtures, scenarios.
fn sql_fixtures() -> Vec<String> {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS
        .get_or_init(|| {
            read_fixtures(&["schema", "tests/fixtures", "tests/scenarios", "examples/venues"], "sql")
        })
        .clone()
}

/// The project's desired-state YAML files, good and malformed.
fn yaml_fixtures() -> Vec<String> {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS
        .get_or_init(|| {
            let roots =
                ["schema.yaml", "tests/fixtures/yaml", "tests/fixtures/malformed", "examples/venues-yaml"];
            read_fixtures(&roots, "yaml")
        })
        .clone()
}

fn read_fixtures(roots: &[&str], ext: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for root in roots {
        collect(&project_path(root), &mut paths);
    }
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(texts.len() >= 3, "too few .{ext} fixtures");
    texts
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            collect(&entry.unwrap().path(), out);
        }
    } else {
        out.push(path.to_path_buf());
    }
}

/// Pieces that change how SQL splits, what a statement creates and where
/// annotations attach.
#[rustfmt::skip]
const SQL_PIECES: &[&str] = &[
    ";", "'", "''", "\"", "$$", "$body$", "$a$", "$1", "E'\\'", "U&\"\\0041\"", "B'01'", "X'1F'", "--", "/*",
    "*/", "/* /* */", "\n", "\r\n", "\r", "\t", "(", ")", ",", ".", "::", "\\", "\\i other.sql\n", "\0", "é",
    "日本", "🦀", "\u{feff}", "\u{200b}", "ǅ", "ı", "İ", "ß", "BEGIN ATOMIC ", " END", " CASE ", "BEGIN;",
    "COMMIT;", "END;", "SET search_path = app;", "SET ROLE x;", "RESET ALL;",
    "SELECT pg_catalog.set_config('search_path', '', false);", "CREATE TABLE t (x int);",
    "CREATE TABLE IF NOT EXISTS t (x int);", "CREATE TYPE e AS ENUM ('a', 'b');", "CREATE SCHEMA s;",
    "CONSTRAINT c ", "PRIMARY KEY ", "UNIQUE ", "LIKE t", "ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0);",
    "CREATE INDEX i ON t (x);", "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;", "CREATE VIEW v AS SELECT 1;",
    "CREATE EXTENSION e;", "CREATE SEQUENCE q;", "CREATE DOMAIN d AS int;", "a.b.c.d", "\"a\"\"b\"", "@",
    "#", "=>",
];

const ANNOTATIONS: &[&str] = &[
    "-- @renamed-from: ",
    "-- @renamed-from ",
    "-- @renamed from=",
    "-- @renamed from =",
    "-- @using:",
    "-- @using: ",
    "-- @backfill:",
    "-- @backfill: ",
    "/* @renamed-from: ",
    "-- @step: before",
    "-- @once",
    "-- @when-changed: ",
];

#[rustfmt::skip]
const ANNOTATION_NAMES: &[&str] = &[
    "x", "old", "app.zones", "\"Quoted\"", "\"a\"\"b\"", "app.\"Z\"", "a.b.c", "\"unterminated", ".", "a.",
    "\"\"", "é", "x::jsonb", "now()", "", " ", "*/", "x */",
];

/// An annotation comment, without a line break.
fn annotation() -> impl Strategy<Value = String> {
    (prop::sample::select(ANNOTATIONS), prop::sample::select(ANNOTATION_NAMES))
        .prop_map(|(a, n)| format!("{a}{n}"))
}

/// Text inserted into SQL: meaningful pieces, annotations, or anything.
fn sql_insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(SQL_PIECES).prop_map(str::to_string),
        2 => annotation().prop_map(|a| format!("\n{a}\n")),
        1 => any::<String>(),
    ]
}

/// Text appended to a line of SQL: annotations, at the end of the line
/// (naming what the line starts) or on a line of their own after it
/// (naming what follows).
fn sql_line_end() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => annotation().prop_map(|a| format!(" {a}")),
        1 => annotation().prop_map(|a| format!("\n{a}")),
        1 => sql_insertion(),
    ]
}

#[derive(Debug, Clone)]
enum Edit {
    Truncate(Index),
    Insert(Index, String),
    /// Insertion at the end of a line, where annotations go.
    AtLineEnd(Index, String),
    Delete(Index, usize),
}

fn edit(
    insertion: impl Strategy<Value = String>,
    line_end: impl Strategy<Value = String>,
) -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::Truncate),
        4 => (any::<Index>(), insertion).prop_map(|(i, s)| Edit::Insert(i, s)),
        4 => (any::<Index>(), line_end).prop_map(|(i, s)| Edit::AtLineEnd(i, s)),
        2 => (any::<Index>(), 1..40usize).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

/// `text` with the edits applied in order; positions fall on characters.
fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for e in edits {
        let at = |i: &Index, text: &str| floor(text, i.index(text.len() + 1));
        match e {
            Edit::Truncate(i) => text.truncate(at(i, &text)),
            Edit::Insert(i, s) => text.insert_str(at(i, &text), s),
            Edit::AtLineEnd(i, s) => {
                let line_ends: Vec<usize> = text.match_indices('\n').map(|(k, _)| k).collect();
                let end = line_ends.get(i.index(line_ends.len() + 1)).copied().unwrap_or(text.len());
                text.insert_str(end, s);
            }
            Edit::Delete(i, n) => {
                let start = at(i, &text);
                let end = ceil(&text, start + n);
                text.replace_range(start..end, "");
            }
        }
    }
    text
}

/// A real file of the given kind with a few edits.
fn mutated(
    texts: impl Strategy<Value = String>,
    insertion: impl Strategy<Value = String>,
    line_end: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    (texts, prop::collection::vec(edit(insertion, line_end), 1..6))
        .prop_map(|(text, edits)| apply_edits(&text, &edits))
}

fn sql_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        2 => prop::collection::vec(sql_insertion(), 0..30).prop_map(|v| v.concat()),
        4 => mutated(prop::sample::select(sql_fixtures()), sql_insertion(), sql_line_end()),
    ]
}

// ---------------------------------------------------------------------------
// SQL properties

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_sql_file_loads_or_is_a_diagnostic(text in sql_text()) {
        check_files(&[("fuzz.sql".into(), text)])?;
    }

    /// Several files: duplicates across files, ordering by what each creates.
    #[test]
    fn any_set_of_sql_files_loads_or_is_a_diagnostic(texts in prop::collection::vec(sql_text(), 2..4)) {
        let files: Vec<(String, String)> =
            texts.into_iter().enumerate().map(|(i, t)| (format!("f{i}.sql"), t)).collect();
        check_files(&files)?;
    }
}

// ---------------------------------------------------------------------------
// YAML inputs: documents of roughly the right shape with wrong types mixed
// in, and mutated fixtures

/// What the YAML form expects at each key (see `load::yaml`).
#[derive(Debug)]
enum Shape {
    Str,
    Int,
    Bool,
    List(&'static Shape),
    /// Names to strings (`with`, `set`, `column_comments`).
    StrMap,
    Obj(&'static [(&'static str, Shape)]),
    Either(&'static Shape, &'static Shape),
}

use Shape::{Bool, Either, Int, List, Obj, Str, StrMap};

const STRS: Shape = List(&Str);
const CHECK: Shape = Obj(&[
    ("name", Str),
    ("expression", Str),
    ("no_inherit", Bool),
    ("not_valid", Bool),
    ("comment", Str),
    ("renamed_from", Str),
]);
const COLUMN: Shape = Obj(&[
    ("name", Str),
    ("type", Str),
    ("not_null", Bool),
    ("not_null_constraint", Str),
    ("default", Str),
    (
        "identity",
        Either(&Str, &Obj(&[("generated", Str), ("start", Int), ("increment", Int), ("cycle", Bool)])),
    ),
    ("generated", Str),
    ("collation", Str),
    ("comment", Str),
    ("renamed_from", Str),
    ("using", Str),
    ("backfill", Str),
]);
const INDEX: Shape = Obj(&[
    ("name", Str),
    (
        "columns",
        List(&Either(
            &Str,
            &Obj(&[
                ("column", Str),
                ("expression", Str),
                ("opclass", Str),
                ("collation", Str),
                ("order", Str),
                ("nulls", Str),
            ]),
        )),
    ),
    ("unique", Bool),
    ("nulls_not_distinct", Bool),
    ("method", Str),
    ("where", Str),
    ("include", STRS),
    ("with", StrMap),
    ("comment", Str),
    ("renamed_from", Str),
]);
const TABLE: Shape = Obj(&[
    ("name", Str),
    ("schema", Str),
    ("unlogged", Bool),
    ("columns", List(&COLUMN)),
    ("primary_key", Either(&STRS, &Obj(&[("name", Str), ("columns", STRS), ("comment", Str)]))),
    (
        "unique",
        List(&Obj(&[
            ("name", Str),
            ("columns", STRS),
            ("nulls_not_distinct", Bool),
            ("deferrable", Bool),
            ("initially_deferred", Bool),
            ("renamed_from", Str),
        ])),
    ),
    (
        "foreign_keys",
        List(&Obj(&[
            ("name", Str),
            ("columns", STRS),
            ("references", Obj(&[("table", Str), ("schema", Str), ("columns", STRS)])),
            ("on_delete", Str),
            ("on_update", Str),
            ("match", Str),
            ("deferrable", Bool),
            ("not_valid", Bool),
            ("comment", Str),
            ("renamed_from", Str),
        ])),
    ),
    ("checks", List(&CHECK)),
    ("exclude", List(&Obj(&[("name", Str), ("using", Str), ("elements", STRS), ("where", Str)]))),
    ("indexes", List(&INDEX)),
    (
        "triggers",
        List(&Obj(&[
            ("name", Str),
            ("timing", Str),
            ("events", STRS),
            ("update_of", STRS),
            ("for_each", Str),
            ("when", Str),
            ("function", Str),
            ("function_schema", Str),
            ("arguments", STRS),
            ("comment", Str),
        ])),
    ),
    ("with", StrMap),
    ("comment", Str),
    ("renamed_from", Str),
]);
const DOCUMENT: Shape = Obj(&[
    ("config", Obj(&[("schema", STRS), ("ignore", Obj(&[("tables", STRS)]))])),
    ("schemas", List(&Obj(&[("name", Str), ("comment", Str)]))),
    ("extensions", List(&Obj(&[("name", Str), ("schema", Str), ("comment", Str)]))),
    (
        "enums",
        List(&Obj(&[
            ("name", Str),
            ("schema", Str),
            ("values", List(&Either(&Str, &Obj(&[("value", Str), ("renamed_from", Str)])))),
            ("comment", Str),
            ("renamed_from", Str),
        ])),
    ),
    (
        "domains",
        List(&Obj(&[
            ("name", Str),
            ("type", Str),
            ("collation", Str),
            ("default", Str),
            ("not_null", Bool),
            ("not_null_constraint", Str),
            ("checks", List(&CHECK)),
            ("comment", Str),
        ])),
    ),
    (
        "types",
        List(&Obj(&[
            ("name", Str),
            ("attributes", List(&Obj(&[("name", Str), ("type", Str), ("collation", Str), ("comment", Str)]))),
            ("comment", Str),
        ])),
    ),
    (
        "sequences",
        List(&Obj(&[
            ("name", Str),
            ("type", Str),
            ("start", Int),
            ("increment", Int),
            ("min_value", Int),
            ("max_value", Int),
            ("cache", Int),
            ("cycle", Bool),
            ("owned_by", Str),
            ("comment", Str),
        ])),
    ),
    (
        "functions",
        List(&Obj(&[
            ("name", Str),
            ("schema", Str),
            ("arguments", Str),
            ("returns", Str),
            ("procedure", Bool),
            ("language", Str),
            ("volatility", Str),
            ("strict", Bool),
            ("security_definer", Bool),
            ("set", StrMap),
            ("body", Str),
            ("comment", Str),
            ("renamed_from", Str),
        ])),
    ),
    ("tables", List(&TABLE)),
    (
        "views",
        List(&Obj(&[
            ("name", Str),
            ("materialized", Bool),
            ("query", Str),
            ("with", StrMap),
            ("indexes", List(&INDEX)),
            ("comment", Str),
            ("column_comments", StrMap),
            ("renamed_from", Str),
        ])),
    ),
]);

/// A YAML value; scalars are YAML text, already quoted where needed.
#[derive(Debug, Clone)]
enum Node {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
    /// `&name value`
    Anchored(String, Box<Node>),
    /// `*name`
    Alias(String),
}

/// String content that matters to the translator: SQL quoting, case
/// mapping that changes byte lengths, separators it splits on.
#[rustfmt::skip]
const STRING_PIECES: &[&str] = &[
    "x", "app", "a.b", "int", "text", "now()", " DEFAULT ", " default ", "=", ",", "(", ")", "'", "\"",
    "$body$", "$", ";", "\n", "\0", "\t", "ǅ", "ı", "İ", "ß", "ﬀ", "ıé", "é", "🦀", "by default", "always",
    "row", "desc", "a int", "VALUE > 0", "--", "/*",
];

#[rustfmt::skip]
const PLAIN_SCALARS: &[&str] = &[
    "x", "1", "-1", "0x1F", "1e3", "1.5", "99999999999999999999999", "true", "false", "yes", "True", "null",
    "~", "''", "\"\"", ".nan", "2001-12-14", "!!int 3", "!!str 3", "!!binary aGk=", "'it''s'", "\"\\u0000\"",
    "{}", "[]", "a: b", "- x", "é", "ǅ",
];

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "name", "type", "columns", "tables", "values", "<<", "? x", "unknown", "1", "\"\"", "é",
];

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn string_node() -> impl Strategy<Value = Node> {
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(STRING_PIECES), 1..5).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
    .prop_map(|s| Node::Scalar(quoted(&s)))
}

/// Anything at all: the wrong type where a shape expects another.
fn any_node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        prop::sample::select(PLAIN_SCALARS).prop_map(|s| Node::Scalar(s.to_string())),
        string_node(),
        (0..3u8).prop_map(|i| Node::Alias(format!("a{i}"))),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Node::Seq),
            prop::collection::vec((prop::sample::select(KEYS).prop_map(str::to_string), inner.clone()), 0..4)
                .prop_map(Node::Map),
            ((0..3u8), inner).prop_map(|(i, n)| Node::Anchored(format!("a{i}"), Box::new(n))),
        ]
    })
    .boxed()
}

/// Keys the YAML form requires wherever they occur (nearly always present,
/// so that documents get past deserialization to the translation).
#[rustfmt::skip]
const REQUIRED: &[&str] = &[
    "name", "type", "columns", "values", "attributes", "language", "body", "query", "references", "table",
    "expression", "timing", "events", "function", "elements", "value", "generated",
];

/// A value of `shape`; with `noise` > 0, now and then anything else (one
/// in `noise`) or an unknown key.
fn node_for(shape: &'static Shape, noise: u32) -> BoxedStrategy<Node> {
    let right = match shape {
        Str => string_node().boxed(),
        Int => any::<i64>().prop_map(|i| Node::Scalar(i.to_string())).boxed(),
        Bool => any::<bool>().prop_map(|b| Node::Scalar(b.to_string())).boxed(),
        List(item) => prop::collection::vec(node_for(item, noise), 0..3).prop_map(Node::Seq).boxed(),
        StrMap => prop::collection::vec((string_node(), string_node()), 0..3)
            .prop_map(|kv| Node::Map(kv.into_iter().map(|(k, v)| (render_flow(&k), v)).collect()))
            .boxed(),
        Obj(fields) => object(fields, noise),
        Either(a, b) => prop_oneof![node_for(a, noise), node_for(b, noise)].boxed(),
    };
    if noise == 0 {
        return right;
    }
    prop_oneof![noise => right, 1 => any_node()].boxed()
}

fn object(fields: &'static [(&'static str, Shape)], noise: u32) -> BoxedStrategy<Node> {
    let present: Vec<BoxedStrategy<Option<(String, Node)>>> = fields
        .iter()
        .map(|(key, shape)| {
            let weight = if REQUIRED.contains(key) { 0.97 } else { 0.4 };
            let entry = node_for(shape, noise).prop_map(move |n| (key.to_string(), n));
            prop::option::weighted(weight, entry).boxed()
        })
        .collect();
    let unknown = match noise {
        0 => Just(None).boxed(),
        n => prop::option::weighted(1.0 / f64::from(n), (prop::sample::select(KEYS), any_node())).boxed(),
    };
    (present, unknown)
        .prop_map(|(fields, unknown)| {
            let mut entries: Vec<(String, Node)> = fields.into_iter().flatten().collect();
            entries.extend(unknown.map(|(k, n)| (k.to_string(), n)));
            Node::Map(entries)
        })
        .boxed()
}

fn render_flow(node: &Node) -> String {
    match node {
        Node::Scalar(s) => s.clone(),
        Node::Seq(items) => format!("[{}]", items.iter().map(render_flow).collect::<Vec<_>>().join(", ")),
        Node::Map(entries) => {
            let pairs: Vec<String> =
                entries.iter().map(|(k, v)| format!("{k}: {}", render_flow(v))).collect();
            format!("{{{}}}", pairs.join(", "))
        }
        Node::Anchored(name, inner) => format!("&{name} {}", render_flow(inner)),
        Node::Alias(name) => format!("*{name}"),
    }
}

/// Block style, collections nested by indentation; anchored values and
/// empty collections in flow style.
fn render_block(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Node::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                if is_block(v) {
                    out.push_str(&format!("{pad}{k}:\n"));
                    render_block(v, indent + 2, out);
                } else {
                    out.push_str(&format!("{pad}{k}: {}\n", render_flow(v)));
                }
            }
        }
        Node::Seq(items) if !items.is_empty() => {
            for item in items {
                if is_block(item) {
                    // The item's block with its first indentation turned into "- ".
                    let mut nested = String::new();
                    render_block(item, indent + 2, &mut nested);
                    out.push_str(&format!("{pad}- {}", &nested[indent + 2..]));
                } else {
                    out.push_str(&format!("{pad}- {}\n", render_flow(item)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", render_flow(other))),
    }
}

fn is_block(node: &Node) -> bool {
    matches!(node, Node::Map(e) if !e.is_empty()) || matches!(node, Node::Seq(i) if !i.is_empty())
}

/// Pieces that change YAML structure.
#[rustfmt::skip]
const YAML_PIECES: &[&str] = &[
    ": ", ":", "- ", "-", "&a ", "*a", "<<: *a\n", "!!int ", "!!map ", "!custom ", "{", "}", "[", "]", ",",
    "'", "\"", "|\n", ">-\n", "#", "\t", "\n", "\n  ", "\n    - ", "---\n", "...\n", "%YAML 1.2\n", "? ",
    "\0", "\u{feff}", "é", "🦀", "null", "~", "true", "1e400", "columns: 5\n", "name: [x]\n", "type: {}\n",
    "values: x\n", "tables:\n  - name: t\n    columns: [{name: a, type: int}]\n",
];

fn yaml_insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(YAML_PIECES).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

fn generated_yaml() -> impl Strategy<Value = String> {
    // Well-typed documents reach the translation; noisy ones the errors.
    let document = prop_oneof![node_for(&DOCUMENT, 0), node_for(&DOCUMENT, 40), node_for(&DOCUMENT, 8)];
    (document, any::<bool>()).prop_map(|(doc, flow)| {
        if flow {
            render_flow(&doc)
        } else {
            let mut out = String::new();
            render_block(&doc, 0, &mut out);
            out
        }
    })
}

fn yaml_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        1 => prop::collection::vec(yaml_insertion(), 0..30).prop_map(|v| v.concat()),
        4 => generated_yaml(),
        1 => mutated(generated_yaml(), yaml_insertion(), yaml_insertion()),
        3 => mutated(prop::sample::select(yaml_fixtures()), yaml_insertion(), yaml_insertion()),
    ]
}

// ---------------------------------------------------------------------------
// YAML properties

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_yaml_file_loads_or_is_a_diagnostic(text in yaml_text()) {
        check_files(&[("fuzz.yaml".into(), text)])?;
    }

    /// YAML and SQL side by side: generated statements are ordered and
    /// checked for duplicates with the SQL ones.
    #[test]
    fn yaml_next_to_sql_loads_or_is_a_diagnostic(yaml in yaml_text(), sql in sql_text()) {
        check_files(&[("a.yaml".into(), yaml), ("b.sql".into(), sql)])?;
    }
}

// ---------------------------------------------------------------------------
// Loading from disk: directories, `steps/` files

fn scratch_dir() -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("pgrecon-fuzz-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join("steps")).unwrap();
    dir
}

fn step_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![annotation().prop_map(|a| a + "\n"), sql_insertion()], 0..8)
        .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_directory_with_steps_loads_or_is_a_diagnostic(schema in sql_text(), step in step_text()) {
        let dir = scratch_dir();
        std::fs::write(dir.join("schema.sql"), &schema).unwrap();
        std::fs::write(dir.join("steps").join("1.sql"), &step).unwrap();
        let result = load::load(std::slice::from_ref(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        check_outcome(result)?;
    }
}

// ---------------------------------------------------------------------------
// Inputs beyond what the generators reach: nesting and expansion

#[test]
fn deeply_nested_yaml_is_a_diagnostic() {
    for text in ["[".repeat(100_000), "- ".repeat(10_000) + "x", "{a: ".repeat(10_000)] {
        let result = load::from_sources(vec![SourceFile::new("deep.yaml".into(), text)]);
        assert!(matches!(result, Err(LoadError::Source(_))), "deep YAML loaded");
    }
}

#[test]
fn exponential_yaml_aliases_are_a_diagnostic() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text +=
            &format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n");
    }
    text += "tables: *a11\n";
    let result = load::from_sources(vec![SourceFile::new("laughs.yaml".into(), text)]);
    assert!(matches!(result, Err(LoadError::Source(_))), "alias bomb loaded");
}

/// Positions on one long line were counted from the line's start for every
/// token: this took a minute (quadratic), now milliseconds.
#[test]
fn one_long_line_of_deeply_nested_sql_loads() {
    let text = format!("CREATE VIEW v AS SELECT {}1{};", "(".repeat(50_000), ")".repeat(50_000));
    check_files(&[("deep.sql".into(), text)]).unwrap();
}

/// JSON is YAML: a whole desired state on one line took 13 s for 4,000
/// tables (quadratic, as above), now under a second.
#[test]
fn one_line_of_json_loads() {
    let tables: Vec<String> = (0..4000)
        .map(|i| format!(r#"{{"name": "t{i}", "columns": [{{"name": "a", "type": "int"}}]}}"#))
        .collect();
    let text = format!(r#"{{"tables": [{}]}}"#, tables.join(", "));
    let set = load::from_sources(vec![SourceFile::new("one.yaml".into(), text)]).unwrap();
    assert_eq!(set.statements.len(), 4000);
    check_set(&set).unwrap();
}

// ---------------------------------------------------------------------------
// Regressions the properties found, minimized

fn load_error(name: &str, text: &str) -> Box<SourceError> {
    match load::from_sources(vec![SourceFile::new(name.into(), text.to_string())]) {
        Err(LoadError::Source(e)) => e,
        other => panic!("expected a diagnostic, got {other:?}"),
    }
}

/// The tokenizer reports an unterminated dollar quote at the end of the
/// text; the label was one byte past it.
#[test]
fn unterminated_dollar_quote_points_at_the_end_of_the_file() {
    let e = load_error("q.sql", "$$");
    assert_eq!((e.span.offset(), e.span.len()), (2, 0));
    check_error(&e).unwrap();
}

/// A YAML error at a character of several bytes labelled its first byte only.
#[test]
fn yaml_error_at_a_multibyte_character_labels_the_whole_character() {
    let e = load_error("q.yaml", "🪏");
    assert_eq!((e.span.offset(), e.span.len()), (0, 4));
    check_error(&e).unwrap();
}

/// A YAML function's arguments, split at top-level commas to name the
/// function in `COMMENT ON`: the scan sliced the text at every byte.
#[test]
fn yaml_function_arguments_with_multibyte_characters_load() {
    let text = "functions:\n  - {name: f, arguments: \"⑊ int\", language: sql, body: select 1, comment: c}\n";
    let set = load::from_sources(vec![SourceFile::new("f.yaml".into(), text.into())]).unwrap();
    assert!(set.statements.iter().any(|s| s.text.contains("COMMENT ON FUNCTION public.f(⑊ int)")));
}

/// `DEFAULT` was found in the upper-cased arguments and the offset used in
/// the original text, where upper-casing had changed byte lengths.
#[test]
fn yaml_function_defaults_after_case_changing_characters_load() {
    for (arguments, signature) in [("ﬀ int DEFAULT 1", "(ﬀ int)"), ("ıé int default 1", "(ıé int)")] {
        let text = format!(
            "functions:\n  - {{name: f, arguments: \"{arguments}\", language: sql, body: select 1, comment: c}}\n"
        );
        let set = load::from_sources(vec![SourceFile::new("f.yaml".into(), text)]).unwrap();
        let comment = &set.statements.last().unwrap().text;
        assert!(comment.contains(&format!("COMMENT ON FUNCTION public.f{signature}")), "{comment}");
    }
}
