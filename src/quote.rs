//! The one place where identifiers and literals become SQL text.
//!
//! Every piece of SQL that pgrecon generates goes through these functions, so
//! a hostile name (quotes, semicolons, `$$`, newlines) can never change the
//! meaning of a statement.

/// Quotes an identifier the way PostgreSQL's `quote_ident()` does: bare when
/// it is a plain lower-case identifier that is not a keyword, quoted otherwise.
pub fn ident(name: &str) -> String {
    if is_bare_identifier(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `schema.name`, each part quoted as needed.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// A string literal that means the same whatever `standard_conforming_strings`
/// is set to: backslashes switch to the `E''` form, as `quote_literal()` does.
pub fn literal(value: &str) -> String {
    let doubled = value.replace('\'', "''");
    if value.contains('\\') {
        format!("E'{}'", doubled.replace('\\', "\\\\"))
    } else {
        format!("'{doubled}'")
    }
}

fn is_bare_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = matches!(chars.next(), Some('a'..='z' | '_'));
    starts_well
        && name.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '$'))
        && !is_keyword_needing_quotes(name)
}

/// PostgreSQL keywords that are not `UNRESERVED_KEYWORD` in any major from 13
/// to 18 (reserved, column-name and type/function-name keywords). A superset
/// is harmless: it only quotes a name PostgreSQL would have accepted bare.
fn is_keyword_needing_quotes(word: &str) -> bool {
    KEYWORDS.binary_search(&word).is_ok()
}

const KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_table_is_sorted_for_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(ident("cameras"), "cameras");
        assert_eq!(ident("user"), "\"user\"");
        assert_eq!(ident("CamelCase"), "\"CamelCase\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(ident("café"), "\"café\"");
        assert_eq!(ident("1abc"), "\"1abc\"");
        assert_eq!(ident(""), "\"\"");
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal(r"a\b"), r"E'a\\b'");
    }
}

/// The longest identifier PostgreSQL keeps (NAMEDATALEN - 1 bytes); longer
/// ones are cut, as the server cuts them, on a character boundary.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// `name` as the server stores it: at most 63 bytes.
pub fn truncated(name: &str) -> &str {
    let mut end = name.len().min(MAX_IDENTIFIER_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `name` with `suffix`, the name cut so that the suffix survives the
/// server's truncation (`<63-byte name>__pgrecon_old` would otherwise come
/// back as the name itself).
pub fn suffixed(name: &str, suffix: &str) -> String {
    let stem = truncated(name);
    let mut end = stem.len().min(MAX_IDENTIFIER_BYTES.saturating_sub(suffix.len()));
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}", &stem[..end])
}

#[cfg(test)]
mod identifier_length_tests {
    use super::*;

    #[test]
    fn long_names_are_cut_like_the_server_cuts_them() {
        let long = "x".repeat(70);
        assert_eq!(truncated(&long).len(), 63);
        assert_eq!(truncated("short"), "short");
        let wide = "é".repeat(40); // 80 bytes
        assert_eq!(truncated(&wide), "é".repeat(31));
        let aside = suffixed(&long, "__pgrecon_old");
        assert_eq!(aside.len(), 63);
        assert!(aside.ends_with("__pgrecon_old"));
        assert_eq!(suffixed("t", "_new"), "t_new");
    }
}
