//! Everything the app keeps on the phone, built on [`Kv`]: identity, the
//! outbox, pull staging, server rows, rejected mutations, and the view the
//! user sees (server rows with pending mutations replayed on top).
//!
//! # The `meta` store
//!
//! Small values by name: `client_id`, `next_mutation_id`, `cursor`, `user_id`,
//! `profile`, `last_synced_at`, `verified_at` (when the rows were last checked
//! against the server's digest), `confirmed` (the highest mutation id an
//! applied pull confirmed: rejections up to it have reached the phone once, so
//! a pull without a cursor never brings back one the user settled; lowered when
//! the outbox is renumbered), `row_schema` (absent means schema 1; see
//! `super::upgrade`), and `cache:<name>`: the last fetched copy of an
//! online-only answer (`org`, `report:<team>:<month>`,
//! `statement:<area>:<month>`, `drawing-rights`, `caseload-norms`,
//! `admin-directory`, `names`; see `crate::data::fetch_or_cached`), wiped with
//! everything else at logout and when the user is deactivated.
//!
//! # A user action in one round trip
//!
//! `LocalDb::act` guesses the counter it saw last and sends the check
//! (`Kv::write_if`: write only if `next_mutation_id` still holds the guess)
//! with the two writes in one round trip; a wrong guess (another tab, a
//! renumbering, a wipe) aborts that transaction and falls back to reading the
//! counter first — ids stay unique and gap-free either way.
//!
//! # A database deleted under the page
//!
//! Cleared site data or DevTools can delete the database while the app runs; it
//! reopens empty. The next save or sync gives it a new client id and makes it
//! the logged-in user's again (`LocalDb::ensure_identity`,
//! `crate::data::recover`), then saves, and the pull downloads everything anew.

use std::cell::Cell;
use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::sync::{Change, Cursor, Digest, Entity, Mutation, MutationBody, PullResponse, RejectedMutation};
use shared::{ClientId, Timestamp, UserId};

use super::upgrade::{self, Plan};
use super::{Durability, Key, Kv, Op, Read, ReadResult, StoreError, StoreName};
use crate::overlay::{self, RejectedItem, View};

const CLIENT_ID: &str = "client_id";
const NEXT_MUTATION_ID: &str = "next_mutation_id";
const CURSOR: &str = "cursor";
const USER: &str = "user_id";
const LAST_SYNCED_AT: &str = "last_synced_at";
const PROFILE: &str = "profile";
const VERIFIED_AT: &str = "verified_at";
/// The highest mutation id an applied pull has confirmed: every rejection
/// up to it has reached this phone once (and may since be settled).
const CONFIRMED: &str = "confirmed";
/// The row schema the stored rows are in ([`super::upgrade`]).
const ROW_SCHEMA: &str = "row_schema";

fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Every value of an `All` read, parsed.
fn parse_all<T: DeserializeOwned>(result: Option<ReadResult>) -> Result<Vec<T>, StoreError> {
    result.map(ReadResult::all).unwrap_or_default().iter().map(|(_, v)| parse(v)).collect()
}

/// The value of a `Get` read, parsed.
fn parse_one<T: DeserializeOwned>(result: Option<ReadResult>) -> Result<Option<T>, StoreError> {
    result.and_then(ReadResult::one).map(|v| parse(&v)).transpose()
}

/// The writes that put `mutation` in the outbox and step the counter past it.
/// The writes that queue `mutation`. One too large to ever be sent is
/// refused here, when the user saves (`shared::sync::check_size`), so it
/// never blocks the queue.
fn append(mutation: &Mutation) -> Result<Vec<Op>, StoreError> {
    let text = json(mutation)?;
    shared::sync::check_size(text.len()).map_err(StoreError::Invalid)?;
    Ok(vec![
        Op::Put(StoreName::Outbox, Key::num(mutation.id), text),
        Op::Put(StoreName::Meta, meta_key(NEXT_MUTATION_ID), json(&(mutation.id + 1))?),
    ])
}

fn meta_key(name: &str) -> Key {
    Key::text(name)
}

/// Identity and progress, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub client_id: ClientId,
    pub next_mutation_id: u64,
    pub cursor: Option<Cursor>,
    pub user: Option<UserId>,
    pub last_synced_at: Option<Timestamp>,
    /// When the rows were last checked against the server's [`Digest`].
    pub verified_at: Option<Timestamp>,
}

/// What applying the staged pages did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub changes: usize,
    pub reset: bool,
    pub confirmed: u64,
    pub newly_rejected: Vec<u64>,
}

impl Applied {
    /// What two applications in a row did together.
    pub fn and(mut self, later: Applied) -> Applied {
        self.changes += later.changes;
        self.reset |= later.reset;
        self.confirmed = self.confirmed.max(later.confirmed);
        self.newly_rejected.extend(later.newly_rejected);
        self
    }
}

#[derive(Debug, Clone)]
pub struct LocalDb<K> {
    kv: K,
    /// The mutation id this handle expects to hand out next: a guess that
    /// saves `act` a round trip, always checked against the stored counter
    /// (another tab, a renumbering or a wipe may have moved it).
    next_id: Cell<Option<u64>>,
}

impl<K: Kv> LocalDb<K> {
    /// Wraps a store, giving it a client id on first use.
    /// Opens the phone's data: gives a new database its identity and
    /// carries stored rows to this build's row schema ([`Self::upgrade_rows`]).
    pub async fn open(kv: K, new_client_id: ClientId) -> Result<LocalDb<K>, StoreError> {
        let db = LocalDb { kv, next_id: Cell::new(None) };
        db.ensure_identity(new_client_id).await?;
        db.upgrade_rows().await?;
        Ok(db)
    }

    /// Carries the stored rows to this build's row schema ([`upgrade`]):
    /// each row rewritten through the steps or dropped if this build cannot
    /// read it, the cursor and staged pages forgotten (the next pull
    /// downloads everything in the new shape and replaces the rows), the
    /// schema recorded — in one transaction. The outbox, the rejected items
    /// and the identity are not touched. Returns whether it upgraded.
    pub async fn upgrade_rows(&self) -> Result<bool, StoreError> {
        let mut reads: Vec<Read> = row_stores().map(Read::All).collect();
        reads.push(Read::Get(StoreName::Meta, meta_key(ROW_SCHEMA)));
        self.kv
            .update(reads, Durability::Strict, |r| {
                let mut r = r.into_iter();
                let mut rows = Vec::new();
                for entity in Entity::ALL {
                    for (key, text) in r.next().map(ReadResult::all).unwrap_or_default() {
                        if let Key::Text(id) = key {
                            rows.push((entity, id, text));
                        }
                    }
                }
                let stored: Option<u32> = parse_one(r.next())?;
                let current = upgrade::current();
                let record = Op::Put(StoreName::Meta, meta_key(ROW_SCHEMA), json(&current)?);
                match upgrade::plan(stored, current, upgrade::STEPS, &rows) {
                    // A phone from before the schema was kept: now it is.
                    Plan::Current if stored.is_none() => Ok((vec![record], false)),
                    Plan::Current => Ok((Vec::new(), false)),
                    Plan::Upgrade { rows } => {
                        let mut ops: Vec<Op> = rows
                            .into_iter()
                            .map(|(entity, id, text)| match text {
                                Some(text) => Op::Put(StoreName::Rows(entity), Key::text(id), text),
                                None => Op::Delete(StoreName::Rows(entity), Key::text(id)),
                            })
                            .collect();
                        ops.push(Op::Delete(StoreName::Meta, meta_key(CURSOR)));
                        ops.push(Op::Clear(StoreName::Staging));
                        ops.push(record);
                        Ok((ops, true))
                    }
                }
            })
            .await
    }

    /// Gives a database with no identity (new, or deleted under the page —
    /// cleared site data, DevTools) a client id and a mutation counter;
    /// returns whether it had to. One that has them is left alone.
    pub async fn ensure_identity(&self, new_client_id: ClientId) -> Result<bool, StoreError> {
        let made = self
            .kv
            .update(vec![Read::Get(StoreName::Meta, meta_key(CLIENT_ID))], Durability::Strict, |r| {
                let mut ops = Vec::new();
                if r.into_iter().next().and_then(ReadResult::one).is_none() {
                    ops.push(Op::Put(StoreName::Meta, meta_key(CLIENT_ID), json(&new_client_id)?));
                    ops.push(Op::Put(StoreName::Meta, meta_key(NEXT_MUTATION_ID), json(&1u64)?));
                }
                let made = !ops.is_empty();
                Ok((ops, made))
            })
            .await?;
        if made {
            self.next_id.set(None);
        }
        Ok(made)
    }

    pub fn kv(&self) -> &K {
        &self.kv
    }

    /// Gives the store back (to close or reopen it).
    pub fn kv_owned(self) -> K {
        self.kv
    }

    pub async fn meta(&self) -> Result<Meta, StoreError> {
        let names = [CLIENT_ID, NEXT_MUTATION_ID, CURSOR, USER, LAST_SYNCED_AT, VERIFIED_AT];
        let reads = names.iter().map(|n| Read::Get(StoreName::Meta, meta_key(n))).collect();
        let mut r = self.kv.read(reads).await?.into_iter().map(ReadResult::one);
        let mut next = || r.next().flatten();
        let client_id = next().ok_or_else(|| StoreError::Corrupt("no client id".into()))?;
        let next_id = next().ok_or_else(|| StoreError::Corrupt("no mutation counter".into()))?;
        Ok(Meta {
            client_id: parse(&client_id)?,
            next_mutation_id: parse(&next_id)?,
            cursor: next().map(|c| parse(&c)).transpose()?,
            user: next().map(|u| parse(&u)).transpose()?,
            last_synced_at: next().map(|t| parse(&t)).transpose()?,
            verified_at: next().map(|t| parse(&t)).transpose()?,
        })
    }

    /// Records who uses this database. A different user than before starts
    /// from scratch: every store is emptied and the phone gets a new client
    /// id (the server ties a client to one user). The UI must warn before
    /// that if the outbox is not empty. Returns whether it switched users.
    pub async fn set_user(&self, user: UserId, new_client_id: ClientId) -> Result<bool, StoreError> {
        self.kv
            .update(vec![Read::Get(StoreName::Meta, meta_key(USER))], Durability::Strict, |r| {
                let previous: Option<UserId> =
                    r.into_iter().next().and_then(ReadResult::one).map(|u| parse(&u)).transpose()?;
                match previous {
                    Some(p) if p == user => Ok((Vec::new(), false)),
                    None => Ok((vec![Op::Put(StoreName::Meta, meta_key(USER), json(&user)?)], false)),
                    Some(_) => {
                        let mut ops = wipe_ops(new_client_id)?;
                        ops.push(Op::Put(StoreName::Meta, meta_key(USER), json(&user)?));
                        Ok((ops, true))
                    }
                }
            })
            .await
    }

    /// Who is logged in, kept so the app can start with no network.
    pub async fn set_profile(&self, me: &shared::api::MeResponse) -> Result<(), StoreError> {
        let text = json(me)?;
        self.kv
            .update(Vec::new(), Durability::Strict, |_| {
                Ok((vec![Op::Put(StoreName::Meta, meta_key(PROFILE), text)], ()))
            })
            .await
    }

    /// Keeps a copy of something fetched online (a lead's report), to read
    /// offline. Relaxed durability: it can always be fetched again.
    pub async fn set_cached(&self, name: &str, text: String) -> Result<(), StoreError> {
        let key = meta_key(&format!("cache:{name}"));
        self.kv.update(Vec::new(), Durability::Relaxed, |_| Ok((vec![Op::Put(StoreName::Meta, key, text)], ()))).await
    }

    pub async fn cached(&self, name: &str) -> Result<Option<String>, StoreError> {
        let r = self.kv.read(vec![Read::Get(StoreName::Meta, meta_key(&format!("cache:{name}")))]).await?;
        Ok(r.into_iter().next().and_then(ReadResult::one))
    }

    pub async fn profile(&self) -> Result<Option<shared::api::MeResponse>, StoreError> {
        let r = self.kv.read(vec![Read::Get(StoreName::Meta, meta_key(PROFILE))]).await?;
        r.into_iter().next().and_then(ReadResult::one).map(|t| parse(&t)).transpose()
    }

    /// One user action: the mutation goes into the outbox with the next
    /// gap-free id, in one strict transaction. Returns the id.
    pub async fn act(&self, body: MutationBody, now: Timestamp) -> Result<u64, StoreError> {
        // The usual case: this handle's guess at the counter holds, and the
        // mutation and the counter's step are written together with the
        // check, in one round trip.
        let body = match self.next_id.get() {
            Some(id) => {
                let mutation = Mutation { id, created_at: now, body };
                let ops = append(&mutation)?;
                let expected = json(&id)?;
                if self
                    .kv
                    .write_if(StoreName::Meta, meta_key(NEXT_MUTATION_ID), &expected, ops, Durability::Strict)
                    .await?
                {
                    self.next_id.set(Some(id + 1));
                    return Ok(id);
                }
                mutation.body
            }
            None => body,
        };
        // Read the counter, then write.
        let id = self
            .kv
            .update(vec![Read::Get(StoreName::Meta, meta_key(NEXT_MUTATION_ID))], Durability::Strict, |r| {
                let next = r.into_iter().next().and_then(ReadResult::one);
                let id: u64 = parse(&next.ok_or_else(|| StoreError::Corrupt("no mutation counter".into()))?)?;
                Ok((append(&Mutation { id, created_at: now, body })?, id))
            })
            .await?;
        self.next_id.set(Some(id + 1));
        Ok(id)
    }

    /// The outbox, oldest first.
    pub async fn outbox(&self) -> Result<Vec<Mutation>, StoreError> {
        let all = self.kv.read(vec![Read::All(StoreName::Outbox)]).await?;
        parse_all(all.into_iter().next())
    }

    /// The server expects mutation `expected` next but the outbox starts
    /// later (the server's database was restored): renumber the outbox from
    /// `expected`, keeping its order.
    pub async fn renumber_outbox(&self, expected: u64) -> Result<(), StoreError> {
        self.kv
            .update(vec![Read::All(StoreName::Outbox)], Durability::Strict, |r| {
                let entries = r.into_iter().next().map(ReadResult::all).unwrap_or_default();
                let mut ops = vec![Op::Clear(StoreName::Outbox)];
                let mut id = expected;
                for (_, text) in entries {
                    let mut m: Mutation = parse(&text)?;
                    m.id = id;
                    ops.push(Op::Put(StoreName::Outbox, Key::num(id), json(&m)?));
                    id += 1;
                }
                ops.push(Op::Put(StoreName::Meta, meta_key(NEXT_MUTATION_ID), json(&id)?));
                // The server forgot everything from `expected` on: its
                // rejections of those ids are news again. The cursor goes
                // too — it carries the old confirmed id, and the server
                // reports rejections only above it — so the next pull
                // starts over and brings them.
                ops.push(Op::Put(StoreName::Meta, meta_key(CONFIRMED), json(&expected.saturating_sub(1))?));
                ops.push(Op::Delete(StoreName::Meta, meta_key(CURSOR)));
                Ok((ops, ()))
            })
            .await
    }

    /// Starts a pull run: forgets pages of a run that never finished.
    pub async fn clear_staging(&self) -> Result<(), StoreError> {
        self.kv.update(Vec::new(), Durability::Relaxed, |_| Ok((vec![Op::Clear(StoreName::Staging)], ()))).await
    }

    pub async fn stage(&self, page: u64, response: &PullResponse) -> Result<(), StoreError> {
        let text = json(response)?;
        self.kv
            .update(Vec::new(), Durability::Relaxed, |_| {
                Ok((vec![Op::Put(StoreName::Staging, Key::num(page), text)], ()))
            })
            .await
    }

    /// Applies every staged page in one transaction: rows, cursor, confirmed
    /// outbox entries dropped, rejected ones moved aside, staging cleared.
    /// A crash before this leaves the old state; after it, the new one.
    pub async fn apply_staged(&self, now: Timestamp) -> Result<Applied, StoreError> {
        let reads = vec![
            Read::All(StoreName::Staging),
            Read::All(StoreName::Outbox),
            Read::Get(StoreName::Meta, meta_key(CONFIRMED)),
            Read::Get(StoreName::Meta, meta_key(NEXT_MUTATION_ID)),
        ];
        self.kv
            .update(reads, Durability::Strict, |r| {
                let mut r = r.into_iter();
                let pages = r.next().map(ReadResult::all).unwrap_or_default();
                let outbox = r.next().map(ReadResult::all).unwrap_or_default();
                let told: Option<u64> = parse_one(r.next())?;
                let next_id: u64 = parse_one(r.next())?.unwrap_or(1);
                // A phone from before `confirmed` was kept: every id below
                // the oldest one still waiting (or below the next id, with
                // nothing waiting) was confirmed by an earlier pull.
                let oldest_waiting = outbox.iter().filter_map(|(k, _)| k.as_u64()).min();
                let told_up_to = told.unwrap_or_else(|| oldest_waiting.unwrap_or(next_id).saturating_sub(1));
                let pages: Vec<PullResponse> = pages.iter().map(|(_, v)| parse(v)).collect::<Result<_, _>>()?;
                let Some(last) = pages.last() else {
                    return Ok((Vec::new(), Applied::default()));
                };
                let mut applied = Applied { confirmed: last.confirmed_last_mutation_id, ..Applied::default() };
                let mut ops = Vec::new();
                if pages.iter().any(|p| p.reset) {
                    applied.reset = true;
                    ops.extend(row_stores().map(Op::Clear));
                }
                for change in pages.iter().flat_map(|p| &p.changes) {
                    applied.changes += 1;
                    ops.push(change_op(change)?);
                }
                // A rejection this phone was told of before is not news: the
                // user has it, or settled it (fixed or discarded it). A pull
                // without a cursor (a reset, the daily check's repair) sends
                // them all again; they must not come back.
                let rejected: BTreeMap<u64, &RejectedMutation> =
                    pages.iter().flat_map(|p| &p.rejected).filter(|r| r.id > told_up_to).map(|r| (r.id, r)).collect();
                for (key, text) in &outbox {
                    let Some(id) = key.as_u64() else { continue };
                    if id > applied.confirmed {
                        continue;
                    }
                    if let Some(rejection) = rejected.get(&id) {
                        let item = RejectedItem { rejection: (*rejection).clone(), mine: Some(parse(text)?) };
                        ops.push(Op::Put(StoreName::Rejected, Key::num(id), json(&item)?));
                        applied.newly_rejected.push(id);
                    }
                    ops.push(Op::Delete(StoreName::Outbox, key.clone()));
                }
                // Rejections whose outbox entry was already gone (reported late).
                let in_outbox: Vec<u64> = outbox.iter().filter_map(|(k, _)| k.as_u64()).collect();
                for (id, rejection) in &rejected {
                    if !in_outbox.contains(id) {
                        let item = RejectedItem { rejection: (*rejection).clone(), mine: None };
                        ops.push(Op::Put(StoreName::Rejected, Key::num(*id), json(&item)?));
                        applied.newly_rejected.push(*id);
                    }
                }
                ops.push(Op::Put(StoreName::Meta, meta_key(CURSOR), json(&last.cursor)?));
                ops.push(Op::Put(StoreName::Meta, meta_key(CONFIRMED), json(&told_up_to.max(applied.confirmed))?));
                ops.push(Op::Put(StoreName::Meta, meta_key(LAST_SYNCED_AT), json(&now)?));
                ops.push(Op::Clear(StoreName::Staging));
                Ok((ops, applied))
            })
            .await
    }

    /// Every server row of one kind, as stored.
    pub async fn rows(&self, entity: Entity) -> Result<Vec<Change>, StoreError> {
        let r = self.kv.read(vec![Read::All(StoreName::Rows(entity))]).await?;
        parse_all(r.into_iter().next())
    }

    /// The server rows this phone holds, as a [`Digest`] (the ids only).
    pub async fn row_digest(&self) -> Result<Digest, StoreError> {
        let results = self.kv.read(row_stores().map(Read::All).collect()).await?;
        let mut digest = Digest::default();
        for (entity, result) in Entity::ALL.into_iter().zip(results) {
            for (key, _) in result.all() {
                let Key::Text(id) = &key else { return Err(StoreError::Corrupt(format!("row key {key:?}"))) };
                digest.add(entity, id.parse().map_err(|_| StoreError::Corrupt(format!("row key {id:?}")))?);
            }
        }
        Ok(digest)
    }

    /// The rows were checked: `held` says whether they were what the server
    /// has. If not, the cursor goes, so the next pull brings everything
    /// again (and replaces what the phone holds).
    pub async fn verified(&self, held: bool, now: Timestamp) -> Result<(), StoreError> {
        let ops = if held {
            vec![Op::Put(StoreName::Meta, meta_key(VERIFIED_AT), json(&now)?)]
        } else {
            vec![Op::Delete(StoreName::Meta, meta_key(CURSOR))]
        };
        self.kv.update(Vec::new(), Durability::Strict, |_| Ok((ops, ()))).await
    }

    /// What the user sees: server rows with the outbox replayed on top, read
    /// in one snapshot.
    pub async fn view(&self) -> Result<View, StoreError> {
        let mut reads: Vec<Read> = row_stores().map(Read::All).collect();
        reads.push(Read::All(StoreName::Outbox));
        reads.push(Read::All(StoreName::Rejected));
        reads.push(Read::Get(StoreName::Meta, meta_key(USER)));
        reads.push(Read::Get(StoreName::Meta, meta_key(LAST_SYNCED_AT)));
        let mut results = self.kv.read(reads).await?.into_iter();
        let mut rows = Vec::new();
        for _ in row_stores() {
            for (_, text) in results.next().map(ReadResult::all).unwrap_or_default() {
                rows.push(parse::<Change>(&text)?);
            }
        }
        let outbox: Vec<Mutation> = parse_all(results.next())?;
        let rejected: Vec<RejectedItem> = parse_all(results.next())?;
        let user: Option<UserId> = parse_one(results.next())?;
        let synced_at: Option<Timestamp> = parse_one(results.next())?;
        let mut view = overlay::view(rows, &outbox, rejected, user);
        view.synced_at = synced_at;
        Ok(view)
    }

    pub async fn rejected(&self) -> Result<Vec<RejectedItem>, StoreError> {
        let r = self.kv.read(vec![Read::All(StoreName::Rejected)]).await?;
        parse_all(r.into_iter().next())
    }

    /// Drops the "not kept" items whose edit stands after all
    /// ([`overlay::edit_stands`]); returns how many. The sync runs it after
    /// every pull, so a lead's choice of the worker's version also clears
    /// the worker's "not kept" card.
    pub async fn drop_kept_edits(&self) -> Result<usize, StoreError> {
        // Most syncs have no "not kept" item: then no view is built.
        if !self.rejected().await?.iter().any(|i| i.rejection.code == shared::conflict::EDIT_NOT_KEPT) {
            return Ok(0);
        }
        let kept = self.view().await?.kept_edits;
        if kept.is_empty() {
            return Ok(0);
        }
        let ops: Vec<Op> = kept.iter().map(|id| Op::Delete(StoreName::Rejected, Key::num(*id))).collect();
        self.kv.update(Vec::new(), Durability::Strict, |_| Ok((ops, ()))).await?;
        Ok(kept.len())
    }

    /// The user has seen a rejection and let it go.
    pub async fn discard_rejected(&self, id: u64) -> Result<(), StoreError> {
        self.kv
            .update(Vec::new(), Durability::Strict, |_| Ok((vec![Op::Delete(StoreName::Rejected, Key::num(id))], ())))
            .await
    }

    /// Empties every store and starts as a new client (logout).
    pub async fn wipe(&self, new_client_id: ClientId) -> Result<(), StoreError> {
        self.kv.update(Vec::new(), Durability::Strict, |_| Ok((wipe_ops(new_client_id)?, ()))).await
    }
}

fn wipe_ops(new_client_id: ClientId) -> Result<Vec<Op>, StoreError> {
    let mut ops: Vec<Op> = StoreName::all().map(Op::Clear).collect();
    ops.push(Op::Put(StoreName::Meta, meta_key(CLIENT_ID), json(&new_client_id)?));
    ops.push(Op::Put(StoreName::Meta, meta_key(NEXT_MUTATION_ID), json(&1u64)?));
    ops.push(Op::Put(StoreName::Meta, meta_key(ROW_SCHEMA), json(&upgrade::current())?));
    Ok(ops)
}

fn row_stores() -> impl Iterator<Item = StoreName> {
    shared::sync::Entity::ALL.into_iter().map(StoreName::Rows)
}

fn change_op(change: &Change) -> Result<Op, StoreError> {
    let (entity, id) = change.key();
    let key = Key::text(id.to_string());
    Ok(match change {
        Change::Deleted { .. } => Op::Delete(StoreName::Rows(entity), key),
        row => Op::Put(StoreName::Rows(entity), key, json(row)?),
    })
}
