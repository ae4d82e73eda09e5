//! Elaborate once, compare many times: the elaborated desired model is kept
//! on disk, keyed by what could change it — the statements in run order,
//! the exact server version that elaborated them and pgrecon's version. A
//! `plan` or `drift` whose desired files have not changed then skips the
//! scratch database (it is still created, lazily, if a definition needs
//! normalizing and no earlier run recorded the answer; see
//! `elaborate::Session`).
//!
//! Safe against concurrent runs and damaged files: an entry is written to a
//! temporary file and renamed into place (readers see a whole entry or
//! none), carries its own key and a checksum of its body, and anything that
//! does not read back exactly is deleted and treated as a miss — never
//! trusted.

use std::collections::BTreeMap;
use std::io::{BufRead, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::load::SourceFile;
use crate::plan::file::{hex, sha256};

/// Bumped whenever the layout of an entry changes, or what the model
/// holds: 2 added NOT NULL constraint names (which an entry of 1 made on
/// PostgreSQL 18 lacks), 3 put the model after a header line, 4 cut it
/// into sections, 5 printed constants in fixed styles (a scratch server
/// set to another DateStyle or TimeZone had printed them its own way), 6
/// listed column storage, compression and options and tablespaces among
/// the unmanaged, 8 which managed objects use unmanaged ones (an entry of
/// 7 would say none do, and a plan needing a missing one pass).
const FORMAT: u32 = 8;

/// What an entry holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CachedModel {
    /// The elaborated model, before ignore rules.
    pub catalog: Catalog,
    /// Normalization answers: is this live definition the desired one,
    /// spelled differently? Keyed by object and both texts.
    pub equivalences: BTreeMap<String, bool>,
}

/// The first line of an entry; the model follows in [`Section`]s, one JSON
/// document a line (not a string inside this one: at 10,000 tables an
/// escaped copy of a 70 MB body cost as much as parsing it).
///
/// The text of a whole model is never held: at 10,000 tables its 65 MB
/// next to the model raised the peak of a `plan` by as much, whether it
/// stored the entry or read it. The body is written as a stream, hashed
/// on the way: the checksum is known only once the body is written, so
/// the header, whose length does not depend on it, is written again over
/// the first one. It is read a line at a time, each line parsed from
/// memory (`serde_json` parsing from a stream took a warm `drift` of 2,000
/// tables from 0.67 to 0.75 s).
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    key: String,
    /// sha256 of the body.
    checksum: String,
}

/// What one line of the body holds: first the model without its tables,
/// indexes and dependency edges, then those, a few hundred a line.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum SectionOut<'a> {
    Rest(&'a CachedModel),
    Tables(&'a [&'a crate::catalog::Table]),
    Indexes(&'a [&'a crate::catalog::Index]),
    Dependencies(&'a [EdgeOut<'a>]),
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    from: &'a crate::catalog::ObjectId,
    to: &'a crate::catalog::ObjectId,
}

/// [`SectionOut`], read back.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Section {
    Rest(Box<CachedModel>),
    Tables(Vec<crate::catalog::Table>),
    Indexes(Vec<crate::catalog::Index>),
    Dependencies(Vec<crate::catalog::Dependency>),
}

/// Objects a line: about 1 MB of text for tables.
const TABLES_A_LINE: usize = 400;
const INDEXES_A_LINE: usize = 2_000;
const EDGES_A_LINE: usize = 5_000;

/// A cache directory.
#[derive(Debug, Clone)]
pub struct ModelCache {
    dir: PathBuf,
}

impl ModelCache {
    pub fn new(dir: impl Into<PathBuf>) -> ModelCache {
        ModelCache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the key of the model of `files` depends on, hashed: each
    /// file's kind (SQL or YAML) and text, in the order they are read. The
    /// statements, the order they run in and so the model follow from
    /// these and pgrecon's version (part of the key); paths do not. Known
    /// before the files are split, so a cached model can be decoded while
    /// they are.
    pub fn digest(files: &[SourceFile]) -> String {
        let mut hash = Sha256::new();
        for file in files {
            let kind = if crate::load::is_yaml(&file.path) { "yaml" } else { "sql" };
            // Length-prefixed, so file boundaries are part of the digest.
            hash.update(format!("{kind} {}\n", file.text.len()).as_bytes());
            hash.update(file.text.as_bytes());
        }
        hex(&hash.finalize())
    }

    /// The key of the files of `digest` elaborated on a server of
    /// `server_version_num`.
    pub fn key(digest: &str, server_version_num: i32) -> String {
        let version = env!("CARGO_PKG_VERSION");
        sha256(
            format!("pgrecon {version} format {FORMAT} server {server_version_num}\nfiles {digest}\n")
                .as_bytes(),
        )
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The entry for `key`, if one reads back whole; a damaged entry is
    /// removed.
    pub fn load(&self, key: &str) -> Option<CachedModel> {
        let path = self.path(key);
        let file = std::fs::File::open(&path).ok()?;
        let model = decode(std::io::BufReader::new(file), key);
        if model.is_none() {
            let _ = std::fs::remove_file(&path);
        }
        model
    }

    /// Stores an entry atomically; a failure to write is not an error for
    /// the caller (the next run elaborates again), so it is only returned.
    pub fn store(&self, key: &str, model: &CachedModel) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let temp = self.dir.join(format!(".{key}.{}.{}.tmp", std::process::id(), unique_suffix()));
        let written = (|| {
            let header = |checksum: String| {
                let header = Header { format: FORMAT, key: key.to_string(), checksum };
                serde_json::to_vec(&header).map_err(std::io::Error::other)
            };
            let placeholder = header("0".repeat(64))?;
            let mut file = std::io::BufWriter::new(std::fs::File::create(&temp)?);
            file.write_all(&placeholder)?;
            file.write_all(b"\n")?;
            let mut body = Hashing { inner: file, hasher: Sha256::new() };
            write_sections(&mut body, model)?;
            let checksum = hex(&body.hasher.finalize());
            let mut file = body.inner.into_inner().map_err(|e| e.into_error())?;
            let header = header(checksum)?;
            assert_eq!(
                header.len(),
                placeholder.len(),
                "the header's length does not depend on the checksum"
            );
            file.rewind()?;
            file.write_all(&header)?;
            file.sync_all()?;
            std::fs::rename(&temp, self.path(key))
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }
}

/// The body, a [`SectionOut`] a line (see [`Header`]).
fn write_sections(out: &mut impl Write, model: &CachedModel) -> std::io::Result<()> {
    let mut line = |section: &SectionOut| -> std::io::Result<()> {
        serde_json::to_writer(&mut *out, section).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    };
    let catalog = &model.catalog;
    let rest = CachedModel {
        catalog: Catalog {
            tables: Default::default(),
            indexes: Default::default(),
            dependencies: Default::default(),
            ..catalog.clone()
        },
        equivalences: model.equivalences.clone(),
    };
    line(&SectionOut::Rest(&rest))?;
    let tables: Vec<_> = catalog.tables.values().map(|t| &**t).collect();
    for chunk in tables.chunks(TABLES_A_LINE) {
        line(&SectionOut::Tables(chunk))?;
    }
    let indexes: Vec<_> = catalog.indexes.values().map(|i| &**i).collect();
    for chunk in indexes.chunks(INDEXES_A_LINE) {
        line(&SectionOut::Indexes(chunk))?;
    }
    let edges: Vec<_> = catalog.dependencies.iter().map(|e| EdgeOut { from: e.from, to: e.to }).collect();
    for chunk in edges.chunks(EDGES_A_LINE) {
        line(&SectionOut::Dependencies(chunk))?;
    }
    Ok(())
}

/// The entry's model, if its header is this key's and its body has the
/// header's checksum and reads back whole. Nothing read is used before
/// the checksum is checked, after the last line.
fn decode(entry: impl BufRead, key: &str) -> Option<CachedModel> {
    let mut lines = entry.split(b'\n');
    let header: Header = serde_json::from_slice(&lines.next()?.ok()?).ok()?;
    if header.format != FORMAT || header.key != key {
        return None;
    }
    let _sharing = crate::catalog::SharingNames::start();
    let mut hasher = Sha256::new();
    let mut model: Option<CachedModel> = None;
    let mut tables = BTreeMap::new();
    let mut indexes = BTreeMap::new();
    let mut edges = crate::catalog::EdgesBuilder::default();
    for line in lines {
        let line = line.ok()?;
        hasher.update(&line);
        hasher.update(b"\n");
        match serde_json::from_slice(&line).ok()? {
            Section::Rest(rest) => model = Some(*rest),
            Section::Tables(chunk) => tables.extend(chunk.into_iter().map(|mut t| {
                t.shrink_to_fit();
                (t.name.clone(), std::sync::Arc::new(t))
            })),
            Section::Indexes(chunk) => indexes.extend(chunk.into_iter().map(|mut i| {
                i.shrink_to_fit();
                (i.name.clone(), std::sync::Arc::new(i))
            })),
            Section::Dependencies(chunk) => chunk.into_iter().for_each(|d| edges.push(d)),
        }
    }
    if hex(&hasher.finalize()) != header.checksum {
        return None;
    }
    let mut model = model?;
    model.catalog.tables = tables;
    model.catalog.indexes = indexes;
    model.catalog.dependencies = edges.finish();
    Some(model)
}

/// Hashes what passes through it.
struct Hashing<T> {
    inner: T,
    hasher: Sha256,
}

impl<T: Write> Write for Hashing<T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Distinguishes temporary files of concurrent writers in one process.
fn unique_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache in a directory of its own, removed with the value.
    struct ScratchCache {
        cache: ModelCache,
    }

    impl std::ops::Deref for ScratchCache {
        type Target = ModelCache;
        fn deref(&self) -> &ModelCache {
            &self.cache
        }
    }

    impl Drop for ScratchCache {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(self.cache.dir());
        }
    }

    fn scratch_cache(label: &str) -> ScratchCache {
        let dir = std::env::temp_dir().join(format!("pgrecon-cache-test-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        ScratchCache { cache: ModelCache::new(dir) }
    }

    /// The key follows what the model is made of: the files' texts, their
    /// order and kinds, and the server's version; not where they are.
    #[test]
    fn the_key_follows_the_files_texts_not_their_paths() {
        let file = |path: &str, text: &str| SourceFile::new(PathBuf::from(path), text.to_string());
        let key = |files: &[SourceFile]| ModelCache::key(&ModelCache::digest(files), 150000);
        let base =
            key(&[file("a.sql", "CREATE TABLE t (id int);"), file("b.sql", "CREATE TABLE u (id int);")]);
        let moved = key(&[
            file("/elsewhere/a.sql", "CREATE TABLE t (id int);"),
            file("/elsewhere/b.sql", "CREATE TABLE u (id int);"),
        ]);
        assert_eq!(base, moved);
        let swapped =
            key(&[file("a.sql", "CREATE TABLE u (id int);"), file("b.sql", "CREATE TABLE t (id int);")]);
        let joined = key(&[file("a.sql", "CREATE TABLE t (id int);CREATE TABLE u (id int);")]);
        let as_yaml =
            key(&[file("a.yaml", "CREATE TABLE t (id int);"), file("b.sql", "CREATE TABLE u (id int);")]);
        let edited =
            key(&[file("a.sql", "CREATE TABLE t (id bigint);"), file("b.sql", "CREATE TABLE u (id int);")]);
        for other in [&swapped, &joined, &as_yaml, &edited] {
            assert_ne!(&base, other);
        }
        let files = [file("a.sql", "CREATE TABLE t (id int);")];
        assert_ne!(
            ModelCache::key(&ModelCache::digest(&files), 150000),
            ModelCache::key(&ModelCache::digest(&files), 160000)
        );
    }

    fn model() -> CachedModel {
        let mut equivalences = BTreeMap::new();
        equivalences.insert("x".to_string(), true);
        CachedModel { catalog: Catalog::default(), equivalences }
    }

    #[test]
    fn an_entry_reads_back() {
        let cache = scratch_cache("roundtrip");
        cache.store("k1", &model()).unwrap();
        assert_eq!(cache.load("k1"), Some(model()));
        assert_eq!(cache.load("k2"), None);
    }

    /// A model large enough to take several lines of each section.
    fn large_model() -> CachedModel {
        use crate::catalog::{Column, Dependency, Index, ObjectId, QualName, Table};
        let mut catalog = Catalog::default();
        for n in 0..(TABLES_A_LINE * 2 + 7) {
            let name = QualName::new("public", format!("t{n}").as_str());
            let column = Column {
                name: "id".into(),
                type_name: "integer".into(),
                collation: None,
                not_null: true,
                not_null_name: None,
                default: None,
                identity: None,
                generated: None,
                generated_virtual: false,
                comment: Some(format!("row {n}")),
            };
            let table = Table {
                name: name.clone(),
                columns: std::sync::Arc::new(vec![column]),
                constraints: Default::default(),
                unlogged: false,
                options: Vec::new(),
                comment: None,
            };
            catalog.tables.insert(name.clone(), std::sync::Arc::new(table));
            let index = QualName::new("public", format!("t{n}_id").as_str());
            let index = Index {
                name: index.clone(),
                table: name,
                unique: false,
                nulls_not_distinct: false,
                method: "btree".into(),
                key: Vec::new(),
                include: Vec::new(),
                predicate: None,
                options: Vec::new(),
                definition: format!("CREATE INDEX t{n}_id ON public.t{n} USING btree (id)"),
                valid: true,
                comment: None,
            };
            catalog.indexes.insert(index.name.clone(), std::sync::Arc::new(index));
        }
        catalog.dependencies = (0..(EDGES_A_LINE + 3))
            .map(|n| Dependency {
                from: ObjectId::Table { name: QualName::new("public", format!("t{}", n % 500).as_str()) },
                to: ObjectId::Schema { name: format!("s{n}") },
            })
            .collect();
        CachedModel { catalog, ..model() }
    }

    #[test]
    fn a_model_in_many_lines_reads_back() {
        let cache = scratch_cache("sections");
        let model = large_model();
        cache.store("k", &model).unwrap();
        let lines = std::fs::read_to_string(cache.path("k")).unwrap().lines().count();
        assert!(lines > 6, "header, rest and several lines of each section: {lines}");
        assert_eq!(cache.load("k"), Some(model));
        // A line lost is a damaged entry, not a smaller model.
        let text = std::fs::read_to_string(cache.path("k")).unwrap();
        let kept: Vec<&str> = text.lines().enumerate().filter(|(n, _)| *n != 3).map(|(_, l)| l).collect();
        std::fs::write(cache.path("k"), kept.join("\n") + "\n").unwrap();
        assert_eq!(cache.load("k"), None);
    }

    /// A decoded model holds each name once, as a catalog read does: the
    /// schema of every table, and a table's name in its index and in its
    /// dependency edges, are one allocation; and its lists hold no spare room.
    #[test]
    fn a_decoded_model_shares_its_names_and_fits_its_lists() {
        let cache = scratch_cache("shared-names");
        cache.store("k", &large_model()).unwrap();
        let catalog = cache.load("k").expect("reads back").catalog;
        let same = |a: &std::sync::Arc<str>, b: &std::sync::Arc<str>| std::sync::Arc::ptr_eq(a, b);
        let t1 = &catalog.tables.values().next().unwrap().name;
        let t2 = &catalog.tables.values().nth(1).unwrap().name;
        assert!(same(&t1.schema, &t2.schema), "one schema name for every table");
        let index = catalog.indexes.values().find(|i| i.table == *t1).unwrap();
        assert!(same(&index.table.name, &t1.name), "the index names its table with the table's name");
        let edge = catalog.dependencies.iter().find(|e| e.from.to_string().contains(&*t1.name)).unwrap();
        let crate::catalog::ObjectId::Table { name } = edge.from else { panic!("{:?}", edge.from) };
        assert!(same(&name.name, &t1.name), "an edge names the table with the table's name");
        let table = catalog.tables.values().next().unwrap();
        assert_eq!(table.columns.capacity(), table.columns.len(), "no room left for columns never there");
        // Outside a decoding, names are not kept: a second decoding shares
        // nothing with the first.
        let again = cache.load("k").unwrap().catalog;
        assert!(!same(&again.tables.values().next().unwrap().name.schema, &t1.schema));
    }

    #[test]
    fn damaged_entries_are_discarded_not_trusted() {
        let cache = scratch_cache("damaged");
        cache.store("k", &model()).unwrap();
        let path = cache.path("k");
        let good = std::fs::read_to_string(&path).unwrap();

        // A flipped byte inside the body: valid JSON, wrong checksum.
        std::fs::write(&path, good.replace("true", "fals")).unwrap();
        assert_eq!(cache.load("k"), None);
        assert!(!path.exists(), "a damaged entry is removed");

        // Truncated, empty, and an entry filed under another key.
        for text in [&good[..good.len() / 2], "", &good.replace("\"key\":\"k\"", "\"key\":\"other\"")] {
            std::fs::write(&path, text).unwrap();
            assert_eq!(cache.load("k"), None, "{text:.40}");
        }
    }

    #[test]
    fn concurrent_writers_leave_a_whole_entry() {
        let cache = scratch_cache("concurrent");
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        cache.store("k", &model()).unwrap();
                        assert_eq!(cache.load("k"), Some(model()));
                    }
                });
            }
        });
        let leftovers = std::fs::read_dir(cache.dir()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files are renamed or removed");
    }
}
