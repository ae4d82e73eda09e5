//! Executing a plan: each segment in one transaction (a failing segment
//! rolls back whole), steps timed, and the report says what was applied.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use crate::connect::describe;
use crate::plan::{Plan, Step};

#[derive(Debug, Clone)]
pub struct StepReport {
    pub summary: String,
    pub duration: Duration,
}

#[derive(Debug, Default)]
pub struct ApplyReport {
    pub steps: Vec<StepReport>,
    pub segments: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("the plan drops data ({}); pass --allow-data-loss to apply it", .0.join("; "))]
    DataLoss(Vec<String>),
    #[error(
        "step {step} failed: {summary}: {message}\n  statement: {statement}\n  \
         {applied} of {segments} transaction segment(s) were committed before it; its segment was rolled back"
    )]
    Step { step: usize, summary: String, statement: String, message: String, applied: usize, segments: usize },
    #[error("the database connection failed: {0}")]
    Connection(String),
}

pub struct ApplyOptions {
    pub allow_data_loss: bool,
}

/// Settings for the session that applies: names resolve as they did when
/// the desired state was elaborated (default `search_path`), and function
/// bodies may refer to objects created later in the plan.
const SESSION_SETUP: &str = "SET check_function_bodies = off; SET client_min_messages = warning";

pub async fn apply(client: &Client, plan: &Plan, options: &ApplyOptions) -> Result<ApplyReport, ApplyError> {
    let lossy: Vec<String> = plan.data_loss_steps().map(|s| s.summary.clone()).collect();
    if !lossy.is_empty() && !options.allow_data_loss {
        return Err(ApplyError::DataLoss(lossy));
    }
    client.batch_execute(SESSION_SETUP).await.map_err(|e| ApplyError::Connection(describe(&e)))?;
    let segments = plan.segments();
    let mut report = ApplyReport::default();
    let mut number = 0;
    for (k, segment) in segments.iter().enumerate() {
        let failure = run_segment(client, segment, &mut report, &mut number).await;
        if let Some((step, statement, message)) = failure {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(ApplyError::Step {
                step: step.0,
                summary: step.1,
                statement,
                message,
                applied: k,
                segments: segments.len(),
            });
        }
        report.segments += 1;
    }
    Ok(report)
}

type Failure = ((usize, String), String, String);

async fn run_segment(
    client: &Client,
    steps: &[Step],
    report: &mut ApplyReport,
    number: &mut usize,
) -> Option<Failure> {
    let fail = |n: usize, s: &Step, sql: &str, e: tokio_postgres::Error| {
        Some(((n, s.summary.clone()), sql.to_string(), describe(&e)))
    };
    if let Err(e) = client.batch_execute("BEGIN").await {
        return Some(((*number + 1, "BEGIN".into()), "BEGIN".into(), describe(&e)));
    }
    let mut done = Vec::new();
    for step in steps {
        *number += 1;
        let started = Instant::now();
        for sql in &step.sql {
            if let Err(e) = client.batch_execute(sql).await {
                return fail(*number, step, sql, e);
            }
        }
        done.push(StepReport { summary: step.summary.clone(), duration: started.elapsed() });
    }
    if let Err(e) = client.batch_execute("COMMIT").await {
        return Some(((*number, "COMMIT".into()), "COMMIT".into(), describe(&e)));
    }
    report.steps.extend(done);
    None
}
