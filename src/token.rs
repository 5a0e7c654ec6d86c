//! Signed results: `verifyToken` as a compact JWS signed with Ed25519.
//!
//! The Hub's tokens are Ed25519 JWTs whose claims and keys are not public
//! (`shared/docs/formats.md` §1.6), so a self-hosted server cannot check
//! them. evalgate defines its own small claim set, version 1, that binds a
//! token to the result it sits on:
//!
//! | claim | type | meaning |
//! |---|---|---|
//! | `evalgate` | integer | the claim set's version: `1` |
//! | `dataset` | string | `dataset.id` of the entry |
//! | `task` | string | `dataset.task_id` of the entry |
//! | `value` | number | `value` of the entry, exactly |
//! | `revision` | string, optional | `dataset.revision` of the entry |
//! | `model` | string, optional | the model repository, `owner/name` |
//! | `iat` | integer | when it was signed, Unix seconds |
//! | `exp` | integer, optional | when it stops being valid, Unix seconds |
//!
//! The header is `{"alg":"EdDSA","typ":"JWT","kid":"<key id>"}`; `alg` must
//! be `EdDSA`, so `none` and HMAC tokens never pass.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::config::TokenKey;
use crate::finding::Code;

/// The version of the claim set this module writes and reads.
pub const CLAIMS_VERSION: u64 = 1;

/// Tokens longer than this are malformed (the Hub's are about 250 bytes).
const MAX_TOKEN_BYTES: usize = 4096;

/// What a token claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub evalgate: u64,
    pub dataset: String,
    pub task: String,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    alg: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    typ: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

/// The result a token sits on, as the entry says it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'a> {
    pub dataset: &'a str,
    pub task: &'a str,
    pub value: f64,
    pub revision: Option<&'a str>,
}

/// Why a token does not pass: a finding code, a message, and a hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub hint: &'static str,
}

fn problem(code: Code, message: impl Into<String>, hint: &'static str) -> Problem {
    Problem { code, message: message.into(), hint }
}

/// A token taken apart.
struct Parsed {
    header: Header,
    payload: Vec<u8>,
    signing_input: String,
    signature: Vec<u8>,
}

fn parse(token: &str) -> Result<Parsed, Problem> {
    const HINT: &str = "a verifyToken is a compact JWS: three base64url parts joined by `.`";
    if token.len() > MAX_TOKEN_BYTES {
        return Err(problem(Code::TokenMalformed, "the token is longer than 4096 bytes", HINT));
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        let message = format!("the token has {} part(s), not 3", parts.len());
        return Err(problem(Code::TokenMalformed, message, HINT));
    };
    let decode = |part: &str, what: &str| {
        B64.decode(part).map_err(|_| {
            problem(Code::TokenMalformed, format!("the token's {what} is not base64url"), HINT)
        })
    };
    let header_bytes = decode(header, "header")?;
    let header: Header = serde_json::from_slice(&header_bytes).map_err(|_| {
        problem(Code::TokenMalformed, "the token's header is not a JSON object with `alg`", HINT)
    })?;
    Ok(Parsed {
        header,
        payload: decode(payload, "payload")?,
        signing_input: token[..token.len() - signature.len() - 1].to_owned(),
        signature: decode(signature, "signature")?,
    })
}

/// Checks only the token's shape: three parts, JSON header, `alg` EdDSA.
pub fn check_shape(token: &str) -> Result<(), Problem> {
    let parsed = parse(token)?;
    check_alg(&parsed.header)?;
    let _: serde_json::Value = serde_json::from_slice(&parsed.payload)
        .map_err(|_| problem(Code::TokenMalformed, "the token's payload is not JSON", ""))?;
    Ok(())
}

fn check_alg(header: &Header) -> Result<(), Problem> {
    if header.alg == "EdDSA" {
        return Ok(());
    }
    let message = format!("the token is signed with `{}`; only `EdDSA` is accepted", header.alg);
    Err(problem(
        Code::TokenAlgorithm,
        message,
        "sign results with `evalgate token sign` and an Ed25519 key",
    ))
}

/// Checks a token fully: shape, signature against `keys`, claims against
/// `entry`, expiry against `now`; `model` is the repository, when known.
pub fn verify(
    token: &str,
    entry: &Entry<'_>,
    keys: &[TokenKey],
    model: Option<&str>,
    now: i64,
) -> Result<Claims, Problem> {
    let parsed = parse(token)?;
    check_alg(&parsed.header)?;
    check_signature(&parsed, keys)?;
    let claims: Claims = serde_json::from_slice(&parsed.payload).map_err(|e| {
        let message = format!("the token's claims are not evalgate's claim set: {e}");
        problem(Code::TokenMalformed, message, "sign results with `evalgate token sign`")
    })?;
    check_claims(&claims, entry, model, now)?;
    Ok(claims)
}

fn check_signature(parsed: &Parsed, keys: &[TokenKey]) -> Result<(), Problem> {
    const HINT: &str = "sign the result again with a key the server trusts";
    if keys.is_empty() {
        return Err(problem(
            Code::TokenSignature,
            "no key is configured to check the token with",
            "add `[[tokens.key]]` to the server's configuration",
        ));
    }
    let Ok(signature) = Signature::from_slice(&parsed.signature) else {
        return Err(problem(
            Code::TokenSignature,
            "the token's signature is not an Ed25519 signature",
            HINT,
        ));
    };
    let candidates =
        keys.iter().filter(|k| parsed.header.kid.as_deref().is_none_or(|kid| kid == k.id));
    for key in candidates {
        let Ok(public) = VerifyingKey::from_bytes(&key.public_key) else { continue };
        if public.verify_strict(parsed.signing_input.as_bytes(), &signature).is_ok() {
            return Ok(());
        }
    }
    let message = match &parsed.header.kid {
        Some(kid) if !keys.iter().any(|k| &k.id == kid) => {
            format!("the token names key `{kid}`, which is not configured")
        }
        _ => "the token's signature does not verify with any configured key".to_owned(),
    };
    Err(problem(Code::TokenSignature, message, HINT))
}

fn check_claims(
    claims: &Claims,
    entry: &Entry<'_>,
    model: Option<&str>,
    now: i64,
) -> Result<(), Problem> {
    const HINT: &str =
        "the token was signed for another result; sign this one, or restore what was signed";
    let mismatch = |what: &str, signed: &str, here: &str| {
        let message =
            format!("the token was signed for {what} {signed}, but this entry has {here}");
        Err(problem(Code::TokenClaims, message, HINT))
    };
    if claims.evalgate != CLAIMS_VERSION {
        let message =
            format!("the token's claim set is version {}, not {CLAIMS_VERSION}", claims.evalgate);
        return Err(problem(Code::TokenClaims, message, HINT));
    }
    if claims.dataset != entry.dataset {
        return mismatch(
            "the benchmark",
            &format!("`{}`", claims.dataset),
            &format!("`{}`", entry.dataset),
        );
    }
    if claims.task != entry.task {
        return mismatch("the task", &format!("`{}`", claims.task), &format!("`{}`", entry.task));
    }
    if claims.value != entry.value {
        return mismatch("the value", &claims.value.to_string(), &entry.value.to_string());
    }
    if let Some(revision) = &claims.revision
        && entry.revision != Some(revision.as_str())
    {
        let here = entry.revision.map_or("none".to_owned(), |r| format!("`{r}`"));
        return mismatch("the revision", &format!("`{revision}`"), &here);
    }
    if let (Some(signed), Some(here)) = (&claims.model, model)
        && signed != here
    {
        return mismatch("the model", &format!("`{signed}`"), &format!("`{here}`"));
    }
    if let Some(exp) = claims.exp.filter(|exp| now > *exp) {
        let message = format!("the token expired on {}", date_of(exp));
        return Err(problem(Code::TokenExpired, message, "sign the result again"));
    }
    Ok(())
}

/// Signs `claims` with `key`, naming the key `kid`.
pub fn sign(claims: &Claims, key: &SigningKey, kid: &str) -> String {
    let header = Header { alg: "EdDSA".into(), typ: Some("JWT".into()), kid: Some(kid.into()) };
    let header = B64.encode(serde_json::to_vec(&header).unwrap_or_default());
    let payload = B64.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let signature = key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", B64.encode(signature.to_bytes()))
}

/// The UTC date of a Unix time, `YYYY-MM-DD`.
pub fn date_of(unix: i64) -> String {
    // Days to a civil date, after Howard Hinnant's `civil_from_days`.
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The Unix time of midnight UTC on a `YYYY-MM-DD` date.
pub fn unix_of(date: &str) -> Option<i64> {
    crate::rules::eval_results::iso_date_problem(date).ok()?;
    if date.len() != 10 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) =
        (date[..4].parse().ok()?, date[5..7].parse().ok()?, date[8..].parse().ok()?);
    // A civil date to days, after Howard Hinnant's `days_from_civil`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

/// Reads a public key: 32 bytes in base64url (padding allowed).
pub fn decode_public_key(text: &str) -> Result<[u8; 32], String> {
    let bytes = decode_key(text)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| "not a point on the curve".to_owned())?;
    Ok(bytes)
}

/// Reads a private key file's text: the 32-byte seed in base64url.
pub fn decode_signing_key(text: &str) -> Result<SigningKey, String> {
    Ok(SigningKey::from_bytes(&decode_key(text)?))
}

fn decode_key(text: &str) -> Result<[u8; 32], String> {
    let text = text.trim().trim_end_matches('=');
    let bytes = B64.decode(text).map_err(|_| "not base64url".to_owned())?;
    bytes.try_into().map_err(|b: Vec<u8>| format!("{} bytes, not 32", b.len()))
}

/// The text of a key, as key files and the configuration hold it.
pub fn encode_key(bytes: &[u8; 32]) -> String {
    B64.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> (SigningKey, TokenKey) {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let public = TokenKey { id: "k1".into(), public_key: signing.verifying_key().to_bytes() };
        (signing, public)
    }

    fn claims() -> Claims {
        Claims {
            evalgate: 1,
            dataset: "cais/hle".into(),
            task: "hle".into(),
            value: 20.9,
            revision: None,
            model: Some("org/model".into()),
            iat: 1_700_000_000,
            exp: Some(1_800_000_000),
        }
    }

    const ENTRY: Entry<'static> =
        Entry { dataset: "cais/hle", task: "hle", value: 20.9, revision: None };

    fn code(result: Result<Claims, Problem>) -> Code {
        result.expect_err("a problem").code
    }

    #[test]
    fn a_signed_token_verifies_and_each_tampering_is_named() {
        let (signing, public) = key();
        let keys = [public];
        let token = sign(&claims(), &signing, "k1");
        assert_eq!(verify(&token, &ENTRY, &keys, Some("org/model"), 1_750_000_000), Ok(claims()));

        let other = Entry { value: 21.0, ..ENTRY };
        assert_eq!(code(verify(&token, &other, &keys, None, 0)), Code::TokenClaims);
        let other = Entry { task: "main", ..ENTRY };
        assert_eq!(code(verify(&token, &other, &keys, None, 0)), Code::TokenClaims);
        assert_eq!(code(verify(&token, &ENTRY, &keys, Some("x/y"), 0)), Code::TokenClaims);
        assert_eq!(code(verify(&token, &ENTRY, &keys, None, 1_900_000_000)), Code::TokenExpired);
        assert_eq!(code(verify(&token, &ENTRY, &[], None, 0)), Code::TokenSignature);

        let mut bad_sig = token.clone();
        bad_sig.replace_range(bad_sig.len() - 3.., "AAA");
        assert_eq!(code(verify(&bad_sig, &ENTRY, &keys, None, 0)), Code::TokenSignature);
        assert_eq!(code(verify("a.b", &ENTRY, &keys, None, 0)), Code::TokenMalformed);

        for alg in ["none", "HS256"] {
            let header = B64.encode(format!(r#"{{"alg":"{alg}"}}"#));
            let rest = token.split_once('.').unwrap().1;
            let forged = format!("{header}.{rest}");
            assert_eq!(code(verify(&forged, &ENTRY, &keys, None, 0)), Code::TokenAlgorithm);
        }
    }

    #[test]
    fn shape_mode_checks_form_and_algorithm_only() {
        let (signing, _) = key();
        let token = sign(&claims(), &signing, "k1");
        assert_eq!(check_shape(&token), Ok(()));
        // Another key's signature has the same shape.
        let other = sign(&claims(), &SigningKey::from_bytes(&[9; 32]), "k2");
        assert_eq!(check_shape(&other), Ok(()));
        let rest = token.split_once('.').unwrap().1;
        let none = format!("{}.{rest}", B64.encode(r#"{"alg":"none"}"#));
        assert_eq!(check_shape(&none).unwrap_err().code, Code::TokenAlgorithm);
        assert_eq!(check_shape("x.y").unwrap_err().code, Code::TokenMalformed);
    }

    #[test]
    fn dates_convert_both_ways() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_700_000_000), "2023-11-14");
        assert_eq!(unix_of("2024-02-29"), Some(1_709_164_800));
        assert_eq!(date_of(unix_of("2026-12-31").unwrap()), "2026-12-31");
        assert_eq!(unix_of("2026-02-30"), None);
    }

    #[test]
    fn keys_round_trip_through_their_text() {
        let (signing, public) = key();
        assert_eq!(decode_public_key(&encode_key(&public.public_key)), Ok(public.public_key));
        let again = decode_signing_key(&encode_key(&signing.to_bytes())).unwrap();
        assert_eq!(again.to_bytes(), signing.to_bytes());
        assert!(decode_public_key("abc").is_err());
    }
}
