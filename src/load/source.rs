//! Source files and positions in them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// One desired-state file, read whole.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceFile { path, text, line_starts }
    }

    pub fn read(path: &Path) -> std::io::Result<SourceFile> {
        Ok(SourceFile::new(path.to_path_buf(), std::fs::read_to_string(path)?))
    }

    /// Byte offset of a 1-based line and 1-based column counted in chars
    /// (sqlparser's locations).
    pub fn offset(&self, line: u64, column: u64) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1) as usize) else {
            return self.text.len();
        };
        let line_text = &self.text[start..];
        let chars = column.saturating_sub(1) as usize;
        start + line_text.char_indices().nth(chars).map_or(line_text.len(), |(i, _)| i)
    }

    /// Converts many locations visited in increasing order, in time linear
    /// in the text: [`SourceFile::offset`] counts from the start of the line
    /// every time, quadratic over the tokens of a long line.
    pub fn locator(&self) -> Locator<'_> {
        Locator { file: self, line: 0, column: 1, offset: 0 }
    }

    /// Byte offset at which the line containing `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.line_starts[self.line_starts.partition_point(|&s| s <= offset).max(1) - 1]
    }

    /// Byte offset of the end of the line containing `offset` (its newline,
    /// or the end of the text).
    pub fn line_end(&self, offset: usize) -> usize {
        let next = self.line_starts.partition_point(|&s| s <= offset);
        self.line_starts.get(next).map_or(self.text.len(), |&s| s - 1)
    }

    /// 1-based line and column (in chars) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset.min(self.text.len())].chars().count() + 1;
        (line, column)
    }

    pub fn named_source(&self) -> FileText {
        FileText { name: self.path.display().to_string(), text: Arc::from(self.text.as_str()) }
    }

    /// The character at a byte offset (a char boundary), empty at the end
    /// of the text: where a diagnostic about one place points.
    pub fn char_at(&self, file: usize, offset: usize) -> Span {
        let start = offset.min(self.text.len());
        let width = self.text[start..].chars().next().map_or(0, char::len_utf8);
        Span { file, start, end: start + width }
    }

    /// `path:line:col` of a byte offset.
    pub fn describe(&self, offset: usize) -> String {
        let (line, col) = self.line_col(offset);
        format!("{}:{line}:{col}", self.path.display())
    }
}

/// A file's text as miette shows it, with columns counted in characters
/// as in the `file:line:col` of the message (and in editors, and in
/// PostgreSQL's positions); miette's own count is in bytes, so a line with
/// `'日本語'` before the error gave two different columns.
#[derive(Debug, Clone)]
pub struct FileText {
    name: String,
    text: Arc<str>,
}

impl FileText {
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl SourceCode for FileText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.text.as_ref().read_span(span, context_lines_before, context_lines_after)?;
        let start = contents.span().offset();
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..start].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

/// See [`SourceFile::locator`]: remembers the last location converted and
/// continues from there when the next one is on the same line, further on.
pub struct Locator<'a> {
    file: &'a SourceFile,
    line: u64,
    column: u64,
    offset: usize,
}

impl Locator<'_> {
    /// Same result as [`SourceFile::offset`].
    pub fn offset(&mut self, line: u64, column: u64) -> usize {
        let column = column.max(1);
        if line != self.line || column < self.column {
            let start = self.file.offset(line, 1);
            (self.line, self.column, self.offset) = (line, 1, start);
        }
        let rest = &self.file.text[self.offset..];
        let chars = (column - self.column) as usize;
        self.offset += rest.char_indices().nth(chars).map_or(rest.len(), |(i, _)| i);
        self.column = column;
        self.offset
    }
}

/// A byte range in one of the loaded files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub file: usize,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn source_span(&self) -> SourceSpan {
        (self.start, self.end.saturating_sub(self.start)).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locator_agrees_with_offset() {
        let file = SourceFile::new("t.sql".into(), "ab\ncafé 日本\n\nx".to_string());
        let mut locator = file.locator();
        let locations =
            [(1, 1), (1, 3), (2, 1), (2, 4), (2, 5), (2, 7), (2, 40), (2, 2), (3, 1), (4, 1), (4, 9), (9, 1)];
        for (line, column) in locations {
            assert_eq!(locator.offset(line, column), file.offset(line, column), "{line}:{column}");
        }
    }
}
