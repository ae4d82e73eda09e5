//! Reading PostgreSQL's own deparsed text: finding clauses at the top level
//! of a statement while stepping over quoted identifiers, string literals and
//! parentheses. This is not a SQL parser; it only locates the pieces of
//! `pg_get_*def()` output that the catalog has no separate column for.

/// Byte offset of `pattern` at parenthesis depth 0 and outside quotes,
/// searching from `from`.
pub fn find_top_level(text: &str, pattern: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => i = skip_quoted(bytes, i),
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth -= 1;
                i += 1;
            }
            // Bytes, not `text[i..]`: `i` may be inside a multibyte character
            // (a match of a whole pattern never starts there).
            _ if depth == 0 && bytes[i..].starts_with(pattern.as_bytes()) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Offset just past the quoted run that starts at `start` (a doubled quote
/// character inside is part of the run). `E'...'` strings take backslash
/// escapes; only an `E` that starts a word makes one (`LIKE'\'` is a plain
/// string).
pub fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let starts_word = |at: usize| at == 0 || !is_word_byte(bytes[at - 1]);
    let backslash_escapes =
        quote == b'\'' && start > 0 && matches!(bytes[start - 1], b'E' | b'e') && starts_word(start - 1);
    let mut i = start + 1;
    while i < bytes.len() {
        if backslash_escapes && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// Whether `a` and `b` are the same text but for names qualified with a
/// schema of `moves` (`old.`, `new.`) in `a` where `b` has the other one
/// (`public.gin_trgm_ops` / `ext.gin_trgm_ops`). String literals and quoted
/// names must match exactly.
pub fn same_but_moved(a: &str, b: &str, moves: &[(String, String)]) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    'next: while i < a.len() && j < b.len() {
        let starts_name = i == 0 || !(is_word_byte(a[i - 1]) || a[i - 1] == b'.');
        if starts_name {
            for (old, new) in moves {
                if a[i..].starts_with(old.as_bytes()) && b[j..].starts_with(new.as_bytes()) {
                    (i, j) = (i + old.len(), j + new.len());
                    continue 'next;
                }
            }
        }
        if matches!(a[i], b'\'' | b'"') {
            let end = skip_quoted(a, i);
            if !b[j..].starts_with(&a[i..end]) {
                return false;
            }
            (j, i) = (j + end - i, end);
            continue;
        }
        if a[i] != b[j] {
            return false;
        }
        (i, j) = (i + 1, j + 1);
    }
    i == a.len() && j == b.len()
}

/// Whether `word` occurs in `text` as a whole name (not inside a longer
/// one), quoted or not.
pub fn contains_word(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(word).any(|(at, _)| {
        let end = at + word.len();
        (at == 0 || !is_word_byte(bytes[at - 1])) && (end == bytes.len() || !is_word_byte(bytes[end]))
    })
}

/// A byte that continues a name (any byte of a multibyte character does).
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Offset of the parenthesis that closes the one at `open`.
pub fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                i = skip_quoted(bytes, i);
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Splits on commas at parenthesis depth 0 and outside quotes, trimmed.
pub fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    while let Some(comma) = find_top_level(text, ",", start) {
        parts.push(text[start..comma].trim().to_string());
        start = comma + 1;
    }
    let last = text[start..].trim();
    if !last.is_empty() || !parts.is_empty() {
        parts.push(last.to_string());
    }
    parts
}

/// The condition of a trigger's `WHEN (...)` clause, from
/// `pg_get_triggerdef()` output.
pub fn trigger_when_clause(definition: &str) -> Option<String> {
    let each = find_top_level(definition, " FOR EACH ", 0)?;
    let when = find_top_level(definition, " WHEN (", each)?;
    let open = when + " WHEN ".len();
    let close = matching_paren(definition, open)?;
    Some(definition[open + 1..close].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        assert!(contains_word("enum_last(null::public.mood)", "mood"));
        assert!(contains_word("alter table t alter column c type \"mood\"", "mood"));
        assert!(!contains_word("moods, bad_mood", "mood"));
    }

    #[test]
    fn texts_equal_but_for_a_moved_schema() {
        let moves = [("public.".to_string(), "ext.".to_string())];
        let live = "CREATE INDEX i ON public.t USING gin (s public.gin_trgm_ops) WHERE (s <> 'public.x')";
        let moved = "CREATE INDEX i ON public.t USING gin (s ext.gin_trgm_ops) WHERE (s <> 'public.x')";
        assert!(same_but_moved(live, moved, &moves));
        let literal = "CREATE INDEX i ON public.t USING gin (s ext.gin_trgm_ops) WHERE (s <> 'ext.x')";
        assert!(!same_but_moved(live, literal, &moves));
        assert!(!same_but_moved("xpublic.f", "xext.f", &moves));
        assert!(!same_but_moved("public.a", "ext.b", &moves));
    }

    #[test]
    fn finds_when_clause_past_tricky_names() {
        let def = r#"CREATE TRIGGER "x WHEN (y)" BEFORE UPDATE ON public."FOR EACH " FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status) AND (new.note <> ') WHEN ('::text)) EXECUTE FUNCTION public.f('a)')"#;
        assert_eq!(
            trigger_when_clause(def).as_deref(),
            Some("(old.status IS DISTINCT FROM new.status) AND (new.note <> ') WHEN ('::text)")
        );
    }

    #[test]
    fn steps_over_multibyte_characters() {
        assert_eq!(split_top_level("6=⑊'x,y', ü"), ["6=⑊'x,y'", "ü"]);
    }

    #[test]
    fn splits_at_top_level_commas_only() {
        assert_eq!(
            split_top_level("a int DEFAULT f(1, 2), b text DEFAULT ','"),
            ["a int DEFAULT f(1, 2)", "b text DEFAULT ','"]
        );
        assert!(split_top_level("").is_empty());
    }

    #[test]
    fn no_when_clause() {
        let def = "CREATE TRIGGER t AFTER INSERT ON public.a FOR EACH STATEMENT EXECUTE FUNCTION public.f()";
        assert_eq!(trigger_when_clause(def), None);
    }
}
