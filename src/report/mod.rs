//! Rendering plans for people and machines: `human` (a summary grouped by
//! object, then the SQL), `sql` (ready for psql, with transaction
//! boundaries) and `json` (a documented, stable structure).

use serde::Serialize;

use crate::plan::{Plan, Step, Transaction};

/// The JSON format's version; bumped on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

pub fn sql(plan: &Plan) -> String {
    let mut out = String::new();
    if plan.is_empty() {
        return "-- pgrecon: nothing to do, the database matches the desired state.\n".into();
    }
    for segment in plan.segments() {
        out.push_str("BEGIN;\n");
        for step in segment {
            out.push_str(&format!("\n-- {}\n", step.summary));
            if !step.hazards.is_empty() {
                out.push_str(&format!("-- hazards: {}\n", hazard_list(step)));
            }
            for s in &step.sql {
                out.push_str(s);
                out.push_str(";\n");
            }
        }
        out.push_str("\nCOMMIT;\n\n");
    }
    out
}

pub fn human(plan: &Plan, color: bool) -> String {
    let mut out = String::new();
    for w in &plan.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    if plan.is_empty() {
        out.push_str("No changes: the database matches the desired state.\n");
        return out;
    }
    out.push_str(&format!("Plan: {} step(s)", plan.steps.len()));
    let lossy = plan.data_loss_steps().count();
    if lossy > 0 {
        out.push_str(&format!(", {lossy} of them drop data"));
    }
    out.push_str("\n\n");
    for step in &plan.steps {
        out.push_str(&paint(&summary_line(step), sign_color(step), color));
        out.push('\n');
    }
    out.push_str("\nSQL:\n\n");
    out.push_str(&sql(plan));
    out
}

fn summary_line(step: &Step) -> String {
    let mut line = format!("  {}", step.summary);
    if !step.hazards.is_empty() {
        line.push_str(&format!("  [{}]", hazard_list(step)));
    }
    if step.transaction == Transaction::CommitAfter {
        line.push_str("  [commits before later steps]");
    }
    line
}

fn hazard_list(step: &Step) -> String {
    step.hazards.iter().map(|h| h.label()).collect::<Vec<_>>().join(", ")
}

fn sign_color(step: &Step) -> &'static str {
    match step.summary.chars().next() {
        Some('+') => "32",
        Some('-') => "31",
        Some('~') => "33",
        _ => "36",
    }
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    format_version: u32,
    pgrecon_version: &'a str,
    changes: bool,
    warnings: &'a [String],
    steps: Vec<JsonStep<'a>>,
}

/// One step: `action` (create, drop, alter, rename), `kind` (table,
/// column, index, ...), `object` (quoted SQL name), `summary`, `sql`
/// (statements in order), `transactional` (always true today),
/// `commit_after` (the transaction ends after this step), `data_loss`,
/// `hazards` (data_loss, rewrite, access_exclusive_lock, index_build,
/// validation_scan, non_transactional, irreversible).
#[derive(Serialize)]
struct JsonStep<'a> {
    action: crate::plan::Action,
    kind: &'a str,
    object: &'a str,
    summary: &'a str,
    sql: &'a [String],
    transactional: bool,
    commit_after: bool,
    data_loss: bool,
    hazards: &'a [crate::plan::Hazard],
}

pub fn json(plan: &Plan) -> String {
    let doc = JsonPlan {
        format_version: JSON_FORMAT_VERSION,
        pgrecon_version: env!("CARGO_PKG_VERSION"),
        changes: !plan.is_empty(),
        warnings: &plan.warnings,
        steps: plan
            .steps
            .iter()
            .map(|s| JsonStep {
                action: s.action,
                kind: &s.kind,
                object: &s.object,
                summary: &s.summary,
                sql: &s.sql,
                transactional: true,
                commit_after: s.transaction == Transaction::CommitAfter,
                data_loss: s.data_loss,
                hazards: &s.hazards,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).expect("plans serialize") + "\n"
}
