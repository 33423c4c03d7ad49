//! The phone's stored rows across app updates (issue 13).
//!
//! Server rows are kept as the JSON of [`shared::sync::Change`], in the
//! shape of a row schema ([`shared::sync::SCHEMA_VERSION`]); the schema
//! they were written in is kept beside them (meta `row_schema`; a phone
//! from before it was kept holds schema 1). When an update brings a newer
//! schema, [`plan`] carries every row forward through the [`STEPS`] (JSON to
//! JSON, one version at a time), drops a row no step can carry (the server
//! sends it again), and forgets the cursor, so the next pull downloads
//! everything in the new shape — new fields filled, new entities brought —
//! and replaces what the phone holds in one transaction. Until then the
//! carried rows keep the view whole, offline too.
//!
//! **Invariant:** an upgrade never touches the outbox, the rejected items
//! or the identity (client id, mutation counter, user). Mutations are not
//! migrated: their types change only by addition (a new variant, a new
//! field with a default), so a queued mutation of any earlier build still
//! reads — `tests::stored_json_of_schema_1_still_reads` holds the shapes.
//!
//! Adding a synced entity gives it a row store (`StoreName::all()` has one
//! per entity); bump `idb::IDB_VERSION` (the IndexedDB upgrade creates every
//! missing store and deletes none) and the schema, so existing phones
//! download it.

use serde_json::Value;
use shared::sync::{Change, Entity, SCHEMA_VERSION};

/// One step of the row schema: rows stored at `from` become rows at
/// `from + 1`. `carry` gets a row's entity and JSON and returns its JSON at
/// the next version, or `None` when the row cannot be carried (it is
/// dropped and downloaded again).
pub struct Step {
    pub from: u32,
    pub carry: fn(Entity, Value) -> Option<Value>,
}

/// The steps from schema 1 up to [`SCHEMA_VERSION`], in order. Schema 1 is
/// the first kept; a step is added with every bump.
#[cfg(not(feature = "next-schema"))]
pub const STEPS: &[Step] = &[FROM_1, FROM_2, FROM_3, FROM_4, FROM_5, FROM_6, FROM_7];
/// The rehearsal of the next update (feature `next-schema`): a timer gains
/// `label`, empty until the server sends it.
#[cfg(feature = "next-schema")]
pub const STEPS: &[Step] = &[
    FROM_1,
    FROM_2,
    FROM_3,
    FROM_4,
    FROM_5,
    FROM_6,
    FROM_7,
    Step {
        from: 8,
        carry: |entity, mut row| {
            if entity == Entity::Timer
                && let Some(fields) = row.get_mut("row").and_then(Value::as_object_mut)
            {
                fields.entry("label").or_insert(Value::Null);
            }
            Some(row)
        },
    },
];

/// 1 → 2 (issue 14): a citizen's target group gives way to the layer of
/// the case review, not assessed until the next pull brings it.
const FROM_1: Step = Step {
    from: 1,
    carry: |entity, mut row| {
        if entity == Entity::Citizen
            && let Some(fields) = row.get_mut("row").and_then(Value::as_object_mut)
        {
            fields.remove("target_group");
            fields.entry("layer").or_insert(Value::Null);
        }
        Some(row)
    },
};

/// 2 → 3 (issue 15): the citizen's plan, its goals, actions and
/// follow-ups arrive in stores of their own; no stored row changes shape.
const FROM_2: Step = Step { from: 2, carry: |_, row| Some(row) };

/// 3 → 4 (issue 15): the plan's revisions arrive in a store of their own;
/// no stored row changes shape.
const FROM_3: Step = Step { from: 3, carry: |_, row| Some(row) };

/// 4 → 5 (issue 16): decision notices arrive in a store of their own; no
/// stored row changes shape.
const FROM_4: Step = Step { from: 4, carry: |_, row| Some(row) };

/// 5 → 6 (issue 16): meetings and their minutes arrive in stores of their
/// own; an action may name its meeting (absent: none), so no stored row
/// changes shape.
const FROM_5: Step = Step { from: 5, carry: |_, row| Some(row) };

/// 6 → 7 (issue 16): a visit names the colleagues of a joint visit
/// (`co_workers`) and a colleague's share names the visit it follows
/// (`joint_of`). A row stored at 6 may have lost them (the build at 6 did
/// not know them): carried as it is, and the pull anew that follows every
/// upgrade brings them back before anything is edited.
const FROM_6: Step = Step { from: 6, carry: |_, row| Some(row) };

/// 7 → 8 (issue 16): a meeting has its start and duration, a meeting
/// visit names its meeting (`meeting_of`), a citizen's layer its meeting
/// rhythm. As at 6 → 7: a row stored at 7
/// is carried as it is, and the pull anew brings the fields back.
const FROM_7: Step = Step { from: 7, carry: |_, row| Some(row) };

/// What opening the database does to rows stored at `stored` (`None`: a
/// phone from before the schema was kept, i.e. 1).
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Rows are in this build's shape.
    Current,
    /// Rows to rewrite (`Some` JSON) or drop (`None`), by store and key,
    /// then: forget the cursor and record [`SCHEMA_VERSION`].
    Upgrade { rows: Vec<(Entity, String, Option<String>)> },
}

/// Decides what to do with `rows` (every row store's `(entity, key, json)`)
/// stored at schema `stored`, for a build at `current` with `steps`. A
/// newer schema than the build's (an app rolled back) keeps the rows this
/// build can read and downloads the rest.
pub fn plan(stored: Option<u32>, current: u32, steps: &[Step], rows: &[(Entity, String, String)]) -> Plan {
    let stored = stored.unwrap_or(1);
    if stored == current {
        return Plan::Current;
    }
    let carried = rows
        .iter()
        .map(|(entity, key, text)| {
            // JSON values only where a step rewrites: a row no step touches
            // is read as it is (and the phone's code has no JSON tree in it
            // while there are no steps).
            let steps_to_run: Vec<&Step> = if stored < current {
                steps.iter().filter(|s| (stored..current).contains(&s.from)).collect()
            } else {
                Vec::new()
            };
            let text = if steps_to_run.is_empty() {
                Some(text.clone())
            } else {
                let mut value: Option<Value> = serde_json::from_str(text).ok();
                for step in steps_to_run {
                    value = value.and_then(|row| (step.carry)(*entity, row));
                }
                value.map(|v| v.to_string())
            };
            // What this build cannot read is dropped, never shown broken.
            let readable = text.filter(|t| serde_json::from_str::<Change>(t).is_ok());
            (*entity, key.clone(), readable)
        })
        .collect();
    Plan::Upgrade { rows: carried }
}

/// This build's row schema.
pub fn current() -> u32 {
    SCHEMA_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows, queued mutations and rejected items as schema 1 stored them
    /// (`stored_schema_1.jsonl`: a demo server's pull and every mutation
    /// kind). A change to a row type that stops one reading needs a
    /// [`Step`]; mutation and rejected-item types may only grow (a new
    /// variant, a new field with a default).
    const SCHEMA_1: &str = include_str!("stored_schema_1.jsonl");

    fn schema_1(kind: &str) -> Vec<&'static str> {
        SCHEMA_1.lines().filter_map(|l| l.split_once('\t')).filter(|(k, _)| *k == kind).map(|(_, j)| j).collect()
    }

    #[test]
    fn stored_json_of_schema_1_still_reads() {
        let rows = schema_1("row");
        for text in &rows {
            let parsed: Result<Change, _> = serde_json::from_str(text);
            assert!(parsed.is_ok(), "{text}: {parsed:?}");
        }
        let entities: std::collections::BTreeSet<Entity> =
            rows.iter().map(|t| serde_json::from_str::<Change>(t).expect("row").key().0).collect();
        // Schema 1 had six entities; the plan's came with schema 3.
        assert_eq!(
            entities.into_iter().collect::<Vec<_>>(),
            Entity::ALL[..6].to_vec(),
            "a row of every entity schema 1 had"
        );
        let mutations = schema_1("mutation");
        for text in &mutations {
            let parsed: Result<shared::sync::Mutation, _> = serde_json::from_str(text);
            assert!(parsed.is_ok(), "{text}: {parsed:?}");
        }
        assert_eq!(mutations.len(), 7, "every mutation kind, a delete with and without its base");
        for text in schema_1("rejected") {
            let parsed: Result<crate::overlay::RejectedItem, _> = serde_json::from_str(text);
            assert!(parsed.is_ok(), "{text}: {parsed:?}");
        }
    }

    /// Schema 2 (issue 14): a stored citizen loses its target group and is
    /// not assessed until the pull brings its layer; other rows stay.
    #[test]
    fn a_schema_1_citizen_is_carried_without_its_target_group() {
        let rows: Vec<(Entity, String, String)> = schema_1("row")
            .iter()
            .map(|t| {
                let entity = serde_json::from_str::<Change>(t).expect("row").key().0;
                (entity, "k".to_owned(), (*t).to_owned())
            })
            .collect();
        let citizen = rows.iter().find(|r| r.0 == Entity::Citizen).expect("a citizen row");
        assert!(citizen.2.contains("target_group"), "schema 1 has it");
        let Plan::Upgrade { rows: planned } = plan(Some(1), current(), STEPS, &rows) else { panic!("an upgrade") };
        assert!(planned.iter().all(|r| r.2.is_some()), "every row is carried");
        let carried = planned.iter().find(|r| r.0 == Entity::Citizen).and_then(|r| r.2.clone()).expect("citizen");
        assert!(!carried.contains("target_group"), "{carried}");
        let Change::Citizen(citizen) = serde_json::from_str::<Change>(&carried).expect("reads") else {
            panic!("a citizen")
        };
        assert_eq!(citizen.layer, None, "not assessed until the pull");
    }

    fn row(entity: Entity, key: &str, text: &str) -> (Entity, String, String) {
        (entity, key.to_owned(), text.to_owned())
    }

    #[test]
    fn rows_of_this_schema_are_left_alone() {
        let rows = [row(Entity::Visit, "a", schema_1("row")[4])];
        assert_eq!(plan(Some(current()), current(), STEPS, &rows), Plan::Current);
        // A phone from before the schema was kept holds schema 1.
        assert_eq!(plan(None, 1, STEPS, &rows), Plan::Current);
    }

    /// A build at schema 2 whose step adds a field: the row is carried with
    /// it; a row the step gives up on, and one that never parsed, go.
    #[test]
    fn an_upgrade_carries_rows_step_by_step_and_drops_what_it_cannot_read() {
        fn add_field(entity: Entity, mut row: Value) -> Option<Value> {
            match entity {
                Entity::Visit => {
                    row.as_object_mut()?.insert("added_in_2".into(), Value::Bool(true));
                    Some(row)
                }
                Entity::Timer => None,
                _ => Some(row),
            }
        }
        let steps = [Step { from: 1, carry: add_field }];
        let visit = schema_1("row")[4];
        let timer = schema_1("row")[6];
        let rows =
            [row(Entity::Visit, "v", visit), row(Entity::Timer, "t", timer), row(Entity::Visit, "broken", "{not json")];
        let Plan::Upgrade { rows: planned } = plan(Some(1), 2, &steps, &rows) else { panic!("an upgrade") };
        let carried = planned[0].2.as_deref().expect("carried");
        assert!(carried.contains(r#""added_in_2":true"#), "{carried}");
        assert_eq!((planned[1].2.as_deref(), planned[2].2.as_deref()), (None, None));
        // Rolled back to an older build: what it reads stays.
        let Plan::Upgrade { rows: back } = plan(Some(3), 2, &steps, &rows[..1]) else { panic!("a downgrade") };
        assert_eq!(back[0].2.as_deref(), Some(visit), "kept as it was stored");
    }
}
