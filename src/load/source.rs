//! Source files and positions in them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

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

    /// 1-based line and column (in chars) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset.min(self.text.len())].chars().count() + 1;
        (line, column)
    }

    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.path.display().to_string(), Arc::from(self.text.as_str()))
    }

    /// `path:line:col` of a byte offset.
    pub fn describe(&self, offset: usize) -> String {
        let (line, col) = self.line_col(offset);
        format!("{}:{line}:{col}", self.path.display())
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
