//! Rows drawn once and followed as they change.
//!
//! A list keyed by a row's contents draws the row anew whenever it
//! changes: the phone's own save confirmed by a sync, a colleague's edit
//! arriving. Anything drawn inside it goes too — a form open under the
//! row, with what the user has typed. So the lists of rows that carry
//! forms (the plan's goals and actions, the meeting) key by the row's
//! identity alone, and the row's parts read it through [`follow`].

use leptos::prelude::*;

/// The row of `list` whose key is `first`'s, as it changes: `first` to
/// begin with, then the list's copy each time the list changes. Once the
/// row has left the list (its keyed `For` is about to drop it) the last
/// copy stands, so nothing drawn from it reads a hole.
pub fn follow<T, K>(list: Signal<Vec<T>>, first: T, key: impl Fn(&T) -> K + Send + Sync + 'static) -> Memo<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    K: PartialEq + Send + Sync + 'static,
{
    let id = key(&first);
    Memo::new(move |last: Option<&T>| {
        list.with(|rows| rows.iter().find(|row| key(row) == id).cloned())
            .or_else(|| last.cloned())
            .unwrap_or_else(|| first.clone())
    })
}
