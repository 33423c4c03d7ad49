//! Building blocks shared by several pages.

pub mod announcer;
pub mod charts;
pub mod conflicts_link;
pub mod form;
pub mod lang_switch;
pub mod live;
pub mod loaded;
pub mod notice;
pub mod print;
pub mod pwa;
pub mod refusal;
pub mod rejected;
pub mod sync_status;
pub mod team_select;
pub mod text_field;
pub mod visit_list;
