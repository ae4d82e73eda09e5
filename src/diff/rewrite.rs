//! Rewriting PostgreSQL's deparsed text under renames, so the live model can
//! be compared with the desired one after renames are planned.
//!
//! Works on tokens (sqlparser's tokenizer) and replaces byte ranges, so the
//! text stays exactly as PostgreSQL printed it except for the renamed names.
//! A name it misses only makes the object look changed, and the planner then
//! recreates it from the desired state: never wrong, at worst slower.

use std::collections::BTreeMap;
use std::path::PathBuf;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::catalog::QualName;
use crate::load::SourceFile;

/// A token and its byte range.
type Located = (Token, usize, usize);
/// How many tokens a rewrite covers, and its edit (byte range, new text).
type Rewrite = Option<(usize, Option<(usize, usize, String)>)>;
use crate::quote;

/// Renames in effect, old name → new name.
#[derive(Debug, Default, Clone)]
pub struct NameMap {
    /// Renamed schemas, old → new. Every object in one is also in the maps
    /// below, under its new schema (or wherever an annotation moves it).
    pub schemas: BTreeMap<String, String>,
    /// Tables, views, sequences, indexes.
    pub relations: BTreeMap<QualName, QualName>,
    pub types: BTreeMap<QualName, QualName>,
    pub functions: BTreeMap<QualName, QualName>,
    /// Overloads (live ids) of a renamed function name that keep it: the
    /// rename was of another overload.
    pub kept_overloads: std::collections::BTreeSet<crate::catalog::FunctionId>,
    /// Each renamed overload's new name (live id → new name). `functions`
    /// names one new name per old name, the one calls in texts are
    /// rewritten to; when overloads of one name part ways (`f(int)` to
    /// `h`, `f(text)` to `g`), this says which went where.
    pub overloads: BTreeMap<crate::catalog::FunctionId, QualName>,
    /// (new table name, old column) → new column.
    pub columns: BTreeMap<(QualName, String), String>,
    /// (new enum name, old value) → new value.
    pub enum_values: BTreeMap<(QualName, String), String>,
    /// (new composite type name, old attribute) → new attribute.
    pub attributes: BTreeMap<(QualName, String), String>,
}

impl NameMap {
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
            && self.relations.is_empty()
            && self.types.is_empty()
            && self.functions.is_empty()
            && self.columns.is_empty()
            && self.enum_values.is_empty()
            && self.attributes.is_empty()
    }

    pub fn relation(&self, name: &QualName) -> QualName {
        self.relations.get(name).cloned().unwrap_or_else(|| name.clone())
    }

    pub fn type_name(&self, name: &QualName) -> QualName {
        self.types.get(name).cloned().unwrap_or_else(|| name.clone())
    }

    /// The live name of a relation given its new name.
    pub fn live_relation(&self, new: &QualName) -> QualName {
        old_name(&self.relations, new)
    }

    /// The live name of a type given its new name.
    pub fn live_type(&self, new: &QualName) -> QualName {
        old_name(&self.types, new)
    }

    /// The live name of a function given its new name.
    pub fn live_function(&self, new: &QualName) -> QualName {
        match self.overloads.iter().find(|(_, n)| *n == new) {
            Some((old, _)) => old.name.clone(),
            None => old_name(&self.functions, new),
        }
    }

    pub fn column(&self, table: &QualName, column: &str) -> String {
        self.columns.get(&(table.clone(), column.to_string())).cloned().unwrap_or_else(|| column.to_string())
    }

    fn any_qualified(&self, name: &QualName) -> Option<QualName> {
        self.relations
            .get(name)
            .or_else(|| self.types.get(name))
            .or_else(|| self.functions.get(name))
            .cloned()
    }

    /// Rewrites `text`; `table` is the (new) table whose bare column names
    /// the text uses (constraints, indexes, triggers, generated columns).
    pub fn rewrite(&self, text: &str, table: Option<&QualName>) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        let Some(toks) = located_tokens(text) else {
            return text.to_string();
        };
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Some((consumed, edit)) = self.rewrite_at(&toks, i, table) {
                edits.extend(edit);
                i += consumed;
            } else {
                i += 1;
            }
        }
        apply_edits(text, edits)
    }

    /// Rewrites only the schemas of qualified names in `text`: what a name
    /// is once the schema renames have run and nothing else has.
    pub fn rewrite_schemas(&self, text: &str) -> String {
        if self.schemas.is_empty() {
            return text.to_string();
        }
        let Some(toks) = located_tokens(text) else {
            return text.to_string();
        };
        let edits = toks.windows(2).filter_map(|pair| match (&pair[0].0, &pair[1].0) {
            (Token::Word(w), Token::Period) => {
                let new = self.schemas.get(&fold(&w.value, w.quote_style))?;
                Some((pair[0].1, pair[0].2, quote::ident(new)))
            }
            _ => None,
        });
        apply_edits(text, edits.collect())
    }

    /// A rewrite starting at token `i`: how many tokens it covers and the edit.
    fn rewrite_at(&self, toks: &[Located], i: usize, table: Option<&QualName>) -> Rewrite {
        let word = |k: usize| match toks.get(k).map(|t| &t.0) {
            Some(Token::Word(w)) => Some(fold(&w.value, w.quote_style)),
            _ => None,
        };
        let is = |k: usize, tok: &Token| toks.get(k).map(|t| &t.0) == Some(tok);
        let (_, start, _) = &toks[i];
        // schema.name → a renamed relation, type or function.
        if let (Some(a), true, Some(b)) = (word(i), is(i + 1, &Token::Period), word(i + 2)) {
            let name = QualName::new(a.clone(), b.clone());
            if let Some(new) = self.any_qualified(&name) {
                return Some((3, Some((*start, toks[i + 2].2, new.to_string()))));
            }
            // alias.column, where the alias is a renamed table's bare name or new/old.
            let relation = self.relations.iter().find(|(old, _)| *old.name == *a).map(|(_, new)| new.clone());
            let context = match a.as_str() {
                "new" | "old" => table.cloned(),
                _ => {
                    relation.clone().or_else(|| self.relations.values().find(|new| *new.name == *a).cloned())
                }
            };
            let mut edit_first = None;
            if let Some(new) = &relation {
                edit_first = Some((*start, toks[i].2, quote::ident(&new.name)));
            }
            let new_column = context.and_then(|t| self.columns.get(&(t, b.clone())).cloned());
            return match (edit_first, new_column) {
                (Some((s, _, first)), Some(col)) => {
                    Some((3, Some((s, toks[i + 2].2, format!("{first}.{}", quote::ident(&col))))))
                }
                (Some(e), None) => Some((3, Some(e))),
                (None, Some(col)) => Some((3, Some((toks[i + 2].1, toks[i + 2].2, quote::ident(&col))))),
                (None, None) => Some((3, None)),
            };
        }
        // 'schema.name'::regclass and 'value'::schema.enum_type.
        if let Some(Token::SingleQuotedString(s)) = toks.get(i).map(|t| &t.0) {
            if is(i + 1, &Token::DoubleColon) {
                return self.rewrite_literal(toks, i, s, &word);
            }
        }
        // A bare column of the table the text belongs to.
        if let (Some(table), Some(w)) = (table, word(i)) {
            let before_dot = i > 0 && is(i - 1, &Token::Period);
            let call = is(i + 1, &Token::LParen);
            if !before_dot && !call {
                if let Some(new) = self.columns.get(&(table.clone(), w)) {
                    return Some((1, Some((*start, toks[i].2, quote::ident(new)))));
                }
            }
        }
        None
    }

    fn rewrite_literal(
        &self,
        toks: &[Located],
        i: usize,
        literal: &str,
        word: &dyn Fn(usize) -> Option<String>,
    ) -> Rewrite {
        let (_, start, end) = toks[i];
        let cast_schema = word(i + 2)?;
        if cast_schema == "regclass" {
            let (schema, name) = literal.split_once('.')?;
            let new = self.relations.get(&QualName::new(schema, name))?;
            return Some((
                1,
                Some((
                    start,
                    end,
                    quote::literal(&format!("{}.{}", quote::ident(&new.schema), quote::ident(&new.name))),
                )),
            ));
        }
        // 'value'::schema.type: the type may itself be renamed.
        let type_name = QualName::new(cast_schema, word(i + 4)?);
        let new_type = self.type_name(&type_name);
        let value = literal.replace("''", "'");
        let new_value = self.enum_values.get(&(new_type, value))?;
        Some((1, Some((start, end, quote::literal(new_value)))))
    }
}

/// The key whose value is `new`, or `new` when nothing was renamed to it.
fn old_name(map: &BTreeMap<QualName, QualName>, new: &QualName) -> QualName {
    map.iter().find(|(_, n)| *n == new).map(|(o, _)| o.clone()).unwrap_or_else(|| new.clone())
}

/// The tokens of `text` but whitespace, with their byte offsets.
fn located_tokens(text: &str) -> Option<Vec<Located>> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, text).with_unescape(false).tokenize_with_location().ok()?;
    // Linear in the text, even for the tokens of one long line.
    let source = SourceFile::new(PathBuf::new(), text.to_string());
    let mut offsets = source.locator();
    let located = tokens
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .map(|t| {
            let start = offsets.offset(t.span.start.line, t.span.start.column);
            let end = offsets.offset(t.span.end.line, t.span.end.column);
            (t.token, start, end)
        })
        .collect();
    Some(located)
}

fn fold(value: &str, quote_style: Option<char>) -> String {
    match quote_style {
        Some(_) => value.replace("\"\"", "\""),
        None => value.to_lowercase(),
    }
}

fn apply_edits(text: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (start, end, replacement) in edits {
        if start < pos {
            continue;
        }
        out.push_str(&text[pos..start]);
        out.push_str(&replacement);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> NameMap {
        let mut m = NameMap::default();
        let zones = QualName::new("public", "zones");
        let camera_zones = QualName::new("public", "camera_zones");
        m.relations.insert(zones, camera_zones.clone());
        m.relations
            .insert(QualName::new("public", "zones_id_seq"), QualName::new("public", "camera_zones_id_seq"));
        m.columns.insert((camera_zones, "cam".into()), "camera_id".into());
        m.types.insert(QualName::new("public", "st"), QualName::new("public", "status"));
        m.enum_values.insert((QualName::new("public", "status"), "repair".into()), "maintenance".into());
        m
    }

    #[test]
    fn rewrites_qualified_names_columns_and_literals() {
        let m = map();
        let t = QualName::new("public", "camera_zones");
        assert_eq!(
            m.rewrite("nextval('public.zones_id_seq'::regclass)", None),
            "nextval('public.camera_zones_id_seq'::regclass)"
        );
        assert_eq!(m.rewrite("CHECK ((cam > 0))", Some(&t)), "CHECK ((camera_id > 0))");
        assert_eq!(
            m.rewrite(" SELECT zones.cam FROM public.zones", None),
            " SELECT camera_zones.camera_id FROM public.camera_zones"
        );
        assert_eq!(m.rewrite("'repair'::public.st", None), "'maintenance'::public.status");
        assert_eq!(m.rewrite("lower(cam)", Some(&t)), "lower(camera_id)");
    }
}
