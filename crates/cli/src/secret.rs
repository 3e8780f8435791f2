//! Secrets on the command line's side: a token or a database URL held as a [`Secret`]
//! (its `Debug` prints `***`), and read from a file (`--token-file`, `--database-url-file`)
//! so that it never has to be a flag, which every local user can read in
//! `/proc/PID/cmdline`.

use std::path::Path;

use anyhow::{Context as _, bail};

/// A value that must not show in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that uses it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

/// The secret given as a file (`file`, read with [`read_file`]) or else as a flag or its
/// environment variable (`value`); `None` when neither is given.
pub(crate) fn from_file_or_value(
    file: Option<&Path>,
    value: Option<&Secret>,
    what: &str,
    flag: &str,
) -> anyhow::Result<Option<Secret>> {
    match file {
        Some(file) => read_file(file, what, flag).map(Some),
        None => Ok(value.cloned()),
    }
}

/// Reads a secret from `path` (`what` names it in errors: "the upload token"): the file's
/// text without surrounding whitespace, which must not be empty. A file other users can
/// read is used, with a warning to tighten it.
pub(crate) fn read_file(path: &Path, what: &str, flag: &str) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {what} from {} (check {flag})", path.display()))?;
    let value = text.trim();
    if value.is_empty() {
        bail!(
            "{} is empty: put {what} in it (check {flag})",
            path.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                "{} holds {what} and other users may read it: `chmod 600 {}`",
                path.display(),
                path.display()
            );
        }
    }
    Ok(Secret(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("pw_hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(secret)), "Some(Secret(***))");
    }

    #[test]
    fn a_file_gives_its_trimmed_text_and_an_empty_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "pw_abc\n").unwrap();
        assert_eq!(
            read_file(&file, "the upload token", "--token-file")
                .unwrap()
                .expose(),
            "pw_abc"
        );
        std::fs::write(&file, "\n").unwrap();
        let err = read_file(&file, "the upload token", "--token-file").unwrap_err();
        assert!(format!("{err:#}").contains("is empty"), "{err:#}");
        let err =
            read_file(&dir.path().join("none"), "the upload token", "--token-file").unwrap_err();
        assert!(format!("{err:#}").contains("--token-file"), "{err:#}");
    }
}
