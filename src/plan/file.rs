//! Saved plans: what was reviewed is what gets applied. A plan file holds
//! the forward and reverse steps with their hazards, fingerprints of the
//! live schema it was computed from (source) and of the desired schema
//! (target), the desired files' hashes, and the source model so that a
//! refusal can say what changed since. Same inputs give the same file,
//! timestamp aside.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;

use super::Plan;

/// 2: schema fingerprints are hashed a table at a time (`fingerprint`).
/// 3: what the plan does is sealed by `digest`.
pub const FORMAT_VERSION: u32 = 3;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanFile {
    pub format_version: u32,
    /// Whether the plan has steps (what `plan`'s exit code 2 says).
    pub changes: bool,
    pub pgrecon_version: String,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub source_fingerprint: String,
    pub target_fingerprint: String,
    pub desired_files: Vec<FileHash>,
    pub plan: Plan,
    pub reverse: Plan,
    /// The live model the plan was computed from.
    pub source_model: Catalog,
    /// The major version of the server the plan was made against: steps
    /// and fingerprints are in that version's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_major: Option<i32>,
    /// SHA-256 of everything that decides what applying the file does (see
    /// [`PlanFile::content_digest`]), written with the file: a step edited
    /// after review (a `DROP` appended, a `data_loss` flag cleared) is
    /// refused instead of run.
    #[serde(default)]
    pub digest: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileHash {
    pub path: String,
    pub sha256: String,
    /// A pre/post step file: its SQL is in the plan, and a plan whose step
    /// file changed since is stale.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub step: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error("cannot read plan file {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("plan file {path} has format version {found}; this pgrecon reads version {FORMAT_VERSION}")]
    Version { path: String, found: u32 },
    #[error(
        "refusing plan file {path}: it was changed after pgrecon wrote it (its steps, fingerprints or \
         server no longer match its digest); make the plan again instead of editing it"
    )]
    Edited { path: String },
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A fingerprint of a schema: the model without what does not describe the
/// schema itself (dependency edges, unmanaged objects) and with column order
/// ignored, hashed. Equal schemas give equal fingerprints.
///
/// Hashed while it is serialized, a table at a time: the catalog without
/// its tables, then each table with its columns in name order. A sorted
/// copy of the whole model and its JSON text would double plan's memory
/// at 10,000 tables.
pub fn fingerprint(catalog: &Catalog) -> String {
    let mut rest = catalog.clone();
    rest.tables.clear();
    rest.dependencies.clear();
    rest.unmanaged.clear();
    rest.uses_unmanaged.clear();
    rest.used_by_unmanaged.clear();
    let mut hash = HashWriter(Sha256::new());
    serde_json::to_writer(&mut hash, &rest).expect("models serialize");
    let by_name = |a: &crate::catalog::Column, b: &crate::catalog::Column| a.name.cmp(&b.name);
    for table in catalog.tables.values() {
        if table.columns.is_sorted_by(|a, b| by_name(a, b).is_le()) {
            serde_json::to_writer(&mut hash, table)
        } else {
            let mut sorted = crate::catalog::Table::clone(table);
            std::sync::Arc::make_mut(&mut sorted.columns).sort_by(by_name);
            serde_json::to_writer(&mut hash, &sorted)
        }
        .expect("tables serialize");
    }
    hex(&hash.0.finalize())
}

/// Feeds what is written to a hash.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl PlanFile {
    /// Step files whose text changed since the plan was saved (files that
    /// are not there are not checked: their SQL is in the plan).
    pub fn changed_step_files(&self) -> Vec<String> {
        self.desired_files
            .iter()
            .filter(|f| f.step)
            .filter(|f| std::fs::read(&f.path).is_ok_and(|text| sha256(&text) != f.sha256))
            .map(|f| f.path.clone())
            .collect()
    }

    /// Everything a saved plan holds; `files` are the desired-state files.
    pub fn new(
        live: &Catalog,
        target: &Catalog,
        sources: &crate::load::SourceSet,
        plan: Plan,
        reverse: Plan,
    ) -> PlanFile {
        let files = &sources.files;
        PlanFile {
            format_version: FORMAT_VERSION,
            changes: !plan.is_empty(),
            pgrecon_version: env!("CARGO_PKG_VERSION").to_string(),
            created_at: now_utc(),
            source_fingerprint: fingerprint(live),
            target_fingerprint: fingerprint(target),
            desired_files: files
                .iter()
                .map(|f| FileHash {
                    path: f.path.display().to_string(),
                    sha256: sha256(f.text.as_bytes()),
                    step: false,
                })
                .chain(sources.data_steps.iter().map(|d| FileHash {
                    path: d.path.display().to_string(),
                    sha256: d.sha256.clone(),
                    step: true,
                }))
                .collect(),
            plan,
            reverse,
            source_model: live.clone(),
            server_major: None,
            digest: String::new(),
        }
    }

    /// The digest of what applying the file does: both plans (steps, SQL,
    /// hazards, data-loss flags), the fingerprints checked before and
    /// after, the step files' hashes, the server version, and the source
    /// model (a rollback checks the database against it).
    pub fn content_digest(&self) -> String {
        let sealed = (
            self.changes,
            &self.source_fingerprint,
            &self.target_fingerprint,
            &self.desired_files,
            &self.plan,
            &self.reverse,
            self.server_major,
            &self.source_model,
        );
        let mut hash = HashWriter(Sha256::new());
        serde_json::to_writer(&mut hash, &sealed).expect("plans serialize");
        hex(&hash.0.finalize())
    }

    /// Refuses a server of another major version than the plan was made
    /// against: its catalog prints definitions differently, so the plan's
    /// check after the steps would fail with them committed.
    pub async fn check_server(&self, client: &tokio_postgres::Client) -> Result<(), String> {
        let Some(planned) = self.server_major else { return Ok(()) };
        let live = server_major(client).await.map_err(|e| crate::connect::describe(&e))?;
        if live == planned {
            return Ok(());
        }
        Err(format!(
            "refusing: the plan was made against PostgreSQL {planned}, and this server runs PostgreSQL {live}; plan again against this server"
        ))
    }

    /// The file's text, sealed with its digest.
    pub fn to_json(&mut self) -> String {
        self.digest = self.content_digest();
        serde_json::to_string_pretty(self).expect("plan files serialize") + "\n"
    }

    pub fn read(path: &Path) -> Result<PlanFile, PlanFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| PlanFileError::Read { path: shown.clone(), reason: e.to_string() })?;
        let version: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| PlanFileError::Read { path: shown.clone(), reason: e.to_string() })?;
        let found = version["format_version"].as_u64().unwrap_or(0) as u32;
        if found != FORMAT_VERSION {
            return Err(PlanFileError::Version { path: shown, found });
        }
        let file: PlanFile = serde_json::from_str(&text)
            .map_err(|e| PlanFileError::Read { path: shown.clone(), reason: e.to_string() })?;
        if file.digest != file.content_digest() {
            return Err(PlanFileError::Edited { path: shown });
        }
        Ok(file)
    }
}

/// Now, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The server's major version (15 for 15.4).
pub async fn server_major(client: &tokio_postgres::Client) -> Result<i32, tokio_postgres::Error> {
    let row =
        client.query_one("SELECT pg_catalog.current_setting('server_version_num')::int / 10000", &[]).await?;
    Ok(row.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_look_right() {
        let t = now_utc();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
