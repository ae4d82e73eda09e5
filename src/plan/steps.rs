//! SQL for each change. Objects are created from the user's own text where
//! there is one (see `sources`), else from PostgreSQL's deparsed definition;
//! they are dropped without CASCADE, so anything pgrecon did not plan for
//! makes the step fail instead of silently disappearing.

use crate::catalog::*;
use crate::ddl;
use crate::diff::{Change, ColumnChange, CommentSubject, EnumPosition, RenameStep};
use crate::quote::{ident, literal};

use super::sources::SourceIndex;
use super::{Action, PlanError, Step, StepDeps, Transaction};

pub struct Context<'a> {
    /// The live model with renames applied.
    pub live: &'a Catalog,
    pub desired: &'a Catalog,
    pub sources: &'a SourceIndex,
    /// `@using` / `@backfill` annotations.
    pub hints: &'a [crate::load::ColumnHint],
    /// Online DDL on existing tables (see `PlanOptions`).
    pub online: bool,
}

pub(super) fn new_step(action: Action, id: &ObjectId, object: String, sql: Vec<String>) -> Step {
    let sign = match action {
        Action::Create => "+",
        Action::Drop => "-",
        Action::Alter => "~",
        Action::Rename => ">",
    };
    let kind = match id {
        ObjectId::ColumnDefault { .. } => "column".to_string(),
        other => other.kind_name().to_string(),
    };
    Step {
        action,
        summary: format!("{sign} {kind} {object}"),
        kind,
        object,
        sql,
        transaction: Transaction::Transactional,
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

impl Step {
    fn produces(mut self, ids: impl IntoIterator<Item = ObjectId>) -> Self {
        self.deps.produces.extend(ids);
        self
    }
    fn destroys(mut self, ids: impl IntoIterator<Item = ObjectId>) -> Self {
        self.deps.destroys.extend(ids);
        self
    }
    pub(super) fn alters(mut self, ids: impl IntoIterator<Item = ObjectId>) -> Self {
        self.deps.alters.extend(ids);
        self
    }
    fn requires(mut self, ids: impl IntoIterator<Item = ObjectId>) -> Self {
        self.deps.requires.extend(ids);
        self
    }
    fn rank(mut self, rank: u8) -> Self {
        self.deps.rank = rank;
        self
    }
    pub(super) fn detail(mut self, text: impl AsRef<str>) -> Self {
        self.summary = format!("{}: {}", self.summary, text.as_ref());
        self
    }
    fn data_loss(mut self, yes: bool) -> Self {
        self.data_loss = yes;
        self
    }
}

/// The order renames run in: schemas first, then functions (their
/// signatures name types as the schema renames leave them), then every
/// other rename and move in the order `rename_order` finds, step by step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RenameStage {
    Schema,
    Function,
    /// The place in the order of relations, types and what is inside them.
    Names(usize),
}

/// `renamed` is the live model under the renames (objects under their
/// new names).
pub fn rename_steps(renames: &[RenameStep], renamed: &Catalog) -> Vec<Step> {
    let mut steps: Vec<Step> = renames.iter().filter_map(|r| early_rename(r, renamed)).collect();
    steps.extend(super::rename_order::rename_steps(renames, renamed));
    steps
}

/// `ALTER … SET SCHEMA` then `ALTER … RENAME TO`, as far as each is needed.
fn move_and_rename(kind: &str, from: &FunctionId, to: &QualName) -> Vec<String> {
    let mut sql = Vec::new();
    let mut current = from.to_string();
    if from.name.schema != to.schema {
        sql.push(format!("ALTER {kind} {current} SET SCHEMA {}", ident(&to.schema)));
        current = format!("{}({})", QualName::new(to.schema.clone(), from.name.name.clone()), from.args);
    }
    if from.name.name != to.name {
        sql.push(format!("ALTER {kind} {current} RENAME TO {}", ident(&to.name)));
    }
    sql
}

/// A schema's or a function's rename, which run before the others.
fn early_rename(r: &RenameStep, renamed: &Catalog) -> Option<Step> {
    match r {
        RenameStep::Aside(inner) if matches!(**inner, RenameStep::Schema { .. }) => {
            Some(early_rename(inner, renamed)?.detail("in the way of a rename, dropped further on"))
        }
        RenameStep::Schema { from, to } => {
            let id = ObjectId::Schema { name: to.clone() };
            let sql = vec![format!("ALTER SCHEMA {} RENAME TO {}", ident(from), ident(to))];
            let mut step = new_step(Action::Rename, &id, format!("{} → {}", ident(from), ident(to)), sql)
                .alters([id.clone()]);
            step.deps.rename_stage = Some(RenameStage::Schema);
            Some(step)
        }
        RenameStep::Function { from, to } => {
            let mut step = function_rename(from, to, renamed);
            step.deps.rename_stage = Some(RenameStage::Function);
            Some(step)
        }
        _ => None,
    }
}

fn function_rename(from: &FunctionId, to: &QualName, renamed: &Catalog) -> Step {
    let kind = match renamed.functions.values().find(|f| f.id.name == *to).map(|f| f.kind) {
        Some(RoutineKind::Procedure) => "PROCEDURE",
        _ => "FUNCTION",
    };
    let id = ObjectId::Function { id: FunctionId { name: to.clone(), args: from.args.clone() } };
    let signature_there =
        |schema: &str, name: &str| FunctionId { name: QualName::new(schema, name), args: from.args.clone() };
    // Renamed first, then moved, where the old name is taken in the
    // schema it moves to.
    let old_name_taken_there = from.name.schema != to.schema
        && from.name.name != to.name
        && renamed.functions.contains_key(&signature_there(&to.schema, &from.name.name))
        && !renamed.functions.contains_key(&signature_there(&from.name.schema, &to.name));
    let sql = if old_name_taken_there {
        let in_place = format!("{}({})", QualName::new(from.name.schema.clone(), to.name.clone()), from.args);
        vec![
            format!("ALTER {kind} {from} RENAME TO {}", ident(&to.name)),
            format!("ALTER {kind} {in_place} SET SCHEMA {}", ident(&to.schema)),
        ]
    } else {
        move_and_rename(kind, from, to)
    };
    let step = new_step(Action::Rename, &id, format!("{from} → {}", to), sql);
    if from.name.schema == to.schema {
        return step;
    }
    step.requires([ObjectId::Schema { name: to.schema.to_string() }])
}

pub fn steps(ctx: &Context<'_>, changes: &[Change]) -> Result<Vec<Step>, PlanError> {
    let mut out = Vec::new();
    for change in changes {
        out.extend(ctx.change(change, changes)?);
    }
    Ok(out)
}

fn unsupported(object: impl ToString, reason: &str) -> PlanError {
    PlanError::Unsupported { object: object.to_string(), reason: reason.to_string() }
}

impl Context<'_> {
    fn change(&self, change: &Change, all: &[Change]) -> Result<Vec<Step>, PlanError> {
        Ok(match change {
            Change::Create(id) => self.create(id)?,
            Change::Drop(id) => self.drop_steps(id, all),
            Change::Replace(id) => self.replace(id, all)?,
            Change::Redefine(id) => {
                let mut steps = vec![self.redefine(id)?];
                steps.extend(self.reindex_after(id, all));
                steps
            }
            Change::AlterColumn { table, column, what } => self.alter_column(table, column, what, all)?,
            Change::ValidateConstraint { table, name } => {
                let id = ObjectId::Constraint { table: table.clone(), name: name.clone() };
                let sql = vec![format!("ALTER TABLE {table} VALIDATE CONSTRAINT {}", ident(name))];
                vec![new_step(Action::Alter, &id, format!("{} on {table}", ident(name)), sql)
                    .detail("validate")
                    .alters([id.clone()])
                    .rank(27)]
            }
            Change::AlterTable { table } => vec![self.alter_table(table)],
            Change::AlterSequence { name } => vec![self.alter_sequence(name)],
            Change::AddEnumValue { name, .. } => self.add_enum_values(change, name, all),
            Change::RebuildEnum { name } => self.rebuild_enum(name, all),
            Change::AlterDomain { name } => vec![self.alter_domain(name)],
            Change::RebuildType { name } => self.rebuild_type(name, all)?,
            Change::AlterComposite { name } => vec![self.alter_composite(name)],
            Change::SetTriggerEnabled { table, name } => {
                let t = &self.desired.triggers[&(table.clone(), name.clone())];
                let id = ObjectId::Trigger { table: table.clone(), name: name.clone() };
                let sql =
                    vec![format!("ALTER TABLE {table} {} TRIGGER {}", trigger_state(t.enabled), ident(name))];
                vec![new_step(Action::Alter, &id, format!("{} on {table}", ident(name)), sql)
                    .detail("enabled state")
                    .alters([id.clone()])
                    .rank(28)]
            }
            Change::Comment { target, subject } => vec![self.comment(target, subject)],
        })
    }

    // ---- create ----

    fn create(&self, id: &ObjectId) -> Result<Vec<Step>, PlanError> {
        let d = self.desired;
        let step = |sql: Vec<String>, rank: u8| {
            new_step(Action::Create, id, id.to_string(), sql).produces([id.clone()]).rank(rank)
        };
        Ok(match id {
            ObjectId::Schema { name } => vec![step(ddl::create_schema(&d.schemas[name]), 30)],
            ObjectId::Extension { name } => {
                let e = &d.extensions[name];
                vec![step(ddl::create_extension(e), 31)
                    .requires([ObjectId::Schema { name: e.schema.clone() }])]
            }
            ObjectId::Type { name } => vec![step(self.create_type(name)?, 32)],
            ObjectId::Sequence { name } => self.create_sequence(name),
            ObjectId::Table { name } => self.create_table(name),
            ObjectId::Column { table, column } => self.add_column_steps(table, column)?,
            ObjectId::ColumnDefault { table, column } => vec![self.set_default(table, column)],
            ObjectId::Constraint { table, name } => self.add_constraint_steps(table, name),
            ObjectId::Index { name } => {
                let table = d.indexes[name].table.clone();
                let mut s =
                    step(self.create_index(name), 39).requires([ObjectId::Table { name: table.clone() }]);
                if self.online_on(&table) {
                    s.sql[0] = concurrently(&s.sql[0]);
                    s.transaction = Transaction::NonTransactional;
                }
                vec![s]
            }
            ObjectId::View { name } => {
                let v = &d.views[name];
                let mut s = step(self.create_view(v), 40);
                s.kind = view_kind(v).to_lowercase();
                s.summary = format!("+ {} {name}", s.kind);
                vec![s.produces(
                    v.columns.iter().map(|c| ObjectId::Column { table: name.clone(), column: c.clone() }),
                )]
            }
            ObjectId::Function { id: fid } => vec![step(self.create_function(fid), 34)],
            ObjectId::Trigger { table, name } => vec![step(self.create_trigger(table, name), 41)],
        })
    }

    fn create_type(&self, name: &QualName) -> Result<Vec<String>, PlanError> {
        let d = self.desired;
        if let Some(e) = d.enums.get(name) {
            return Ok(ddl::create_enum(e));
        }
        if let Some(dom) = d.domains.get(name) {
            return Ok(match self.sources.relation(name) {
                Some(text) => with_comments(text, ddl::create_domain(dom)),
                None => ddl::create_domain(dom),
            });
        }
        if let Some(r) = d.ranges.get(name) {
            return Ok(ddl::create_range(r));
        }
        d.composites.get(name).map(ddl::create_composite).ok_or_else(|| unsupported(name, "unknown type"))
    }

    fn create_sequence(&self, name: &QualName) -> Vec<Step> {
        let s = &self.desired.sequences[name];
        let id = ObjectId::Sequence { name: name.clone() };
        let mut steps = vec![new_step(Action::Create, &id, name.to_string(), ddl::create_sequence(s))
            .produces([id.clone()])
            .rank(33)];
        if let (Some(sql), Some((table, column))) = (ddl::sequence_owned_by(s), &s.owned_by) {
            let owner = ObjectId::Column { table: table.clone(), column: column.clone() };
            steps.push(
                new_step(Action::Alter, &id, name.to_string(), vec![sql])
                    .detail(format!("owned by {table}.{}", ident(column)))
                    .requires([owner])
                    .rank(42),
            );
        }
        steps
    }

    fn create_table(&self, name: &QualName) -> Vec<Step> {
        let desired = &self.desired.tables[name];
        let id = ObjectId::Table { name: name.clone() };
        let fragments = Fragments { sources: self.sources, table: name };
        // Set after the functions they call, which read the table.
        let later = defaults_calling_readers(self.desired, name);
        let mut t = Table::clone(desired);
        if !later.is_empty() {
            std::sync::Arc::make_mut(&mut t.columns)
                .iter_mut()
                .filter(|c| later.contains(&c.name))
                .for_each(|c| c.default = None);
        }
        let sql = ddl::create_table_with(&t, &fragments);
        let mut produced = vec![id.clone()];
        for c in t.columns.iter() {
            produced.push(ObjectId::Column { table: name.clone(), column: c.name.clone() });
            if c.default.is_some() || c.generated.is_some() {
                produced.push(ObjectId::ColumnDefault { table: name.clone(), column: c.name.clone() });
            }
        }
        let inline = t.constraints.values().filter(|c| ddl::is_inline_constraint(c));
        produced.extend(inline.map(|c| ObjectId::Constraint { table: name.clone(), name: c.name.clone() }));
        let mut steps =
            vec![new_step(Action::Create, &id, name.to_string(), sql).produces(produced).rank(35)];
        for c in t.constraints.values().filter(|c| !ddl::is_inline_constraint(c)) {
            steps.push(self.add_constraint(name, &c.name));
        }
        for column in &later {
            steps.push(self.set_default(name, column).requires([id.clone()]));
        }
        steps
    }

    fn add_column(&self, table: &QualName, column: &str) -> Step {
        let t = &self.desired.tables[table];
        let c = t.column(column).expect("diff names desired columns");
        let fragments = Fragments { sources: self.sources, table };
        let mut sql =
            vec![format!("ALTER TABLE {table} ADD COLUMN {}", ddl::column_definition_with(t, c, &fragments))];
        sql.extend(ddl::comment("COLUMN", &format!("{table}.{}", ident(column)), &c.comment));
        let id = ObjectId::Column { table: table.clone(), column: column.to_string() };
        let mut produced = vec![id.clone()];
        if c.default.is_some() || c.generated.is_some() {
            produced.push(ObjectId::ColumnDefault { table: table.clone(), column: column.to_string() });
        }
        new_step(Action::Create, &id, format!("{table}.{}", ident(column)), sql).produces(produced).rank(36)
    }

    fn hint(&self, table: &QualName, column: &str) -> Option<&crate::load::ColumnHint> {
        self.hints.iter().find(|h| &h.table == table && h.column == column)
    }

    /// A NOT NULL column with nothing to fill existing rows with: with a
    /// `@backfill`, added nullable, filled in batches, then set NOT NULL;
    /// without one, the step is marked so the plan checks the table is
    /// empty (and says how to fix it when it is not).
    fn add_column_steps(&self, table: &QualName, column: &str) -> Result<Vec<Step>, PlanError> {
        let t = &self.desired.tables[table];
        let c = t.column(column).expect("diff names desired columns");
        let needs_values = c.not_null && c.default.is_none() && c.identity.is_none() && c.generated.is_none();
        if !self.live.tables.contains_key(table) {
            return Ok(vec![self.add_column(table, column)]);
        }
        let backfill = self.hint(table, column).is_some_and(|h| h.backfill.is_some());
        if !needs_values {
            // A default (or NULL) is for rows to come; the rows there now
            // get the `@backfill` expression. Identity and generated values
            // are PostgreSQL's to give, and the annotation is refused.
            let mut steps = vec![self.add_column(table, column)];
            if backfill {
                if c.identity.is_some() || c.generated.is_some() {
                    return Err(unsupported(
                        format!("{table}.{}", ident(column)),
                        "an identity or generated column gets its values from PostgreSQL, not from @backfill",
                    ));
                }
                let added = ObjectId::Column { table: table.clone(), column: column.to_string() };
                steps.push(self.fill(table, column, Some(added), false)?);
            }
            return Ok(steps);
        }
        if self.hint(table, column).and_then(|h| h.backfill.as_ref()).is_none() {
            let mut s = self.add_column(table, column);
            s.needs_empty_table = Some(table.clone());
            return Ok(vec![s]);
        }
        let mut nullable = Table::clone(t);
        if let Some(col) =
            std::sync::Arc::make_mut(&mut nullable.columns).iter_mut().find(|x| x.name == column)
        {
            col.not_null = false;
        }
        let fragments = Fragments { sources: self.sources, table };
        let id = ObjectId::Column { table: table.clone(), column: column.to_string() };
        let object = format!("{table}.{}", ident(column));
        let add_sql = format!(
            "ALTER TABLE {table} ADD COLUMN {}",
            ddl::column_definition_with(
                &nullable,
                nullable.column(column).expect("same columns"),
                &fragments
            )
        );
        // Ordering mark: the column's own alterations must not wait for the
        // backfill that waits for them.
        let added = ObjectId::Constraint { table: table.clone(), name: format!("pgrecon added {column}") };
        let mut add = new_step(Action::Create, &id, object.clone(), vec![add_sql])
            .detail("added nullable")
            .produces([id, added.clone()])
            .rank(36);
        add.sql.extend(ddl::comment("COLUMN", &object, &c.comment));
        let mut steps = vec![add];
        steps.extend(self.fill_then_set_not_null(table, column, Some(added), false)?);
        Ok(steps)
    }

    /// A backfill in batches by primary key, then SET NOT NULL (through a
    /// validated CHECK with `--online`). `after` is what the fill waits for.
    fn fill_then_set_not_null(
        &self,
        table: &QualName,
        column: &str,
        after: Option<ObjectId>,
        only_nulls: bool,
    ) -> Result<Vec<Step>, PlanError> {
        let id = ObjectId::Column { table: table.clone(), column: column.to_string() };
        let object = format!("{table}.{}", ident(column));
        let filled = backfilled(table, column);
        let fill = self.fill(table, column, after, only_nulls)?;
        let mut set_not_null = if self.online {
            self.set_not_null_online(table, column)
        } else {
            vec![new_step(Action::Alter, &id, object, vec![self.set_not_null_sql(table, column)])
                .detail("set not null")
                .alters([id.clone()])
                .rank(38)]
        };
        for s in &mut set_not_null {
            s.deps.requires.push(filled.clone());
        }
        let mut steps = vec![fill];
        steps.extend(set_not_null);
        Ok(steps)
    }

    /// The batched UPDATE of a `@backfill`; it produces [`backfilled`].
    fn fill(
        &self,
        table: &QualName,
        column: &str,
        after: Option<ObjectId>,
        only_nulls: bool,
    ) -> Result<Step, PlanError> {
        let t = &self.desired.tables[table];
        let expression = self.hint(table, column).and_then(|h| h.backfill.clone()).unwrap_or_default();
        let pk = t.constraints.values().find(|k| k.kind == ConstraintKind::PrimaryKey);
        let key = match pk.map(|k| k.columns.as_slice()) {
            Some([only]) => only.clone(),
            _ => return Err(unsupported(table, "a backfill needs a single-column primary key to batch by")),
        };
        let key_type = t.column(&key).map(|k| k.type_name.clone()).unwrap_or_default();
        let id = ObjectId::Column { table: table.clone(), column: column.to_string() };
        let object = format!("{table}.{}", ident(column));
        let backfill = crate::plan::Backfill {
            table: table.clone(),
            column: column.to_string(),
            expression: expression.clone(),
            key: key.clone(),
            key_type,
            batch_size: 10_000,
            only_nulls,
        };
        // What the batches do together, as one statement psql can run
        // (`plan --format sql`); apply runs it a batch at a time.
        let nulls = if only_nulls { format!(" WHERE {} IS NULL", ident(column)) } else { String::new() };
        let example = format!(
            "-- pgrecon apply runs this in batches of {} rows by {}, each committed on its own\n\
             UPDATE {table} SET {} = ({expression}){nulls}",
            backfill.batch_size,
            ident(&key),
            ident(column),
        );
        let mut fill = new_step(Action::Alter, &id, object, vec![example])
            .detail(format!("backfill with {expression}"))
            .requires(after)
            .produces([backfilled(table, column)])
            .rank(37);
        fill.transaction = Transaction::Batched;
        fill.backfill = Some(backfill);
        Ok(fill)
    }

    fn default_text(&self, table: &QualName, column: &str) -> Option<String> {
        let c = self.desired.tables.get(table)?.column(column)?;
        let fragment = self.sources.default(table, column).map(str::to_string);
        fragment.or_else(|| c.default.clone())
    }

    fn set_default(&self, table: &QualName, column: &str) -> Step {
        let id = ObjectId::ColumnDefault { table: table.clone(), column: column.to_string() };
        let text = self.default_text(table, column).unwrap_or_else(|| "NULL".into());
        let sql = vec![format!("ALTER TABLE {table} ALTER COLUMN {} SET DEFAULT {text}", ident(column))];
        // Replacing a default lets go of what the old one used: a function,
        // sequence or type dropped in the same plan waits for this.
        let had_default =
            self.live.tables.get(table).and_then(|t| t.column(column)).is_some_and(|c| c.default.is_some());
        new_step(Action::Alter, &id, format!("{table}.{}", ident(column)), sql)
            .detail(format!("default {text}"))
            .produces([id.clone()])
            .alters(had_default.then(|| id.clone()))
            .rank(37)
    }

    fn constraint_text(&self, table: &QualName, c: &Constraint) -> String {
        let mut text = self.sources.constraint(table, &c.name).unwrap_or(&c.definition).to_string();
        let written_not_valid = text.to_ascii_uppercase().trim_end().ends_with("NOT VALID");
        if !c.validated && !written_not_valid {
            text += " NOT VALID";
        }
        // Inside CREATE TABLE, PostgreSQL validates it anyway (the table is
        // empty): the desired constraint is valid, and so is the one added.
        if c.validated && written_not_valid {
            let end = text.trim_end().len() - "NOT VALID".len();
            text.truncate(end);
            text.truncate(text.trim_end().len());
        }
        text
    }

    fn add_constraint(&self, table: &QualName, name: &str) -> Step {
        let t = &self.desired.tables[table];
        let c = &t.constraints[name];
        let id = ObjectId::Constraint { table: table.clone(), name: name.to_string() };
        let mut sql = vec![format!(
            "ALTER TABLE {table} ADD CONSTRAINT {} {}",
            ident(name),
            self.constraint_text(table, c)
        )];
        sql.extend(ddl::comment("CONSTRAINT", &format!("{} ON {table}", ident(name)), &c.comment));
        let mut requires = Vec::new();
        if let Some(fk) = &c.foreign_key {
            requires.push(ObjectId::Table { name: fk.table.clone() });
        }
        let step = new_step(Action::Create, &id, format!("{} on {table}", ident(name)), sql)
            .produces([id.clone()])
            .requires(requires)
            .rank(38);
        step
    }

    /// Online: on an existing table, a CHECK or FK is added `NOT VALID`
    /// (a brief lock, committed at once), then validated in a transaction
    /// of its own under a lock that lets reads and writes go on.
    fn add_constraint_steps(&self, table: &QualName, name: &str) -> Vec<Step> {
        let mut add = self.add_constraint(table, name);
        let c = &self.desired.tables[table].constraints[name];
        let checked = matches!(c.kind, ConstraintKind::Check | ConstraintKind::ForeignKey);
        if !(self.online_on(table) && checked && c.validated) {
            return vec![add];
        }
        add.sql[0] += " NOT VALID";
        add.transaction = Transaction::CommitAfter;
        let id = ObjectId::Constraint { table: table.clone(), name: name.to_string() };
        let validate = new_step(
            Action::Alter,
            &id,
            format!("{} on {table}", ident(name)),
            vec![format!("ALTER TABLE {table} VALIDATE CONSTRAINT {}", ident(name))],
        )
        .detail("validate")
        .alters([id.clone()])
        .requires([id])
        .rank(38);
        let mut validate = validate;
        validate.transaction = Transaction::CommitAfter;
        vec![add, validate]
    }

    /// Whether online DDL applies: the option is on and the table exists.
    fn online_on(&self, table: &QualName) -> bool {
        self.online && self.live.tables.contains_key(table)
    }

    fn create_index(&self, name: &QualName) -> Vec<String> {
        let i = &self.desired.indexes[name];
        match self.sources.relation(name) {
            Some(text) => with_comments(text, ddl::create_index(i)),
            None => ddl::create_index(i),
        }
    }

    fn create_view(&self, v: &View) -> Vec<String> {
        match self.sources.relation(&v.name) {
            Some(text) => with_comments(text, ddl::create_view(v)),
            None => ddl::create_view(v),
        }
    }

    fn create_function(&self, id: &FunctionId) -> Vec<String> {
        let f = &self.desired.functions[id];
        match self.sources.function(&id.name) {
            Some(text) => with_comments(text, ddl::create_function(f)),
            None => ddl::create_function(f),
        }
    }

    fn create_trigger(&self, table: &QualName, name: &str) -> Vec<String> {
        let t = &self.desired.triggers[&(table.clone(), name.to_string())];
        match self.sources.trigger(table, name) {
            Some(text) => with_comments(text, ddl::create_trigger(t)),
            None => ddl::create_trigger(t),
        }
    }

    /// A changed index, online: the new one is built concurrently under a
    /// temporary name, the old one dropped concurrently, the new one renamed.
    fn swap_index_online(&self, name: &QualName) -> Step {
        let i = &self.desired.indexes[name];
        let temp = super::online_temporary_name(name).name;
        let unique = if i.unique { "UNIQUE " } else { "" };
        let mut sql = vec![
            format!(
                "CREATE {unique}INDEX CONCURRENTLY {} {}",
                ident(&temp),
                crate::diff::index_body(&i.definition).trim_start()
            ),
            format!("DROP INDEX CONCURRENTLY {name}"),
            format!(
                "ALTER INDEX {} RENAME TO {}",
                QualName::new(name.schema.clone(), temp),
                ident(&name.name)
            ),
        ];
        sql.extend(ddl::comment("INDEX", &name.to_string(), &i.comment));
        let id = ObjectId::Index { name: name.clone() };
        let mut s = new_step(Action::Alter, &id, name.to_string(), sql)
            .detail("rebuilt concurrently and swapped")
            .destroys([id.clone()])
            .produces([id.clone()])
            .requires([ObjectId::Table { name: i.table.clone() }])
            .rank(39);
        s.transaction = Transaction::NonTransactional;
        s
    }

    // ---- drop ----

    fn drop(&self, id: &ObjectId, all: &[Change]) -> Option<Step> {
        let l = self.live;
        if goes_with_its_table(id, all) || self.goes_with_its_owner(id, all) {
            return None;
        }
        let step = |sql: String, rank: u8| {
            new_step(Action::Drop, id, id.to_string(), vec![sql]).destroys([id.clone()]).rank(rank)
        };
        Some(match id {
            ObjectId::Schema { name } => step(format!("DROP SCHEMA {}", ident(name)), 19),
            ObjectId::Extension { name } => step(format!("DROP EXTENSION {}", ident(name)), 18),
            ObjectId::Type { name } => {
                let kind = if l.domains.contains_key(name) { "DOMAIN" } else { "TYPE" };
                step(format!("DROP {kind} {name}"), 17)
            }
            ObjectId::Sequence { name } => match self.handed_over_drop(name, all) {
                Some(step) => step,
                None => step(format!("DROP SEQUENCE {name}"), 16).data_loss(true),
            },
            ObjectId::Table { name } => {
                let mut destroyed = super::expand_parts(l, id);
                let dropped_first: Vec<ObjectId> = self
                    .keys_to_dropped_tables(name, all)
                    .into_iter()
                    .map(|fk| ObjectId::Constraint { table: name.clone(), name: fk })
                    .collect();
                destroyed.retain(|x| x != id && !dropped_first.contains(x));
                // Its defaults and triggers go with it, and so must go before
                // the functions, sequences and types they use.
                if let Some(t) = l.tables.get(name) {
                    let dropped_before = defaults_calling_readers(l, name);
                    let with_default = t.columns.iter().filter(|c| {
                        (c.default.is_some() || c.generated.is_some()) && !dropped_before.contains(&c.name)
                    });
                    destroyed.extend(
                        with_default
                            .map(|c| ObjectId::ColumnDefault { table: name.clone(), column: c.name.clone() }),
                    );
                }
                let triggers =
                    l.triggers.range((name.clone(), String::new())..).take_while(|((t, _), _)| t == name);
                destroyed.extend(triggers.map(|((table, trigger), _)| ObjectId::Trigger {
                    table: table.clone(),
                    name: trigger.clone(),
                }));
                step(format!("DROP TABLE {name}"), 15).destroys(destroyed).data_loss(true)
            }
            ObjectId::Column { table, column } => {
                let generated =
                    l.tables.get(table).and_then(|t| t.column(column)).is_some_and(|c| c.generated.is_some());
                let mut s = step(format!("ALTER TABLE {table} DROP COLUMN {}", ident(column)), 14)
                    .destroys([ObjectId::ColumnDefault { table: table.clone(), column: column.clone() }])
                    .data_loss(!generated);
                s.object = format!("{table}.{}", ident(column));
                s.summary = format!("- column {}", s.object);
                s
            }
            ObjectId::ColumnDefault { table, column } => {
                let mut s =
                    step(format!("ALTER TABLE {table} ALTER COLUMN {} DROP DEFAULT", ident(column)), 12);
                s.action = Action::Alter;
                s.summary = format!("~ column {table}.{}: drop default", ident(column));
                s
            }
            ObjectId::Constraint { table, name } => {
                step(format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(name)), 11)
            }
            ObjectId::Index { name } => {
                let table = l.indexes.get(name).map(|i| i.table.clone());
                if table.is_some_and(|t| self.online_on(&t)) {
                    let mut s = step(format!("DROP INDEX CONCURRENTLY {name}"), 11);
                    s.transaction = Transaction::NonTransactional;
                    s
                } else {
                    step(format!("DROP INDEX {name}"), 11)
                }
            }
            ObjectId::View { name } => {
                let kind = l.views.get(name).map_or("VIEW", view_kind);
                let mut parts = super::expand_parts(l, id);
                parts.retain(|x| x != id);
                let mut s = step(format!("DROP {kind} {name}"), 10).destroys(parts);
                if kind != "VIEW" {
                    s.kind = "materialized view".into();
                    s.summary = format!("- materialized view {name}");
                }
                s
            }
            ObjectId::Function { id: fid } => {
                let kind = match l.functions.get(fid).map(|f| f.kind) {
                    Some(RoutineKind::Procedure) => "PROCEDURE",
                    _ => "FUNCTION",
                };
                step(format!("DROP {kind} {fid}"), 13)
            }
            ObjectId::Trigger { table, name } => step(format!("DROP TRIGGER {} ON {table}", ident(name)), 10),
        })
    }

    /// An index over an immutable function's results holds what the old
    /// body returned: redefined, the function leaves it stale (a fresh
    /// build would index the new results), so it is rebuilt after.
    fn reindex_after(&self, id: &ObjectId, all: &[Change]) -> Vec<Step> {
        let ObjectId::Function { id: fid } = id else { return Vec::new() };
        if self.desired.functions.get(fid).is_none_or(|f| f.volatility != 'i') {
            return Vec::new();
        }
        let rebuilt_anyway = |x: &ObjectId| {
            all.iter()
                .any(|c| matches!(c, Change::Drop(y) | Change::Replace(y) | Change::Create(y) if y == x))
        };
        let users = self.live.dependencies.iter().filter(|d| d.to == id).map(|d| d.from);
        users
            .filter(|from| !rebuilt_anyway(from))
            .filter_map(|from| self.refreshed(from, fid))
            .map(|step| step.requires([id.clone()]))
            .collect()
    }

    /// What keeps an immutable function's old results, made to hold the
    /// new body's: an index is rebuilt, a stored generated column computed
    /// again, a CHECK added again (checking every row). `None` for users
    /// that keep nothing (a view, a plain default).
    fn refreshed(&self, user: &ObjectId, fid: &FunctionId) -> Option<Step> {
        match user {
            ObjectId::Index { name } => Some(
                new_step(Action::Alter, user, name.to_string(), vec![format!("REINDEX INDEX {name}")])
                    .detail(format!("rebuild: it indexes {fid}"))
                    .alters([user.clone()])
                    .rank(41),
            ),
            // PostgreSQL 13 records a generation expression's dependencies
            // on the column itself, later ones on its pg_attrdef entry.
            ObjectId::ColumnDefault { table, column } | ObjectId::Column { table, column } => {
                let t = self.live.tables.get(table)?;
                let c = t.column(column)?;
                if c.generated.is_none() || c.generated_virtual {
                    return None;
                }
                // A stored generated column is computed again only when a
                // column it is computed from is updated (`SET g = DEFAULT`
                // keeps the old value).
                let source = self
                    .live
                    .dependencies_of(user)
                    .find_map(|d| match d {
                        ObjectId::Column { table: t2, column: c2 }
                            if t2 == table && t.column(c2).is_some_and(|c| c.generated.is_none()) =>
                        {
                            Some(c2.as_str())
                        }
                        _ => None,
                    })
                    .or_else(|| t.columns.iter().find(|c| c.generated.is_none()).map(|c| c.name.as_str()))?;
                let (col, source) = (ident(column), ident(source));
                let sql = vec![format!("UPDATE {table} SET {source} = {source}")];
                Some(
                    new_step(Action::Alter, user, format!("{table}.{col}"), sql)
                        .detail(format!("computed again: it is generated from {fid}"))
                        .alters([user.clone()])
                        .rank(41),
                )
            }
            ObjectId::Constraint { table, name } => {
                let c = self.desired.tables.get(table)?.constraints.get(name)?;
                if c.kind != ConstraintKind::Check {
                    return None;
                }
                let sql = vec![format!(
                    "ALTER TABLE {table} DROP CONSTRAINT {n}, ADD CONSTRAINT {n} {}",
                    self.constraint_text(table, c),
                    n = ident(name)
                )];
                Some(
                    new_step(Action::Alter, user, format!("{} on {table}", ident(name)), sql)
                        .detail(format!("checked again: it calls {fid}"))
                        .alters([user.clone()])
                        .rank(41),
                )
            }
            _ => None,
        }
    }

    /// [`Self::drop`], and for a table, first its foreign keys to other
    /// tables dropped too: two tables referring to each other could not
    /// each be dropped before the other.
    fn drop_steps(&self, id: &ObjectId, all: &[Change]) -> Vec<Step> {
        let mut steps = Vec::new();
        if let ObjectId::Table { name } = id {
            // A default calling a function that reads the table: dropped
            // first, so the function can go before the table.
            for column in defaults_calling_readers(self.live, name) {
                let default = ObjectId::ColumnDefault { table: name.clone(), column: column.clone() };
                let sql = vec![format!("ALTER TABLE {name} ALTER COLUMN {} DROP DEFAULT", ident(&column))];
                let mut step = new_step(Action::Alter, &default, format!("{name}.{}", ident(&column)), sql)
                    .destroys([default.clone()])
                    .rank(12);
                step.summary = format!("~ column {name}.{}: drop default", ident(&column));
                steps.push(step);
            }
            for fk in self.keys_to_dropped_tables(name, all) {
                let fk_id = ObjectId::Constraint { table: name.clone(), name: fk.clone() };
                let sql = vec![format!("ALTER TABLE {name} DROP CONSTRAINT {}", ident(&fk))];
                steps.push(
                    new_step(Action::Drop, &fk_id, fk_id.to_string(), sql).destroys([fk_id.clone()]).rank(11),
                );
            }
        }
        steps.extend(self.drop(id, all));
        steps
    }

    /// The foreign keys of `table` to other tables the plan drops.
    fn keys_to_dropped_tables(&self, table: &QualName, all: &[Change]) -> Vec<String> {
        let Some(t) = self.live.tables.get(table) else { return Vec::new() };
        let dropped = |other: &QualName| {
            other != table && all.contains(&Change::Drop(ObjectId::Table { name: other.clone() }))
        };
        t.constraints
            .values()
            .filter(|c| c.foreign_key.as_ref().is_some_and(|fk| dropped(&fk.table)))
            .map(|c| c.name.clone())
            .collect()
    }

    /// A sequence owned by a dropped table or column goes with it.
    fn goes_with_its_owner(&self, id: &ObjectId, all: &[Change]) -> bool {
        let ObjectId::Sequence { name } = id else { return false };
        let Some((table, column)) = self.live.sequences.get(name).and_then(|s| s.owned_by.clone()) else {
            return false;
        };
        all.contains(&Change::Drop(ObjectId::Table { name: table.clone() }))
            || all.contains(&Change::Drop(ObjectId::Column { table, column }))
    }

    fn replace(&self, id: &ObjectId, all: &[Change]) -> Result<Vec<Step>, PlanError> {
        if let ObjectId::ColumnDefault { table, column } = id {
            return Ok(vec![self.set_default(table, column)]); // SET DEFAULT replaces
        }
        if let ObjectId::Index { name } = id {
            let swappable = self.live.indexes.contains_key(name) && !self.loses_its_footing(id, all);
            if self.online_on(&self.desired.indexes[name].table) && swappable {
                return Ok(vec![self.swap_index_online(name)]);
            }
        }
        // A column replaced (made generated, or generated otherwise) loses
        // its values when they are not derived already: the drop says so
        // (see `drop`).
        let mut steps: Vec<Step> = self.drop(id, all).into_iter().collect();
        steps.extend(self.create(id)?);
        Ok(steps)
    }

    /// Whether something `id` uses is taken away by the plan (a column
    /// changing type, a type rebuilt): then `id` cannot stand until its
    /// replacement is ready (an index swapped online would be built while
    /// the old one still holds the old type), it is dropped first.
    fn loses_its_footing(&self, id: &ObjectId, all: &[Change]) -> bool {
        let uses: Vec<&ObjectId> = self.live.dependencies_of(id).collect();
        all.iter().flat_map(|c| super::expand::roots(self.live, c)).any(|root| uses.contains(&&root))
    }

    fn redefine(&self, id: &ObjectId) -> Result<Step, PlanError> {
        match id {
            ObjectId::View { name } => {
                let (l, v) = (&self.live.views[name], &self.desired.views[name]);
                let text = match self.sources.relation(name) {
                    Some(t) => or_replace(t),
                    None => or_replace(&ddl::create_view(v)[0]),
                };
                let mut sql = vec![text];
                let dropped: Vec<String> = l
                    .options
                    .iter()
                    .filter_map(|o| o.split('=').next())
                    .filter(|k| !v.options.iter().any(|o| o.split('=').next() == Some(k)))
                    .map(str::to_string)
                    .collect();
                if !dropped.is_empty() {
                    sql.push(format!("ALTER VIEW {name} RESET ({})", dropped.join(", ")));
                }
                Ok(new_step(Action::Alter, id, name.to_string(), sql)
                    .detail("query")
                    .alters([id.clone()])
                    .rank(40))
            }
            ObjectId::Function { id: fid } => {
                let f = &self.desired.functions[fid];
                let text = match self.sources.function(&fid.name) {
                    Some(t) => or_replace(t),
                    None => f.definition.trim_end().to_string(),
                };
                Ok(new_step(Action::Alter, id, fid.to_string(), vec![text])
                    .detail("definition")
                    .alters([id.clone()])
                    .rank(34))
            }
            ObjectId::Extension { name } => {
                let schema = &self.desired.extensions[name].schema;
                let sql = vec![format!("ALTER EXTENSION {} SET SCHEMA {}", ident(name), ident(schema))];
                Ok(new_step(Action::Alter, id, ident(name), sql)
                    .detail(format!("schema {}", ident(schema)))
                    .alters([id.clone()])
                    .requires([ObjectId::Schema { name: schema.clone() }])
                    .rank(31))
            }
            other => Err(unsupported(other, "cannot be redefined in place")),
        }
    }

    // ---- alter ----

    /// The values added to one enum, in one step in the desired order: a
    /// value may be placed next to another new one, and new values placed
    /// next to the same one land in the order they are added. The step
    /// comes from the enum's first added value; its others give nothing.
    fn add_enum_values(&self, change: &Change, name: &QualName, all: &[Change]) -> Vec<Step> {
        let mut added: Vec<(&String, &EnumPosition)> = Vec::new();
        for c in all {
            if let Change::AddEnumValue { name: n, value, position } = c {
                if n == name {
                    if added.is_empty() && c != change {
                        return Vec::new();
                    }
                    added.push((value, position));
                }
            }
        }
        let order = &self.desired.enums[name].values;
        added.sort_by_key(|(value, _)| order.iter().position(|v| v == *value));
        let (mut sql, mut details, mut literals) = (Vec::new(), Vec::new(), Vec::new());
        for (value, position) in added {
            literals.push(literal(value));
            let place = match position {
                EnumPosition::Before(v) => format!(" BEFORE {}", literal(v)),
                EnumPosition::After(v) if v.is_empty() => String::new(),
                EnumPosition::After(v) => format!(" AFTER {}", literal(v)),
            };
            sql.push(format!("ALTER TYPE {name} ADD VALUE {}{place}", literal(value)));
            details.push(format!("{}{place}", literal(value)));
        }
        let id = ObjectId::Type { name: name.clone() };
        let noun = if details.len() == 1 { "value" } else { "values" };
        let mut s = new_step(Action::Alter, &id, name.to_string(), sql)
            .detail(format!("add {noun} {}", details.join(", ")))
            .alters([id.clone()])
            .rank(2);
        s.transaction = Transaction::CommitAfter;
        s.deps.adds_enum_values = Some((name.clone(), literals));
        vec![s]
    }

    fn alter_column(
        &self,
        table: &QualName,
        column: &str,
        what: &ColumnChange,
        all: &[Change],
    ) -> Result<Vec<Step>, PlanError> {
        let id = ObjectId::Column { table: table.clone(), column: column.to_string() };
        let l = self.live.tables[table].column(column).expect("live column");
        let d = self.desired.tables[table].column(column).expect("desired column");
        let object = format!("{table}.{}", ident(column));
        let col = ident(column);
        let step = |sql: Vec<String>, detail: String, rank: u8| {
            new_step(Action::Alter, &id, object.clone(), sql).detail(detail).alters([id.clone()]).rank(rank)
        };
        Ok(match what {
            ColumnChange::NotNull
                if d.not_null && self.hint(table, column).is_some_and(|h| h.backfill.is_some()) =>
            {
                self.fill_then_set_not_null(table, column, None, true)?
            }
            ColumnChange::NotNull if d.not_null && self.online => {
                let mut steps = self.set_not_null_online(table, column);
                if let Some(first) = steps.first_mut() {
                    first.needs_no_nulls = Some((table.clone(), column.to_string()));
                }
                steps
            }
            ColumnChange::NotNull if d.not_null => {
                let mut set = step(vec![self.set_not_null_sql(table, column)], "set not null".into(), 24);
                set.needs_no_nulls = Some((table.clone(), column.to_string()));
                vec![set]
            }
            ColumnChange::NotNull => vec![step(
                vec![format!("ALTER TABLE {table} ALTER COLUMN {col} DROP NOT NULL")],
                "drop not null".into(),
                24,
            )],
            // Before a default takes the place the expression had.
            ColumnChange::DropExpression => vec![step(
                vec![format!("ALTER TABLE {table} ALTER COLUMN {col} DROP EXPRESSION")],
                "no longer generated, values kept".into(),
                22,
            )
            .destroys([ObjectId::ColumnDefault { table: table.clone(), column: column.to_string() }])],
            ColumnChange::Type => {
                let collate = d.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
                let using = self.using_clause(table, l, d);
                let converter = self.array_converter(l, d);
                let mut sql: Vec<String> = converter.iter().map(|c| c.create.clone()).collect();
                let default_handled = all.iter().any(|c| {
                    matches!(c, Change::Drop(ObjectId::ColumnDefault { table: t, column: c2 }) if t == table && c2 == column)
                });
                let reset_default = l.default.is_some() && !default_handled;
                if reset_default {
                    sql.push(format!("ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"));
                }
                sql.push(format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} TYPE {}{collate} USING {using}",
                    d.type_name
                ));
                sql.extend(converter.map(|c| c.drop));
                // A default changed by a step of its own is set there
                // (after this one), not twice.
                let default_set_apart = all.iter().any(|c| match c {
                    Change::Create(ObjectId::ColumnDefault { table: t, column: c2 })
                    | Change::Replace(ObjectId::ColumnDefault { table: t, column: c2 })
                    | Change::Redefine(ObjectId::ColumnDefault { table: t, column: c2 }) => {
                        t == table && c2 == column
                    }
                    _ => false,
                });
                if reset_default && !default_set_apart {
                    if let Some(text) = self.default_text(table, column) {
                        sql.push(format!("ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {text}"));
                    }
                }
                let mut detail = if l.type_name == d.type_name && l.collation != d.collation {
                    let shown = |c: &Option<String>| c.clone().unwrap_or_else(|| "default".into());
                    format!("collation {} → {}", shown(&l.collation), shown(&d.collation))
                } else {
                    format!("type {} → {}", l.type_name, d.type_name)
                };
                let lost = self.dropped_attributes(&l.type_name);
                if !lost.is_empty() {
                    detail.push_str(&format!(": loses attribute(s) {}", lost.join(", ")));
                }
                if let Some(note) = time_zone_note(&l.type_name, &d.type_name) {
                    detail.push_str(&format!(" ({note})"));
                }
                if storage_type(self.live, &l.type_name).0 == "json"
                    && storage_type(self.desired, &d.type_name).0 == "jsonb"
                {
                    detail.push_str(
                        " (jsonb keeps the last of duplicate keys and its own key order: a rollback gives back \
                         equal JSON, not the same text)",
                    );
                }
                let by_assignment = self.shortens(l, d) && !self.has_using(table, column);
                let cut = (self.narrows(&l.type_name, &d.type_name) && !by_assignment) || self.pads(l, d);
                let loss = cut || !lost.is_empty();
                let mut convert =
                    step(sql, detail, 25).data_loss(loss).requires(self.type_object(&d.type_name));
                if !self.has_using(table, column) {
                    convert.needs_absent_values = self.enum_values_removed_under(table, l, d);
                    convert.needs_length_at_most =
                        by_assignment.then(|| self.length_check(table, l, d)).flatten();
                }
                vec![convert]
            }
            ColumnChange::Identity => {
                if let Some(steps) = self.identity_handover(table, l, d, all) {
                    return Ok(steps);
                }
                // Dropped before NOT NULL (PostgreSQL refuses DROP NOT NULL
                // on an identity column) and before a type change it would
                // refuse; added after both.
                let rank = if d.identity.is_none() { 23 } else { 26 };
                vec![step(self.identity_sql(table, l, d), "identity".into(), rank)]
            }
        })
    }

    /// `SET NOT NULL`, or on PostgreSQL 18, when the desired NOT NULL
    /// constraint has a name of its own, the constraint under that name
    /// (SET NOT NULL would name it `table_column_not_null`).
    fn set_not_null_sql(&self, table: &QualName, column: &str) -> String {
        let t = &self.desired.tables[table];
        let explicit = t.column(column).and_then(|c| ddl::explicit_not_null_name(t, c));
        match explicit {
            Some(name) => {
                format!("ALTER TABLE {table} ADD CONSTRAINT {} NOT NULL {}", ident(name), ident(column))
            }
            None => format!("ALTER TABLE {table} ALTER COLUMN {} SET NOT NULL", ident(column)),
        }
    }

    /// `SET NOT NULL` without a long ACCESS EXCLUSIVE scan: a CHECK (col IS
    /// NOT NULL) added NOT VALID, validated under a weaker lock, then
    /// `SET NOT NULL` uses it instead of scanning, and the CHECK goes.
    fn set_not_null_online(&self, table: &QualName, column: &str) -> Vec<Step> {
        let col = ident(column);
        let object = format!("{table}.{col}");
        let helper = format!("pgrecon_{}_not_null", column.chars().take(40).collect::<String>());
        let helper_id = ObjectId::Constraint { table: table.clone(), name: helper.clone() };
        let column_id = ObjectId::Column { table: table.clone(), column: column.to_string() };
        let commit = |mut s: Step| {
            s.transaction = Transaction::CommitAfter;
            s
        };
        let add = commit(
            new_step(
                Action::Alter,
                &column_id,
                object.clone(),
                vec![format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({col} IS NOT NULL) NOT VALID",
                    ident(&helper)
                )],
            )
            .detail("not null (1/3: check, not valid)")
            .produces([helper_id.clone()])
            .rank(24),
        );
        let validate = commit(
            new_step(
                Action::Alter,
                &column_id,
                object.clone(),
                vec![format!("ALTER TABLE {table} VALIDATE CONSTRAINT {}", ident(&helper))],
            )
            .detail("not null (2/3: validate)")
            .alters([helper_id.clone()])
            .requires([helper_id.clone()])
            .rank(24),
        );
        let set = new_step(
            Action::Alter,
            &column_id,
            object,
            vec![
                self.set_not_null_sql(table, column),
                format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(&helper)),
            ],
        )
        .detail("set not null (3/3)")
        .alters([column_id.clone()])
        .requires([helper_id])
        .rank(24);
        vec![add, validate, set]
    }

    /// The type object a column type names, if it is one of ours.
    fn type_object(&self, type_name: &str) -> Vec<ObjectId> {
        let base = type_name.trim_end_matches("[]");
        let d = self.desired;
        d.enums
            .keys()
            .chain(d.domains.keys())
            .chain(d.composites.keys())
            .find(|n| n.to_string() == base)
            .map(|n| ObjectId::Type { name: n.clone() })
            .into_iter()
            .collect()
    }

    fn using_clause(&self, table: &QualName, l: &Column, d: &Column) -> String {
        if let Some(using) = self.hint(table, &d.name).and_then(|h| h.using.clone()) {
            return using;
        }
        if let Some(row) = self.by_attribute_name(l, d) {
            return row;
        }
        let col = ident(&l.name);
        // A domain over a composite type rebuilt under it goes through text
        // too, and so does a range (or multirange) rebuilt.
        let base = self.under_domain(l.type_name.trim_end_matches("[]"));
        let composite = is_composite(self.live, base);
        if rests_on_enum(self.live, &l.type_name) || composite || is_range(self.live, base) {
            let text = if l.type_name.ends_with("[]") { "text[]" } else { "text" };
            format!("{col}::{text}::{}", d.type_name)
        } else if self.shortens(l, d) {
            // Converted by assignment: a value too long stops the apply,
            // where a cast would cut it.
            col
        } else {
            format!("{col}::{}", d.type_name)
        }
    }

    /// Whether a conversion goes from text to text of a limited length
    /// (`text` → `varchar(3)`), or from bits to fewer bits, in arrays and
    /// domains too. By assignment (`USING col`) a value too long fails
    /// instead of being cut; only trailing spaces beyond the limit go,
    /// which the plan checks the live rows for (see `length_limit`).
    fn shortens(&self, l: &Column, d: &Column) -> bool {
        let (from, from_depth) = storage_type(self.live, &l.type_name);
        let (to, to_depth) = storage_type(self.desired, &d.type_name);
        let shorter = match (length_limit(&from), length_limit(&to)) {
            (Some((a, old)), Some((b, Some(new)))) => a == b && new < old.unwrap_or(u32::MAX),
            _ => false,
        };
        from_depth == to_depth && shorter
    }

    /// Whether a column becomes blank-padded text (`char(n)`) from another
    /// text type: read back, its values lose their trailing spaces.
    fn pads(&self, l: &Column, d: &Column) -> bool {
        let padded = |t: &str| t.starts_with("character(") || t == "character" || t == "bpchar";
        let (from, _) = storage_type(self.live, &l.type_name);
        let (to, _) = storage_type(self.desired, &d.type_name);
        padded(&to)
            && !padded(&from)
            && length_limit(&from).is_some_and(|(family, _)| family == TypeFamily::Text)
    }

    /// The longest value the converted column may hold, for the plan to
    /// check the live rows (a longer one would stop the apply, or lose
    /// trailing spaces).
    fn length_check(&self, table: &QualName, l: &Column, d: &Column) -> Option<super::LengthLimit> {
        let (to, depth) = storage_type(self.desired, &d.type_name);
        let (_, limit) = length_limit(&to)?;
        Some(super::LengthLimit {
            table: table.clone(),
            column: l.name.clone(),
            array: depth > 0,
            limit: limit?,
        })
    }

    fn has_using(&self, table: &QualName, column: &str) -> bool {
        self.hint(table, column).is_some_and(|h| h.using.is_some())
    }

    /// The conversion of a column whose composite type is rebuilt with its
    /// attributes renamed, reordered or dropped (or those of a composite
    /// inside it, or under a domain): attribute by attribute, matched by
    /// name, since the text form a row goes through otherwise is
    /// positional. An array goes through [`Self::array_converter`].
    fn by_attribute_name(&self, l: &Column, d: &Column) -> Option<String> {
        let array = d.type_name.ends_with("[]");
        if array != l.type_name.ends_with("[]") {
            return None;
        }
        let col = ident(&l.name);
        match array {
            false => self.value_by_name(&col, &l.type_name, &d.type_name),
            true => self.reshaped(&l.type_name).map(|_| format!("{}({col})", ARRAY_CONVERTER)),
        }
    }

    /// The composite type `type_name` names (or an array of it, or a domain
    /// over it), live and desired, when its values must move by name: its
    /// attributes do not line up by position, or one of them is such a
    /// composite in turn.
    fn reshaped(&self, type_name: &str) -> Option<(&CompositeType, &CompositeType)> {
        let base = self.under_domain(type_name.trim_end_matches("[]"));
        let (lc, dc) = (composite_named(self.live, base)?, composite_named(self.desired, base)?);
        let by_position = lc.attributes.iter().map(|a| &a.name).eq(dc.attributes.iter().map(|a| &a.name));
        let nested = dc.attributes.iter().any(|a| {
            lc.attribute(&a.name).is_some()
                && !a.type_name.ends_with("[]")
                && self.reshaped(&a.type_name).is_some()
        });
        (lc.name == dc.name && (!by_position || nested)).then_some((lc, dc))
    }

    /// Whether converting live type `from` to desired type `to` can lose
    /// or change values: also one level down, in an array's elements or a
    /// domain's base type (`text[]` → `varchar(3)[]`, `text` → a domain
    /// over `varchar(3)`), which the cast in `USING` cuts as it would a
    /// plain column's.
    fn narrows(&self, from: &str, to: &str) -> bool {
        let (from_kept, from_depth) = storage_type(self.live, from);
        let (to_kept, to_depth) = storage_type(self.desired, to);
        is_narrowing(from, to) || (from_depth == to_depth && is_narrowing(&from_kept, &to_kept))
    }

    /// Live column `l` of an enum the plan rebuilds without some of its
    /// values: the values, for the plan to check no row still holds one
    /// (its conversion would fail half-way through apply).
    fn enum_values_removed_under(
        &self,
        table: &QualName,
        l: &Column,
        d: &Column,
    ) -> Option<super::AbsentValues> {
        let (name, array) = enum_under(self.live, &l.type_name)?;
        // A column leaving the enum (for text, say) keeps every value.
        if enum_under(self.desired, &d.type_name).map(|(n, _)| n) != Some(name) {
            return None;
        }
        let kept = &self.desired.enums.get(name)?.values;
        let removed: Vec<String> =
            self.live.enums[name].values.iter().filter(|v| !kept.contains(v)).cloned().collect();
        (!removed.is_empty()).then(|| super::AbsentValues {
            type_name: name.clone(),
            table: table.clone(),
            column: l.name.clone(),
            array,
            values: removed,
        })
    }

    /// The base type of a domain (of the live model), else `type_name`.
    fn under_domain<'t>(&'t self, type_name: &'t str) -> &'t str {
        match self.live.domains.values().find(|d| d.name.to_string() == type_name) {
            Some(d) => d.base_type.trim_end_matches("[]"),
            None => type_name,
        }
    }

    /// `value`, of live type `live_type`, as `desired_type` by attribute
    /// name, when its composite type is reshaped (see [`Self::reshaped`]).
    fn value_by_name(&self, value: &str, live_type: &str, desired_type: &str) -> Option<String> {
        let (lc, dc) = self.reshaped(live_type)?;
        let row = self.row_by_name(lc, dc, value);
        let domain = self.desired.domains.values().any(|d| d.name.to_string() == desired_type);
        Some(if domain { format!("({row})::{desired_type}") } else { row })
    }

    /// For an array column of a reshaped composite type, a function of the
    /// session's own (`pg_temp`) converting it element by element: `USING`
    /// allows no subquery, and there is no other way to map over an array.
    /// One dimension from 1 only; another shape stops the apply with a
    /// message rather than lose elements or bounds.
    fn array_converter(&self, l: &Column, d: &Column) -> Option<Converter> {
        if !(d.type_name.ends_with("[]") && l.type_name.ends_with("[]")) {
            return None;
        }
        let (_, dc) = self.reshaped(&l.type_name)?;
        let element_type = l.type_name.trim_end_matches("[]");
        let rebuilt = self
            .live
            .composites
            .keys()
            .chain(self.live.domains.keys())
            .find(|n| n.to_string() == element_type)?;
        let old = format!("{}[]", rebuilt.aside());
        let element = self.value_by_name("$1[s.i]", element_type, d.type_name.trim_end_matches("[]"))?;
        let create = format!(
            "CREATE FUNCTION {ARRAY_CONVERTER}({old}) RETURNS {array} LANGUAGE sql IMMUTABLE AS $pgrecon$ \
             SELECT CASE WHEN $1 IS NULL THEN NULL \
             WHEN pg_catalog.array_ndims($1) > 1 OR pg_catalog.array_lower($1, 1) <> 1 \
             THEN pg_catalog.format('pgrecon converts arrays of %s of one dimension from 1 only: give %s a \
             -- @using', {type}, {column})::{array} \
             ELSE ARRAY(SELECT {element} FROM pg_catalog.generate_subscripts($1, 1) AS s(i) ORDER BY s.i) END \
             $pgrecon$",
            array = d.type_name,
            type = literal(&dc.name.to_string()),
            column = literal(&l.name),
        );
        Some(Converter { create, drop: format!("DROP FUNCTION {ARRAY_CONVERTER}({old})") })
    }

    /// `value` (a row of `live`'s shape) as a row of `desired`'s. A NULL
    /// row stays NULL (`num_nulls` asks of the row itself; `IS NULL` would
    /// also take a row of NULL attributes).
    fn row_by_name(&self, live: &CompositeType, desired: &CompositeType, value: &str) -> String {
        let fields: Vec<String> = desired
            .attributes
            .iter()
            .map(|a| {
                let field = format!("({value}).{}", ident(&a.name));
                let Some(x) = live.attribute(&a.name) else { return format!("NULL::{}", a.type_name) };
                if !a.type_name.ends_with("[]") {
                    if let Some(nested) = self.value_by_name(&field, &x.type_name, &a.type_name) {
                        return nested;
                    }
                }
                if x.type_name == a.type_name && !self.may_be_rebuilt(&x.type_name) {
                    field
                } else {
                    format!("{field}::text::{}", a.type_name)
                }
            })
            .collect();
        format!(
            "CASE WHEN pg_catalog.num_nulls({value}) = 1 THEN NULL ELSE ROW({})::{} END",
            fields.join(", "),
            desired.name
        )
    }

    /// An attribute's type that a plan may rebuild under it (an enum, or
    /// a type over one, or a composite): its values go through text.
    fn may_be_rebuilt(&self, type_name: &str) -> bool {
        rests_on_enum(self.live, type_name)
            || is_composite(self.live, type_name)
            || self.live.domains.keys().any(|n| n.to_string() == type_name.trim_end_matches("[]"))
    }

    /// The attributes of the composite type `type_name` names (or is an
    /// array of) that the desired state no longer has: their values are
    /// lost from every column of the type.
    fn dropped_attributes(&self, type_name: &str) -> Vec<String> {
        let Some(l) = composite_named(self.live, type_name) else { return Vec::new() };
        let Some(d) = self.desired.composites.get(&l.name) else { return Vec::new() };
        l.attributes.iter().filter(|a| d.attribute(&a.name).is_none()).map(|a| ident(&a.name)).collect()
    }

    /// The live table columns of composite type `name` (or of arrays of it).
    fn columns_of_type(&self, name: &QualName) -> Vec<String> {
        let name = name.to_string();
        let mut found = Vec::new();
        for (t, table) in &self.live.tables {
            for c in table.columns.iter().filter(|c| c.type_name.trim_end_matches("[]") == name) {
                found.push(format!("{t}.{}", ident(&c.name)));
            }
        }
        found
    }

    fn identity_sql(&self, table: &QualName, l: &Column, d: &Column) -> Vec<String> {
        let col = ident(&d.name);
        let prefix = format!("ALTER TABLE {table} ALTER COLUMN {col}");
        match (&l.identity, &d.identity) {
            (None, Some(i)) => {
                let kind = if i.always { "ALWAYS" } else { "BY DEFAULT" };
                let mut options = vec![format!("SEQUENCE NAME {}", i.sequence)];
                options.extend(ddl::sequence_options(&i.options));
                let mut sql =
                    vec![format!("{prefix} ADD GENERATED {kind} AS IDENTITY ({})", options.join(" "))];
                // A column with values already: the sequence goes on past
                // them (below them, counting down), else the next row takes
                // an id in use.
                let (extreme, beyond) = if i.options.increment > 0 { ("max", ">=") } else { ("min", "<=") };
                sql.push(format!(
                    "SELECT pg_catalog.setval({}, m) FROM (SELECT {extreme}({col}) AS m FROM {table}) s \
                     WHERE m {beyond} {}",
                    literal(&i.sequence.to_string()),
                    i.options.start
                ));
                sql
            }
            (Some(_), None) => vec![format!("{prefix} DROP IDENTITY")],
            (Some(li), Some(di)) => {
                let mut sql = Vec::new();
                if li.always != di.always {
                    let kind = if di.always { "ALWAYS" } else { "BY DEFAULT" };
                    sql.push(format!("{prefix} SET GENERATED {kind}"));
                }
                if li.options != di.options {
                    let o = &di.options;
                    sql.push(format!(
                        "{prefix} SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET START WITH {} SET CACHE {} SET {}CYCLE",
                        o.increment, o.min_value, o.max_value, o.start, o.cache, if o.cycle { "" } else { "NO " }
                    ));
                }
                if li.sequence != di.sequence {
                    sql.push(format!(
                        "ALTER SEQUENCE {} RENAME TO {}",
                        li.sequence,
                        ident(&di.sequence.name)
                    ));
                }
                sql
            }
            (None, None) => Vec::new(),
        }
    }

    /// A column going from `serial` (a sequence it owns) to an identity, or
    /// back: the new sequence continues where the old one stopped (else
    /// the next row would take an id already used). Both usually have the
    /// same name, so the old one is renamed aside first; it goes once its
    /// position is copied. `None` when the column has no such pair.
    fn identity_handover(
        &self,
        table: &QualName,
        l: &Column,
        d: &Column,
        all: &[Change],
    ) -> Option<Vec<Step>> {
        let column = ObjectId::Column { table: table.clone(), column: d.name.clone() };
        let object = format!("{table}.{}", ident(&d.name));
        match (&l.identity, &d.identity) {
            (None, Some(new)) => {
                // The sequence the column drew from: dropped by the plan, or
                // kept (then under another name than the identity's).
                let (old, dropped) = match self.handed_over_sequence(table, &d.name, all) {
                    Some(old) => (old, true),
                    None => {
                        (default_sequence(self.live, table, &d.name, |s| *s != new.sequence)?.clone(), false)
                    }
                };
                let from = if old == new.sequence { old.aside() } else { old.clone() };
                let mut sql = Vec::new();
                if from != old {
                    sql.push(format!("ALTER SEQUENCE {old} RENAME TO {}", ident(&from.name)));
                }
                sql.extend(self.identity_sql(table, l, d));
                sql.push(copy_position(&new.sequence, &from));
                let mut step = new_step(Action::Alter, &column, object, sql)
                    .detail(format!("identity, continuing from {old}"))
                    .alters([column.clone()])
                    .rank(26);
                if dropped {
                    step = step.destroys([ObjectId::Sequence { name: old }]);
                }
                Some(vec![step])
            }
            (Some(old), None) => {
                let Some(new) = self.sequence_taking_over(table, &d.name, all) else {
                    return self.identity_to_kept_sequence(table, &d.name, &old.sequence);
                };
                let from = if *new == old.sequence { old.sequence.aside() } else { old.sequence.clone() };
                let mut steps = Vec::new();
                if from != old.sequence {
                    let sql =
                        vec![format!("ALTER SEQUENCE {} RENAME TO {}", old.sequence, ident(&from.name))];
                    steps.push(
                        new_step(Action::Alter, &column, object.clone(), sql)
                            .detail(format!("identity sequence set aside as {from}"))
                            .destroys([ObjectId::Sequence { name: new.clone() }])
                            .rank(23),
                    );
                }
                let sql = vec![
                    copy_position(new, &from),
                    format!("ALTER TABLE {table} ALTER COLUMN {} DROP IDENTITY", ident(&d.name)),
                ];
                steps.push(
                    new_step(Action::Alter, &column, object, sql)
                        .detail(format!("drop identity, {new} continuing from it"))
                        .alters([column.clone()])
                        .requires([ObjectId::Sequence { name: new.clone() }])
                        .rank(34),
                );
                Some(steps)
            }
            _ => None,
        }
    }

    /// The live sequence a column owns (`serial`) that the plan drops while
    /// the column gains an identity.
    fn handed_over_sequence(&self, table: &QualName, column: &str, all: &[Change]) -> Option<QualName> {
        let dropped =
            |name: &QualName| all.contains(&Change::Drop(ObjectId::Sequence { name: name.clone() }));
        owned_sequence(self.live, table, column, |id| all.contains(&Change::Drop(id)))
            .or_else(|| default_sequence(self.live, table, column, dropped))
            .cloned()
    }

    /// A column losing its identity for a default drawing from a sequence
    /// that is already there: that sequence is moved past the identity's
    /// position if it is behind (the column's next rows would take ids
    /// already used), never back.
    fn identity_to_kept_sequence(
        &self,
        table: &QualName,
        column: &str,
        identity: &QualName,
    ) -> Option<Vec<Step>> {
        let kept = default_sequence(self.desired, table, column, |name| {
            name != identity && self.live.sequences.contains_key(name)
        })?;
        let id = ObjectId::Column { table: table.clone(), column: column.to_string() };
        let sql = vec![
            format!(
                "SELECT pg_catalog.setval({}, s.last_value, s.is_called) FROM {identity} s, {kept} k \
                 WHERE s.last_value > k.last_value OR (s.last_value = k.last_value AND s.is_called AND NOT k.is_called)",
                literal(&kept.to_string())
            ),
            format!("ALTER TABLE {table} ALTER COLUMN {} DROP IDENTITY", ident(column)),
        ];
        let step = new_step(Action::Alter, &id, format!("{table}.{}", ident(column)), sql)
            .detail(format!("drop identity, {kept} continuing from it if behind"))
            .alters([id.clone()])
            .rank(34);
        Some(vec![step])
    }

    /// The column a live sequence counts for: the one owning it, else one
    /// whose default draws from it and which gains an identity here.
    fn counting_column(&self, sequence: &QualName, all: &[Change]) -> Option<(QualName, String)> {
        if let Some(owner) = self.live.sequences.get(sequence)?.owned_by.clone() {
            return Some(owner);
        }
        let id = ObjectId::Sequence { name: sequence.clone() };
        all.iter().find_map(|c| match c {
            Change::AlterColumn { table, column, .. } => {
                let default = ObjectId::ColumnDefault { table: table.clone(), column: column.clone() };
                self.live.dependencies.contains(&default, &id).then(|| (table.clone(), column.clone()))
            }
            _ => None,
        })
    }

    /// The sequence the plan creates for a column that loses its identity:
    /// one the column owns (`serial`), else one its default draws from
    /// (`DEFAULT nextval('t_id_seq')`, a sequence of its own).
    fn sequence_taking_over(&self, table: &QualName, column: &str, all: &[Change]) -> Option<&QualName> {
        let created =
            |name: &QualName| all.contains(&Change::Create(ObjectId::Sequence { name: name.clone() }));
        owned_sequence(self.desired, table, column, |id| all.contains(&Change::Create(id)))
            .or_else(|| default_sequence(self.desired, table, column, created))
    }

    /// The dropped sequence whose position an identity took over: dropped
    /// after (under its name aside), and nothing is lost with it.
    fn handed_over_drop(&self, name: &QualName, all: &[Change]) -> Option<Step> {
        let (table, column) = self.counting_column(name, all)?;
        let d = self.desired.tables.get(&table)?.column(&column)?;
        let l = self.live.tables.get(&table)?.column(&column)?;
        let identity = d.identity.as_ref().filter(|_| l.identity.is_none())?;
        if self.handed_over_sequence(&table, &column, all).as_ref() != Some(name) {
            return None;
        }
        let dropped = if identity.sequence == *name { name.aside() } else { name.clone() };
        let id = ObjectId::Sequence { name: name.clone() };
        Some(
            new_step(Action::Drop, &id, dropped.to_string(), vec![format!("DROP SEQUENCE {dropped}")])
                .detail("its position taken over by the identity")
                .requires([ObjectId::Column { table, column }])
                .rank(29),
        )
    }

    fn alter_table(&self, table: &QualName) -> Step {
        let (l, d) = (&self.live.tables[table], &self.desired.tables[table]);
        let id = ObjectId::Table { name: table.clone() };
        let mut sql = Vec::new();
        if l.unlogged != d.unlogged {
            sql.push(format!("ALTER TABLE {table} SET {}", if d.unlogged { "UNLOGGED" } else { "LOGGED" }));
        }
        let key = |o: &String| o.split('=').next().unwrap_or("").to_string();
        let removed: Vec<String> =
            l.options.iter().map(key).filter(|k| !d.options.iter().any(|o| key(o) == *k)).collect();
        if !removed.is_empty() {
            sql.push(format!("ALTER TABLE {table} RESET ({})", removed.join(", ")));
        }
        if !d.options.is_empty() && d.options != l.options {
            sql.push(format!("ALTER TABLE {table} SET ({})", d.options.join(", ")));
        }
        new_step(Action::Alter, &id, table.to_string(), sql).detail("storage").alters([id.clone()]).rank(20)
    }

    fn alter_sequence(&self, name: &QualName) -> Step {
        let (l, d) = (&self.live.sequences[name], &self.desired.sequences[name]);
        let id = ObjectId::Sequence { name: name.clone() };
        let mut sql = Vec::new();
        if l.options != d.options {
            let o = &d.options;
            sql.push(format!(
                "ALTER SEQUENCE {name} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}CYCLE",
                o.data_type, o.increment, o.min_value, o.max_value, o.start, o.cache, if o.cycle { "" } else { "NO " }
            ));
        }
        let mut requires = Vec::new();
        // `OWNED BY` elsewhere before the old owner column is dropped (its
        // table's DROP would fail while the sequence belongs to it).
        let old_owner = l
            .owned_by
            .as_ref()
            .filter(|_| l.owned_by != d.owned_by)
            .map(|(t, c)| ObjectId::Column { table: t.clone(), column: c.clone() });
        if l.owned_by != d.owned_by {
            match &d.owned_by {
                Some((t, c)) => {
                    sql.push(format!("ALTER SEQUENCE {name} OWNED BY {t}.{}", ident(c)));
                    requires.push(ObjectId::Column { table: t.clone(), column: c.clone() });
                }
                None => sql.push(format!("ALTER SEQUENCE {name} OWNED BY NONE")),
            }
        }
        // Not `alters`: a default using the sequence must not wait for
        // OWNED BY, which itself waits for the column.
        let mut step =
            new_step(Action::Alter, &id, name.to_string(), sql).detail("options").requires(requires).rank(21);
        step.deps.lets_go.extend(old_owner);
        step
    }

    fn rebuild_enum(&self, name: &QualName, all: &[Change]) -> Vec<Step> {
        let (l, d) = (&self.live.enums[name], &self.desired.enums[name]);
        let id = ObjectId::Type { name: name.clone() };
        let aside = name.aside();
        let mut create = ddl::create_enum(d);
        create.insert(0, format!("ALTER TYPE {name} RENAME TO {}", ident(&aside.name)));
        let lost: Vec<&String> = l.values.iter().filter(|v| !d.values.contains(v)).collect();
        // Removing a value loses nothing by itself: converting a row that
        // still holds it fails, and the transaction rolls back.
        let mut first = new_step(Action::Alter, &id, name.to_string(), create)
            .detail(format!(
                "rebuild with values ({})",
                d.values.iter().map(|v| literal(v)).collect::<Vec<_>>().join(", ")
            ))
            .alters([id.clone()])
            .produces([id.clone()])
            .rank(22);
        if !lost.is_empty() {
            let lost: Vec<String> = lost.iter().map(|v| literal(v)).collect();
            first = first.detail(format!("removes {} (fails if rows still use them)", lost.join(", ")));
        }
        let converted = converted_columns(all);
        let last = new_step(Action::Drop, &id, aside.to_string(), vec![format!("DROP TYPE {aside}")])
            .requires(converted)
            .requires([id.clone()])
            // The domains and composite types over it, rebuilt with it,
            // let go of it first.
            .requires(rebuilt_types_aside(all))
            .rank(29);
        vec![first, last]
    }

    /// A domain or composite type renamed aside and created anew (see
    /// `Change::RebuildType`); its columns are converted by their own
    /// steps, then the old one goes.
    fn rebuild_type(&self, name: &QualName, all: &[Change]) -> Result<Vec<Step>, PlanError> {
        let id = ObjectId::Type { name: name.clone() };
        let aside = name.aside();
        let keyword = if self.live.domains.contains_key(name) { "DOMAIN" } else { "TYPE" };
        let mut sql = vec![format!("ALTER {keyword} {name} RENAME TO {}", ident(&aside.name))];
        // Names PostgreSQL generates for the new domain's constraints
        // (`camera_code_check`) must not find the old ones still in use.
        if let Some(l) = self.live.domains.get(name) {
            for c in l.constraints.keys().chain(&l.not_null_name) {
                let old = crate::quote::suffixed(c, ASIDE_SUFFIX);
                sql.push(format!("ALTER DOMAIN {aside} RENAME CONSTRAINT {} TO {}", ident(c), ident(&old)));
            }
        }
        // A range's multirange type keeps its name when the range is
        // renamed: set aside too, for the new range to make its own.
        if let Some(range) = self.live.ranges.get(name) {
            sql.extend(set_aside_range_parts(range, &aside));
        }
        sql.extend(self.create_type(name)?);
        let detail = match (self.desired.domains.get(name), self.desired.ranges.get(name)) {
            (Some(d), _) => format!("rebuild over {}", d.base_type),
            (_, Some(r)) => format!("rebuild as range ({})", r.options),
            _ => format!(
                "rebuild with attributes ({})",
                self.desired.composites[name]
                    .attributes
                    .iter()
                    .map(|a| format!("{} {}", ident(&a.name), a.type_name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let first = new_step(Action::Alter, &id, name.to_string(), sql)
            .detail(detail)
            .alters([id.clone()])
            .produces([id.clone()])
            .rank(22);
        // The old types built on this one (a composite holding it, a domain
        // over it), rebuilt too, let go of it first.
        let over_it: Vec<ObjectId> = all
            .iter()
            .filter_map(|c| match c {
                Change::RebuildType { name: n }
                    if self.live.dependencies_of(&ObjectId::Type { name: n.clone() }).any(|t| *t == id) =>
                {
                    Some(ObjectId::Type { name: n.aside() })
                }
                _ => None,
            })
            .collect();
        let mut last =
            new_step(Action::Drop, &id, aside.to_string(), vec![format!("DROP {keyword} {aside}")])
                .requires(converted_columns(all))
                .requires([id.clone()])
                .requires(over_it)
                .alters([ObjectId::Type { name: aside.clone() }])
                .rank(29);
        // The old type still uses what it was built on (a range or an enum
        // the plan drops, replaced by another): dropped after it.
        last.deps.lets_go.extend(self.live.dependencies_of(&id).cloned());
        Ok(vec![first, last])
    }

    fn alter_domain(&self, name: &QualName) -> Step {
        let (l, d) = (&self.live.domains[name], &self.desired.domains[name]);
        let id = ObjectId::Type { name: name.clone() };
        let mut sql = Vec::new();
        // What changes, for the step's summary.
        let mut what: Vec<String> = Vec::new();
        if l.default != d.default {
            what.push("default".into());
            sql.push(match &d.default {
                Some(v) => format!("ALTER DOMAIN {name} SET DEFAULT {v}"),
                None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
            });
        }
        let explicit = ddl::explicit_domain_not_null_name(d);
        match (&l.not_null_name, &d.not_null_name) {
            (Some(from), Some(to)) if from != to => {
                what.push(format!("constraint {} → {}", ident(from), ident(to)));
                sql.push(format!("ALTER DOMAIN {name} RENAME CONSTRAINT {} TO {}", ident(from), ident(to)))
            }
            _ if l.not_null == d.not_null => {}
            // SET NOT NULL would name it `domain_not_null`.
            _ if explicit.is_some() => {
                what.push("NOT NULL".into());
                let constraint = ident(explicit.unwrap_or_default());
                sql.push(format!("ALTER DOMAIN {name} ADD CONSTRAINT {constraint} NOT NULL"))
            }
            _ => {
                what.push(if d.not_null { "NOT NULL" } else { "nullable" }.into());
                sql.push(format!("ALTER DOMAIN {name} {} NOT NULL", if d.not_null { "SET" } else { "DROP" }))
            }
        }
        // A CHECK the same but for its name (`y_check` once the domain is
        // `z`, where a fresh build says `z_check`) is renamed: adding it
        // again checks every value, and PostgreSQL refuses it outright
        // when a composite type used by a table has the domain.
        let mut renamed: Vec<(&String, &String)> = Vec::new();
        for (cname, c) in l.constraints.iter().filter(|(n, _)| !d.constraints.contains_key(*n)) {
            let same = d.constraints.iter().find(|(n, x)| {
                x.definition == c.definition
                    && !l.constraints.contains_key(*n)
                    && !renamed.iter().any(|(_, to)| to == n)
            });
            if let Some((to, _)) = same {
                renamed.push((cname, to));
            }
        }
        let renamed_from = |n: &String| renamed.iter().any(|(from, _)| *from == n);
        let renamed_to = |n: &String| renamed.iter().any(|(_, to)| *to == n);
        for (cname, c) in &l.constraints {
            let kept = d.constraints.get(cname).map(|x| &x.definition) == Some(&c.definition);
            if !kept && !renamed_from(cname) {
                what.push(format!("drop constraint {}", ident(cname)));
                sql.push(format!("ALTER DOMAIN {name} DROP CONSTRAINT {}", ident(cname)));
            }
        }
        for (from, to) in &renamed {
            what.push(format!("constraint {} → {}", ident(from), ident(to)));
            sql.push(format!("ALTER DOMAIN {name} RENAME CONSTRAINT {} TO {}", ident(from), ident(to)));
        }
        for (cname, c) in &d.constraints {
            let kept = l.constraints.get(cname).map(|x| &x.definition) == Some(&c.definition);
            if !kept && !renamed_to(cname) {
                what.push(format!("add constraint {}", ident(cname)));
                sql.push(format!("ALTER DOMAIN {name} ADD CONSTRAINT {} {}", ident(cname), c.definition));
            }
        }
        let detail = format!("domain: {}", what.join(", "));
        new_step(Action::Alter, &id, name.to_string(), sql).detail(detail).alters([id.clone()]).rank(23)
    }

    /// Attributes dropped and appended in place (see
    /// `diff::alterable_in_place`); a dropped attribute's values are lost
    /// from the columns of the type.
    fn alter_composite(&self, name: &QualName) -> Step {
        let (l, d) = (&self.live.composites[name], &self.desired.composites[name]);
        let id = ObjectId::Type { name: name.clone() };
        let lost = self.dropped_attributes(&name.to_string());
        let users = if lost.is_empty() { Vec::new() } else { self.columns_of_type(name) };
        let mut detail = "attributes".to_string();
        if !users.is_empty() {
            detail.push_str(&format!(": drops {} from {}", lost.join(", "), users.join(", ")));
        }
        let mut sql = Vec::new();
        for a in &l.attributes {
            if !d.attributes.iter().any(|x| x.name == a.name) {
                sql.push(format!("ALTER TYPE {name} DROP ATTRIBUTE {}", ident(&a.name)));
            }
        }
        for a in &d.attributes {
            let collate = a.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
            match l.attributes.iter().find(|x| x.name == a.name) {
                None => sql.push(format!(
                    "ALTER TYPE {name} ADD ATTRIBUTE {} {}{collate}",
                    ident(&a.name),
                    a.type_name
                )),
                Some(x) if x.type_name != a.type_name || x.collation != a.collation => sql.push(format!(
                    "ALTER TYPE {name} ALTER ATTRIBUTE {} TYPE {}{collate}",
                    ident(&a.name),
                    a.type_name
                )),
                Some(_) => {}
            }
        }
        new_step(Action::Alter, &id, name.to_string(), sql)
            .detail(detail)
            .data_loss(!users.is_empty())
            .alters([id.clone()])
            .rank(23)
    }

    fn comment(&self, target: &ObjectId, subject: &CommentSubject) -> Step {
        let d = self.desired;
        let (kind, object, text): (String, String, Option<String>) = match (target, subject) {
            (ObjectId::Table { name }, CommentSubject::Column(c)) => {
                let text = d.tables[name].column(c).and_then(|x| x.comment.clone());
                ("COLUMN".into(), format!("{name}.{}", ident(c)), text)
            }
            (ObjectId::View { name }, CommentSubject::Column(c)) => (
                "COLUMN".into(),
                format!("{name}.{}", ident(c)),
                d.views[name].column_comments.get(c).cloned(),
            ),
            (ObjectId::Type { name }, CommentSubject::Column(c)) => {
                let text = d.composites[name]
                    .attributes
                    .iter()
                    .find(|a| &a.name == c)
                    .and_then(|a| a.comment.clone());
                ("COLUMN".into(), format!("{name}.{}", ident(c)), text)
            }
            (ObjectId::Type { name }, CommentSubject::DomainConstraint(c)) => {
                let text = d.domains[name].constraints.get(c).and_then(|x| x.comment.clone());
                ("CONSTRAINT".into(), format!("{} ON DOMAIN {name}", ident(c)), text)
            }
            (id, _) => self.object_comment(id),
        };
        let sql = vec![format!(
            "COMMENT ON {kind} {object} IS {}",
            text.as_deref().map_or("NULL".to_string(), literal)
        )];
        let what = if text.is_some() { "comment" } else { "remove comment" };
        // A column's comment is the column's, whatever it belongs to.
        let label = match (target, subject) {
            (
                ObjectId::Table { name } | ObjectId::View { name } | ObjectId::Type { name },
                CommentSubject::Column(c),
            ) => ObjectId::Column { table: name.clone(), column: c.clone() },
            _ => target.clone(),
        };
        new_step(Action::Alter, &label, object, sql).detail(what).alters([target.clone()]).rank(45)
    }

    fn object_comment(&self, id: &ObjectId) -> (String, String, Option<String>) {
        let d = self.desired;
        match id {
            ObjectId::Schema { name } => ("SCHEMA".into(), ident(name), d.schemas[name].comment.clone()),
            ObjectId::Extension { name } => {
                ("EXTENSION".into(), ident(name), d.extensions[name].comment.clone())
            }
            ObjectId::Type { name } => {
                if let Some(dom) = d.domains.get(name) {
                    ("DOMAIN".into(), name.to_string(), dom.comment.clone())
                } else {
                    let text = d
                        .enums
                        .get(name)
                        .map(|e| e.comment.clone())
                        .or_else(|| d.composites.get(name).map(|c| c.comment.clone()))
                        .or_else(|| d.ranges.get(name).map(|r| r.comment.clone()));
                    ("TYPE".into(), name.to_string(), text.flatten())
                }
            }
            ObjectId::Sequence { name } => {
                ("SEQUENCE".into(), name.to_string(), d.sequences[name].comment.clone())
            }
            ObjectId::Table { name } => ("TABLE".into(), name.to_string(), d.tables[name].comment.clone()),
            ObjectId::View { name } => {
                (view_kind(&d.views[name]).into(), name.to_string(), d.views[name].comment.clone())
            }
            ObjectId::Index { name } => ("INDEX".into(), name.to_string(), d.indexes[name].comment.clone()),
            ObjectId::Function { id } => {
                let f = &d.functions[id];
                let kind = if f.kind == RoutineKind::Procedure { "PROCEDURE" } else { "FUNCTION" };
                (kind.into(), id.to_string(), f.comment.clone())
            }
            ObjectId::Trigger { table, name } => {
                let t = &d.triggers[&(table.clone(), name.clone())];
                ("TRIGGER".into(), format!("{} ON {table}", ident(name)), t.comment.clone())
            }
            ObjectId::Constraint { table, name } => {
                let c = &d.tables[table].constraints[name];
                ("CONSTRAINT".into(), format!("{} ON {table}", ident(name)), c.comment.clone())
            }
            other => ("".into(), other.to_string(), None),
        }
    }
}

/// `CREATE [UNIQUE] INDEX` → `CREATE [UNIQUE] INDEX CONCURRENTLY`.
fn concurrently(statement: &str) -> String {
    let upper = statement.to_uppercase();
    match upper.find("INDEX") {
        Some(i) if !upper[i..].starts_with("INDEX CONCURRENTLY") => {
            format!("{}INDEX CONCURRENTLY{}", &statement[..i], &statement[i + 5..])
        }
        _ => statement.to_string(),
    }
}

/// Objects of a table that is dropped go with it.
fn goes_with_its_table(id: &ObjectId, all: &[Change]) -> bool {
    let table = match id {
        ObjectId::Column { table, .. }
        | ObjectId::ColumnDefault { table, .. }
        | ObjectId::Constraint { table, .. }
        | ObjectId::Trigger { table, .. } => table,
        _ => return false,
    };
    all.contains(&Change::Drop(ObjectId::Table { name: table.clone() }))
        || all.contains(&Change::Drop(ObjectId::View { name: table.clone() }))
        || matches!(id, ObjectId::ColumnDefault { table, column }
            if all.contains(&Change::Drop(ObjectId::Column { table: table.clone(), column: column.clone() })))
}

/// Ordering mark: a column's backfill is done.
fn backfilled(table: &QualName, column: &str) -> ObjectId {
    ObjectId::Constraint { table: table.clone(), name: format!("pgrecon backfill {column}") }
}

fn trigger_state(enabled: char) -> &'static str {
    match enabled {
        'D' => "DISABLE",
        'R' => "ENABLE REPLICA",
        'A' => "ENABLE ALWAYS",
        _ => "ENABLE",
    }
}

fn view_kind(v: &View) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

/// The user's statement, followed by the comments the model has for it
/// (comments are the statements after the first in `ddl`'s output).
fn with_comments(statement: &str, generated: Vec<String>) -> Vec<String> {
    let mut out = vec![statement.to_string()];
    out.extend(
        generated.into_iter().skip(1).filter(|s| s.starts_with("COMMENT ON") || s.starts_with("ALTER TABLE")),
    );
    out
}

/// `CREATE VIEW` → `CREATE OR REPLACE VIEW` (likewise functions).
fn or_replace(statement: &str) -> String {
    let trimmed = statement.trim_start();
    let upper = trimmed.to_uppercase();
    if upper.starts_with("CREATE OR REPLACE") {
        return trimmed.to_string();
    }
    match trimmed.get(..6) {
        Some(word) if word.eq_ignore_ascii_case("CREATE") => format!("CREATE OR REPLACE{}", &trimmed[6..]),
        _ => trimmed.to_string(),
    }
}

/// The type the values of `type_name` are kept as in `catalog`, domains
/// resolved to their base types, and its array depth: (`varchar(3)`, 1)
/// for an array of a domain over `varchar(3)`.
fn storage_type(catalog: &Catalog, type_name: &str) -> (String, usize) {
    let mut kept = type_name;
    let mut depth = 0;
    // A domain over a domain, at most as deep as any schema will go.
    for _ in 0..16 {
        while let Some(element) = kept.strip_suffix("[]") {
            kept = element;
            depth += 1;
        }
        match catalog.domains.values().find(|d| d.name.to_string() == kept) {
            Some(domain) => kept = &domain.base_type,
            None => break,
        }
    }
    (kept.to_string(), depth)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeFamily {
    Text,
    Bits,
}

/// For a type whose values have a length, its family and length limit:
/// `(Text, None)` for `text`, `(Text, Some(3))` for `varchar(3)` or
/// `character(3)`, `(Bits, Some(8))` for `bit varying(8)` or `bit(8)`.
fn length_limit(t: &str) -> Option<(TypeFamily, Option<u32>)> {
    if let Some(limit) = text_length(t) {
        return Some((TypeFamily::Text, limit));
    }
    if t == "bit varying" {
        return Some((TypeFamily::Bits, None));
    }
    let inner = t.strip_prefix("bit varying(").or_else(|| t.strip_prefix("bit("))?;
    Some((TypeFamily::Bits, Some(inner.strip_suffix(')')?.parse().ok()?)))
}

/// For a textual type, its length limit: `Some(None)` for `text` and
/// `varchar`, `Some(Some(3))` for `varchar(3)` or `character(3)`.
fn text_length(t: &str) -> Option<Option<u32>> {
    match t {
        "text" | "character varying" => Some(None),
        _ => {
            let inner = t.strip_prefix("character varying(").or_else(|| t.strip_prefix("character("))?;
            Some(inner.strip_suffix(')')?.parse().ok())
        }
    }
}

/// Type changes that can silently lose data: narrowing within a family of
/// types (a shorter varchar truncates, a smaller numeric scale rounds, a
/// float becomes an integer or a numeric of its printed digits, a large
/// integer a float). Conversions between families (text to enum,
/// smallint to a domain) either keep every value or fail, and a failing
/// step rolls back: nothing is lost by surprise.
fn is_narrowing(from: &str, to: &str) -> bool {
    let int_rank = |t: &str| match t {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        _ => None,
    };
    let float_rank = |t: &str| match t {
        "real" => Some(1),
        "double precision" => Some(2),
        _ => None,
    };
    let numeric = |t: &str| -> Option<(Option<u32>, Option<u32>)> {
        if t == "numeric" {
            return Some((None, None));
        }
        let inner = t.strip_prefix("numeric(")?.strip_suffix(')')?;
        let mut parts = inner.split(',').map(|p| p.trim().parse::<u32>().ok());
        Some((parts.next().flatten(), parts.next().flatten().or(Some(0))))
    };
    // A smaller integer type keeps every value or fails (`integer out of
    // range`): nothing is cut.
    if int_rank(from).is_some() && int_rank(to).is_some() {
        return false;
    }
    if let (Some(a), Some(b)) = (float_rank(from), float_rank(to)) {
        return b < a;
    }
    if (float_rank(from).is_some() || numeric(from).is_some()) && int_rank(to).is_some() {
        return true;
    }
    if let (Some((p1, s1)), Some((p2, s2))) = (numeric(from), numeric(to)) {
        let smaller = |a: Option<u32>, b: Option<u32>| {
            matches!((a, b), (None, Some(_))) || matches!((a, b), (Some(x), Some(y)) if y < x)
        };
        return smaller(s1, s2) || smaller(p1, p2);
    }
    if float_rank(from).is_some() {
        // A float becomes a numeric of its printed digits (6 for a real, 15
        // for a double): 16777216 as a real is 16777200 as a numeric.
        return numeric(to).is_some();
    }
    if let (Some(int), Some(float)) = (int_rank(from), float_rank(to)) {
        // A real holds integers exactly up to 2^24, a double up to 2^53.
        return int > float;
    }
    if let Some((precision, _)) = numeric(from) {
        // A double holds 15 significant digits exactly, a real 6.
        let digits = match float_rank(to) {
            Some(2) => 15,
            Some(_) => 6,
            None => return false,
        };
        return precision.is_none_or(|p| p > digits);
    }
    if let (Some(a), Some(b)) = (text_length(from), text_length(to)) {
        return match (a, b) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(x), Some(y)) => y < x,
        };
    }
    if let (Some(a), Some(b)) = (temporal(from), temporal(to)) {
        // Fewer fractional digits round; an interval limited to fields
        // (`interval day`) drops the others.
        let fewer_digits = b.precision.is_some_and(|p| p < a.precision.unwrap_or(6));
        let fewer_fields = b.fields.is_some() && b.fields != a.fields;
        return a.base == b.base && (fewer_digits || fewer_fields);
    }
    let date_like = |t: &str| t == "date" || t.starts_with("time ") || t == "time without time zone";
    from.starts_with("timestamp") && date_like(to)
}

/// `timestamp(3) with time zone`, `time(0) without time zone`, `interval
/// day to second(2)`: the type without its precision, the precision, and an
/// interval's fields.
struct Temporal {
    base: String,
    precision: Option<u32>,
    fields: Option<String>,
}

fn temporal(t: &str) -> Option<Temporal> {
    if !(t.starts_with("timestamp") || t.starts_with("time") || t.starts_with("interval")) {
        return None;
    }
    let (mut base, mut precision) = (t.to_string(), None);
    if let (Some(open), Some(close)) = (t.find('('), t.find(')')) {
        precision = t[open + 1..close].trim().parse().ok();
        base = format!("{}{}", &t[..open], &t[close + 1..]);
    }
    let base = base.trim().to_string();
    if let Some(fields) = base.strip_prefix("interval") {
        let fields = fields.trim();
        let fields = (!fields.is_empty()).then(|| fields.to_string());
        return Some(Temporal { base: "interval".into(), precision, fields });
    }
    Some(Temporal { base, precision, fields: None })
}

/// Source fragments for a table's DDL.
struct Fragments<'a> {
    sources: &'a SourceIndex,
    table: &'a QualName,
}

impl ddl::Fragments for Fragments<'_> {
    fn constraint(&self, name: &str) -> Option<String> {
        self.sources.constraint(self.table, name).map(str::to_string)
    }
    fn default(&self, column: &str) -> Option<String> {
        self.sources.default(self.table, column).map(str::to_string)
    }
    fn generated(&self, column: &str) -> Option<String> {
        self.sources.generated(self.table, column).map(str::to_string)
    }
}

/// The columns whose type the plan converts.
fn converted_columns(all: &[Change]) -> Vec<ObjectId> {
    all.iter()
        .filter_map(|c| match c {
            Change::AlterColumn { table, column, what: ColumnChange::Type } => {
                Some(ObjectId::Column { table: table.clone(), column: column.clone() })
            }
            _ => None,
        })
        .collect()
}

/// The old domains and composite types the plan drops after rebuilding them.
fn rebuilt_types_aside(all: &[Change]) -> Vec<ObjectId> {
    all.iter()
        .filter_map(|c| match c {
            Change::RebuildType { name } => Some(ObjectId::Type { name: name.aside() }),
            _ => None,
        })
        .collect()
}

/// A composite type or an array of one: values convert to a rebuilt
/// composite type through text.
/// The sequence of `catalog` owned by `table.column` for which `planned`
/// holds (dropped, created).
fn owned_sequence<'c>(
    catalog: &'c Catalog,
    table: &QualName,
    column: &str,
    planned: impl Fn(ObjectId) -> bool,
) -> Option<&'c QualName> {
    catalog
        .sequences
        .values()
        .find(|s| {
            s.owned_by.as_ref().is_some_and(|(t, c)| t == table && c == column)
                && planned(ObjectId::Sequence { name: s.name.clone() })
        })
        .map(|s| &s.name)
}

/// The sequence `table.column`'s default draws from (`nextval`), among
/// those `wanted` accepts.
fn default_sequence<'c>(
    catalog: &'c Catalog,
    table: &QualName,
    column: &str,
    wanted: impl Fn(&QualName) -> bool,
) -> Option<&'c QualName> {
    let default = ObjectId::ColumnDefault { table: table.clone(), column: column.to_string() };
    catalog.dependencies_of(&default).find_map(|id| match id {
        ObjectId::Sequence { name } if wanted(name) => Some(name),
        _ => None,
    })
}

/// Sets sequence `to` where sequence `from` stands: its next value is the
/// one `from` would have given.
fn copy_position(to: &QualName, from: &QualName) -> String {
    format!("SELECT pg_catalog.setval({}, s.last_value, s.is_called) FROM {from} s", literal(&to.to_string()))
}

/// The session's function converting an array column of a reshaped
/// composite type (see `Context::array_converter`).
const ARRAY_CONVERTER: &str = "pg_temp.pgrecon_convert_array";

/// A function created for one step and dropped at its end.
struct Converter {
    create: String,
    drop: String,
}

fn is_composite(catalog: &Catalog, type_name: &str) -> bool {
    composite_named(catalog, type_name).is_some()
}

/// The composite type `type_name` names, or is an array of.
fn composite_named<'c>(catalog: &'c Catalog, type_name: &str) -> Option<&'c CompositeType> {
    let base = type_name.trim_end_matches("[]");
    catalog.composites.values().find(|c| c.name.to_string() == base)
}

/// Moves and renames the constructors of range or multirange `name` (the
/// functions `CREATE TYPE` made for it, which `ALTER TYPE` leaves as they
/// were) to where it is and what it is called, as a fresh build has them:
/// `newr(1, 5)` is how queries build a value of the range.
pub(super) fn constructors_follow(name: &QualName) -> String {
    format!(
        "DO $pgrecon$ DECLARE f pg_catalog.regprocedure; s name; n name; BEGIN \
         SELECT tn.nspname, t.typname INTO s, n FROM pg_catalog.pg_type t \
         JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace WHERE t.oid = {ty}; \
         FOR f IN SELECT d.objid FROM pg_catalog.pg_depend d \
         WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.deptype = 'i' \
         AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.refobjid = {ty} LOOP \
         IF (SELECT pn.nspname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace pn \
         ON pn.oid = p.pronamespace WHERE p.oid = f) <> s THEN \
         EXECUTE pg_catalog.format('ALTER FUNCTION %s SET SCHEMA %I', f, s); END IF; \
         IF (SELECT p.proname FROM pg_catalog.pg_proc p WHERE p.oid = f) <> n THEN \
         EXECUTE pg_catalog.format('ALTER FUNCTION %s RENAME TO %I', f, n); END IF; \
         END LOOP; END $pgrecon$",
        ty = format!("{}::pg_catalog.regtype", literal(&name.to_string())),
    )
}

/// What a range type renamed aside (to `aside`) leaves under its names:
/// its multirange type, and the constructor functions of both, which keep
/// their names (a new range of the same name makes its own). They are found
/// at apply time through their internal dependency on the types.
fn set_aside_range_parts(range: &RangeType, aside: &QualName) -> Vec<String> {
    let mut sql = Vec::new();
    let mut types = vec![literal(&aside.to_string())];
    if let Some(multirange) = &range.multirange {
        let old = multirange.aside();
        sql.push(format!("ALTER TYPE {multirange} RENAME TO {}", ident(&old.name)));
        types.push(literal(&old.to_string()));
    }
    let types: Vec<String> = types.iter().map(|t| format!("{t}::pg_catalog.regtype")).collect();
    // The constructors may still have the names of a range renamed
    // earlier in the plan: each gets the suffix on the name it has.
    sql.push(format!(
        "DO $pgrecon$ DECLARE f pg_catalog.regprocedure; n name; BEGIN \
         FOR f, n IN SELECT d.objid::pg_catalog.regprocedure, \
         pg_catalog.left(p.proname, {keep}) || {suffix} \
         FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_proc p ON p.oid = d.objid \
         WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.deptype = 'i' \
         AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.refobjid IN ({types}) LOOP \
         EXECUTE pg_catalog.format('ALTER FUNCTION %s RENAME TO %I', f, n); END LOOP; END $pgrecon$",
        keep = 63 - ASIDE_SUFFIX.len(),
        suffix = literal(ASIDE_SUFFIX),
        types = types.join(", ")
    ));
    sql
}

/// The columns of `table` whose default calls a function that reads
/// `table` itself (a `BEGIN ATOMIC` body naming it): a dependency cycle
/// through the default, which is set after both exist and dropped first.
fn defaults_calling_readers(catalog: &Catalog, table: &QualName) -> Vec<String> {
    let reads_table = |f: &ObjectId| {
        catalog.dependencies_of(f).any(|x| match x {
            ObjectId::Table { name } => name == table,
            ObjectId::Column { table: t, .. } => t == table,
            _ => false,
        })
    };
    let Some(t) = catalog.tables.get(table) else { return Vec::new() };
    t.columns
        .iter()
        .filter(|c| c.default.is_some() && c.generated.is_none())
        .filter(|c| {
            let default = ObjectId::ColumnDefault { table: table.clone(), column: c.name.clone() };
            catalog
                .dependencies_of(&default)
                .any(|f| matches!(f, ObjectId::Function { .. }) && reads_table(f))
        })
        .map(|c| c.name.clone())
        .collect()
}

/// A range type, or the multirange type of one.
fn is_range(catalog: &Catalog, type_name: &str) -> bool {
    catalog.ranges.values().any(|r| {
        r.name.to_string() == type_name || r.multirange.as_ref().is_some_and(|m| m.to_string() == type_name)
    })
}

/// How a conversion between `timestamp` and `timestamptz` reads the
/// values: in UTC, the time zone pgrecon's session runs in, whatever the
/// database's own. Values kept in local time need `@using` (`at AT TIME
/// ZONE 'Europe/Berlin'`).
fn time_zone_note(from: &str, to: &str) -> Option<&'static str> {
    let with_zone = |t: &str| t.starts_with("timestamp").then(|| t.ends_with(" with time zone"));
    match (with_zone(from)?, with_zone(to)?) {
        (false, true) => {
            Some("values read as UTC times; for local times give `-- @using: col AT TIME ZONE 'zone'`")
        }
        (true, false) => {
            Some("values become UTC times; for local times give `-- @using: col AT TIME ZONE 'zone'`")
        }
        _ => None,
    }
}

/// The enum a type rests on (itself, its elements, a domain's base type),
/// and whether through an array.
fn enum_under<'c>(catalog: &'c Catalog, type_name: &str) -> Option<(&'c QualName, bool)> {
    let (kept, depth) = storage_type(catalog, type_name);
    let name = catalog.enums.keys().find(|n| n.to_string() == kept)?;
    Some((name, depth > 0))
}

/// An enum, an array of one, or a domain over either: values convert to
/// another enum only through text.
fn rests_on_enum(catalog: &Catalog, type_name: &str) -> bool {
    let base = type_name.trim_end_matches("[]");
    catalog.enums.keys().any(|n| n.to_string() == base)
        || catalog.domains.iter().any(|(n, d)| n.to_string() == base && rests_on_enum(catalog, &d.base_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_is_data_loss_and_conversions_are_not() {
        assert!(is_narrowing("character varying(100)", "character varying(50)"));
        assert!(is_narrowing("text", "character varying(20)"));
        assert!(is_narrowing("numeric(10,4)", "numeric(10,2)"));
        assert!(is_narrowing("double precision", "integer"));
        assert!(!is_narrowing("bigint", "integer"));
        assert!(is_narrowing("timestamp with time zone", "date"));
        assert!(is_narrowing("timestamp(3) with time zone", "timestamp(0) with time zone"));
        assert!(is_narrowing("time without time zone", "time(0) without time zone"));
        assert!(is_narrowing("interval", "interval day"));
        assert!(!is_narrowing("timestamp(3) without time zone", "timestamp(6) without time zone"));
        assert!(!is_narrowing("interval day", "interval"));
        assert!(!is_narrowing("timestamp without time zone", "timestamp with time zone"));
        assert!(!is_narrowing("integer", "bigint"));
        assert!(!is_narrowing("character varying(20)", "public.alert_status"));
        assert!(!is_narrowing("numeric(4,3)", "double precision"));
        assert!(is_narrowing("double precision", "numeric(4,3)"));
        assert!(is_narrowing("real", "numeric"));
        assert!(is_narrowing("double precision", "numeric"));
        assert!(is_narrowing("integer", "real"));
        assert!(is_narrowing("bigint", "double precision"));
        assert!(!is_narrowing("integer", "double precision"));
        assert!(!is_narrowing("smallint", "real"));
        assert!(!is_narrowing("character varying(50)", "text"));
        assert!(time_zone_note("timestamp(3) without time zone", "timestamp with time zone").is_some());
        assert!(time_zone_note("timestamp with time zone", "timestamp without time zone").is_some());
        assert!(time_zone_note("timestamp with time zone", "timestamp(3) with time zone").is_none());
        assert!(time_zone_note("date", "timestamp with time zone").is_none());
    }
}
