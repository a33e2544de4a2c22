//! Wire parsing of the reference's examples, and how errors read.

use rust_decimal::Decimal;
use serde_json::json;
use tdbi::api::ApiError;
use tdbi::api::model::*;

#[test]
fn account_serializes_with_exactly_the_four_keys_and_the_raw_status() {
    let raw = r#"{"id": "5ea75fe7aa224700012eae40", "name": "josephpinetrees",
                  "company_name": "Joseph Pinetrees Inc.", "status": "FROZEN"}"#;
    let account: Account = serde_json::from_str(raw).unwrap();
    assert_eq!(account.status, AccountStatus::Unknown("FROZEN".into()));
    assert_eq!(account.status.to_string(), "FROZEN");
    let back = serde_json::to_value(&account).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(raw).unwrap()
    );
    let active: Account = serde_json::from_value(json!({"id": "1", "status": "ACTIVE"})).unwrap();
    assert_eq!(active.status, AccountStatus::Active);
    assert_eq!(serde_json::to_value(&active).unwrap()["status"], "ACTIVE");
    assert_eq!(AccountStatus::KNOWN.len(), 7);
}

#[test]
fn action_types_have_labels_and_keep_unknown_values() {
    assert_eq!(ActionType::from_raw("NEWTDE").label(), "New subscription");
    assert_eq!(ActionType::from_raw("AMENDTDE").label(), "Amendment");
    assert_eq!(ActionType::from_raw("CANCELTDE").label(), "Cancellation");
    let odd = ActionType::from_raw("PAUSETDE");
    assert_eq!(
        (odd.label(), odd.as_str(), odd.is_known()),
        ("PAUSETDE", "PAUSETDE", false)
    );
    assert!(ActionStatus::from_raw("IN_PROGRESS").is_pending());
    assert!(!ActionStatus::from_raw("COMPLETED").is_pending());
    let body = serde_json::to_value(NewContractAction {
        action_type: ActionType::Amend,
        quantity: Some(12),
    });
    assert_eq!(
        body.unwrap(),
        json!({"action_type": "AMENDTDE", "quantity": 12})
    );
}

#[test]
fn reseller_contract_and_provisioned_account_parse() {
    let contract: ResellerContract = serde_json::from_value(json!({
        "id": "5ea75fe7aa224700012eae40", "trial": false, "account_status": "ACTIVE",
        "license_number": 10, "transition_date": "2024-01-31T00:00:00Z",
        "transition_status": "PENDING_REVIEW"}))
    .unwrap();
    assert_eq!(contract.account_status, ContractStatus::Active);
    assert_eq!(
        contract.transition_status,
        Some(ContractStatus::Unknown("PENDING_REVIEW".into()))
    );
    assert_eq!(contract.license_number, Some(10));

    let created: ProvisionedAccount = serde_json::from_value(json!({
        "admin_email": "john@example.com", "created_at": "2022-03-10T16:15:50Z",
        "id": "123245132132", "name": "JosephPinetrees", "organization_id": 12325234324u64,
        "updated_at": "not a date"}))
    .unwrap();
    assert_eq!(created.organization_id, "12325234324");
    assert!(created.created_at.is_some() && created.updated_at.is_none());
}

fn trial() -> TrialRequest {
    TrialRequest {
        account_name: "JosephPinetrees".into(),
        admin_email: "john.doe@josephpinetrees.com".into(),
        admin_name: "John Doe".into(),
        company_name: "Joseph Pinetree".into(),
        currency_iso_code: "USD".into(),
        num_licenses: 10,
        phone_number: "+351489489948".into(),
        website_url: "https://www.josephpinetrees.com".into(),
        edition: "EXPRESS".into(),
        external_data: Some("Salesforce_id:2142141".into()),
        trial_agreement_accepted: true,
    }
}

#[test]
fn the_reference_trial_request_is_valid_and_bad_fields_are_named() {
    assert_eq!(trial().validate(), vec![]);
    let sent = serde_json::to_value(trial()).unwrap();
    assert_eq!(sent["external_data"], "Salesforce_id:2142141");
    assert!(sent.get("trial_agreement_accepted").is_none(), "never sent");
    let bad = TrialRequest {
        account_name: "9lives".into(),
        admin_email: "john@".into(),
        currency_iso_code: "usd".into(),
        num_licenses: 0,
        phone_number: "351489489948".into(),
        website_url: "ftp://x.example".into(),
        external_data: None,
        trial_agreement_accepted: false,
        ..trial()
    };
    let names: Vec<String> = bad.validate().into_iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "account_name",
            "admin_email",
            "currency_iso_code",
            "num_licenses",
            "phone_number",
            "website_url",
            "trial_agreement_accepted"
        ]
    );
}

#[test]
fn money_is_exact_from_numbers_and_strings() {
    let sub: Subscription = serde_json::from_value(json!({
        "id": "s1", "account_id": "a1", "contract_number": 42, "currency": "EUR",
        "billing_period": "SEMI_ANNUAL", "status": "ACTIVATED", "term": 12,
        "start_date": "2023-01-01", "end_date": null, "auto_renewal": null,
        "renewal_uplift": "0.05", "quantity": 3, "unit_price": 19.99,
        "billing_frequency": "MONTHLY"}))
    .unwrap();
    assert_eq!(sub.unit_price, Some(Decimal::new(1999, 2)));
    assert_eq!(sub.renewal_uplift, Some(Decimal::new(5, 2)));
    assert_eq!(sub.contract_number.as_deref(), Some("42"));
    assert_eq!(sub.billing_period, Some(BillingPeriod::SemiAnnual));
    assert!(sub.start_date.is_some() && sub.end_date.is_none() && sub.auto_renewal.is_none());

    let line: InvoiceLine = serde_json::from_str(
        r#"{"id": "i1", "account_id": "a1", "number": "INV-1", "date": "2023-08-31T00:00:00Z",
            "currency": "USD", "total_invoice_amount": 0.30000000000000004,
            "quantity": "1.5", "rate": 0.1, "amount": 0.2}"#,
    )
    .unwrap();
    assert_eq!(
        line.rate.unwrap() + line.amount.unwrap(),
        Decimal::new(3, 1)
    );
    assert_eq!(
        line.total_invoice_amount.unwrap().to_string(),
        "0.30000000000000004"
    );
    assert!(serde_json::from_value::<InvoiceLine>(json!({"id": "i", "amount": "lots"})).is_err());

    let usage: MonthlyUsage = serde_json::from_value(json!({
        "id": "u1", "account_id": "a1", "month": "2023-08", "type": "SPEECH_TRANSCRIPTION",
        "amount": 12.5}))
    .unwrap();
    assert_eq!(usage.year_month(), Some((2023, 8)));
    assert_eq!(usage.usage_type, Some(UsageType::SpeechTranscription));
    let product: Product = serde_json::from_value(json!({
        "id": "TD-LIC-APP-RC-101910", "name": "Express", "charge_type": "PER_SEAT"}))
    .unwrap();
    assert_eq!(
        product.charge_type,
        Some(ChargeType::Unknown("PER_SEAT".into()))
    );
}

#[test]
fn an_api_error_reads_as_one_line_and_a_403_names_the_scope() {
    let body: ErrorBody = serde_json::from_value(json!({
        "code": "0000403", "message": "Forbidden", "description": "missing scope\nexpress-accounts:read"
    }))
    .unwrap();
    let err = ApiError::Api {
        status: 403,
        endpoint: "GET /express/accounts".into(),
        body: Some(Box::new(body)),
        required_scope: Some("express-accounts:read"),
    };
    let line = err.to_string();
    assert!(!line.contains('\n'), "{line}");
    assert!(
        line.starts_with("GET /express/accounts: 403 Forbidden: Forbidden [0000403]"),
        "{line}"
    );
    assert!(
        line.contains("`express-accounts:read`") && line.contains("channel manager"),
        "{line}"
    );
    assert!(err.is_auth());
    assert_eq!(
        (err.status(), err.required_scope()),
        (Some(403), Some("express-accounts:read"))
    );
}

#[test]
fn validation_fields_come_back_with_the_error() {
    let body: ErrorBody = serde_json::from_value(json!({
        "code": "0000400", "message": "Invalid request",
        "fields": [{"name": "phone_number", "description": "must be E.164"}]
    }))
    .unwrap();
    let err = ApiError::Api {
        status: 400,
        endpoint: "POST /express/provisioning/account".into(),
        body: Some(Box::new(body)),
        required_scope: None,
    };
    assert_eq!(
        err.fields(),
        [FieldError::new("phone_number", "must be E.164")]
    );
    assert!(
        err.to_string().contains("phone_number: must be E.164"),
        "{err}"
    );
    assert!(!err.is_auth());
}
