//! Issue 12, kind 1: a phone's queued edits build on its own earlier edits.
//! A mutation is decided against the server's state plus the same phone's
//! earlier mutations; only a change by someone else can conflict. Every
//! case runs through the real router on a real database (SQLite, and
//! PostgreSQL in the second pass).

use serde_json::{Value, json};
use shared::sync::{Change, Outcome, PushResponse};
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::{Phone, citizen_of, count, save, visit, visits};

const S: &str = "2026-11-23T08:00:00Z";
const E: &str = "2026-11-23T09:00:00Z";

/// What a device does, based on the visit as that device shows it.
#[derive(Debug, Clone, Copy)]
enum Op {
    Note(&'static str),
    Travel(u32),
    Delete,
}

/// A device's view of one visit: the server version under it and the
/// fields as shown (its own earlier edits included).
struct View {
    version: u64,
    fields: Option<Value>,
}

impl View {
    fn base(&self) -> Value {
        json!({ "row_version": self.version, "fields": self.fields })
    }

    /// The mutation body for `op`, and the view after it.
    fn act(&mut self, op: Op) -> Value {
        let base = self.base();
        let mut fields = self.fields.clone().expect("the device still shows the visit");
        match op {
            Op::Note(n) => fields["note"] = n.into(),
            Op::Travel(t) => fields["travel_minutes"] = t.into(),
            Op::Delete => {
                self.fields = None;
                return json!({
                    "type": "visit_delete", "visit_id": fields["id"], "base_version": self.version, "base": base,
                });
            }
        }
        self.fields = Some(fields.clone());
        json!({ "type": "visit_save", "visit": fields, "base": base })
    }
}

fn outcomes(res: &PushResponse) -> Vec<String> {
    res.results
        .iter()
        .map(|r| match &r.outcome {
            Outcome::Applied => "applied".to_owned(),
            Outcome::Rejected { code, .. } => code.clone(),
        })
        .collect()
}

struct Case {
    name: &'static str,
    /// The other device (the same worker's tablet) pushes these first.
    tablet: &'static [Op],
    /// The phone queued these offline, each on top of the one before.
    phone: &'static [Op],
    /// All in one push, or one push each.
    one_push: bool,
    expected: &'static [&'static str],
    /// The visit's (note, travel) on the server at the end; `None`: deleted.
    end: Option<(&'static str, i64)>,
    conflicts: i64,
}

const CASES: &[Case] = &[
    Case {
        name: "the failing input: two offline edits of the note end as the second",
        tablet: &[],
        phone: &[Op::Note("A"), Op::Note("B")],
        one_push: true,
        expected: &["applied", "applied"],
        end: Some(("B", 10)),
        conflicts: 0,
    },
    Case {
        name: "two offline edits, sent in two pushes",
        tablet: &[],
        phone: &[Op::Note("A"), Op::Note("B")],
        one_push: false,
        expected: &["applied", "applied"],
        end: Some(("B", 10)),
        conflicts: 0,
    },
    Case {
        name: "three edits of two fields",
        tablet: &[],
        phone: &[Op::Note("A"), Op::Travel(30), Op::Note("C")],
        one_push: true,
        expected: &["applied", "applied", "applied"],
        end: Some(("C", 30)),
        conflicts: 0,
    },
    Case {
        name: "an edit and then a delete in one offline stretch",
        tablet: &[],
        phone: &[Op::Note("A"), Op::Delete],
        one_push: true,
        expected: &["applied", "applied"],
        end: None,
        conflicts: 0,
    },
    Case {
        name: "an edit and then a delete, in two pushes",
        tablet: &[],
        phone: &[Op::Note("A"), Op::Travel(20), Op::Delete],
        one_push: false,
        expected: &["applied", "applied", "applied"],
        end: None,
        conflicts: 0,
    },
    Case {
        name: "two devices, different fields: both devices' last edits stand",
        tablet: &[Op::Travel(40), Op::Travel(45)],
        phone: &[Op::Note("A"), Op::Note("B")],
        one_push: true,
        expected: &["applied", "applied"],
        end: Some(("B", 45)),
        conflicts: 0,
    },
    Case {
        name: "another device changed the note: that is a conflict, each time",
        tablet: &[Op::Note("T")],
        phone: &[Op::Note("A"), Op::Note("B")],
        one_push: true,
        expected: &["applied", "applied"],
        end: Some(("T", 10)),
        conflicts: 2,
    },
    Case {
        name: "a delete racing another device's edit is refused",
        tablet: &[Op::Note("T")],
        phone: &[Op::Delete],
        one_push: true,
        expected: &["visit_changed"],
        end: Some(("T", 10)),
        conflicts: 0,
    },
    Case {
        name: "an edit and a delete racing another device's edit of another field",
        tablet: &[Op::Travel(40)],
        phone: &[Op::Note("A"), Op::Delete],
        one_push: true,
        expected: &["applied", "visit_changed"],
        end: Some(("A", 40)),
        conflicts: 0,
    },
    Case {
        name: "an edit racing another device's delete does not bring the visit back",
        tablet: &[Op::Delete],
        phone: &[Op::Note("A"), Op::Note("B")],
        one_push: true,
        expected: &["visit_deleted", "visit_deleted"],
        end: None,
        conflicts: 0,
    },
];

#[tokio::test]
async fn a_phones_queued_edits_build_on_its_own_earlier_edits() {
    for case in CASES {
        let app = TestApp::demo().await;
        let citizen = citizen_of(&app, "worker").await;
        let mut phone = Phone::new(&app, "worker").await;
        let mut tablet = Phone::new(&app, "worker").await;
        let id = Uuid::now_v7();
        let original = visit(id, citizen, S, E, "original");
        let m = phone.mutation(save(original.clone()));
        assert_eq!(outcomes(&phone.push(&[m]).await), ["applied"], "{}", case.name);

        // Both devices have synced version 1; then each goes offline.
        let mut tablet_view = View { version: 1, fields: Some(original.clone()) };
        let mut phone_view = View { version: 1, fields: Some(original.clone()) };
        let tablet_batch: Vec<Value> = case.tablet.iter().map(|op| tablet_view.act(*op)).collect();
        let phone_batch: Vec<Value> = case.phone.iter().map(|op| phone_view.act(*op)).collect();
        let phone_batch: Vec<Value> = phone_batch.into_iter().map(|body| phone.mutation(body)).collect();
        let tablet_batch: Vec<Value> = tablet_batch.into_iter().map(|body| tablet.mutation(body)).collect();
        if !tablet_batch.is_empty() {
            let res = tablet.push(&tablet_batch).await;
            assert!(outcomes(&res).iter().all(|o| o == "applied"), "{}: tablet {:?}", case.name, outcomes(&res));
        }
        let mut got = Vec::new();
        if case.one_push {
            got = outcomes(&phone.push(&phone_batch).await);
        } else {
            for m in &phone_batch {
                got.extend(outcomes(&phone.push(std::slice::from_ref(m)).await));
            }
        }
        assert_eq!(got, case.expected, "{}", case.name);

        // The server, and every device after a pull, hold the same end state.
        let id_text = id.to_string();
        let conflicts = count(&app, "SELECT COUNT(*) FROM visit_conflicts WHERE visit_id = $1", &id_text).await;
        assert_eq!(conflicts, case.conflicts, "{}: conflicts", case.name);
        for (device, pulled) in [("phone", phone.pull().await.0), ("tablet", tablet.pull().await.0)] {
            let shown = visits(&pulled).get(&id).map(|v| (v.note.to_string(), i64::from(v.travel_minutes.get())));
            let deleted = pulled.iter().any(|c| matches!(c, Change::Deleted { id: d, .. } if *d == id));
            let expected = case.end.map(|(n, t)| (n.to_owned(), t));
            assert_eq!(shown, expected, "{}: the {device}", case.name);
            assert_eq!(deleted, case.end.is_none(), "{}: the {device} is told of the deletion", case.name);
        }
    }
}

#[tokio::test]
async fn a_visit_created_on_the_phone_and_edited_before_it_synced() {
    let app = TestApp::demo().await;
    let citizen = citizen_of(&app, "worker").await;
    let mut phone = Phone::new(&app, "worker").await;

    // Created and edited twice offline: the edits carry base version 0.
    let id = Uuid::now_v7();
    let mut view = View { version: 0, fields: Some(visit(id, citizen, S, E, "ny")) };
    let create = phone.mutation(save(view.fields.clone().expect("fields")));
    let first = phone.mutation(view.act(Op::Note("A")));
    let second = phone.mutation(view.act(Op::Note("B")));
    let res = phone.push(&[create, first, second]).await;
    assert_eq!(outcomes(&res), ["applied", "applied", "applied"]);
    let (pulled, _, _) = phone.pull().await;
    assert_eq!(visits(&pulled)[&id].note.as_str(), "B");

    // A create the server refused (the visit lay in the future), then an edit
    // that fixes it, based on the phone's unconfirmed copy: the edit creates it.
    let later = Uuid::now_v7();
    let mut view =
        View { version: 0, fields: Some(visit(later, citizen, "2027-01-04T08:00:00Z", "2027-01-04T09:00:00Z", "")) };
    let create = phone.mutation(save(view.fields.clone().expect("fields")));
    let mut fixed = view.act(Op::Note("rettet"));
    fixed["visit"]["started_at"] = S.into();
    fixed["visit"]["ended_at"] = E.into();
    let fix = phone.mutation(fixed);
    assert_eq!(outcomes(&phone.push(&[create, fix]).await), ["in_future", "applied"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &later.to_string()).await, 1);
}

#[tokio::test]
async fn an_edit_never_brings_back_a_visit_deleted_elsewhere() {
    let app = TestApp::demo().await;
    let citizen = citizen_of(&app, "worker").await;
    let mut phone = Phone::new(&app, "worker").await;
    let mut tablet = Phone::new(&app, "worker").await;
    // (what the phone's edit carries as its base, as older and newer phones send it)
    type BaseOf = fn(&Value) -> Value;
    let bases: [(&str, BaseOf); 3] = [
        ("no base (an older phone's edit of its own new visit)", |_| Value::Null),
        ("base version 0 (its own unconfirmed visit)", |v| json!({ "row_version": 0, "fields": v })),
        ("base version 1", |v| json!({ "row_version": 1, "fields": v })),
    ];
    for (name, base) in bases {
        let id = Uuid::now_v7();
        let original = visit(id, citizen, S, E, "original");
        let m = phone.mutation(save(original.clone()));
        phone.push(&[m]).await;
        tablet.pull().await;
        let m = tablet.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 1 }));
        assert_eq!(outcomes(&tablet.push(&[m]).await), ["applied"], "{name}");
        let mut edited = original.clone();
        edited["note"] = "ændret".into();
        let m = phone.mutation(json!({ "type": "visit_save", "visit": edited, "base": base(&original) }));
        assert_eq!(outcomes(&phone.push(&[m]).await), ["visit_deleted"], "{name}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &id.to_string()).await, 0, "{name}");
    }
    // The same visit deleted and then saved again within one push.
    let id = Uuid::now_v7();
    let original = visit(id, citizen, S, E, "original");
    let m = phone.mutation(save(original.clone()));
    phone.push(&[m]).await;
    let delete = phone.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 1 }));
    let again = phone.mutation(save(original));
    assert_eq!(outcomes(&phone.push(&[delete, again]).await), ["applied", "visit_deleted"]);
}

fn timer_start(timer: Uuid, citizen: shared::CitizenId, at: &str) -> Value {
    json!({ "type": "timer_start", "timer_id": timer, "citizen_id": citizen, "started_at": at })
}

fn timer_stop(timer: Uuid, at: &str) -> Value {
    json!({ "type": "timer_stop", "timer_id": timer, "stopped_at": at })
}

#[tokio::test]
async fn a_timer_stopped_and_the_next_started_in_one_push_both_land() {
    let app = TestApp::demo().await;
    let citizen = citizen_of(&app, "worker").await;
    let (t1, t2, t3) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let at = |h: u32| format!("2026-11-23T{h:02}:00:00Z");
    // (name, earlier push, the push, expected outcomes of the push, timers running at the end)
    type Sequence = (&'static str, Vec<Value>, Vec<Value>, Vec<&'static str>, Vec<Uuid>);
    let cases: Vec<Sequence> = vec![
        (
            "the failing input: stop the running timer and start the next",
            vec![timer_start(t1, citizen, &at(8))],
            vec![timer_stop(t1, &at(9)), timer_start(t2, citizen, &at(9))],
            vec!["applied", "applied"],
            vec![t2],
        ),
        (
            "start, stop, start, stop, start in one push",
            vec![],
            vec![
                timer_start(t1, citizen, &at(8)),
                timer_stop(t1, &at(9)),
                timer_start(t2, citizen, &at(9)),
                timer_stop(t2, &at(10)),
                timer_start(t3, citizen, &at(10)),
            ],
            vec!["applied"; 5],
            vec![t3],
        ),
        (
            "a second start without a stop is still refused",
            vec![timer_start(t1, citizen, &at(8))],
            vec![timer_start(t2, citizen, &at(9))],
            vec!["timer_running"],
            vec![t1],
        ),
        (
            "started and stopped within one push, then the next started",
            vec![],
            vec![timer_start(t1, citizen, &at(8)), timer_stop(t1, &at(9)), timer_start(t2, citizen, &at(9))],
            vec!["applied"; 3],
            vec![t2],
        ),
    ];
    for (name, earlier, push, expected, running) in cases {
        // A fresh worker state per case: no timers left from the last one.
        sqlx::query("DELETE FROM timers").execute(app.pool()).await.expect("clear timers");
        let mut phone = Phone::new(&app, "worker").await;
        if !earlier.is_empty() {
            let earlier: Vec<Value> = earlier.into_iter().map(|b| phone.mutation(b)).collect();
            phone.push(&earlier).await;
        }
        let push: Vec<Value> = push.into_iter().map(|b| phone.mutation(b)).collect();
        assert_eq!(outcomes(&phone.push(&push).await), expected, "{name}");
        let now_running: Vec<String> = sqlx::query_scalar("SELECT id FROM timers WHERE stopped_at IS NULL")
            .fetch_all(app.pool())
            .await
            .expect("running");
        let running: Vec<String> = running.iter().map(Uuid::to_string).collect();
        assert_eq!(now_running, running, "{name}");
    }
}

/// The charge a visit by `worker` to `citizen` on the 23rd would be offered.
async fn offered_charge(app: &TestApp, phone: &mut Phone<'_>, citizen: shared::CitizenId) -> Value {
    let (pulled, _, _) = phone.pull().await;
    let grants: Vec<_> =
        pulled.iter().filter_map(|c| if let Change::Grant(g) = c { Some(g.clone()) } else { None }).collect();
    let pools: Vec<_> =
        pulled.iter().filter_map(|c| if let Change::DrawingRight(d) = c { Some(d.clone()) } else { None }).collect();
    let teams: Vec<String> = sqlx::query_scalar(
        "SELECT m.team_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE u.username = 'worker'",
    )
    .fetch_all(app.pool())
    .await
    .expect("teams");
    let teams: Vec<shared::TeamId> = teams.iter().map(|t| t.parse().expect("id")).collect();
    let day = S.parse::<shared::Timestamp>().expect("time").local_date();
    let options = shared::charge::charge_options(citizen, day, &teams, &grants, &pools);
    serde_json::to_value(options.first().expect("the demo citizen has a grant")).expect("json")
}

#[tokio::test]
async fn a_merged_edit_keeps_another_devices_charge() {
    let app = TestApp::demo().await;
    let citizen = citizen_of(&app, "worker").await;
    let mut phone = Phone::new(&app, "worker").await;
    let mut tablet = Phone::new(&app, "worker").await;
    let charge = offered_charge(&app, &mut tablet, citizen).await;
    let id = Uuid::now_v7();
    let original = visit(id, citizen, S, E, "original");
    let m = phone.mutation(save(original.clone()));
    phone.push(&[m]).await;
    // The tablet charges it; the phone, not knowing, changes the note.
    let mut charged = original.clone();
    charged["charged_to"] = charge.clone();
    let m = tablet
        .mutation(json!({ "type": "visit_save", "visit": charged, "base": { "row_version": 1, "fields": original } }));
    assert_eq!(outcomes(&tablet.push(&[m]).await), ["applied"]);
    let mut noted = original.clone();
    noted["note"] = "ny note".into();
    let m = phone
        .mutation(json!({ "type": "visit_save", "visit": noted, "base": { "row_version": 1, "fields": original } }));
    assert_eq!(outcomes(&phone.push(&[m]).await), ["applied"]);
    let (pulled, _, _) = phone.pull().await;
    let merged = &visits(&pulled)[&id];
    assert_eq!(merged.note.as_str(), "ny note");
    assert_eq!(serde_json::to_value(merged.charged_to).expect("json"), charge);
}

/// Issue 12, kind 1 for the lead's field: two corrections queued on one
/// device end as the second; a second device's correction from an old
/// view is a conflict.
#[tokio::test]
async fn a_leads_queued_corrections_build_on_each_other() {
    let app = TestApp::demo().await;
    let citizen = citizen_of(&app, "worker").await;
    let mut worker = Phone::new(&app, "worker").await;
    let mut lead = Phone::new(&app, "lead").await;
    let mut lead_tablet = Phone::new(&app, "lead").await;
    let id = Uuid::now_v7();
    let m = worker.mutation(save(visit(id, citizen, S, E, "")));
    worker.push(&[m]).await;
    let first = json!({ "minutes": 45, "reason": "Gik efter 45 minutter" });
    let second = json!({ "minutes": 40, "reason": "Gik efter 40 minutter" });
    let a = lead.mutation(
        json!({ "type": "visit_correct", "visit_id": id, "base_version": 1, "base": null, "correction": first }),
    );
    let b = lead.mutation(
        json!({ "type": "visit_correct", "visit_id": id, "base_version": 1, "base": first, "correction": second }),
    );
    assert_eq!(outcomes(&lead.push(&[a, b]).await), ["applied", "applied"]);
    let (pulled, _, _) = lead.pull().await;
    assert_eq!(visits(&pulled)[&id].correction.as_ref().map(|c| c.minutes.get()), Some(40));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visit_conflicts WHERE visit_id = $1", &id.to_string()).await, 0);
    // The lead's tablet still shows the visit uncorrected: someone else's change.
    let c = lead_tablet.mutation(
        json!({ "type": "visit_correct", "visit_id": id, "base_version": 1, "base": null, "correction": first }),
    );
    assert_eq!(outcomes(&lead_tablet.push(&[c]).await), ["applied"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visit_conflicts WHERE visit_id = $1", &id.to_string()).await, 1);
    let (pulled, _, _) = lead_tablet.pull().await;
    assert_eq!(visits(&pulled)[&id].correction.as_ref().map(|c| c.minutes.get()), Some(40));
}
