//! The journal: accepted events as JSON lines, appended and synced before the answer.
//! An event whose line would not read back is refused, never written: what the receiver
//! acknowledges always reloads (and so stays deduplicated across restarts).
//!
//! Reloaded at start. A line that does not parse is skipped with a warning; a torn last
//! line (no newline, not valid JSON: a write cut short, never acknowledged) is cut off so
//! the next append starts on a line of its own.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::model::StoredEvent;
use crate::private_fs::{self, create_dir};

/// An open journal and the ids it holds.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    ids: HashSet<String>,
}

/// What opening a journal found.
#[derive(Debug)]
pub struct Loaded {
    pub journal: Journal,
    /// The events already in the file, oldest first.
    pub events: Vec<StoredEvent>,
    /// Lines that could not be read (each logged as a warning).
    pub skipped: usize,
}

/// A journal failure, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("events journal {}: {source}", path.display())]
pub struct JournalError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Whether an append stored the event or already had its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    Stored,
    Duplicate,
}

impl Journal {
    /// Opens (creating the file, mode 0600, and its directory if missing) and reloads.
    pub fn open(path: &Path) -> Result<Loaded, JournalError> {
        let fail = |source| JournalError {
            path: path.to_owned(),
            source,
        };
        let created = !path.exists();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_dir(dir).map_err(fail)?;
        }
        let mut file = open_file(path).map_err(fail)?;
        if created {
            sync_dir(path);
        }
        let mut text = Vec::new();
        file.read_to_end(&mut text).map_err(fail)?;
        let (events, skipped, keep) = parse_lines(&text, path);
        if keep < text.len() {
            tracing::warn!(
                "events journal {}: cut off a torn last line ({} bytes)",
                path.display(),
                text.len() - keep
            );
            file.set_len(keep as u64).map_err(fail)?;
        }
        if keep > 0 && text.get(keep - 1) != Some(&b'\n') {
            // A valid last event without its newline: end its line before appending.
            file.seek(SeekFrom::End(0)).map_err(fail)?;
            file.write_all(b"\n").map_err(fail)?;
        }
        file.sync_data().map_err(fail)?;
        let ids = events.iter().map(|e| e.event.id.clone()).collect();
        Ok(Loaded {
            journal: Journal {
                path: path.to_owned(),
                file,
                ids,
            },
            events,
            skipped,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Appends `event` and syncs it to disk, unless its id is already journaled.
    pub fn append(&mut self, event: &StoredEvent) -> Result<Appended, JournalError> {
        if self.contains(&event.event.id) {
            return Ok(Appended::Duplicate);
        }
        let mut line = serde_json::to_vec(event).map_err(|e| self.fail(io::Error::other(e)))?;
        if let Err(e) = serde_json::from_slice::<StoredEvent>(&line) {
            let why = format!("event {} would not reload: {e}", event.event.id);
            return Err(self.fail(io::Error::other(why)));
        }
        line.push(b'\n');
        // One write of the whole line: a crash leaves at most a torn last line.
        let written = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data());
        written.map_err(|e| self.fail(e))?;
        self.ids.insert(event.event.id.clone());
        Ok(Appended::Stored)
    }

    fn fail(&self, source: io::Error) -> JournalError {
        JournalError {
            path: self.path.clone(),
            source,
        }
    }
}

/// The events journaled at `path`, oldest first, read without opening the file for
/// writing (unreadable lines are skipped, a torn last line too); `None` when there is no
/// file. For readers such as `tdbi funnel`, beside a listener that may be appending.
pub fn read(path: &Path) -> Result<Option<Vec<StoredEvent>>, JournalError> {
    match std::fs::read(path) {
        Ok(text) => Ok(Some(parse_lines(&text, path).0)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(JournalError {
            path: path.to_owned(),
            source,
        }),
    }
}

/// The events of `text`, the number of unreadable lines, and how many bytes to keep.
fn parse_lines(text: &[u8], path: &Path) -> (Vec<StoredEvent>, usize, usize) {
    let mut events = Vec::new();
    let mut skipped = 0;
    let mut keep = text.len();
    let mut start = 0;
    let mut number = 0;
    while start < text.len() {
        number += 1;
        let end = text[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map(|i| start + i);
        let line = &text[start..end.unwrap_or(text.len())];
        if !line.trim_ascii().is_empty() {
            match serde_json::from_slice::<StoredEvent>(line) {
                Ok(event) => events.push(event),
                Err(e) if end.is_none() => {
                    tracing::warn!("events journal {}: torn last line: {e}", path.display());
                    keep = start;
                }
                Err(e) => {
                    skipped += 1;
                    tracing::warn!(
                        "events journal {}: line {number} skipped: {e}",
                        path.display()
                    );
                }
            }
        }
        start = end.map_or(text.len(), |e| e + 1);
    }
    (events, skipped, keep)
}

#[cfg(unix)]
fn open_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
}

/// Makes a new file's directory entry durable (best effort: a failure is logged).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = private_fs::sync_dir(dir) {
            tracing::warn!("events journal: cannot sync {}: {e}", dir.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::model::Event;
    use chrono::Utc;

    fn stored(id: &str) -> StoredEvent {
        let body = format!(r#"{{"id":"{id}","type":"app.installed"}}"#);
        StoredEvent {
            event: Event::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}")),
            received_at: Utc::now(),
            verified: false,
            key_id: None,
        }
    }

    fn open(path: &Path) -> Loaded {
        Journal::open(path).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn creates_dir_and_file_private_and_dedups_across_reopen() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a/b/events.jsonl");
        let mut j = open(&path).journal;
        assert_eq!(j.append(&stored("e1")).ok(), Some(Appended::Stored));
        assert_eq!(j.append(&stored("e1")).ok(), Some(Appended::Duplicate));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map(|m| m.permissions().mode());
            assert_eq!(mode.ok().map(|m| m & 0o777), Some(0o600));
        }
        drop(j);
        let loaded = open(&path);
        assert_eq!(loaded.events.len(), 1);
        let mut j = loaded.journal;
        assert!(j.contains("e1"));
        assert_eq!(j.append(&stored("e1")).ok(), Some(Appended::Duplicate));
    }

    #[test]
    fn torn_and_corrupt_lines_are_skipped_and_appends_stay_whole() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("events.jsonl");
        let good = serde_json::to_string(&stored("e1")).unwrap_or_default();
        let text = format!("{good}\nnot json\n\n{}", &good[..good.len() / 2]);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let loaded = open(&path);
        assert_eq!((loaded.events.len(), loaded.skipped), (1, 1));
        let mut j = loaded.journal;
        assert_eq!(j.append(&stored("e2")).ok(), Some(Appended::Stored));
        drop(j);
        let again = open(&path);
        let ids: Vec<&str> = again.events.iter().map(|e| e.event.id.as_str()).collect();
        assert_eq!((ids, again.skipped), (vec!["e1", "e2"], 1));
    }

    #[test]
    fn reading_leaves_the_file_alone_and_a_missing_one_is_none() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("events.jsonl");
        assert!(matches!(read(&path), Ok(None)));
        assert!(!path.exists(), "not created");
        let good = serde_json::to_string(&stored("e1")).unwrap_or_default();
        let text = format!("{good}\nnot json\n{}", &good[..good.len() / 2]);
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let events = read(&path).ok().flatten().unwrap_or_default();
        assert_eq!(events.len(), 1);
        let after = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(after, text, "the torn line is not cut by a reader");
    }

    #[test]
    fn an_event_that_would_not_reload_is_refused_unwritten() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("events.jsonl");
        let mut j = open(&path).journal;
        let mut deep = stored("deep");
        for _ in 0..130 {
            deep.event.data = serde_json::Value::Array(vec![deep.event.data.take()]);
        }
        let err = j.append(&deep).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("would not reload")));
        assert!(!j.contains("deep"));
        assert_eq!(std::fs::metadata(&path).map(|m| m.len()).ok(), Some(0));
    }

    #[test]
    fn a_valid_last_line_without_newline_is_kept() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("events.jsonl");
        let good = serde_json::to_string(&stored("e1")).unwrap_or_default();
        std::fs::write(&path, good).unwrap_or_else(|e| panic!("{e}"));
        let mut j = open(&path).journal;
        assert_eq!(j.append(&stored("e2")).ok(), Some(Appended::Stored));
        drop(j);
        assert_eq!(open(&path).events.len(), 2);
    }
}
