//! Project configuration: the `config:` section of `schema.yaml` (found in
//! the current directory, or given with `--config`). Command-line flags win
//! over the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::{Catalog, QualName};
use crate::load::{LoadError, SourceError, SourceFile, Span};

pub const DEFAULT_FILE: &str = "schema.yaml";

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Desired-state files and directories, relative to the config file.
    #[serde(default)]
    pub schema: Vec<PathBuf>,
    /// The environment variable that holds the target database URL.
    pub database_url_env: Option<String>,
    /// Server for scratch databases (like `--dev-url`).
    pub dev_url: Option<String>,
    /// Where saved plans go.
    pub plans_dir: Option<PathBuf>,
    /// Where elaborated models are cached, relative to the config file
    /// (default `.pgrecon/cache` next to it, or in the current directory;
    /// the environment variable `PGRECON_CACHE_DIR` wins).
    pub cache_dir: Option<PathBuf>,
    /// Online DDL on existing tables, as with `--online`.
    #[serde(default)]
    pub online: bool,
    /// Objects pgrecon leaves alone, on both sides.
    #[serde(default)]
    pub ignore: IgnoreRules,
}

/// Glob patterns (`*`, `?`) per object kind, matched against `name` and
/// `schema.name`. `schemas` leaves whole schemas alone.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreRules {
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(default)]
    pub tables: Vec<String>,
    #[serde(default)]
    pub views: Vec<String>,
    #[serde(default)]
    pub sequences: Vec<String>,
    #[serde(default)]
    pub types: Vec<String>,
    #[serde(default)]
    pub functions: Vec<String>,
    #[serde(default)]
    pub indexes: Vec<String>,
}

#[derive(Deserialize)]
struct FileShape {
    #[serde(default)]
    config: Option<Config>,
}

/// The config file's contents and where it was found (relative paths in it
/// are relative to its directory).
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
}

/// Reads `explicit`, or `schema.yaml` in the current directory if present.
pub fn load(explicit: Option<&Path>) -> Result<Loaded, LoadError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
        None => return Ok(Loaded { config: Config::default(), path: None }),
    };
    let file = SourceFile::read(&path).map_err(|source| LoadError::Read { path: path.clone(), source })?;
    let options = serde_saphyr::options! { strict_booleans: true };
    let shape: FileShape = serde_saphyr::from_str_with_options(&file.text, options).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let start = file.offset(line, col);
        let span = Span { file: 0, start, end: (start + 1).min(file.text.len()) };
        let message = e.to_string().lines().next().unwrap_or("invalid configuration").to_string();
        LoadError::from(SourceError::at(&file, span, message, "here"))
    })?;
    let mut config = shape.config.unwrap_or_default();
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    config.schema = config.schema.iter().map(|p| base.join(p)).collect();
    config.cache_dir = Some(base.join(config.cache_dir.unwrap_or_else(|| PathBuf::from(".pgrecon/cache"))));
    Ok(Loaded { config, path: Some(path) })
}

impl Config {
    /// The model cache directory (see the `cache_dir` field).
    pub fn cache_dir(&self) -> PathBuf {
        if let Some(dir) = std::env::var_os("PGRECON_CACHE_DIR") {
            return PathBuf::from(dir);
        }
        self.cache_dir.clone().unwrap_or_else(|| PathBuf::from(".pgrecon/cache"))
    }
}

fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn matches_any(patterns: &[String], name: &QualName) -> bool {
    let qualified = format!("{}.{}", name.schema, name.name);
    patterns.iter().any(|p| glob_match(p, &name.name) || glob_match(p, &qualified))
}

impl IgnoreRules {
    pub fn is_empty(&self) -> bool {
        [
            &self.schemas,
            &self.tables,
            &self.views,
            &self.sequences,
            &self.types,
            &self.functions,
            &self.indexes,
        ]
        .iter()
        .all(|v| v.is_empty())
    }

    fn schema_ignored(&self, schema: &str) -> bool {
        self.schemas.iter().any(|p| glob_match(p, schema))
    }

    fn ignored(&self, patterns: &[String], name: &QualName) -> bool {
        self.schema_ignored(&name.schema) || matches_any(patterns, name)
    }

    /// Removes ignored objects (and what hangs off them: indexes, triggers,
    /// dependency edges) from a catalog.
    pub fn apply(&self, c: &mut Catalog) {
        if self.is_empty() {
            return;
        }
        c.schemas.retain(|name, _| !self.schema_ignored(name));
        c.enums.retain(|n, _| !self.ignored(&self.types, n));
        c.domains.retain(|n, _| !self.ignored(&self.types, n));
        c.composites.retain(|n, _| !self.ignored(&self.types, n));
        c.ranges.retain(|n, _| !self.ignored(&self.types, n));
        c.sequences.retain(|n, _| !self.ignored(&self.sequences, n));
        c.tables.retain(|n, _| !self.ignored(&self.tables, n));
        c.views.retain(|n, _| !self.ignored(&self.views, n));
        c.functions.retain(|id, _| !self.ignored(&self.functions, &id.name));
        let relations: std::collections::HashSet<QualName> =
            c.tables.keys().chain(c.views.keys()).cloned().collect();
        c.indexes.retain(|n, i| relations.contains(&i.table) && !self.ignored(&self.indexes, n));
        c.triggers.retain(|(table, _), _| relations.contains(table));
        let mut dependencies = std::mem::take(&mut c.dependencies);
        dependencies.retain(|d| c.contains(d.from) && c.contains(d.to));
        c.dependencies = dependencies;
        // What an ignored object uses, or what uses it, is no concern of a
        // plan: it makes no step for the object.
        let mut uses = std::mem::take(&mut c.uses_unmanaged);
        uses.retain(|(id, _)| c.contains(id));
        c.uses_unmanaged = uses;
        let mut used_by = std::mem::take(&mut c.used_by_unmanaged);
        used_by.retain(|(id, _)| c.contains(id));
        c.used_by_unmanaged = used_by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("alembic_*", "alembic_version"));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("alembic_*", "users"));
    }
}

#[cfg(test)]
mod schema_yaml_tests {
    /// The example block of the project's schema.yaml, uncommented.
    pub fn schema_yaml_example() -> String {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.yaml")).unwrap();
        let start = text.find("# --- YAML form example ---").expect("example block");
        let end = text.find("# --- end ---").expect("end of example block");
        text[start..end]
            .lines()
            .skip(1)
            .map(|l| l.strip_prefix("# ").unwrap_or(l.trim_start_matches('#')))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn project_config_reads() {
        let loaded =
            super::load(Some(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.yaml"))))
                .unwrap();
        assert!(loaded.config.schema[0].ends_with("schema/"));
        assert_eq!(loaded.config.ignore.tables, ["alembic_version"]);
    }

    #[test]
    fn schema_yaml_example_parses() {
        let file = crate::load::SourceFile::new("example.yaml".into(), schema_yaml_example());
        crate::load::from_sources(vec![file]).expect("the documented example loads");
    }
}
