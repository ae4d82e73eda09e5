//! Planning: turns the differences between the live and the desired model
//! into SQL steps, ordered by dependency, grouped into transactions.
//!
//! Phases, in order: resolve renames → diff (on the renamed live model) →
//! expand (objects that depend on something being rebuilt are dropped and
//! created again from the desired text) → steps (SQL per change) → order
//! (petgraph, deterministic).

mod expand;
pub mod file;
mod graph;
mod hazards;
pub mod normalize;
mod reverse;
mod sources;
mod steps;

pub use hazards::Hazard;
pub use reverse::reverse;
pub use sources::SourceIndex;

use expand::with_parts as expand_parts;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, ObjectId};
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
    #[serde(skip)]
    pub(crate) deps: StepDeps,
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
    pub rank: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub warnings: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Steps grouped into transactions: a segment ends after a
    /// `CommitAfter` step.
    pub fn segments(&self) -> Vec<&[Step]> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, s) in self.steps.iter().enumerate() {
            match s.transaction {
                Transaction::CommitAfter => {
                    out.push(&self.steps[start..=i]);
                    start = i + 1;
                }
                Transaction::NonTransactional => {
                    if start < i {
                        out.push(&self.steps[start..i]);
                    }
                    out.push(&self.steps[i..=i]);
                    start = i + 1;
                }
                Transaction::Transactional => {}
            }
        }
        if start < self.steps.len() {
            out.push(&self.steps[start..]);
        }
        out
    }

    pub fn data_loss_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.data_loss)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Cycle(#[from] crate::order::CycleError),
    #[error("cannot plan {object}: {reason}")]
    Unsupported { object: String, reason: String },
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
    let resolved = diff::resolve(live, &desired.catalog, &desired.sources.renames);
    let renamed = diff::rename_catalog(live, &resolved.names, &resolved.constraints);
    let changes = diff::diff(&renamed, &desired.catalog);
    build(live, desired, resolved, renamed, changes, options)
}

/// The plan that turns `live` into `desired`, where definitions that read
/// differently but deparse the same in the scratch database (`session`)
/// are not changes (see `normalize`).
pub async fn plan_in_session(
    live: &Catalog,
    session: &crate::elaborate::Session,
    options: PlanOptions,
) -> Result<Plan, PlanError> {
    let desired = &session.desired;
    let resolved = diff::resolve(live, &desired.catalog, &desired.sources.renames);
    let renamed = diff::rename_catalog(live, &resolved.names, &resolved.constraints);
    let changes = diff::diff(&renamed, &desired.catalog);
    let changes = normalize::drop_equivalent(session.scratch(), &renamed, &desired.catalog, changes)
        .await
        .map_err(|e| PlanError::Unsupported {
            object: "scratch database".into(),
            reason: crate::connect::describe(&e),
        })?;
    build(live, desired, resolved, renamed, changes, options)
}

/// How the live database differs from the session's desired state, as drift
/// findings (renames pending, changes after normalization).
pub async fn drift_in_session(
    live: &Catalog,
    session: &crate::elaborate::Session,
) -> Result<crate::report::drift::Drift, PlanError> {
    let desired = &session.desired;
    let resolved = diff::resolve(live, &desired.catalog, &desired.sources.renames);
    let renamed = diff::rename_catalog(live, &resolved.names, &resolved.constraints);
    let changes = diff::diff(&renamed, &desired.catalog);
    let changes = normalize::drop_equivalent(session.scratch(), &renamed, &desired.catalog, changes)
        .await
        .map_err(|e| PlanError::Unsupported {
            object: "scratch database".into(),
            reason: crate::connect::describe(&e),
        })?;
    Ok(crate::report::drift::findings(&renamed, &desired.catalog, &resolved.steps, &changes))
}

fn build(
    live: &Catalog,
    desired: &DesiredState,
    resolved: diff::Resolved,
    renamed: Catalog,
    changes: Vec<Change>,
    options: PlanOptions,
) -> Result<Plan, PlanError> {
    let changes = expand::expand(&renamed, &desired.catalog, changes);
    let sources = SourceIndex::build(&desired.sources, &desired.catalog);
    let ctx = steps::Context {
        live: &renamed,
        desired: &desired.catalog,
        sources: &sources,
        online: options.online,
    };
    let mut all = steps::rename_steps(&resolved.steps, live);
    all.extend(steps::steps(&ctx, &changes)?);
    let mut ordered = graph::order(all, &renamed, &desired.catalog)?;
    hazards::assess(&mut ordered, &renamed);
    Ok(Plan { steps: ordered, warnings: resolved.warnings })
}

/// Whether two catalogs are in sync, i.e. the plan between them is empty.
pub fn changes_between(live: &Catalog, desired: &Catalog) -> Vec<Change> {
    diff::diff(live, desired)
}
