//! Every plan carries its inverse, computed at plan time from the live
//! model: renames renamed back, added objects dropped, dropped objects
//! recreated from their live definitions, enums rebuilt back, types cast
//! back. Steps that recreate what the forward plan destroyed cannot bring
//! the data back: they are marked irreversible.

use crate::catalog::{Catalog, QualName};
use crate::diff::{self, RenameStep};
use crate::elaborate::DesiredState;
use crate::load::{Rename, RenameTarget, SourceSet, Span, StatementKind};

use super::{plan_unchecked, Hazard, Plan, PlanError, PlanOptions};

/// The plan from `desired` back to `live`, given the `forward` plan, made
/// with the forward plan's options (an online plan's reverse is online).
pub fn reverse(
    live: &Catalog,
    desired: &DesiredState,
    forward: &Plan,
    options: PlanOptions,
) -> Result<Plan, PlanError> {
    let resolved = diff::resolve(live, &desired.catalog, &desired.sources.renames);
    let back = DesiredState {
        catalog: live.clone(),
        sources: SourceSet { renames: reversed(&resolved), ..SourceSet::empty() },
    };
    let mut reverse = plan_unchecked(&desired.catalog, &back, options)?;
    reverse.warnings.clear();
    for step in &mut reverse.steps {
        let undoes_loss = forward.steps.iter().any(|f| f.data_loss && f.object == step.object);
        if undoes_loss && !step.hazards.contains(&Hazard::Irreversible) {
            step.hazards.push(Hazard::Irreversible);
            step.summary.push_str(" (cannot restore the data the forward step dropped)");
        }
    }
    Ok(reverse)
}

/// Forward renames as annotations on the live model's names.
fn reversed(resolved: &diff::Resolved) -> Vec<Rename> {
    let span = Span { file: 0, start: 0, end: 0 };
    let names = &resolved.names;
    // A step names an object as it is when the step runs (after schema
    // renames); the reverse annotates the live model's own names.
    let relation = |kind, to: &QualName| Rename {
        target: RenameTarget::Relation { kind, name: names.live_relation(to) },
        from: to.clone(),
        span,
        replaces: true,
    };
    resolved
        .steps
        .iter()
        .filter_map(|step| {
            Some(match step {
                RenameStep::Schema { from, to } => Rename {
                    target: RenameTarget::Schema(from.clone()),
                    from: QualName::new("", to.clone()),
                    span,
                    replaces: true,
                },
                RenameStep::Table { to, .. } => relation(StatementKind::CreateTable, to),
                RenameStep::View { to, .. } => relation(StatementKind::CreateView, to),
                RenameStep::Sequence { to, .. } => relation(StatementKind::CreateSequence, to),
                RenameStep::Index { to, .. } => relation(StatementKind::CreateIndex, to),
                RenameStep::Type { to, .. } => Rename {
                    target: RenameTarget::Relation {
                        kind: StatementKind::CreateType,
                        name: names.live_type(to),
                    },
                    from: to.clone(),
                    span,
                    replaces: true,
                },
                RenameStep::Function { to, .. } => Rename {
                    target: RenameTarget::Function(names.live_function(to)),
                    from: to.clone(),
                    span,
                    replaces: true,
                },
                RenameStep::Column { table, from, to } => Rename {
                    target: RenameTarget::Column { table: names.live_relation(table), column: from.clone() },
                    from: QualName::new("", to.clone()),
                    span,
                    replaces: true,
                },
                RenameStep::Constraint { table, from, to } => Rename {
                    target: RenameTarget::Constraint {
                        table: names.live_relation(table),
                        name: from.clone(),
                    },
                    from: QualName::new("", to.clone()),
                    span,
                    replaces: true,
                },
                RenameStep::EnumValue { type_name, from, to } => Rename {
                    target: RenameTarget::EnumValue {
                        type_name: names.live_type(type_name),
                        value: from.clone(),
                    },
                    from: QualName::new("", to.clone()),
                    span,
                    replaces: true,
                },
                RenameStep::Attribute { type_name, from, to } => Rename {
                    target: RenameTarget::Attribute {
                        type_name: names.live_type(type_name),
                        attribute: from.clone(),
                    },
                    from: QualName::new("", to.clone()),
                    span,
                    replaces: true,
                },
                // Follows the table and column back by itself, as forward.
                RenameStep::NotNull { .. } => return None,
                // What was set aside was dropped: created again, not renamed.
                RenameStep::Aside(_) => return None,
            })
        })
        .collect()
}
