//! Checking `X-Hub-Ecdsa-Signature`: ECDSA P-256 / SHA-256 over the raw body bytes.
//!
//! The signature is base64 (standard, or URL-safe; padding optional) of either a DER
//! signature or the 64-byte `r‖s` form. `X-Hub-Ecdsa-Signature-Id` names the key. The
//! exact signing input is **unspecified** publicly; we verify the raw body, as the API
//! notes advise.
//!
//! High-S signatures are accepted: each is normalized to its low-S twin
//! (`Signature::normalize_s`) before the check, so both forms of one signature give the
//! same verdict. Signers outside the Bitcoin world (OpenSSL, Java) emit either form,
//! and the event id, not the signature, is what deduplicates deliveries.

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{DerSignature, Signature};

use crate::config::EventKey;

pub const SIGNATURE_HEADER: &str = "x-hub-ecdsa-signature";
pub const KEY_ID_HEADER: &str = "x-hub-ecdsa-signature-id";

/// Why a delivery's signature was refused (each answered 401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("missing X-Hub-Ecdsa-Signature header")]
    MissingSignature,
    #[error("missing X-Hub-Ecdsa-Signature-Id header")]
    MissingKeyId,
    #[error("unknown signature key id")]
    UnknownKeyId,
    #[error("signature is not base64")]
    BadBase64,
    #[error("signature is neither DER nor 64-byte r||s")]
    BadFormat,
    #[error("signature does not match the body")]
    Mismatch,
}

/// How an accepted delivery was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Signed by the named configured key.
    Verified { key_id: String },
    /// Accepted without a check (only when verification is off).
    Unverified,
}

/// Checks deliveries against the configured keys.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: Vec<EventKey>,
    required: bool,
}

/// Standard and URL-safe alphabets, with or without padding.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

impl Verifier {
    /// `required`: whether an unsigned delivery is refused (`[events] verify`).
    pub fn new(keys: Vec<EventKey>, required: bool) -> Self {
        Self { keys, required }
    }

    /// Checks one delivery given its two headers (raw bytes, when present) and body.
    ///
    /// With verification off, an unsigned delivery, or a signed one when no key is
    /// configured, is `Unverified`; a signature that can be checked is always checked.
    pub fn check(
        &self,
        signature: Option<&[u8]>,
        key_id: Option<&[u8]>,
        body: &[u8],
    ) -> Result<Verdict, VerifyError> {
        let signature = signature.filter(|s| !s.trim_ascii().is_empty());
        let Some(signature) = signature else {
            return match self.required {
                true => Err(VerifyError::MissingSignature),
                false => Ok(Verdict::Unverified),
            };
        };
        if !self.required && self.keys.is_empty() {
            return Ok(Verdict::Unverified);
        }
        let key_id = key_id
            .map(<[u8]>::trim_ascii)
            .filter(|k| !k.is_empty())
            .ok_or(VerifyError::MissingKeyId)?;
        let key = self
            .keys
            .iter()
            .find(|k| k.id.as_bytes() == key_id)
            .ok_or(VerifyError::UnknownKeyId)?;
        let raw = decode_base64(signature.trim_ascii()).ok_or(VerifyError::BadBase64)?;
        let candidates = parse_signature(&raw);
        if candidates.is_empty() {
            return Err(VerifyError::BadFormat);
        }
        if candidates.iter().any(|s| key.key.verify(body, s).is_ok()) {
            Ok(Verdict::Verified {
                key_id: key.id.clone(),
            })
        } else {
            Err(VerifyError::Mismatch)
        }
    }
}

fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let url_safe = text.iter().any(|b| *b == b'-' || *b == b'_');
    let engine = if url_safe { &URL_SAFE } else { &STANDARD };
    engine.decode(text).ok()
}

/// Every reading of `raw` as a signature, in low-S form: `r‖s` when 64 bytes, and DER
/// when it parses (a DER signature can be 64 bytes long too).
fn parse_signature(raw: &[u8]) -> Vec<Signature> {
    let raw_form = (raw.len() == 64)
        .then(|| Signature::from_slice(raw).ok())
        .flatten();
    let der_form = DerSignature::from_bytes(raw)
        .ok()
        .and_then(|der| Signature::try_from(der).ok());
    raw_form
        .into_iter()
        .chain(der_form)
        .map(|sig| sig.normalize_s().unwrap_or(sig))
        .collect()
}

/// Base64 of a signature in the standard alphabet (what the simulator sends).
pub fn encode_signature(bytes: &[u8]) -> String {
    general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::SigningKey;
    use p256::ecdsa::signature::Signer;

    const BODY: &[u8] = br#"{"id":"e1","type":"app.trial_started"}"#;

    fn key(n: u8) -> SigningKey {
        let mut bytes = [7u8; 32];
        bytes[31] = n;
        SigningKey::from_slice(&bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    fn verifier(required: bool) -> Verifier {
        Verifier::new(
            vec![EventKey {
                id: "k1".into(),
                key: *key(1).verifying_key(),
            }],
            required,
        )
    }

    fn der(k: &SigningKey, body: &[u8]) -> String {
        let sig: Signature = k.sign(body);
        encode_signature(sig.to_der().as_bytes())
    }

    fn check(v: &Verifier, sig: Option<&str>, id: Option<&str>) -> Result<Verdict, VerifyError> {
        v.check(sig.map(str::as_bytes), id.map(str::as_bytes), BODY)
    }

    #[test]
    fn accepts_der_and_raw_in_both_alphabets() {
        let v = verifier(true);
        let ok = Ok(Verdict::Verified {
            key_id: "k1".into(),
        });
        assert_eq!(check(&v, Some(&der(&key(1), BODY)), Some("k1")), ok);
        let sig: Signature = key(1).sign(BODY);
        let raw = sig.to_bytes();
        let url = general_purpose::URL_SAFE_NO_PAD.encode(raw);
        assert_eq!(check(&v, Some(&encode_signature(&raw)), Some("k1")), ok);
        assert_eq!(check(&v, Some(&url), Some(" k1 ")), ok);
    }

    #[test]
    fn each_fault_has_its_own_reason() {
        let v = verifier(true);
        let good = der(&key(1), BODY);
        assert_eq!(
            check(&v, None, Some("k1")),
            Err(VerifyError::MissingSignature)
        );
        assert_eq!(check(&v, Some(&good), None), Err(VerifyError::MissingKeyId));
        assert_eq!(
            check(&v, Some(&good), Some("k2")),
            Err(VerifyError::UnknownKeyId)
        );
        assert_eq!(
            check(&v, Some("%%%"), Some("k1")),
            Err(VerifyError::BadBase64)
        );
        assert_eq!(
            check(&v, Some("AAAA"), Some("k1")),
            Err(VerifyError::BadFormat)
        );
        let wrong_key = der(&key(2), BODY);
        assert_eq!(
            check(&v, Some(&wrong_key), Some("k1")),
            Err(VerifyError::Mismatch)
        );
        let tampered = v.check(Some(good.as_bytes()), Some(b"k1"), b"{}");
        assert_eq!(tampered, Err(VerifyError::Mismatch));
    }

    #[test]
    fn optional_verification_still_checks_what_it_can() {
        let v = verifier(false);
        assert_eq!(check(&v, None, None), Ok(Verdict::Unverified));
        let wrong = der(&key(2), BODY);
        assert_eq!(
            check(&v, Some(&wrong), Some("k1")),
            Err(VerifyError::Mismatch)
        );
        let keyless = Verifier::new(Vec::new(), false);
        assert_eq!(
            check(&keyless, Some(&wrong), Some("k1")),
            Ok(Verdict::Unverified)
        );
    }
}
