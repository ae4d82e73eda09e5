//! Rendering plans for people and machines: `human` (a summary grouped by
//! object, then the SQL), `sql` (ready for psql, with transaction
//! boundaries) and `json` (a documented, stable structure); `drift` for
//! drift reports.

pub mod drift;

use crate::plan::{Plan, Step, Transaction};

/// The plan as a script for psql: the settings an apply runs with first
/// (the files' literals read as in the scratch database, whatever the
/// server's DateStyle, TimeZone or `standard_conforming_strings`), then the
/// steps.
pub fn sql(plan: &Plan) -> String {
    if plan.is_empty() {
        return statements(plan);
    }
    let settings = crate::load::SESSION_SETTINGS.replace("; ", ";\n");
    // psql stops at the first error (a failed step must not be followed by
    // the next transaction), and no statement queues behind a long lock.
    format!(
        "\\set ON_ERROR_STOP on\nSET check_function_bodies = off;\nSET lock_timeout = '5s';\n{settings};\n\n{}",
        statements(plan)
    )
}

/// The plan's steps in their transactions.
fn statements(plan: &Plan) -> String {
    let mut out = String::new();
    if plan.is_empty() {
        return match plan.unmanaged_missing_note() {
            None => "-- pgrecon: nothing to do, the database matches the desired state.\n".into(),
            Some(note) => format!("-- pgrecon: nothing to do for what pgrecon manages, but {note}.\n"),
        };
    }
    for segment in plan.segments() {
        let alone = segment.len() == 1
            && matches!(segment[0].transaction, Transaction::NonTransactional | Transaction::Batched);
        out.push_str(if alone { "-- outside a transaction:\n" } else { "BEGIN;\n" });
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
        out.push_str(if alone { "\n" } else { "\nCOMMIT;\n\n" });
    }
    out
}

pub fn human(plan: &Plan, color: bool) -> String {
    let mut out = String::new();
    for w in &plan.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    if plan.is_empty() {
        out.push_str(&match plan.unmanaged_missing_note() {
            None => "No changes: the database matches the desired state.\n".to_string(),
            Some(note) => format!("No changes to what pgrecon manages, but {note}.\n"),
        });
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
    out.push_str(&statements(plan));
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

/// The human plan, followed by what a rollback could not undo.
pub fn human_with_reverse(plan: &Plan, reverse: &Plan, color: bool) -> String {
    let mut out = human(plan, color);
    let irreversible: Vec<&Step> = plan.data_loss_steps().collect();
    if !irreversible.is_empty() {
        out.push_str("\nA rollback cannot restore the data these steps drop:\n");
        for s in irreversible {
            out.push_str(&format!("  {}\n", s.summary));
        }
    }
    if !plan.is_empty() {
        out.push_str(&format!(
            "\nReverse plan: {} step(s) (saved with --out FILE.json, run by `pgrecon rollback`).\n",
            reverse.steps.len()
        ));
    }
    out
}

/// A pull-request comment: a one-line verdict, a table of changes with
/// hazards, the SQL folded away, and what a rollback cannot undo.
pub fn markdown(plan: &Plan, reverse: &Plan) -> String {
    if plan.is_empty() {
        if let Some(note) = plan.unmanaged_missing_note() {
            return format!("⚠️ **pgrecon plan: no changes** to what pgrecon manages, but {note}.\n");
        }
        return "✅ **pgrecon plan: no changes.** The database already matches the desired state.\n".into();
    }
    let lossy = plan.data_loss_steps().count();
    let risky = plan.steps.iter().filter(|s| !s.hazards.is_empty()).count();
    let verdict = if lossy > 0 {
        format!("⚠️ **pgrecon plan: {} step(s), {lossy} drop data.**", plan.steps.len())
    } else if risky > 0 {
        format!("🟡 **pgrecon plan: {} step(s), {risky} with hazards, no data loss.**", plan.steps.len())
    } else {
        format!("✅ **pgrecon plan: {} step(s), no hazards.**", plan.steps.len())
    };
    let mut out = format!("{verdict}\n\n| | object | change | hazards |\n|---|---|---|---|\n");
    for s in &plan.steps {
        let sign = s.summary.split_whitespace().next().unwrap_or("");
        let change = s
            .summary
            .split_once(": ")
            .map_or(format!("{:?}", s.action).to_lowercase(), |(_, d)| d.to_string());
        let hazards = s.hazards.iter().map(|h| format!("**{}**", h.label())).collect::<Vec<_>>().join(", ");
        out.push_str(&format!(
            "| {sign} | {} {} | {} | {hazards} |\n",
            s.kind,
            table_cell(&inline_code(&s.object)),
            table_cell(&change)
        ));
    }
    for w in &plan.warnings {
        out.push_str(&format!("\n> ⚠️ {w}\n"));
    }
    let irreversible: Vec<&Step> = plan.data_loss_steps().collect();
    if !irreversible.is_empty() {
        out.push_str("\n**A rollback cannot restore the data these steps drop:**\n");
        for s in irreversible {
            out.push_str(&format!("- {}\n", inline_code(&s.summary)));
        }
    }
    out.push_str(&format!(
        "\n<details><summary>SQL ({} statements)</summary>\n\n{}</details>\n",
        plan.steps.iter().map(|s| s.sql.len()).sum::<usize>(),
        code_block("sql", &statements(plan))
    ));
    out.push_str(&format!(
        "\n<details><summary>Reverse plan ({} steps)</summary>\n\n{}</details>\n",
        reverse.steps.len(),
        code_block("sql", &statements(reverse))
    ));
    out
}

/// The longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A fenced code block whose fence is longer than any run of backticks in
/// `text`: a name or comment from the files cannot close it and write
/// Markdown or HTML into a pull-request comment.
pub fn code_block(lang: &str, text: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(text).max(2) + 1);
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{lang}\n{text}{newline}{fence}\n")
}

/// A code span delimited by more backticks than `text` holds.
pub fn inline_code(text: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// Text for a cell of a Markdown table: a `|` would end the cell (GitHub
/// reads `\|` as the character, in code spans too) and a line break the
/// row.
pub fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
