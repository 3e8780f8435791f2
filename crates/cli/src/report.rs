//! How an error reads on the terminal: its chain of causes on one line, each cause once.
//! Many library errors print their source inside their own message *and* return it as
//! `source()`; `{:#}` would then say the same thing twice.

/// `error: cause: cause…`, skipping a cause whose text the line already holds.
pub(crate) fn chain(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if text.is_empty() || line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::chain;

    /// An error that prints its source and also returns it, as sqlx's and many others do.
    #[derive(Debug)]
    struct Echo(std::io::Error);

    impl std::fmt::Display for Echo {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "error communicating with database: {}", self.0)
        }
    }

    impl std::error::Error for Echo {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        let e = anyhow::Error::from(Echo(io)).context("cannot connect to the database");
        assert_eq!(
            chain(&e),
            "cannot connect to the database: error communicating with database: Connection refused"
        );
        assert!(format!("{e:#}").matches("Connection refused").count() == 2);
    }

    #[test]
    fn distinct_causes_are_all_kept() {
        let e = anyhow::anyhow!("disk full").context("cannot store lap 3");
        assert_eq!(chain(&e), "cannot store lap 3: disk full");
    }
}
