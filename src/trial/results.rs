//! The `--results` file of a batch: one JSON [`Outcome`] per line, appended and synced to
//! disk one by one, and read back so a re-run skips what it already created.
//!
//! Before each request a `sending` record is synced too. A line whose attempt is not
//! followed by `created`, `rejected` or `invalid` (a kill, or a `failed` answer that may
//! have come after the server created the trial) is [`pending`](ResultsFile::pending):
//! the batch looks its account up before sending it again.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::outcome::{Outcome, Status};

/// An open results file and the lines it records as created.
pub struct ResultsFile {
    path: PathBuf,
    file: File,
    /// (line number, account name) -> id of the trial created for it.
    created: HashMap<(usize, String), Option<String>>,
    /// (line number, account name) attempted without a settled outcome.
    pending: HashSet<(usize, String)>,
    /// Lines of the file that could not be read (e.g. one cut short by a crash).
    pub unreadable: usize,
}

impl ResultsFile {
    /// Reads what `path` records (a missing file records nothing) and opens it to append.
    pub fn open(path: &Path) -> io::Result<Self> {
        let existing = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut created = HashMap::new();
        let mut pending = HashSet::new();
        let mut unreadable = 0;
        for line in existing.split(|&b| b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Outcome>(line) {
                Ok(outcome) => note(&mut created, &mut pending, &outcome),
                Err(_) => unreadable += 1,
            }
        }
        let mut file = OpenOptions::new().create(true).append(true).open(path)?;
        if existing.is_empty() {
            sync_parent(path);
        } else if !existing.ends_with(b"\n") {
            // A line cut short by a crash: end it, so the next record starts a line.
            file.write_all(b"\n")?;
        }
        Ok(Self {
            path: path.to_owned(),
            file,
            created,
            pending,
            unreadable,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The id recorded for `line` created as `account_name`, if the file records it
    /// (`Some(None)` when recorded without an id).
    pub fn created(&self, line: usize, account_name: &str) -> Option<Option<&str>> {
        self.created
            .get(&(line, account_name.to_owned()))
            .map(Option::as_deref)
    }

    /// Whether `line` was sent as `account_name` without a settled outcome since: the
    /// trial may exist.
    pub fn pending(&self, line: usize, account_name: &str) -> bool {
        self.pending.contains(&(line, account_name.to_owned()))
    }

    /// Appends `outcome` as one line and waits until it is on disk.
    pub fn append(&mut self, outcome: &Outcome) -> io::Result<()> {
        let mut line = serde_json::to_vec(outcome).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()?;
        note(&mut self.created, &mut self.pending, outcome);
        Ok(())
    }
}

/// Updates what the file records with one more outcome.
fn note(
    created: &mut HashMap<(usize, String), Option<String>>,
    pending: &mut HashSet<(usize, String)>,
    outcome: &Outcome,
) {
    let Some(name) = &outcome.account_name else {
        return;
    };
    let key = (outcome.line, name.clone());
    match outcome.status {
        Status::Sending => {
            pending.insert(key);
        }
        Status::Created => {
            pending.remove(&key);
            created.insert(key, outcome.id.clone());
        }
        Status::Rejected | Status::Invalid => {
            pending.remove(&key);
        }
        // A failure may come after the server created the trial.
        Status::Failed | Status::Skipped => {}
    }
}

/// Makes a newly created file's directory entry durable too (best effort: not every
/// platform can open a directory).
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::FieldError;

    #[test]
    fn records_survive_reopening_and_a_torn_line_is_tolerated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        let mut results = ResultsFile::open(&path).unwrap();
        assert_eq!(results.created(1, "Abc"), None);
        results
            .append(&Outcome::created(1, Some("Abc".into()), "id1".into()))
            .unwrap();
        results
            .append(&Outcome::invalid(
                2,
                Some("Def".into()),
                vec![FieldError::new("admin_email", "bad")],
            ))
            .unwrap();
        assert_eq!(results.created(1, "Abc"), Some(Some("id1")));
        drop(results);

        // A crash while writing line 3 left half a record.
        let mut raw = OpenOptions::new().append(true).open(&path).unwrap();
        raw.write_all(br#"{"line":3,"account_name":"Gh"#).unwrap();
        drop(raw);

        let mut results = ResultsFile::open(&path).unwrap();
        assert_eq!(results.unreadable, 1);
        assert_eq!(results.created(1, "Abc"), Some(Some("id1")));
        assert_eq!(results.created(1, "Other"), None, "same line, other name");
        assert_eq!(results.created(2, "Def"), None, "invalid is not done");
        results
            .append(&Outcome::created(3, Some("Ghi".into()), "id3".into()))
            .unwrap();
        drop(results);

        let results = ResultsFile::open(&path).unwrap();
        assert_eq!(results.unreadable, 1);
        assert_eq!(results.created(3, "Ghi"), Some(Some("id3")));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 4);
        assert!(text.ends_with("\"id\":\"id3\"}\n"), "{text}");
    }
}
