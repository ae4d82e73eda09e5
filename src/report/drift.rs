//! Drift: how the live database differs from the desired state, grouped as
//! *missing* (declared, not in the database), *unexpected* (in the
//! database, not declared) and *changed* (both, different), each changed
//! object with a unified diff of its definition, desired against live.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, ObjectId, QualName};
use crate::ddl::object_definition;
use crate::diff::{Change, RenameStep};

/// The JSON format's version; bumped on incompatible changes.
pub const DRIFT_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    Missing,
    Unexpected,
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub finding: Finding,
    /// table, column, index, ...
    pub kind: String,
    pub schema: Option<String>,
    /// The object's name, quoted as in SQL (`public.cameras.household_id`).
    pub name: String,
    /// What differs, for changed objects (`default`, `type`, `definition`).
    pub detail: Option<String>,
    pub desired: Option<String>,
    pub live: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Drift {
    pub format_version: u32,
    pub drift: bool,
    pub items: Vec<Item>,
    /// Objects pgrecon does not manage and leaves alone (`policy own_docs
    /// on public.docs`): not drift, but a hand-made change a nightly report
    /// should still show.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmanaged: Vec<String>,
}

fn schema_of(id: &ObjectId) -> Option<String> {
    match id {
        ObjectId::Schema { name } => Some(name.clone()),
        ObjectId::Extension { .. } => None,
        ObjectId::Type { name }
        | ObjectId::Sequence { name }
        | ObjectId::Table { name }
        | ObjectId::Index { name }
        | ObjectId::View { name } => Some(name.schema.to_string()),
        ObjectId::Function { id } => Some(id.name.schema.to_string()),
        other => other.owning_relation().map(|t| t.schema.to_string()),
    }
}

fn item(finding: Finding, id: &ObjectId, detail: Option<String>, live: &Catalog, desired: &Catalog) -> Item {
    let kind = match id {
        ObjectId::ColumnDefault { .. } => "column".to_string(),
        other => other.kind_name().to_string(),
    };
    Item {
        finding,
        kind,
        schema: schema_of(id),
        name: id.to_string(),
        detail,
        desired: object_definition(desired, id),
        live: object_definition(live, id),
    }
}

/// Findings from the diff's changes (`live` after renames) and the pending
/// renames.
pub fn findings(live: &Catalog, desired: &Catalog, renames: &[RenameStep], changes: &[Change]) -> Drift {
    let mut by_object: BTreeMap<(Finding, String), Item> = BTreeMap::new();
    let mut add = |i: Item| {
        by_object.entry((i.finding, i.name.clone())).or_insert(i);
    };
    // What is in the way of a rename is set aside and dropped: unexpected,
    // under the name it has.
    let asides: BTreeMap<QualName, QualName> = renames
        .iter()
        .filter_map(|r| match r {
            RenameStep::Aside(inner) => match &**inner {
                RenameStep::Table { from, to }
                | RenameStep::View { from, to, .. }
                | RenameStep::Sequence { from, to }
                | RenameStep::Index { from, to } => Some((to.clone(), from.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let as_named_live = |id: &ObjectId| match id {
        ObjectId::Table { name } if asides.contains_key(name) => {
            ObjectId::Table { name: asides[name].clone() }
        }
        ObjectId::View { name } if asides.contains_key(name) => ObjectId::View { name: asides[name].clone() },
        ObjectId::Sequence { name } if asides.contains_key(name) => {
            ObjectId::Sequence { name: asides[name].clone() }
        }
        ObjectId::Index { name } if asides.contains_key(name) => {
            ObjectId::Index { name: asides[name].clone() }
        }
        other => other.clone(),
    };
    for r in renames.iter().filter(|r| !matches!(r, RenameStep::Aside(_))) {
        let (kind, from, to) = rename_names(r);
        add(Item {
            finding: Finding::Changed,
            kind: kind.into(),
            schema: None,
            name: to.clone(),
            detail: Some(format!("still named {from} (pending rename)")),
            desired: None,
            live: None,
        });
    }
    for c in changes {
        match c {
            // A default is part of its column: set or taken away, the
            // column has changed, it is not missing or unexpected.
            Change::Create(id @ ObjectId::ColumnDefault { .. }) => {
                add(item(Finding::Changed, id, Some("default set".into()), live, desired))
            }
            Change::Drop(id @ ObjectId::ColumnDefault { .. }) => {
                add(item(Finding::Changed, id, Some("default removed".into()), live, desired))
            }
            Change::Create(id) => add(item(Finding::Missing, id, None, live, desired)),
            Change::Drop(id) => {
                let mut found = item(Finding::Unexpected, id, None, live, desired);
                found.name = as_named_live(id).to_string();
                add(found)
            }
            Change::Replace(id) | Change::Redefine(id) => {
                let what =
                    if matches!(id, ObjectId::ColumnDefault { .. }) { "default" } else { "definition" };
                add(item(Finding::Changed, id, Some(what.into()), live, desired))
            }
            Change::AlterColumn { table, column, what } => {
                let id = ObjectId::Column { table: table.clone(), column: column.clone() };
                add(item(Finding::Changed, &id, Some(format!("{what:?}").to_lowercase()), live, desired))
            }
            Change::ValidateConstraint { table, name } => {
                let id = ObjectId::Constraint { table: table.clone(), name: name.clone() };
                add(item(Finding::Changed, &id, Some("not validated".into()), live, desired))
            }
            Change::AlterTable { table } => add(item(
                Finding::Changed,
                &ObjectId::Table { name: table.clone() },
                Some("storage".into()),
                live,
                desired,
            )),
            Change::AlterSequence { name } => add(item(
                Finding::Changed,
                &ObjectId::Sequence { name: name.clone() },
                Some("options".into()),
                live,
                desired,
            )),
            Change::AddEnumValue { name, .. } | Change::RebuildEnum { name } => add(item(
                Finding::Changed,
                &ObjectId::Type { name: name.clone() },
                Some("values".into()),
                live,
                desired,
            )),
            Change::AlterDomain { name } | Change::RebuildType { name } | Change::AlterComposite { name } => {
                add(item(
                    Finding::Changed,
                    &ObjectId::Type { name: name.clone() },
                    Some("definition".into()),
                    live,
                    desired,
                ))
            }
            Change::SetTriggerEnabled { table, name } => {
                let id = ObjectId::Trigger { table: table.clone(), name: name.clone() };
                add(item(Finding::Changed, &id, Some("enabled".into()), live, desired))
            }
            Change::Comment { target, .. } => {
                add(item(Finding::Changed, target, Some("comment".into()), live, desired))
            }
        }
    }
    let mut items: Vec<Item> = by_object.into_values().collect();
    // The live model names what is set aside by its aside name; the
    // database does not yet.
    for live in items.iter_mut().filter_map(|i| i.live.as_mut()) {
        for (aside, name) in &asides {
            if live.contains(&*aside.name) {
                *live = live.replace(&*aside.name, &name.name);
            }
        }
    }
    let unmanaged = live.unmanaged.iter().map(|u| format!("{} {}", u.kind, u.name)).collect();
    Drift { format_version: DRIFT_FORMAT_VERSION, drift: !items.is_empty(), items, unmanaged }
}

fn rename_names(r: &RenameStep) -> (&'static str, String, String) {
    match r {
        RenameStep::Schema { from, to } => ("schema", from.clone(), to.clone()),
        RenameStep::Table { from, to } => ("table", from.to_string(), to.to_string()),
        RenameStep::View { from, to, .. } => ("view", from.to_string(), to.to_string()),
        RenameStep::Sequence { from, to } => ("sequence", from.to_string(), to.to_string()),
        RenameStep::Index { from, to } => ("index", from.to_string(), to.to_string()),
        RenameStep::Type { from, to } => ("type", from.to_string(), to.to_string()),
        RenameStep::Function { from, to } => ("function", from.to_string(), to.to_string()),
        RenameStep::Column { table, from, to } => {
            ("column", format!("{table}.{from}"), format!("{table}.{to}"))
        }
        RenameStep::Constraint { table, from, to } => {
            ("constraint", format!("{from} on {table}"), format!("{to} on {table}"))
        }
        RenameStep::NotNull { table, column, from, to } => {
            ("constraint", format!("{from} on {table}"), format!("{to} on {table} (NOT NULL of {column})"))
        }
        RenameStep::EnumValue { type_name, from, to } => {
            ("type", format!("{type_name} value {from}"), format!("{type_name} value {to}"))
        }
        RenameStep::Attribute { type_name, from, to } => {
            ("type", format!("{type_name} attribute {from}"), format!("{type_name} attribute {to}"))
        }
        RenameStep::Aside(inner) => rename_names(inner),
    }
}

impl Drift {
    fn count(&self, f: Finding) -> usize {
        self.items.iter().filter(|i| i.finding == f).count()
    }

    /// `drift: 3 missing, 1 unexpected, 2 changed (a, b, …)` or `no drift`.
    pub fn summary(&self) -> String {
        if !self.drift {
            return "no drift: the database matches the desired state".into();
        }
        let names: Vec<&str> = self.items.iter().take(5).map(|i| i.name.as_str()).collect();
        let more = if self.items.len() > 5 { ", …" } else { "" };
        format!(
            "drift: {} missing, {} unexpected, {} changed ({}{more})",
            self.count(Finding::Missing),
            self.count(Finding::Unexpected),
            self.count(Finding::Changed),
            names.join(", ")
        )
    }

    pub fn human(&self) -> String {
        let mut out = format!("{}\n", self.summary());
        for (finding, title) in [
            (Finding::Missing, "Missing (declared, not in the database)"),
            (Finding::Unexpected, "Unexpected (in the database, not declared)"),
            (Finding::Changed, "Changed"),
        ] {
            let items: Vec<&Item> = self.items.iter().filter(|i| i.finding == finding).collect();
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{title}:\n"));
            for i in items {
                let detail = i.detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default();
                out.push_str(&format!("  {} {}{detail}\n", i.kind, i.name));
                if finding == Finding::Changed {
                    out.push_str(&indent(&unified(i), "    "));
                }
            }
        }
        if !self.unmanaged.is_empty() {
            out.push_str("\nNot managed by pgrecon (left alone, not drift):\n");
            out.extend(self.unmanaged.iter().map(|u| format!("  {u}\n")));
        }
        out
    }

    pub fn markdown(&self, database: &str) -> String {
        let verdict = if self.drift { "⚠️ **Schema drift**" } else { "✅ **No drift**" };
        let mut out = format!("{verdict} on {}: {}\n", super::inline_code(database), self.summary());
        if !self.unmanaged.is_empty() {
            out.push_str(&format!(
                "\nNot managed by pgrecon (left alone, not drift): {}\n",
                self.unmanaged.iter().map(|u| super::inline_code(u)).collect::<Vec<_>>().join(", ")
            ));
        }
        if !self.drift {
            return out;
        }
        out.push_str("\n| finding | kind | object | detail |\n|---|---|---|---|\n");
        for i in &self.items {
            let finding = format!("{:?}", i.finding).to_lowercase();
            out.push_str(&format!(
                "| {finding} | {} | {} | {} |\n",
                super::table_cell(&i.kind.to_string()),
                super::table_cell(&super::inline_code(&i.name)),
                super::table_cell(i.detail.as_deref().unwrap_or(""))
            ));
        }
        let changed: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| i.finding == Finding::Changed && (i.desired.is_some() || i.live.is_some()))
            .collect();
        if !changed.is_empty() {
            let diffs: String = changed.into_iter().map(unified).collect();
            out.push_str("\n<details><summary>Definitions, desired against live</summary>\n\n");
            out.push_str(&super::code_block("diff", &diffs));
            out.push_str("</details>\n");
        }
        out
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("drift serializes") + "\n"
    }
}

/// Desired against live, as a unified diff.
fn unified(i: &Item) -> String {
    let (d, l) = (i.desired.clone().unwrap_or_default(), i.live.clone().unwrap_or_default());
    similar::TextDiff::from_lines(&d, &l)
        .unified_diff()
        .context_radius(2)
        .header("desired", "live")
        .to_string()
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// Drift of several databases checked against one desired state: one line
/// per database, then the details of each that drifted.
#[derive(Debug, Clone, Serialize)]
pub struct Fleet {
    pub format_version: u32,
    /// Some database drifted.
    pub drift: bool,
    /// Some database could not be checked.
    pub errors: bool,
    pub databases: Vec<DatabaseDrift>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatabaseDrift {
    /// The database, password removed.
    pub database: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    #[serde(skip)]
    drift: Option<Drift>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InSync,
    Drift,
    Error,
}

impl DatabaseDrift {
    pub fn checked(database: String, drift: Drift) -> DatabaseDrift {
        let status = if drift.drift { Status::Drift } else { Status::InSync };
        DatabaseDrift { database, status, error: None, items: Some(drift.items.clone()), drift: Some(drift) }
    }

    pub fn failed(database: String, error: String) -> DatabaseDrift {
        DatabaseDrift { database, status: Status::Error, error: Some(error), items: None, drift: None }
    }

    fn line(&self) -> String {
        match (&self.drift, &self.error) {
            (Some(d), _) => format!("{}: {}", self.database, d.summary()),
            (None, e) => format!("{}: error: {}", self.database, e.as_deref().unwrap_or("unknown")),
        }
    }
}

impl Fleet {
    pub fn new(databases: Vec<DatabaseDrift>) -> Fleet {
        Fleet {
            format_version: DRIFT_FORMAT_VERSION,
            drift: databases.iter().any(|d| d.status == Status::Drift),
            errors: databases.iter().any(|d| d.status == Status::Error),
            databases,
        }
    }

    fn drifted(&self) -> impl Iterator<Item = (&DatabaseDrift, &Drift)> {
        self.databases.iter().filter_map(|d| Some((d, d.drift.as_ref().filter(|d| d.drift)?)))
    }

    pub fn human(&self) -> String {
        let mut out: String = self.databases.iter().map(|d| d.line() + "\n").collect();
        for (database, drift) in self.drifted() {
            out.push_str(&format!("\n== {} ==\n{}", database.database, drift.human()));
        }
        out
    }

    pub fn markdown(&self) -> String {
        let mut out = String::from("| database | status | summary |\n|---|---|---|\n");
        for d in &self.databases {
            let (status, summary) = match (&d.drift, &d.error) {
                (Some(drift), _) if drift.drift => ("⚠️ drift", drift.summary()),
                (Some(drift), _) => ("✅ in sync", drift.summary()),
                (None, e) => ("❌ error", e.clone().unwrap_or_default()),
            };
            out.push_str(&format!(
                "| {} | {status} | {} |\n",
                super::table_cell(&super::inline_code(&d.database)),
                super::table_cell(&summary)
            ));
        }
        for (database, drift) in self.drifted() {
            out.push('\n');
            out.push_str(&drift.markdown(&database.database));
        }
        out
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("drift serializes") + "\n"
    }
}
