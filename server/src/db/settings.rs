//! Small settings an administrator changes, stored as JSON by key.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Conn;

/// The setting under `key`, or its default when never set.
pub async fn get<T: DeserializeOwned + Default>(conn: &mut Conn, key: &str) -> anyhow::Result<T> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(conn).await?;
    Ok(value.map(|v| serde_json::from_str(&v)).transpose()?.unwrap_or_default())
}

pub async fn set<T: Serialize>(conn: &mut Conn, key: &str, value: &T) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(serde_json::to_string(value)?)
    .execute(conn)
    .await?;
    Ok(())
}
