//! The shared, cloneable context every handler gets.

use std::sync::Arc;

use axum::extract::FromRef;

use crate::clock::Clock;
use crate::site::Site;

#[derive(Clone)]
pub struct AppState {
    pub db: crate::db::Db,
    pub site: Arc<Site>,
    pub clock: Clock,
    pub secure_cookies: bool,
}

impl FromRef<AppState> for Arc<Site> {
    fn from_ref(state: &AppState) -> Self {
        state.site.clone()
    }
}
