//! Applies one mutation inside the push transaction. A domain refusal is a
//! [`Rejection`], which the caller records; any other failure aborts the
//! whole push, which the phone then retries.
//!
//! **Invariant:** every check comes before the first write, so a rejected
//! mutation has written nothing and needs no savepoint to undo.

use shared::sync::{MutationBody, VisitBase, merge_visit};
use shared::timer::Timer;
use shared::visit::VisitDraft;
use std::collections::HashMap;

use shared::{CitizenId, ClientId, Date, Localized, Problem, Timestamp, UserId, ValidationError};
use sqlx::SqliteConnection;

use crate::db;
use crate::db::changes::Stamper;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: String,
    pub message: Localized,
    pub field: Option<String>,
}

impl Rejection {
    fn new(code: &str, field: Option<&str>, da: &str, en: &str) -> Rejection {
        Rejection { code: code.to_owned(), message: Localized::new(da, en), field: field.map(str::to_owned) }
    }

    fn not_assigned() -> Rejection {
        Rejection::new(
            "not_assigned",
            Some("citizen_id"),
            "Du er ikke tilknyttet denne borger på den dato. Ret borgeren eller datoen, eller kassér registreringen.",
            "You are not assigned to this citizen on that date. Change the citizen or the date, or discard it.",
        )
    }
}

impl From<ValidationError> for Rejection {
    fn from(e: ValidationError) -> Rejection {
        Rejection { code: e.code().to_owned(), message: e.message(), field: Some(e.field.to_string()) }
    }
}

#[derive(Debug)]
pub enum ApplyError {
    Rejected(Rejection),
    Internal(anyhow::Error),
}

impl From<Rejection> for ApplyError {
    fn from(r: Rejection) -> Self {
        ApplyError::Rejected(r)
    }
}

impl From<ValidationError> for ApplyError {
    fn from(e: ValidationError) -> Self {
        ApplyError::Rejected(e.into())
    }
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        ApplyError::Internal(e.into())
    }
}

impl From<anyhow::Error> for ApplyError {
    fn from(e: anyhow::Error) -> Self {
        ApplyError::Internal(e)
    }
}

/// Who is applying, and when.
pub struct Ctx<'a> {
    pub user: UserId,
    pub client: ClientId,
    pub mutation_id: u64,
    pub now: Timestamp,
    pub stamper: &'a mut Stamper,
    /// Assignment answers already looked up in this push (a batch is
    /// usually a handful of citizens on a handful of days).
    pub assigned: &'a mut HashMap<(CitizenId, Date), bool>,
}

impl Ctx<'_> {
    async fn is_assigned(&mut self, conn: &mut SqliteConnection, citizen: CitizenId, date: Date) -> sqlx::Result<bool> {
        if let Some(answer) = self.assigned.get(&(citizen, date)) {
            return Ok(*answer);
        }
        let answer = db::citizens::is_assigned(conn, self.user, citizen, date).await?;
        self.assigned.insert((citizen, date), answer);
        Ok(answer)
    }
}

pub async fn apply(conn: &mut SqliteConnection, mut ctx: Ctx<'_>, body: &MutationBody) -> Result<(), ApplyError> {
    match body {
        MutationBody::VisitSave { visit, base } => visit_save(conn, ctx, visit, base.as_ref()).await,
        MutationBody::VisitDelete { visit_id, base_version } => {
            let Some(current) = db::visits::find(conn, *visit_id).await? else {
                return Ok(()); // Already gone: deleting is idempotent.
            };
            if current.worker_id != ctx.user {
                return Err(not_yours().into());
            }
            if db::visits::is_locked(&current) {
                return Err(approved().into());
            }
            if current.row_version != *base_version {
                return Err(Rejection::new(
                    "visit_changed",
                    None,
                    "Besøget er ændret et andet sted, siden du hentede det. Se ændringen, og slet igen, hvis det stadig skal væk.",
                    "The visit was changed elsewhere since you fetched it. Look at the change and delete again if it should still go.",
                )
                .into());
            }
            db::visits::delete(conn, ctx.stamper, &current).await?;
            Ok(())
        }
        MutationBody::TimerStart { timer_id, citizen_id, started_at } => {
            if let Some(existing) = db::visits::find_timer(conn, *timer_id).await? {
                return if existing.worker_id == ctx.user { Ok(()) } else { Err(not_yours().into()) };
            }
            if *started_at > ctx.now.add_minutes(5) {
                return Err(ValidationError::new("started_at", Problem::InFuture).into());
            }
            if !ctx.is_assigned(conn, *citizen_id, started_at.local_date()).await? {
                return Err(Rejection::not_assigned().into());
            }
            if db::visits::running_timer(conn, ctx.user).await?.is_some() {
                return Err(Rejection::new(
                    "timer_running",
                    None,
                    "Du har allerede et tidsur i gang, måske startet på en anden enhed. Stop det først.",
                    "You already have a timer running, perhaps started on another device. Stop it first.",
                )
                .into());
            }
            let timer = Timer {
                id: *timer_id,
                worker_id: ctx.user,
                citizen_id: *citizen_id,
                started_at: *started_at,
                stopped_at: None,
            };
            db::visits::upsert_timer(conn, ctx.stamper, &timer).await?;
            Ok(())
        }
        MutationBody::TimerStop { timer_id, stopped_at } => {
            let Some(mut timer) = db::visits::find_timer(conn, *timer_id).await? else {
                return Err(Rejection::new(
                    "timer_unknown",
                    None,
                    "Tidsuret findes ikke længere.",
                    "The timer no longer exists.",
                )
                .into());
            };
            if timer.worker_id != ctx.user {
                return Err(not_yours().into());
            }
            if !timer.is_running() {
                return Ok(()); // Stopped already (on another device): keep the first stop.
            }
            if *stopped_at < timer.started_at {
                return Err(ValidationError::new("stopped_at", Problem::EndBeforeStart).into());
            }
            timer.stopped_at = Some(*stopped_at);
            db::visits::upsert_timer(conn, ctx.stamper, &timer).await?;
            Ok(())
        }
    }
}

fn not_yours() -> Rejection {
    Rejection::new(
        "not_your_visit",
        None,
        "Registreringen tilhører en anden medarbejder.",
        "This record belongs to another worker.",
    )
}

fn approved() -> Rejection {
    Rejection::new(
        "approved",
        Some("status"),
        "Besøget er godkendt og kan ikke ændres længere.",
        "The visit is approved and can no longer be changed.",
    )
}

async fn visit_save(
    conn: &mut SqliteConnection,
    mut ctx: Ctx<'_>,
    mine: &VisitDraft,
    base: Option<&VisitBase>,
) -> Result<(), ApplyError> {
    let current = db::visits::find(conn, mine.id).await?;
    let mut clash = None;
    let (fields, row_version, status) = match (&current, base) {
        (None, Some(_)) => {
            return Err(Rejection::new(
                "visit_deleted",
                None,
                "Besøget er slettet et andet sted. Gem det som nyt, eller kassér ændringen.",
                "The visit was deleted elsewhere. Save it as new, or discard the change.",
            )
            .into());
        }
        (None, None) => (mine.clone(), 1, shared::visit::VisitStatus::Submitted),
        (Some(current), base) => {
            if current.worker_id != ctx.user {
                return Err(not_yours().into());
            }
            if db::visits::is_locked(current) {
                return Err(approved().into());
            }
            let fields = match base {
                // Edited from the current version, or a re-save of a new visit.
                None => mine.clone(),
                Some(base) if base.row_version == current.row_version => mine.clone(),
                Some(base) => {
                    let theirs = current.draft();
                    let merge = merge_visit(&base.fields, &theirs, mine)?;
                    if !merge.clashes.is_empty() {
                        clash = Some((merge.clashes, theirs));
                    }
                    merge.merged
                }
            };
            (fields, current.row_version + 1, current.status)
        }
    };
    // Authorised for the citizen the visit ends up with, on its date.
    if !ctx.is_assigned(conn, fields.citizen_id, fields.started_at().local_date()).await? {
        return Err(Rejection::not_assigned().into());
    }
    let mut visit = fields.into_visit(ctx.user, ctx.now)?;
    visit.row_version = row_version;
    visit.status = status;
    // Every check has passed: only now write.
    if let Some((fields, theirs)) = &clash {
        let conflict = db::visits::Conflict {
            visit: mine.id,
            worker: ctx.user,
            client: ctx.client,
            mutation_id: ctx.mutation_id,
            fields,
            theirs,
            mine,
        };
        db::visits::insert_conflict(conn, conflict, ctx.now).await?;
    }
    db::visits::upsert(conn, ctx.stamper, &visit).await?;
    Ok(())
}
