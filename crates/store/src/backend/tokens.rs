//! API tokens, for both backends: binding a token's hash to a driver, looking it up,
//! revoking it. Written as macros expanded per backend like [`super::writes`].

/// The methods of [`Tokens`](crate::Tokens).
macro_rules! token_methods {
    ($db:ty) => {
        async fn create_token(&self, driver: &str, hash: &[u8], at_ms: u64) -> $crate::Result<()> {
            let mut tx = self.pool.begin().await?;
            let driver = Self::driver_id_in(&mut tx, driver).await?;
            sqlx::query($crate::sql::INSERT_TOKEN)
                .bind(hash)
                .bind(driver)
                .bind($crate::rows::to_db(at_ms))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn driver_for_token(&self, hash: &[u8]) -> $crate::Result<Option<String>> {
            Ok(sqlx::query_scalar($crate::sql::TOKEN_DRIVER)
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?)
        }

        async fn revoke_token(&self, hash: &[u8], at_ms: u64) -> $crate::Result<bool> {
            let done = sqlx::query($crate::sql::REVOKE_TOKEN)
                .bind(hash)
                .bind($crate::rows::to_db(at_ms))
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() > 0)
        }
    };
}
