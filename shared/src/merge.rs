//! The one rule of every three-way merge (a phone's edit, the server's
//! row, the base both came from): [`pick`].

/// One field of a three-way merge: the phone's value (`m`) where only the
/// phone changed it from the base (`b`), else the server's (`t`); where
/// both changed it to different values the server's stands and `name` goes
/// in `clashes`.
pub(crate) fn pick<T: PartialEq>(name: &'static str, b: T, t: T, m: T, clashes: &mut Vec<&'static str>) -> T {
    if m == b || m == t {
        t
    } else if t == b {
        m
    } else {
        clashes.push(name);
        t
    }
}
