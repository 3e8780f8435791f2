//! PostgreSQL harness bits the store, server, binary and fuzz tests share: one statement on a
//! connection of its own, for creating and dropping a test's schema or database, also from
//! a `Drop` that runs inside a test's runtime.

use sqlx::Connection as _;

/// Runs one statement on a connection of its own, then closes it. Panics with the statement
/// and the error when any step fails: a test's setup that fails is the test failing.
pub async fn execute(url: &str, sql: &str) {
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connecting to run {sql:?}: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql:?}: {e}"));
    conn.close()
        .await
        .unwrap_or_else(|e| panic!("closing the connection after {sql:?}: {e}"));
}

/// Drops `schema` (with everything in it) from a thread and a runtime of its own, so that a
/// `Drop` inside a test's runtime can call it. Whether it was dropped: a clean-up that fails
/// is reported by the caller, not a second panic.
#[must_use]
pub fn drop_schema_blocking(url: &str, schema: &str) -> bool {
    let (url, sql) = (url.to_owned(), format!("DROP SCHEMA {schema} CASCADE"));
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("a runtime to drop a test schema: {e}"));
        rt.block_on(execute(&url, &sql));
    })
    .join()
    .is_ok()
}
