//! The result line of one batch input line, as printed and as recorded for resuming.

use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::api::model::FieldError;

/// What became of one input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The trial was provisioned.
    Created,
    /// A `--results` file already records it as created: nothing sent.
    Skipped,
    /// Refused before sending (not a JSON object, a field failing validation).
    Invalid,
    /// The server refused it (a 4xx: field errors, name taken, scope missing, …).
    Rejected,
    /// No usable answer (5xx, timeout, rate limit exhausted, unreadable answer, token).
    Failed,
    /// Recorded in the results file (synced) just before the request is sent; never
    /// printed. See [`ResultsFile::pending`](super::results::ResultsFile::pending).
    Sending,
}

/// `{"line": N, "account_name": …, "status": …, "id": …}` or, when not created,
/// `{"line": N, "account_name": …, "status": …, "error": …, "fields": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// 1-based line number in the input file.
    pub line: usize,
    /// The line's `account_name` (trimmed) when it has a text one.
    pub account_name: Option<String>,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

impl Outcome {
    pub fn created(line: usize, account_name: Option<String>, id: String) -> Self {
        Self {
            line,
            account_name,
            status: Status::Created,
            id: Some(id),
            error: None,
            fields: None,
        }
    }

    /// The record of an attempt about to be sent.
    pub fn sending(line: usize, account_name: Option<String>) -> Self {
        Self {
            status: Status::Sending,
            id: None,
            ..Self::created(line, account_name, String::new())
        }
    }

    pub fn skipped(line: usize, account_name: Option<String>, id: Option<String>) -> Self {
        Self {
            status: Status::Skipped,
            id,
            ..Self::created(line, account_name, String::new())
        }
    }

    pub fn invalid(line: usize, account_name: Option<String>, fields: Vec<FieldError>) -> Self {
        let error = match fields.as_slice() {
            [only] => format!("invalid {}: {}", only.name, only.description),
            _ => {
                let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                format!("invalid {}", names.join(", "))
            }
        };
        Self::not_created(line, account_name, Status::Invalid, error, fields)
    }

    /// A request the client or the server refused, or that got no usable answer.
    pub fn from_error(line: usize, account_name: Option<String>, error: &ApiError) -> Self {
        let status = match error {
            ApiError::Invalid { .. } => Status::Invalid,
            ApiError::Api { .. } => Status::Rejected,
            _ => Status::Failed,
        };
        let fields = error.fields().to_vec();
        Self::not_created(line, account_name, status, error.to_string(), fields)
    }

    pub fn not_created(
        line: usize,
        account_name: Option<String>,
        status: Status,
        error: String,
        fields: Vec<FieldError>,
    ) -> Self {
        Self {
            line,
            account_name,
            status,
            id: None,
            error: Some(error),
            fields: Some(fields),
        }
    }

    /// Counts as done for the exit code (created now or before).
    pub fn is_done(&self) -> bool {
        matches!(self.status, Status::Created | Status::Skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shapes() {
        let created = Outcome::created(3, Some("Abc".into()), "id1".into());
        assert_eq!(
            serde_json::to_string(&created).unwrap(),
            r#"{"line":3,"account_name":"Abc","status":"created","id":"id1"}"#
        );
        let invalid = Outcome::invalid(4, None, vec![FieldError::new("admin_email", "bad")]);
        assert_eq!(
            serde_json::to_string(&invalid).unwrap(),
            r#"{"line":4,"account_name":null,"status":"invalid","error":"invalid admin_email: bad","fields":[{"name":"admin_email","description":"bad"}]}"#
        );
        let back: Outcome =
            serde_json::from_str(&serde_json::to_string(&invalid).unwrap()).unwrap();
        assert_eq!(back, invalid);
        assert!(created.is_done() && !invalid.is_done());
    }
}
