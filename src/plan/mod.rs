//! Planning: turns the differences between the live and the desired model
//! into SQL steps, ordered by dependency, grouped into transactions.
//!
//! Phases, in order: resolve renames → diff (on the renamed live model) →
//! expand (objects that depend on something being rebuilt are dropped and
//! created again from the desired text) → steps (SQL per change) → order
//! (petgraph, deterministic).

mod data_steps;
mod expand;
pub mod file;
mod graph;
mod hazards;
pub mod normalize;
mod rename_order;
mod reverse;
mod sources;
mod steps;
mod unmanaged;

pub use data_steps::{add_data_steps, forget_once_steps, insert_data_steps, resume_saved, StepRecords};
pub use hazards::Hazard;
pub use reverse::reverse;
pub use sources::SourceIndex;

use expand::with_parts as expand_parts;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, ObjectId, QualName};
use crate::diff::{self, Change};
use crate::elaborate::DesiredState;

/// How a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transaction {
    /// Inside the segment's transaction.
    Transactional,
    /// Transactional, but what it adds can only be used after COMMIT
    /// (`ALTER TYPE ... ADD VALUE`), or what follows should not hold its
    /// locks (online DDL): the segment ends after it.
    CommitAfter,
    /// Cannot run in a transaction (`CREATE INDEX CONCURRENTLY`): runs on
    /// its own, each statement committing by itself.
    NonTransactional,
    /// A data step run in bounded batches, each committing by itself (see
    /// [`Backfill`]), so no lock is held for the whole update.
    Batched,
}

/// Filling a column in existing rows, in batches by primary key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Backfill {
    pub table: crate::catalog::QualName,
    pub column: String,
    /// The SQL expression each row gets (may use the row's other columns).
    pub expression: String,
    /// The single-column primary key batches are taken by, and its type.
    pub key: String,
    pub key_type: String,
    pub batch_size: i64,
    /// Fill only rows where the column is NULL (a column becoming NOT NULL),
    /// rather than every row (a column just added).
    #[serde(default)]
    pub only_nulls: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Drop,
    Alter,
    Rename,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub action: Action,
    /// `table`, `column`, `index`, ...
    pub kind: String,
    /// The object, quoted as in SQL.
    pub object: String,
    /// One line for people: `+ table public.households`.
    pub summary: String,
    pub sql: Vec<String>,
    pub transaction: Transaction,
    /// The step destroys data (a dropped table or column, a narrowed type,
    /// a removed enum value): refused without `--allow-data-loss`.
    pub data_loss: bool,
    /// What running the step risks, for review (see `hazards`).
    #[serde(default)]
    pub hazards: Vec<Hazard>,
    /// For `Batched` steps: what to fill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill: Option<Backfill>,
    /// The step fails on a table with rows (a NOT NULL column with no
    /// default and no backfill): checked against the live data at plan time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_empty_table: Option<crate::catalog::QualName>,
    /// The step fails when the column (table, column) has NULLs (`SET NOT
    /// NULL` with no backfill): checked against the live data at plan time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_no_nulls: Option<(crate::catalog::QualName, String)>,
    /// The step fails when a row holds one of these enum values (a column
    /// converted to an enum rebuilt without them): checked at plan time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_absent_values: Option<AbsentValues>,
    /// The step fails (or cuts trailing spaces) when a value of the
    /// column is longer than this: checked at plan time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_length_at_most: Option<LengthLimit>,
    #[serde(skip)]
    pub(crate) deps: StepDeps,
}

/// Enum values a column must not hold for its step to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsentValues {
    pub type_name: crate::catalog::QualName,
    pub table: crate::catalog::QualName,
    pub column: String,
    /// The column holds arrays of the enum.
    pub array: bool,
    pub values: Vec<String>,
}

/// The longest value a column may hold for its step to keep every value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LengthLimit {
    pub table: crate::catalog::QualName,
    pub column: String,
    /// The column holds arrays: each element is checked.
    pub array: bool,
    pub limit: u32,
}

/// What a step does to the catalog, for ordering.
#[derive(Debug, Clone, Default)]
pub(crate) struct StepDeps {
    /// Objects it creates (desired names).
    pub produces: Vec<ObjectId>,
    /// Objects it drops (live names, after renames).
    pub destroys: Vec<ObjectId>,
    /// Objects it changes in place.
    pub alters: Vec<ObjectId>,
    /// Objects that must exist first (created by another step if new).
    pub requires: Vec<ObjectId>,
    /// Objects the step stops using, which must still be there: a step
    /// dropping one waits for it (a sequence's old owner column).
    pub lets_go: Vec<ObjectId>,
    pub rank: u8,
    /// For renames, which run before everything else: in what order
    /// among themselves (see `steps::RenameStage`).
    pub rename_stage: Option<steps::RenameStage>,
    /// `ALTER TYPE ... ADD VALUE`: the type and the values added, as SQL
    /// literals (see [`settle_enum_commits`]).
    pub adds_enum_values: Option<(crate::catalog::QualName, Vec<String>)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub warnings: Vec<String>,
    /// Objects of the desired files of kinds pgrecon does not manage that
    /// the database does not have (a policy, a grant): a plan without
    /// steps then does not mean the database matches the files.
    /// (Left out of a plan file when 0: files written before it existed
    /// keep their digest.)
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unmanaged_missing: usize,
    /// Renamed relations, new name → live name: checks of live data at
    /// plan time read a table under the name it has before the plan.
    #[serde(skip)]
    pub(crate) live_names: std::collections::HashMap<crate::catalog::QualName, crate::catalog::QualName>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// When objects of the files are missing that pgrecon does not manage:
    /// a clause saying so, which an empty plan adds to its "no changes".
    pub fn unmanaged_missing_note(&self) -> Option<String> {
        (self.unmanaged_missing > 0).then(|| {
            format!(
                "{} object(s) of the desired files are of kinds pgrecon does not manage and the database \
                 does not have them (named in the warnings): the database does not fully match the files",
                self.unmanaged_missing
            )
        })
    }

    /// Steps grouped into transactions: a segment ends after a
    /// `CommitAfter` step.
    pub fn segments(&self) -> Vec<&[Step]> {
        segments_of(&self.steps)
    }

    pub fn data_loss_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.data_loss)
    }
}

/// `steps` grouped into transactions (see [`Plan::segments`]).
pub(crate) fn segments_of(steps: &[Step]) -> Vec<&[Step]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, s) in steps.iter().enumerate() {
        match s.transaction {
            Transaction::CommitAfter => {
                out.push(&steps[start..=i]);
                start = i + 1;
            }
            Transaction::NonTransactional | Transaction::Batched => {
                if start < i {
                    out.push(&steps[start..i]);
                }
                out.push(&steps[i..=i]);
                start = i + 1;
            }
            Transaction::Transactional => {}
        }
    }
    if start < steps.len() {
        out.push(&steps[start..]);
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Cycle(#[from] crate::order::CycleError),
    #[error("cannot plan {object}: {reason}")]
    Unsupported { object: String, reason: String },
    #[error(
        "cannot add NOT NULL column {column} without a default: table {table} has rows (about {rows}); \
         give the column a DEFAULT, or tell pgrecon how to fill it with `-- @backfill: <expression>` \
         on the column (YAML: `backfill:`)"
    )]
    NeedsBackfill { table: String, column: String, rows: i64 },
    #[error(
        "cannot make column {column} of {table} NOT NULL: rows have NULL there; fill them first, with \
         `-- @backfill: <expression>` on the column (YAML: `backfill:`), which updates them in batches \
         before NOT NULL is set"
    )]
    HasNulls { table: String, column: String },
    #[error(
        "cannot remove {values} from type {type_name}: rows of {table}.{column} still hold it; change those \
         rows first (a `before` data step), or say how to convert them with `-- @using: <expression>` on the \
         column"
    )]
    ValuesStillUsed { type_name: String, values: String, table: String, column: String },
    #[error(
        "cannot shorten column {column} of {table} to {limit}: rows have longer values (converting them \
         would fail, or cut trailing spaces); shorten those rows first (a `before` data step), or say how \
         to convert them with `-- @using: <expression>` on the column"
    )]
    TooLong { table: String, column: String, limit: u32 },
    #[error(
        "cannot plan around objects pgrecon does not manage: {problems} (create, drop or change those \
         by hand first, e.g. with psql, then plan again)"
    )]
    Unmanaged { problems: String },
    #[error(
        "cannot plan: the rename annotations swap {what} and {from}, which pgrecon does not plan (a swap \
         that ran already looks the same), and this plan also changes them ({step}), so the swap has \
         not run: applied, the plan would leave values under the wrong names; swap in three deploys \
         (one name onto a free name, the other onto the first, the first onto the second), or drop \
         the annotations if the swap ran"
    )]
    UnplannedSwap { what: String, from: String, step: String },
    /// An error met after the renames warned: the warnings often say why
    /// (a swap not planned leaves a cycle of drops and creates).
    #[error("{error} (after these warnings: {})", warnings.join("; "))]
    Warned { error: Box<PlanError>, warnings: Vec<String> },
}

/// How plans are made.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// Online DDL on existing tables: indexes built `CONCURRENTLY`, CHECK
    /// and FK constraints added `NOT VALID` then validated, `SET NOT NULL`
    /// through a validated CHECK, each in transactions of their own.
    pub online: bool,
}

/// The plan that turns `live` into `desired`, comparing texts as they are.
pub fn plan(live: &Catalog, desired: &DesiredState) -> Result<Plan, PlanError> {
    plan_with(live, desired, PlanOptions::default())
}

pub fn plan_with(live: &Catalog, desired: &DesiredState, options: PlanOptions) -> Result<Plan, PlanError> {
    let d = differences(live, desired);
    build(desired, d.resolved, d.renamed, d.changes, options, Purpose::Run)
}

/// What a plan is built for: to run against the live database, or as the
/// way back (`reverse`), or to see what remains after an apply. Only a
/// plan to run is checked against objects pgrecon does not manage: a
/// reverse plan's "live" model is the scratch database's, which has the
/// files' policies and lacks the database's own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Run,
    Other,
}

/// [`plan_with`] for a plan not meant to run as it is (see [`Purpose`]).
pub(crate) fn plan_unchecked(
    live: &Catalog,
    desired: &DesiredState,
    options: PlanOptions,
) -> Result<Plan, PlanError> {
    let d = differences(live, desired);
    build(desired, d.resolved, d.renamed, d.changes, options, Purpose::Other)
}

/// What differs, before any SQL: the renames, the live model under them,
/// and the changes from there to the desired model.
struct Differences {
    resolved: diff::Resolved,
    renamed: Catalog,
    changes: Vec<Change>,
}

fn differences(live: &Catalog, desired: &DesiredState) -> Differences {
    let resolved = diff::resolve(live, &desired.catalog, &desired.sources.renames);
    let renamed = diff::rename_catalog(live, &resolved.names, &resolved.constraints);
    let changes = diff::diff(&renamed, &desired.catalog);
    Differences { resolved, renamed, changes }
}

/// [`differences`], less the definitions that read differently but deparse
/// the same in the session's scratch database (see `normalize`).
async fn differences_in_session(
    live: &Catalog,
    session: &mut crate::elaborate::Session,
) -> Result<Differences, PlanError> {
    let mut d = differences(live, &session.desired);
    d.changes = normalize::drop_equivalent(session, &d.renamed, d.changes)
        .await
        .map_err(|e| PlanError::Unsupported { object: "scratch database".into(), reason: e.to_string() })?;
    Ok(d)
}

/// What is left to turn `live` into `expected` (a model read earlier, e.g.
/// a saved plan's source), where definitions that read differently but
/// come out the same when created again on `client` are not changes (see
/// `normalize::drop_equivalent_on`).
pub async fn remaining_on(
    client: &tokio_postgres::Client,
    live: &Catalog,
    expected: &Catalog,
) -> Result<Plan, PlanError> {
    let state = DesiredState { catalog: expected.clone(), sources: crate::load::SourceSet::empty() };
    let mut d = differences(live, &state);
    d.changes = normalize::drop_equivalent_on(client, &d.renamed, expected, d.changes)
        .await
        .map_err(|e| PlanError::Unsupported { object: "the database".into(), reason: e.to_string() })?;
    build(&state, d.resolved, d.renamed, d.changes, PlanOptions::default(), Purpose::Other)
}

/// The plan that turns `live` into `desired`, where definitions that read
/// differently but deparse the same in the scratch database (`session`)
/// are not changes (see `normalize`).
pub async fn plan_in_session(
    live: &Catalog,
    session: &mut crate::elaborate::Session,
    options: PlanOptions,
) -> Result<Plan, PlanError> {
    let d = differences_in_session(live, session).await?;
    build(&session.desired, d.resolved, d.renamed, d.changes, options, Purpose::Run)
}

/// How the live database differs from the session's desired state, as drift
/// findings (renames pending, changes after normalization).
pub async fn drift_in_session(
    live: &Catalog,
    session: &mut crate::elaborate::Session,
) -> Result<crate::report::drift::Drift, PlanError> {
    let d = differences_in_session(live, session).await?;
    Ok(crate::report::drift::findings(&d.renamed, &session.desired.catalog, &d.resolved.steps, &d.changes))
}

fn build(
    desired: &DesiredState,
    resolved: diff::Resolved,
    renamed: Catalog,
    changes: Vec<Change>,
    options: PlanOptions,
    purpose: Purpose,
) -> Result<Plan, PlanError> {
    let changes = expand::expand(&renamed, &desired.catalog, changes);
    let subjects = subjects(&changes);
    let sources = SourceIndex::build(&desired.sources, &desired.catalog, |name| subjects.contains(name));
    let ctx = steps::Context {
        live: &renamed,
        desired: &desired.catalog,
        sources: &sources,
        hints: &desired.sources.hints,
        online: options.online,
    };
    let warned = |error: PlanError| match resolved.warnings.is_empty() {
        true => error,
        false => PlanError::Warned { error: Box::new(error), warnings: resolved.warnings.clone() },
    };
    let mut all = steps::rename_steps(&resolved.steps, &renamed);
    all.extend(steps::steps(&ctx, &changes).map_err(warned)?);
    refuse_changes_to_unplanned_swaps(&resolved.unplanned_swaps, &all)?;
    let mut ordered = graph::order(all, &renamed, &desired.catalog).map_err(|e| warned(e.into()))?;
    settle_enum_commits(&mut ordered);
    if purpose == Purpose::Run {
        unmanaged::check(&ordered, &renamed, &desired.catalog, &resolved.steps).map_err(warned)?;
    }
    hazards::assess(&mut ordered, &renamed);
    leave_renamed_columns_to_apply(&mut ordered, &resolved.names);
    let live_names = resolved.names.relations.into_iter().map(|(old, new)| (new, old)).collect();
    let unmanaged_missing = desired.catalog.unmanaged_missing_from(&renamed).count();
    Ok(Plan { steps: ordered, warnings: resolved.warnings, unmanaged_missing, live_names })
}

/// A column renamed in the plan is not under its new name in the live rows
/// yet, and its new name may be another column's there (a chain): the
/// checks of live rows leave it to the apply, which fails safely.
fn leave_renamed_columns_to_apply(steps: &mut [Step], names: &diff::NameMap) {
    let renamed = |table: &QualName, column: &str| {
        names.columns.iter().any(|((t, old), new)| t == table && (old == column || new == column))
    };
    for s in steps {
        if s.needs_no_nulls.as_ref().is_some_and(|(t, c)| renamed(t, c)) {
            s.needs_no_nulls = None;
        }
        if s.needs_absent_values.as_ref().is_some_and(|a| renamed(&a.table, &a.column)) {
            s.needs_absent_values = None;
        }
        if s.needs_length_at_most.as_ref().is_some_and(|l| renamed(&l.table, &l.column)) {
            s.needs_length_at_most = None;
        }
    }
}

/// Refuses a plan that changes the objects of a swap it leaves out (see
/// [`diff::UnplannedSwap`]).
fn refuse_changes_to_unplanned_swaps(swaps: &[diff::UnplannedSwap], steps: &[Step]) -> Result<(), PlanError> {
    for swap in swaps {
        let touched = |id: &ObjectId| match &swap.swapped {
            diff::Swapped::Objects(ids) => ids.contains(id),
            diff::Swapped::Subjects(names) => id.subject().is_some_and(|s| names.contains(s)),
        };
        // A comment changed says nothing about the values.
        let only_comments = |s: &Step| s.sql.iter().all(|q| q.starts_with("COMMENT ON"));
        let changing =
            steps.iter().filter(|s| s.deps.rename_stage.is_none() && !only_comments(s)).find(|s| {
                let d = &s.deps;
                d.produces.iter().chain(&d.destroys).chain(&d.alters).any(touched)
            });
        if let Some(step) = changing {
            return Err(PlanError::UnplannedSwap {
                what: swap.what.clone(),
                from: swap.from.clone(),
                step: step.summary.clone(),
            });
        }
    }
    Ok(())
}

/// `ALTER TYPE ... ADD VALUE` runs in a transaction (PostgreSQL 12 and
/// later), but a value added there cannot be used before it commits. So a
/// step adding values commits by itself only when another step may use
/// them: one that names the type at all (a default calling
/// `enum_last(NULL::mood)`, a column converted to it or to a domain or
/// composite over it, a view casting to it) or one of the values (a
/// default, a CHECK, a backfill), or a data step (any SQL). Otherwise it
/// stays in the transaction of what follows, and a failure there rolls it
/// back too, instead of leaving the plan half-applied. Erring towards the
/// commit only costs what it did before. Decided again when data steps
/// join the plan.
pub(crate) fn settle_enum_commits(steps: &mut [Step]) {
    for i in 0..steps.len() {
        let Some((name, added)) = &steps[i].deps.adds_enum_values else { continue };
        let type_name = name.name.to_lowercase();
        let uses_value = |s: &Step| {
            let mut texts = s.sql.iter().chain(s.backfill.as_ref().map(|b| &b.expression));
            s.kind == "data step"
                || texts.any(|t| {
                    crate::sql_scan::contains_word(&t.to_lowercase(), &type_name)
                        || added.iter().any(|v| t.contains(v.as_str()))
                })
        };
        let used = steps.iter().enumerate().any(|(j, s)| j != i && uses_value(s));
        steps[i].transaction = if used { Transaction::CommitAfter } else { Transaction::Transactional };
    }
}

/// The name an index changed online is built under before it replaces
/// the old one (`steps::swap_index_online`).
pub fn online_temporary_name(index: &QualName) -> QualName {
    QualName::new(index.schema.clone(), crate::quote::suffixed(&index.name, "_pgrecon_new"))
}

/// The relations, types and functions the changes are about (the table
/// for a column, constraint or trigger): whose source texts steps use.
fn subjects(changes: &[Change]) -> std::collections::HashSet<&QualName> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Create(id) | Change::Drop(id) | Change::Replace(id) | Change::Redefine(id) => {
                id.subject()
            }
            Change::Comment { target, .. } => target.subject(),
            Change::AlterColumn { table, .. }
            | Change::ValidateConstraint { table, .. }
            | Change::AlterTable { table }
            | Change::SetTriggerEnabled { table, .. } => Some(table),
            Change::AlterSequence { name }
            | Change::AddEnumValue { name, .. }
            | Change::RebuildEnum { name }
            | Change::AlterDomain { name }
            | Change::RebuildType { name }
            | Change::AlterComposite { name } => Some(name),
        })
        .collect()
}

/// Whether a step's object (`public.t`, `public.t.col`, `name on public.t`,
/// `public.a → public.b`) is `object` or a part of it: `public.t` is not
/// `public.tags`.
fn names_object(step_object: &str, object: &str) -> bool {
    let words = step_object.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','));
    words.into_iter().any(|w| w == object || w.strip_prefix(object).is_some_and(|rest| rest.starts_with('.')))
}

/// Checks the plan against the live data: a step that needs an empty table
/// fails here, with the table's row estimate, instead of half-way through
/// apply, and so do NULLs under a new NOT NULL, enum values rows still
/// hold, and values too long for a shortened column; backfill steps get
/// their row estimates in their summaries.
pub async fn check_data(client: &tokio_postgres::Client, plan: &mut Plan) -> Result<(), PlanError> {
    let query_error = |e: tokio_postgres::Error| PlanError::Unsupported {
        object: "live data".into(),
        reason: crate::connect::describe(&e),
    };
    for step in &mut plan.steps {
        let table =
            step.needs_empty_table.clone().or_else(|| step.backfill.as_ref().map(|b| b.table.clone()));
        let Some(table) = table else { continue };
        let live = plan.live_names.get(&table).unwrap_or(&table);
        // A table never analyzed has no estimate (reltuples -1, or 0 before
        // PostgreSQL 14): its rows are counted, up to a million.
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {live}), (SELECT CASE WHEN c.reltuples > 0 THEN c.reltuples::bigint \
               ELSE (SELECT count(*) FROM (SELECT 1 FROM {live} LIMIT 1000000) s) END \
             FROM pg_catalog.pg_class c WHERE c.oid = '{}'::pg_catalog.regclass)",
            live.to_string().replace('\'', "''")
        );
        let row = client.query_one(&sql, &[]).await.map_err(query_error)?;
        let (has_rows, estimate): (bool, i64) = (row.get(0), row.get(1));
        if step.backfill.is_some() {
            step.summary.push_str(&format!(" (~{estimate} rows)"));
        } else if has_rows {
            return Err(PlanError::NeedsBackfill {
                table: table.to_string(),
                column: step.object.clone(),
                rows: estimate.max(1),
            });
        }
    }
    // A `before` data step may change the rows these ask about: then the
    // apply decides.
    if !plan.steps.iter().any(|s| data_steps::is_data_step(s, crate::load::steps::When::Before)) {
        refuse_nulls_where_not_null_is_set(client, plan).await?;
        refuse_enum_values_still_used(client, plan).await?;
        refuse_values_too_long(client, plan).await?;
    }
    extension_tables(client, plan).await.map_err(query_error)?;
    volatile_defaults(client, plan).await.map_err(query_error)?;
    keep_privileges(client, plan).await.map_err(query_error)
}

/// Whether `condition` holds for any row of `table` (read under its live
/// name): the question behind the checks of live rows below.
async fn any_row(
    client: &tokio_postgres::Client,
    plan: &Plan,
    table: &QualName,
    condition: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<bool, PlanError> {
    let live = plan.live_names.get(table).unwrap_or(table);
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {live} {condition})");
    let row = client.query_one(&sql, params).await.map_err(|e| PlanError::Unsupported {
        object: "live data".into(),
        reason: crate::connect::describe(&e),
    })?;
    Ok(row.get(0))
}

/// A `SET NOT NULL` on a column with NULLs fails half-way through apply:
/// refused here instead, naming the fix.
async fn refuse_nulls_where_not_null_is_set(
    client: &tokio_postgres::Client,
    plan: &Plan,
) -> Result<(), PlanError> {
    for (table, column) in plan.steps.iter().filter_map(|s| s.needs_no_nulls.as_ref()) {
        let condition = format!("WHERE {} IS NULL", crate::quote::ident(column));
        if any_row(client, plan, table, &condition, &[]).await? {
            return Err(PlanError::HasNulls { table: table.to_string(), column: column.clone() });
        }
    }
    Ok(())
}

/// A column converted to an enum rebuilt without values some rows still
/// hold fails half-way through apply: refused here instead, naming the
/// values and the fixes.
async fn refuse_enum_values_still_used(
    client: &tokio_postgres::Client,
    plan: &Plan,
) -> Result<(), PlanError> {
    for absent in plan.steps.iter().filter_map(|s| s.needs_absent_values.as_ref()) {
        let column = crate::quote::ident(&absent.column);
        let condition = match absent.array {
            false => format!("WHERE {column}::text = ANY ($1)"),
            true => format!("WHERE {column}::text[] && $1"),
        };
        if any_row(client, plan, &absent.table, &condition, &[&absent.values]).await? {
            let values: Vec<String> = absent.values.iter().map(|v| crate::quote::literal(v)).collect();
            return Err(PlanError::ValuesStillUsed {
                type_name: absent.type_name.to_string(),
                values: values.join(", "),
                table: absent.table.to_string(),
                column: absent.column.clone(),
            });
        }
    }
    Ok(())
}

/// A column shortened by assignment fails on a longer value (or cuts its
/// trailing spaces): refused here instead, naming the fixes.
async fn refuse_values_too_long(client: &tokio_postgres::Client, plan: &Plan) -> Result<(), PlanError> {
    for limit in plan.steps.iter().filter_map(|s| s.needs_length_at_most.as_ref()) {
        let column = crate::quote::ident(&limit.column);
        let condition = match limit.array {
            false => format!("WHERE length({column}::text) > $1"),
            true => format!(", pg_catalog.unnest({column}) e WHERE length(e::text) > $1"),
        };
        let longest = i32::try_from(limit.limit).unwrap_or(i32::MAX);
        if any_row(client, plan, &limit.table, &condition, &[&longest]).await? {
            return Err(PlanError::TooLong {
                table: limit.table.to_string(),
                column: limit.column.clone(),
                limit: limit.limit,
            });
        }
    }
    Ok(())
}

/// Privileges are not managed, and are left alone: a view, materialized
/// view, function or column the plan drops and creates again gets the
/// privileges it has in the database back, in the step that creates it
/// (else a reporting role would lose its SELECT with the deploy). Run on a reverse
/// plan too, it gives back what the objects have now.
pub async fn keep_privileges(
    client: &tokio_postgres::Client,
    plan: &mut Plan,
) -> Result<(), tokio_postgres::Error> {
    const ACL: &str = "SELECT g.privilege_type, \
           CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END, \
           g.is_grantable \
         FROM pg_catalog.aclexplode($1::text::pg_catalog.aclitem[]) g WHERE g.grantee <> $2::pg_catalog.oid \
         ORDER BY 2, 1";
    let recreated: Vec<(usize, String, &'static str)> = plan
        .steps
        .iter()
        .filter(|s| s.action == Action::Drop)
        .filter_map(|d| {
            let keyword = match d.kind.as_str() {
                "view" | "materialized view" => "TABLE",
                "function" => "FUNCTION",
                _ => return None,
            };
            let creates = |c: &Step| c.action == Action::Create && c.kind.contains(d.kind.as_str());
            let same = plan.steps.iter().position(|c| creates(c) && c.object == d.object);
            // A function created again with other argument names is the
            // same function to a grant: one of that name.
            let name = |object: &str| object.split('(').next().map(str::to_string);
            let renamed_arguments = || {
                let mut like = (0..plan.steps.len())
                    .filter(|&i| creates(&plan.steps[i]) && name(&plan.steps[i].object) == name(&d.object));
                match (like.next(), like.next()) {
                    (Some(only), None) if keyword == "FUNCTION" => Some(only),
                    _ => None,
                }
            };
            let create = same.or_else(renamed_arguments)?;
            Some((create, d.object.clone(), keyword))
        })
        .collect();
    for (create, table, column) in recreated_columns(plan) {
        // Read under the name the table has before the plan.
        let live_table = plan.live_names.get(&table).unwrap_or(&table).to_string();
        let row = client.query_opt(COLUMN_ACL, &[&live_table, &column]).await?;
        let Some(row) = row else { continue };
        let (Some(acl), owner): (Option<String>, u32) = (row.get(0), row.get(1)) else { continue };
        for g in client.query(ACL, &[&acl, &owner]).await? {
            let (privilege, grantee, grantable): (String, String, bool) = (g.get(0), g.get(1), g.get(2));
            let option = if grantable { " WITH GRANT OPTION" } else { "" };
            let column = crate::quote::ident(&column);
            plan.steps[create]
                .sql
                .push(format!("GRANT {privilege} ({column}) ON TABLE {table} TO {grantee}{option}"));
        }
    }
    for (create, live_object, keyword) in recreated {
        let object = plan.steps[create].object.clone();
        let acl_query = if keyword == "TABLE" {
            "SELECT c.relacl::text, c.relowner FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1)"
        } else {
            "SELECT p.proacl::text, p.proowner FROM pg_catalog.pg_proc p \
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
             WHERE pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' \
                   || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' = $1"
        };
        // The dropped object is in the database for a forward plan; for a
        // reverse plan, made before the forward one runs, the one created.
        let row = match client.query_opt(acl_query, &[&live_object]).await? {
            Some(row) => row,
            None => match client.query_opt(acl_query, &[&object]).await? {
                Some(row) => row,
                None => continue,
            },
        };
        let (Some(acl), owner): (Option<String>, u32) = (row.get(0), row.get(1)) else { continue };
        let mut sql = vec![format!("REVOKE ALL ON {keyword} {object} FROM PUBLIC")];
        for g in client.query(ACL, &[&acl, &owner]).await? {
            let (privilege, grantee, grantable): (String, String, bool) = (g.get(0), g.get(1), g.get(2));
            let option = if grantable { " WITH GRANT OPTION" } else { "" };
            sql.push(format!("GRANT {privilege} ON {keyword} {object} TO {grantee}{option}"));
        }
        plan.steps[create].sql.extend(sql);
    }
    Ok(())
}

/// A column's own privileges (`GRANT SELECT (col) ON t`), with its
/// table's owner.
const COLUMN_ACL: &str = "SELECT a.attacl::text, c.relowner FROM pg_catalog.pg_attribute a \
     JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
     WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped";

/// Columns the plan drops and adds again (a generated column whose
/// expression changes): the step adding each, its table and its name.
fn recreated_columns(plan: &Plan) -> Vec<(usize, crate::catalog::QualName, String)> {
    let column_of = |ids: &[ObjectId]| {
        ids.iter().find_map(|id| match id {
            ObjectId::Column { table, column } => Some((table.clone(), column.clone())),
            _ => None,
        })
    };
    let dropped = plan.steps.iter().filter(|s| s.action == Action::Drop && s.kind == "column");
    dropped
        .filter_map(|d| column_of(&d.deps.destroys))
        .filter_map(|(table, column)| {
            let same = |id: &ObjectId| {
                matches!(id, ObjectId::Column { table: t, column: c } if *t == table && *c == column)
            };
            let produces = |s: &Step| s.deps.produces.iter().any(same);
            let create = plan.steps.iter().position(|s| s.action == Action::Create && produces(s))?;
            Some((create, table, column))
        })
        .collect()
}

/// A column added to an existing table with a volatile default (`random()`,
/// `gen_random_uuid()`, a serial's `nextval`) or as an identity rewrites
/// the table: each row gets its own value. A stable or immutable default
/// is stored once and costs nothing.
async fn volatile_defaults(
    client: &tokio_postgres::Client,
    plan: &mut Plan,
) -> Result<(), tokio_postgres::Error> {
    let added = |s: &Step| {
        s.action == Action::Create && s.hazards.contains(&Hazard::AccessExclusiveLock) && s.kind == "column"
    };
    let add_sql = |s: &Step| s.sql.iter().find(|q| q.contains(" ADD COLUMN ")).cloned();
    // One round trip for the whole plan: which of the names called are
    // volatile functions (any overload, to be safe).
    let mut called: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| added(s))
        .filter_map(add_sql)
        .flat_map(|q| called_functions(&q))
        .collect();
    called.sort();
    called.dedup();
    let volatile: std::collections::HashSet<String> = if called.is_empty() {
        Default::default()
    } else {
        client
            .query(
                "SELECT DISTINCT proname::text FROM pg_catalog.pg_proc WHERE provolatile = 'v' AND proname = ANY($1::text[])",
                &[&called],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    for step in plan.steps.iter_mut().filter(|s| added(s)) {
        let Some(add) = add_sql(step) else { continue };
        let rewrites = add.to_uppercase().contains(" AS IDENTITY")
            || called_functions(&add).iter().any(|f| volatile.contains(f));
        if rewrites && !step.hazards.contains(&Hazard::Rewrite) {
            step.hazards.push(Hazard::Rewrite);
            step.hazards.sort();
        }
    }
    Ok(())
}

/// The names called in `sql` (`word(`), lower-cased as PostgreSQL folds
/// them; type modifiers (`numeric(10,2)`) come along and are harmless.
fn called_functions(sql: &str) -> Vec<String> {
    let tokens = crate::load::tokenize_statement(sql, 0);
    let mut names: Vec<String> = tokens
        .windows(2)
        .filter(|w| w[1].token == sqlparser::tokenizer::Token::LParen)
        .filter_map(|w| w[0].ident())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// An extension dropped takes its member tables with it (pg_cron's jobs,
/// a configuration table): such a drop is data loss.
async fn extension_tables(
    client: &tokio_postgres::Client,
    plan: &mut Plan,
) -> Result<(), tokio_postgres::Error> {
    let drops = plan.steps.iter_mut().filter(|s| s.action == Action::Drop && s.kind == "extension");
    for step in drops {
        let row = client
            .query_one(
                "SELECT string_agg(pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), \
                   ', ' ORDER BY n.nspname, c.relname) \
                 FROM pg_catalog.pg_extension e \
                 JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass \
                   AND d.refobjid = e.oid AND d.deptype = 'e' AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass \
                 JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind IN ('r', 'p') \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE pg_catalog.quote_ident(e.extname) = $1",
                &[&step.object],
            )
            .await?;
        if let Some(tables) = row.get::<_, Option<String>>(0) {
            step.data_loss = true;
            step.summary.push_str(&format!(" (with its tables {tables})"));
            if !step.hazards.contains(&Hazard::DataLoss) {
                step.hazards.insert(0, Hazard::DataLoss);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::names_object;

    #[test]
    fn called_functions_are_the_words_before_a_parenthesis() {
        let sql = "ALTER TABLE public.t ADD COLUMN id uuid DEFAULT gen_random_uuid() NOT NULL, \"Odd\"(x) numeric(10,2)";
        assert_eq!(super::called_functions(sql), ["Odd", "gen_random_uuid", "numeric"]);
    }

    #[test]
    fn a_step_names_an_object_and_its_parts_only() {
        assert!(names_object("public.t", "public.t"));
        assert!(names_object("public.t.label", "public.t"));
        assert!(names_object("t_pkey on public.t", "public.t"));
        assert!(names_object("public.a → public.t", "public.t"));
        assert!(!names_object("public.tags", "public.t"));
        assert!(!names_object("public.tags.label", "public.t"));
    }
}
