//! PostgreSQL harness bits the store, server, binary and fuzz tests share: one statement on a
//! connection of its own, for creating and dropping a test's schema or database.

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
