//! Pre and post steps (`steps/`) in a plan, and what the database records
//! of them, so that an apply that fails half-way neither repeats nor loses
//! one when it is applied again:
//!
//! - a `@once` step is recorded in `pgrecon.applied_steps` in its own
//!   transaction, and is due until it is;
//! - a before-step records in `pgrecon.unfinished_steps` that it ran
//!   towards these desired files; a plan towards the same files leaves it
//!   out (a lock timeout later in the apply, then a CI retry, would
//!   otherwise run its `UPDATE` twice);
//! - when the schema change is complete, in the same transaction as its
//!   last steps, those records are cleared and the after-steps recorded as
//!   pending; each after-step clears its own record when it commits. A
//!   plan finding one still pending runs it, even when the schema is in
//!   sync (the change it follows committed, and it did not run).
//!
//! The `pgrecon` schema is never part of the managed schema
//! (introspection leaves it out).

use super::{
    names_object, settle_enum_commits, Action, Hazard, Plan, PlanError, Step, StepDeps, Transaction,
};
use crate::load::steps::{DataStep, When};
use crate::load::SourceSet;
use crate::quote::literal;

const APPLIED_STEPS: &str = "CREATE SCHEMA IF NOT EXISTS pgrecon; \
    CREATE TABLE IF NOT EXISTS pgrecon.applied_steps \
    (name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";

/// `state` is `ran` (a before-step, in an apply of the files of digest `files`)
/// or `pending` (an after-step whose schema change committed).
const UNFINISHED_STEPS: &str = "CREATE SCHEMA IF NOT EXISTS pgrecon; \
    CREATE TABLE IF NOT EXISTS pgrecon.unfinished_steps \
    (name text NOT NULL, state text NOT NULL CHECK (state IN ('ran', 'pending')), sha256 text NOT NULL, \
     files text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (name, state))";

/// What the database records of data steps.
#[derive(Debug, Clone, Default)]
pub struct StepRecords {
    /// Once-only steps applied, by name.
    pub applied: Vec<String>,
    /// Before-steps that ran in an apply that did not finish: name, their
    /// text's and the desired files' digests, when.
    pub ran: Vec<Unfinished>,
    /// After-steps left pending by an apply that did not finish.
    pub pending: Vec<Unfinished>,
}

#[derive(Debug, Clone)]
pub struct Unfinished {
    pub name: String,
    pub sha256: String,
    pub files: String,
    pub recorded_at: String,
}

impl StepRecords {
    /// Reads them (none when pgrecon never recorded any).
    pub async fn read(client: &tokio_postgres::Client) -> Result<StepRecords, tokio_postgres::Error> {
        let exists =
            |table: &str| format!("SELECT pg_catalog.to_regclass('pgrecon.{table}') IS NOT NULL AS present");
        let present = client
            .query_one(
                &format!("SELECT ({}), ({})", exists("applied_steps"), exists("unfinished_steps")),
                &[],
            )
            .await?;
        let mut records = StepRecords::default();
        if present.get::<_, bool>(0) {
            let rows = client.query("SELECT name FROM pgrecon.applied_steps", &[]).await?;
            records.applied = rows.iter().map(|r| r.get(0)).collect();
        }
        if present.get::<_, bool>(1) {
            let sql = "SELECT name, state, sha256, files, recorded_at::text FROM pgrecon.unfinished_steps \
                       ORDER BY name";
            for row in client.query(sql, &[]).await? {
                let record = Unfinished {
                    name: row.get(0),
                    sha256: row.get(2),
                    files: row.get(3),
                    recorded_at: row.get(4),
                };
                match row.get::<_, &str>(1) {
                    "ran" => records.ran.push(record),
                    _ => records.pending.push(record),
                }
            }
        }
        Ok(records)
    }
}

/// Adds the pre and post steps that are due (see [`insert_data_steps`]),
/// reading the records of `client`'s database.
pub async fn add_data_steps(
    client: &tokio_postgres::Client,
    plan: &mut Plan,
    sources: &SourceSet,
) -> Result<(), PlanError> {
    if sources.data_steps.is_empty() {
        return Ok(());
    }
    let records = StepRecords::read(client).await.map_err(|e| PlanError::Unsupported {
        object: "pgrecon's records of data steps".into(),
        reason: crate::connect::describe(&e),
    })?;
    insert_data_steps(plan, sources, &records);
    Ok(())
}

/// Adds the pre and post steps that are due: `before` steps first, `after`
/// steps last. A `@once` step is due until it is recorded as applied; a
/// `@when-changed` step only when the plan touches that object; any other
/// step whenever the plan changes the schema, except a before-step that
/// already ran towards these files, and an after-step left pending is due
/// in any case. Also for a plan between two sets of files (a pull
/// request), where `records.applied` are the once-only steps the base
/// branch already has.
pub fn insert_data_steps(plan: &mut Plan, sources: &SourceSet, records: &StepRecords) {
    if sources.data_steps.is_empty() {
        return;
    }
    let files = &crate::cache::ModelCache::digest(&sources.files);
    let changes_schema = !plan.is_empty();
    let due = due_steps(plan, &sources.data_steps, records, files);
    let build = |track: bool, when: When| -> Vec<Step> {
        due.iter()
            .filter(|(d, _)| d.when == when)
            .map(|(d, pending)| data_step(d, files, *pending, track))
            .collect()
    };
    let (before, after) = (build(false, When::Before), build(false, When::After));
    let (n_before, n_after) = (before.len(), after.len());
    let mut out = before;
    out.append(&mut plan.steps);
    out.extend(after);
    settle_enum_commits(&mut out);
    // Records matter only when the plan commits more than once (a single
    // transaction leaves all or nothing), or to clear earlier ones.
    let tracked =
        super::segments_of(&out).len() > 1 || !records.ran.is_empty() || !records.pending.is_empty();
    if tracked {
        out.splice(..n_before, build(true, When::Before));
        let mut after = build(true, When::After);
        let records_itself = |s: &Step| !is_once(s) && !is_left_pending(s);
        let recorded = out[..n_before].iter().chain(&after).any(records_itself);
        if changes_schema && (recorded || !records.ran.is_empty()) {
            let last_schema_step = &out[..out.len() - n_after].last();
            let joins = last_schema_step.is_some_and(|s| s.transaction == Transaction::Transactional);
            after.insert(0, schema_change_done(&after, files, joins));
        }
        let at = out.len() - n_after;
        out.splice(at.., after);
    }
    plan.steps = out;
}

/// The data steps due (see [`insert_data_steps`]), each with whether it was
/// left pending by an apply that did not finish. What is not run although
/// recorded (a before-step that ran already, a pending after-step whose
/// file is gone) is said in the plan's warnings.
fn due_steps<'d>(
    plan: &mut Plan,
    steps: &'d [DataStep],
    records: &StepRecords,
    files: &str,
) -> Vec<(&'d DataStep, bool)> {
    let changes_schema = !plan.is_empty();
    let mut due = Vec::new();
    for d in steps {
        let left_pending =
            !d.once && d.when == When::After && records.pending.iter().any(|r| r.name == d.name);
        let is_due = if d.once { !records.applied.contains(&d.name) } else { changes_schema || left_pending };
        let touched = |object: &str| plan.steps.iter().any(|s| names_object(&s.object, object));
        let wanted = left_pending || d.when_changed.as_deref().is_none_or(touched);
        if !is_due || !wanted {
            continue;
        }
        // Its effect is in the database whatever became of the other files
        // since (a comment edited, the schema change reworked): running it
        // again would apply it twice. Edited itself, it is another step.
        let ran = records.ran.iter().find(|r| r.name == d.name && r.sha256 == d.sha256);
        if let Some(ran) = ran.filter(|_| !d.once && d.when == When::Before) {
            let since = if ran.files == files { "" } else { " (the desired files have changed since)" };
            plan.warnings.push(format!(
                "before-step {} already ran (at {}) in an apply that did not finish{since}: it is not run again \
                 (delete its row from pgrecon.unfinished_steps to run it again)",
                d.name, ran.recorded_at
            ));
            continue;
        }
        due.push((d, left_pending));
    }
    for r in records.pending.iter().filter(|r| !steps.iter().any(|d| d.name == r.name)) {
        plan.warnings.push(format!(
            "after-step {} was left pending by an apply that did not finish (at {}), and steps/ no longer has it: \
             it does not run (delete its row from pgrecon.unfinished_steps to stop this warning)",
            r.name, r.recorded_at
        ));
    }
    due
}

/// What a plan step says of the data step it runs, as [`data_step`]
/// writes it (a saved plan keeps only the steps).
pub(super) fn is_data_step(s: &Step, when: When) -> bool {
    let phase = match when {
        When::Before => "(before the schema change",
        When::After => "(after the schema change",
    };
    s.kind == "data step" && s.summary.contains(phase)
}

fn is_once(s: &Step) -> bool {
    s.kind == "data step" && s.summary.contains(", once)")
}

fn is_left_pending(s: &Step) -> bool {
    s.kind == "data step" && s.summary.contains("; left pending")
}

/// A saved plan applied again after an apply of it stopped half-way:
/// what is left of it. At its target schema, only its after-steps that
/// did not run (pending, or once-only and not recorded); before it, the
/// plan without the before-steps that already ran towards its files. The
/// notes say what is left out.
pub fn resume_saved(plan: &Plan, records: &StepRecords, at_target: bool) -> (Plan, Vec<String>) {
    let mut notes = Vec::new();
    let keep = |s: &Step| {
        if at_target {
            return is_data_step(s, When::After)
                && if is_once(s) {
                    !records.applied.contains(&s.object)
                } else {
                    records.pending.iter().any(|r| r.name == s.object)
                };
        }
        // The step's record names the files it ran towards: only a run of
        // this plan (or of one towards the same files) counts.
        let ran = is_data_step(s, When::Before)
            && records
                .ran
                .iter()
                .any(|r| r.name == s.object && s.sql.iter().any(|q| q.contains(&literal(&r.files))));
        !ran
    };
    let mut left = plan.clone();
    left.steps.retain(|s| {
        let kept = keep(s);
        if !kept && !at_target {
            notes.push(format!(
                "before-step {} already ran in an apply of this plan that did not finish: not run again",
                s.object
            ));
        }
        kept
    });
    (left, notes)
}

/// A data step's plan step: its SQL, with what records it (`track`: for
/// a non-once step, only in a plan that commits more than once).
fn data_step(d: &DataStep, files: &str, left_pending: bool, track: bool) -> Step {
    let (name, sha) = (literal(&d.name), literal(&d.sha256));
    let mut sql = Vec::new();
    if d.once {
        sql.push(APPLIED_STEPS.to_string());
    } else if track {
        sql.push(UNFINISHED_STEPS.to_string());
    }
    sql.push(d.sql.clone());
    match (d.once, d.when) {
        (true, _) => sql.push(format!("INSERT INTO pgrecon.applied_steps (name, sha256) VALUES ({name}, {sha})")),
        (false, _) if !track => {}
        (false, When::Before) => sql.push(format!(
            "INSERT INTO pgrecon.unfinished_steps (name, state, sha256, files) VALUES ({name}, 'ran', {sha}, {}) \
             ON CONFLICT (name, state) DO UPDATE SET sha256 = EXCLUDED.sha256, files = EXCLUDED.files, \
             recorded_at = now()",
            literal(files)
        )),
        (false, When::After) => {
            sql.push(format!("DELETE FROM pgrecon.unfinished_steps WHERE name = {name} AND state = 'pending'"))
        }
    }
    let when = match d.when {
        When::Before => "before the schema change",
        When::After => "after the schema change",
    };
    let how = match (d.once, left_pending) {
        (true, _) => ", once",
        (false, true) => "; left pending by an apply that did not finish",
        (false, false) => "",
    };
    Step {
        action: Action::Alter,
        kind: "data step".into(),
        object: d.name.clone(),
        summary: format!("~ data step {} ({when}{how})", d.name),
        sql,
        // A before-step joins the schema change's first transaction, an
        // after-step (the first) its last, where the plan allows: a
        // failure then leaves nothing of either.
        transaction: match d.when {
            When::Before => Transaction::Transactional,
            When::After => Transaction::CommitAfter,
        },
        data_loss: false,
        hazards: vec![Hazard::DataChange],
        backfill: None,
        needs_empty_table: None,
        needs_no_nulls: None,
        needs_absent_values: None,
        needs_length_at_most: None,
        deps: StepDeps::default(),
    }
}

/// In the schema change's last transaction: the before-steps' records are
/// cleared, and the after-steps recorded as pending until they run. It
/// `joins` that transaction when the last schema step runs in one (the
/// first after-step then commits with them, and each clears its own
/// record); otherwise the schema change committed already, and so must
/// this record before any after-step runs.
fn schema_change_done(after: &[Step], files: &str, joins: bool) -> Step {
    let mut sql =
        vec![UNFINISHED_STEPS.to_string(), "DELETE FROM pgrecon.unfinished_steps WHERE state = 'ran'".into()];
    let pending: Vec<&Step> = after.iter().filter(|s| !is_once(s)).collect();
    if !pending.is_empty() {
        let rows: Vec<String> = pending
            .iter()
            .map(|s| format!("({}, 'pending', '', {})", literal(&s.object), literal(files)))
            .collect();
        sql.push(format!(
            "INSERT INTO pgrecon.unfinished_steps (name, state, sha256, files) VALUES {} \
             ON CONFLICT (name, state) DO UPDATE SET files = EXCLUDED.files, recorded_at = now()",
            rows.join(", ")
        ));
    }
    let names: Vec<&str> = pending.iter().map(|s| s.object.as_str()).collect();
    let summary = if names.is_empty() {
        "~ pgrecon.unfinished_steps: the schema change is done".to_string()
    } else {
        format!(
            "~ pgrecon.unfinished_steps: the schema change is done; {} pending until run",
            names.join(", ")
        )
    };
    Step {
        action: Action::Alter,
        kind: "record".into(),
        object: "pgrecon.unfinished_steps".into(),
        summary,
        sql,
        transaction: if joins { Transaction::Transactional } else { Transaction::CommitAfter },
        data_loss: false,
        hazards: Vec::new(),
        backfill: None,
        needs_empty_table: None,
        needs_no_nulls: None,
        needs_absent_values: None,
        needs_length_at_most: None,
        deps: StepDeps::default(),
    }
}

/// After a rollback of `plan`: its once-only data steps are forgotten, so
/// that the change applied again runs them again (the rollback took the
/// schema they filled back to before them). Returns their names.
pub async fn forget_once_steps(
    client: &tokio_postgres::Client,
    plan: &Plan,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let once: Vec<String> = plan.steps.iter().filter(|s| is_once(s)).map(|s| s.object.clone()).collect();
    if once.is_empty() {
        return Ok(Vec::new());
    }
    let recorded = client
        .query_one("SELECT pg_catalog.to_regclass('pgrecon.applied_steps') IS NOT NULL", &[])
        .await?
        .get::<_, bool>(0);
    if !recorded {
        return Ok(Vec::new());
    }
    let rows = client
        .query("DELETE FROM pgrecon.applied_steps WHERE name = ANY($1) RETURNING name", &[&once])
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str, when: When) -> DataStep {
        DataStep {
            name: name.into(),
            path: name.into(),
            sql: "UPDATE t SET n = n * 10".into(),
            sha256: "abc".into(),
            when,
            once: false,
            when_changed: None,
        }
    }

    fn unfinished(name: &str, files: &str) -> Unfinished {
        Unfinished {
            name: name.into(),
            sha256: "abc".into(),
            files: files.into(),
            recorded_at: "then".into(),
        }
    }

    /// A saved plan applied again: the before-step that ran towards its
    /// files is left out (one towards other files is not); at the target,
    /// only the pending after-step is left.
    #[test]
    fn a_saved_plan_resumes_where_it_stopped() {
        let before = data_step(&step("001.sql", When::Before), "digest", false, true);
        let after = data_step(&step("002.sql", When::After), "digest", false, true);
        let plan = Plan {
            steps: vec![before, after],
            warnings: Vec::new(),
            unmanaged_missing: 0,
            live_names: Default::default(),
        };
        let summaries = |p: &Plan| p.steps.iter().map(|s| s.object.clone()).collect::<Vec<_>>();

        let ran = StepRecords { ran: vec![unfinished("001.sql", "digest")], ..Default::default() };
        let (left, notes) = resume_saved(&plan, &ran, false);
        assert_eq!(summaries(&left), ["002.sql"]);
        assert_eq!(notes.len(), 1);
        let elsewhere = StepRecords { ran: vec![unfinished("001.sql", "other")], ..Default::default() };
        assert_eq!(summaries(&resume_saved(&plan, &elsewhere, false).0), ["001.sql", "002.sql"]);

        let pending = StepRecords { pending: vec![unfinished("002.sql", "digest")], ..Default::default() };
        assert_eq!(summaries(&resume_saved(&plan, &pending, true).0), ["002.sql"]);
        assert!(resume_saved(&plan, &StepRecords::default(), true).0.is_empty());
    }
}
