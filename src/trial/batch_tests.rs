use std::cell::RefCell;
use std::path::PathBuf;

use serde_json::json;

use super::*;
use crate::api::model::ErrorBody;
use crate::trial::outcome::Status;

/// Answers by account name; checks at every call that each earlier creation is on disk.
#[derive(Default)]
struct Fake {
    calls: RefCell<Vec<String>>,
    created: RefCell<usize>,
    /// Names created so far (what `find` sees); `Lookupdown` makes `find` fail.
    made: RefCell<Vec<String>>,
    results: Option<PathBuf>,
    refuse_token: bool,
    /// Set during the call for this account name.
    stop_at: Option<(&'static str, &'static AtomicBool)>,
}

fn api_error(status: u16, fields: Vec<FieldError>) -> ApiError {
    ApiError::Api {
        status,
        endpoint: "POST /express/provisioning/account".into(),
        body: Some(Box::new(ErrorBody {
            code: "E".into(),
            message: "refused".into(),
            description: None,
            fields,
        })),
        required_scope: (status == 403).then_some("express-provisioning:write"),
    }
}

impl Provisioner for Fake {
    async fn find(&self, account_name: &str) -> Result<Option<String>, ApiError> {
        if account_name == "Lookupdown" {
            return Err(api_error(403, Vec::new()));
        }
        let made = self.made.borrow();
        let found = made.iter().find(|n| n.eq_ignore_ascii_case(account_name));
        Ok(found.map(|n| format!("id-{n}")))
    }

    async fn prepare(&self) -> Result<(), ApiError> {
        if self.refuse_token {
            return Err(ApiError::Token {
                status: Some(401),
                error: "invalid_client".into(),
                description: None,
            });
        }
        Ok(())
    }

    async fn provision(&self, request: &TrialRequest) -> Result<ProvisionedAccount, ApiError> {
        let name = request.account_name.clone();
        if let Some(path) = &self.results {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let on_disk = text.lines().filter(|l| l.contains(r#""created""#)).count();
            assert_eq!(
                on_disk,
                *self.created.borrow(),
                "sent before {name}'s predecessor was recorded"
            );
        }
        if let Some((at, stop)) = self.stop_at {
            if at == name {
                stop.store(true, Ordering::SeqCst);
            }
        }
        self.calls.borrow_mut().push(name.clone());
        match name.as_str() {
            "Taken" => Err(api_error(409, Vec::new())),
            "Badcurrency" => Err(api_error(
                400,
                vec![FieldError::new("currency_iso_code", "not supported")],
            )),
            "Forbidden" => Err(api_error(403, Vec::new())),
            "Down" => Err(ApiError::Server {
                status: 503,
                endpoint: "POST /express/provisioning/account".into(),
                attempts: 1,
            }),
            _ => {
                *self.created.borrow_mut() += 1;
                self.made.borrow_mut().push(name.clone());
                Ok(ProvisionedAccount {
                    id: format!("id-{name}"),
                    name,
                    admin_email: request.admin_email.clone(),
                    organization_id: "org".into(),
                    created_at: None,
                    updated_at: None,
                })
            }
        }
    }
}

fn line(name: &str) -> String {
    json!({
        "account_name": name,
        "admin_email": "john.doe@example.com",
        "admin_name": "John Doe",
        "company_name": "Example",
        "currency_iso_code": "EUR",
        "num_licenses": 5,
        "phone_number": "+351489489948",
        "website_url": "https://www.example.com",
    })
    .to_string()
}

fn input(lines: &[String]) -> Vec<u8> {
    lines.join("\n").into_bytes()
}

async fn run(
    fake: &Fake,
    results: Option<&mut ResultsFile>,
    stop: &AtomicBool,
    input: &[u8],
) -> (Summary, Vec<Outcome>) {
    let mut out = Vec::new();
    let summary = Batch {
        provisioner: fake,
        trial_agreement_accepted: true,
        results,
        out: &mut out,
        stop,
    }
    .run(input)
    .await
    .unwrap();
    let outcomes = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (summary, outcomes)
}

fn statuses(outcomes: &[Outcome]) -> Vec<(usize, Status)> {
    outcomes.iter().map(|o| (o.line, o.status)).collect()
}

#[tokio::test]
async fn every_line_gets_an_outcome_in_order_and_bad_ones_do_not_stop_the_rest() {
    let fake = Fake::default();
    let stop = AtomicBool::new(false);
    let lines = [
        "# trials for March".to_owned(),
        line("Alpha"),
        String::new(),
        line("Bad address").replace("john.doe@example.com", "john"),
        "not json".to_owned(),
        line("Taken"),
        line("Badcurrency"),
        line("Down"),
        "  ".to_owned(),
        line("Omega"),
    ];
    let (summary, outcomes) = run(&fake, None, &stop, &input(&lines)).await;
    assert_eq!(
        statuses(&outcomes),
        [
            (2, Status::Created),
            (4, Status::Invalid),
            (5, Status::Invalid),
            (6, Status::Rejected),
            (7, Status::Rejected),
            (8, Status::Failed),
            (10, Status::Created),
        ]
    );
    assert_eq!(
        *fake.calls.borrow(),
        ["Alpha", "Taken", "Badcurrency", "Down", "Omega"]
    );
    assert_eq!(outcomes[0].id.as_deref(), Some("id-Alpha"));
    let invalid = &outcomes[1];
    assert_eq!(invalid.account_name.as_deref(), Some("Bad address"));
    let names: Vec<&str> = invalid
        .fields
        .iter()
        .flatten()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["account_name", "admin_email"]);
    assert_eq!(outcomes[2].account_name, None);
    assert_eq!(outcomes[2].fields.as_ref().unwrap()[0].name, "line");
    assert!(outcomes[3].error.as_deref().unwrap().contains("409"));
    assert_eq!(
        outcomes[4].fields.as_ref().unwrap()[0].name,
        "currency_iso_code"
    );
    assert_eq!(
        summary,
        Summary {
            requests: 7,
            created: 2,
            skipped: 0,
            not_created: 5,
            stopped_before: None,
            stop_reason: None,
        }
    );
}

#[tokio::test]
async fn a_rerun_with_the_results_file_creates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.jsonl");
    let fake = Fake {
        results: Some(path.clone()),
        ..Fake::default()
    };
    let stop = AtomicBool::new(false);
    let lines = [line("Alpha"), line("Taken"), line("Beta")];
    let mut results = ResultsFile::open(&path).unwrap();
    let (first, _) = run(&fake, Some(&mut results), &stop, &input(&lines)).await;
    assert_eq!((first.created, first.not_created), (2, 1));
    drop(results);

    // Line 3 now names another account: it is new work, not a repeat.
    let edited = [line("Alpha"), line("Taken"), line("Gamma")];
    let again = Fake::default();
    let mut results = ResultsFile::open(&path).unwrap();
    let (second, outcomes) = run(&again, Some(&mut results), &stop, &input(&edited)).await;
    assert_eq!(*again.calls.borrow(), ["Taken", "Gamma"]);
    assert_eq!(
        statuses(&outcomes),
        [
            (1, Status::Skipped),
            (2, Status::Rejected),
            (3, Status::Created)
        ]
    );
    assert_eq!(outcomes[0].id.as_deref(), Some("id-Alpha"));
    assert_eq!(
        (second.created, second.skipped, second.not_created),
        (1, 1, 1)
    );
    let recorded = std::fs::read_to_string(&path).unwrap();
    let outcomes_recorded = recorded.lines().filter(|l| !l.contains(r#""sending""#));
    assert_eq!(
        outcomes_recorded.count(),
        5,
        "skipped lines are not recorded again"
    );
    // Each request sent had its attempt recorded first.
    assert_eq!(recorded.matches(r#""sending""#).count(), 5);
}

#[tokio::test]
async fn a_stop_request_ends_the_batch_after_the_request_in_flight() {
    static STOP: AtomicBool = AtomicBool::new(false);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.jsonl");
    let fake = Fake {
        results: Some(path.clone()),
        stop_at: Some(("Beta", &STOP)),
        ..Fake::default()
    };
    let lines = [line("Alpha"), line("Beta"), line("Gamma")];
    let mut results = ResultsFile::open(&path).unwrap();
    let (summary, outcomes) = run(&fake, Some(&mut results), &STOP, &input(&lines)).await;
    assert_eq!(
        statuses(&outcomes),
        [(1, Status::Created), (2, Status::Created)]
    );
    assert_eq!(summary.stopped_before, Some(3));
    assert_eq!(summary.stop_reason.as_deref(), Some("interrupted"));
    assert_eq!(results.created(2, "Beta"), Some(Some("id-Beta")));
}

#[tokio::test]
async fn refused_credentials_stop_the_batch() {
    let stop = AtomicBool::new(false);
    let lines = [line("Forbidden"), line("Alpha")];
    let fake = Fake::default();
    let (summary, outcomes) = run(&fake, None, &stop, &input(&lines)).await;
    assert_eq!(statuses(&outcomes), [(1, Status::Rejected)]);
    assert_eq!(summary.stopped_before, Some(2));
    assert!(summary.stop_reason.unwrap().contains("credentials"));

    let fake = Fake {
        refuse_token: true,
        ..Fake::default()
    };
    let (summary, outcomes) = run(&fake, None, &stop, &input(&lines)).await;
    assert!(fake.calls.borrow().is_empty());
    assert_eq!(statuses(&outcomes), [(1, Status::Failed)]);
    assert!(summary.stop_reason.unwrap().contains("no request was sent"));
}

#[tokio::test]
async fn without_the_agreement_nothing_is_sent() {
    let stop = AtomicBool::new(false);
    let fake = Fake::default();
    let mut out = Vec::new();
    let result = Batch {
        provisioner: &fake,
        trial_agreement_accepted: false,
        results: None,
        out: &mut out,
        stop: &stop,
    }
    .run(&input(&[line("Alpha")]))
    .await;
    let err = result.unwrap_err();
    assert!(matches!(err, BatchError::AgreementNotAccepted));
    assert!(
        err.to_string()
            .contains("Talkdesk Services Trial Agreement")
    );
    assert!(fake.calls.borrow().is_empty() && out.is_empty());
}

#[tokio::test]
async fn an_attempt_without_an_outcome_is_looked_up_before_it_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.jsonl");
    let mut results = ResultsFile::open(&path).unwrap();
    for (n, name) in ["Madebefore", "Notmade", "Lookupdown"].iter().enumerate() {
        results
            .append(&Outcome::sending(n + 1, Some((*name).into())))
            .unwrap();
    }
    drop(results);
    // The server created the first trial, but the run was killed before recording it.
    let fake = Fake::default();
    fake.made.borrow_mut().push("Madebefore".into());
    let mut results = ResultsFile::open(&path).unwrap();
    assert!(results.pending(1, "Madebefore") && !results.pending(1, "Other"));
    let stop = AtomicBool::new(false);
    let lines = input(&[line("Madebefore"), line("Notmade"), line("Lookupdown")]);
    let (summary, outcomes) = run(&fake, Some(&mut results), &stop, &lines).await;
    assert_eq!(
        statuses(&outcomes),
        [
            (1, Status::Created),
            (2, Status::Created),
            (3, Status::Failed)
        ]
    );
    assert_eq!(outcomes[0].id.as_deref(), Some("id-Madebefore"));
    assert_eq!(
        *fake.calls.borrow(),
        ["Notmade"],
        "only the line not found is sent"
    );
    assert!(
        outcomes[2]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("not sent")
    );
    assert_eq!((summary.created, summary.not_created), (2, 1));
    // The failed lookup leaves the line pending for the next run; the others are settled.
    drop(results);
    let results = ResultsFile::open(&path).unwrap();
    assert!(results.pending(3, "Lookupdown"));
    assert!(!results.pending(1, "Madebefore") && !results.pending(2, "Notmade"));
}
