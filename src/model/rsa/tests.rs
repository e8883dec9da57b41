//! RSA tests: signatures and keys cross-checked byte for byte against the `rsa` crate for
//! every demo key, refusals of bad signatures and keys, and the big-integer edge cases.

use super::uint::Uint;
use super::*;
use ::rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use ::rsa::sha2::Sha256 as RefSha256;
use ::rsa::traits::PublicKeyParts;

const DEMO_KEYS: [(&str, &str); 7] = [
    (
        "entra-0",
        include_str!("../../../data/demo-keys/entra-0.pem"),
    ),
    (
        "entra-1",
        include_str!("../../../data/demo-keys/entra-1.pem"),
    ),
    (
        "entra-2",
        include_str!("../../../data/demo-keys/entra-2.pem"),
    ),
    (
        "entra-3",
        include_str!("../../../data/demo-keys/entra-3.pem"),
    ),
    (
        "entra-4",
        include_str!("../../../data/demo-keys/entra-4.pem"),
    ),
    (
        "entra-5",
        include_str!("../../../data/demo-keys/entra-5.pem"),
    ),
    (
        "github-actions",
        include_str!("../../../data/demo-keys/github-actions.pem"),
    ),
];

fn messages() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("empty", Vec::new()),
        ("one byte", b"a".to_vec()),
        ("every byte value", (0..=255).collect()),
        ("a token's length", b"x".repeat(1100)),
        (
            "a JWT signing input",
            b"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9"
                .to_vec(),
        ),
    ]
}

fn ours(pem: &str) -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
}

fn reference(pem: &str) -> ::rsa::PrivateKey {
    ::rsa::PrivateKey::from_pkcs8_pem(pem).unwrap()
}

fn hex(bytes: &[u8]) -> Vec<u8> {
    bytes
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

#[test]
fn signatures_equal_the_rsa_crates_byte_for_byte_for_every_demo_key() {
    for (name, pem) in DEMO_KEYS {
        let (key, reference) = (ours(pem), reference(pem));
        for (what, message) in messages() {
            let expected = reference.pkcs1v15_sign::<RefSha256>(&message).unwrap();
            assert_eq!(
                key.sign_pkcs1v15_sha256(&message),
                Ok(expected),
                "{name}, {what}"
            );
        }
    }
}

#[test]
fn public_keys_encode_as_the_rsa_crate_encodes_them() {
    for (name, pem) in DEMO_KEYS {
        let (key, reference) = (ours(pem), reference(pem).to_public_key());
        let public = key.public_key();
        assert_eq!(public.n_bytes(), reference.n_bytes().to_vec(), "{name} n");
        assert_eq!(public.e_bytes(), vec![1, 0, 1], "{name} e");
        assert_eq!(public.size(), 256, "{name} size");
        assert_eq!(
            public.to_public_key_der(),
            reference.to_public_key_der().unwrap().as_bytes(),
            "{name} SubjectPublicKeyInfo"
        );
        assert_eq!(
            public.to_public_key_pem(),
            reference.to_public_key_pem(LineEnding::LF).unwrap(),
            "{name} PEM"
        );
    }
}

#[test]
fn verification_agrees_with_the_rsa_crate_on_valid_tampered_and_wrong_key_signatures() {
    let keys: Vec<_> = DEMO_KEYS
        .iter()
        .map(|(name, pem)| (*name, ours(pem), reference(pem)))
        .collect();
    for (i, (name, key, reference)) in keys.iter().enumerate() {
        let (other_name, other, other_reference) = &keys[(i + 1) % keys.len()];
        for (what, message) in messages() {
            let signature = key.sign_pkcs1v15_sha256(&message).unwrap();
            let mut tampered_message = message.clone();
            tampered_message.push(b'!');
            let mut cases = vec![
                (
                    "valid",
                    key,
                    reference,
                    message.clone(),
                    signature.clone(),
                    true,
                ),
                (
                    "other message",
                    key,
                    reference,
                    tampered_message,
                    signature.clone(),
                    false,
                ),
                (
                    "wrong key",
                    other,
                    other_reference,
                    message.clone(),
                    signature.clone(),
                    false,
                ),
            ];
            for byte in [0, 1, 128, 255] {
                let mut flipped = signature.clone();
                flipped[byte] ^= 0x01;
                cases.push((
                    "flipped bit",
                    key,
                    reference,
                    message.clone(),
                    flipped,
                    false,
                ));
            }
            for (case, key, reference, message, signature, valid) in cases {
                let theirs = reference
                    .to_public_key()
                    .pkcs1v15_verify::<RefSha256>(&message, &signature)
                    .is_ok();
                let mine = key
                    .public_key()
                    .verify_pkcs1v15_sha256(&message, &signature)
                    .is_ok();
                assert_eq!(
                    (mine, theirs),
                    (valid, valid),
                    "{name} ({other_name} for wrong key), {what}, {case}"
                );
            }
        }
    }
}

#[test]
fn a_signature_with_leading_zero_bytes_keeps_the_modulus_length_and_verifies() {
    // entra-5's signature of "message 8" is below 2^(8·255): the first of "message 0",
    // "message 1", … whose signature starts with a zero byte.
    let (key, reference) = (ours(DEMO_KEYS[5].1), reference(DEMO_KEYS[5].1));
    let message = b"message 8".to_vec();
    let signature = key.sign_pkcs1v15_sha256(&message).unwrap();
    assert_eq!(signature[0], 0);
    assert_eq!(signature.len(), 256);
    assert_eq!(
        signature,
        reference.pkcs1v15_sign::<RefSha256>(&message).unwrap()
    );
    assert_eq!(
        key.public_key()
            .verify_pkcs1v15_sha256(&message, &signature),
        Ok(())
    );
    // Without its leading zero it is one byte short, which RFC 8017 refuses.
    assert_eq!(
        key.public_key()
            .verify_pkcs1v15_sha256(&message, &signature[1..]),
        Err(RsaError::SignatureLength {
            expected: 256,
            found: 255
        })
    );
}

#[test]
fn verify_refuses_signatures_of_the_wrong_length_or_not_below_the_modulus() {
    let key = ours(DEMO_KEYS[0].1);
    let public = key.public_key();
    let n = public.n_bytes();
    let mut n_minus_one = n.clone();
    n_minus_one[255] -= 1; // n is odd: no borrow
    let mut n_plus_one = n.clone();
    n_plus_one[255] += 1; // n is odd: no carry
    let valid = key.sign_pkcs1v15_sha256(b"m").unwrap();
    let cases: Vec<(&str, Vec<u8>, RsaError)> = vec![
        (
            "empty",
            Vec::new(),
            RsaError::SignatureLength {
                expected: 256,
                found: 0,
            },
        ),
        (
            "one byte short",
            valid[1..].to_vec(),
            RsaError::SignatureLength {
                expected: 256,
                found: 255,
            },
        ),
        (
            "one byte long",
            [&[0u8][..], &valid].concat(),
            RsaError::SignatureLength {
                expected: 256,
                found: 257,
            },
        ),
        (
            "oversized",
            vec![0x42; 4096],
            RsaError::SignatureLength {
                expected: 256,
                found: 4096,
            },
        ),
        ("the modulus", n.clone(), RsaError::SignatureOutOfRange),
        ("the modulus + 1", n_plus_one, RsaError::SignatureOutOfRange),
        ("all ones", vec![0xff; 256], RsaError::SignatureOutOfRange),
        ("zero", vec![0; 256], RsaError::BadSignature),
        (
            "one",
            [vec![0; 255], vec![1]].concat(),
            RsaError::BadSignature,
        ),
        ("the modulus − 1", n_minus_one, RsaError::BadSignature),
    ];
    for (what, signature, expected) in cases {
        assert_eq!(
            public.verify_pkcs1v15_sha256(b"m", &signature),
            Err(expected),
            "{what}"
        );
    }
    assert_eq!(public.verify_pkcs1v15_sha256(b"m", &valid), Ok(()));
}

#[test]
fn public_keys_are_refused_as_the_rsa_crate_refuses_them() {
    let n2048 = ours(DEMO_KEYS[0].1).public_key().n_bytes();
    let mut even = n2048.clone();
    even[255] ^= 1;
    let n1023 = {
        let mut n = vec![0x7f; 128];
        n[127] = 0xff;
        n
    };
    let n8193 = [vec![1], vec![0xff; 1024]].concat();
    // (case, n, e, the refusal's reason if refused)
    type Case = (&'static str, Vec<u8>, Vec<u8>, Option<&'static str>);
    let cases: Vec<Case> = vec![
        ("65537", n2048.clone(), vec![1, 0, 1], None),
        ("3", n2048.clone(), vec![3], None),
        (
            "leading zero bytes",
            [vec![0, 0], n2048.clone()].concat(),
            vec![0, 1, 0, 1],
            None,
        ),
        (
            "2^33 − 1",
            n2048.clone(),
            vec![1, 0xff, 0xff, 0xff, 0xff],
            None,
        ),
        (
            "even modulus",
            even,
            vec![1, 0, 1],
            Some("the modulus is even"),
        ),
        (
            "1023-bit modulus",
            n1023,
            vec![1, 0, 1],
            Some("the modulus has 1023 bits; at least 1024 are required"),
        ),
        (
            "8193-bit modulus",
            n8193,
            vec![1, 0, 1],
            Some("the modulus has 8193 bits; at most 8192 are accepted"),
        ),
        (
            "empty modulus",
            Vec::new(),
            vec![1, 0, 1],
            Some("the modulus has 0 bits; at least 1024 are required"),
        ),
        (
            "even exponent",
            n2048.clone(),
            vec![1, 0, 0],
            Some("the public exponent must be odd and at least 3"),
        ),
        (
            "exponent 1",
            n2048.clone(),
            vec![1],
            Some("the public exponent must be odd and at least 3"),
        ),
        (
            "exponent 0",
            n2048.clone(),
            Vec::new(),
            Some("the public exponent must be odd and at least 3"),
        ),
        (
            "2^33 + 1",
            n2048.clone(),
            vec![2, 0, 0, 0, 1],
            Some("the public exponent is larger than 2^33 − 1"),
        ),
    ];
    for (what, n, e, refusal) in cases {
        let mine = RsaPublicKey::from_be_bytes(&n, &e);
        let theirs = ::rsa::PublicKey::new(
            ::rsa::BoxedUint::from_be_slice_vartime(&n),
            ::rsa::BoxedUint::from_be_slice_vartime(&e),
        );
        assert_eq!(mine.is_ok(), theirs.is_ok(), "{what}: agrees with rsa");
        assert_eq!(
            mine.err(),
            refusal.map(|reason| RsaError::InvalidKey {
                reason: reason.to_string()
            }),
            "{what}"
        );
    }
}

#[test]
fn malformed_private_keys_say_what_is_wrong() {
    let pem = DEMO_KEYS[0].1;
    let der = der::pem_decode(pem, "PRIVATE KEY").unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "no PEM",
            String::new(),
            "no \"-----BEGIN PRIVATE KEY-----\" line",
        ),
        (
            "no end line",
            pem.replace("-----END PRIVATE KEY-----", ""),
            "no \"-----END PRIVATE KEY-----\" line",
        ),
        (
            "not base64",
            pem.replacen("MII", "M*I", 1),
            "the PRIVATE KEY block is not base64",
        ),
        (
            "a public key",
            ours(pem).public_key().to_public_key_pem(),
            "no \"-----BEGIN PRIVATE KEY-----\" line",
        ),
        (
            "truncated",
            der::pem_encode("PRIVATE KEY", &der[..600]),
            "PrivateKeyInfo: element runs past the end of its container",
        ),
        (
            "empty",
            der::pem_encode("PRIVATE KEY", &[]),
            "PrivateKeyInfo: truncated element header",
        ),
        (
            "indefinite length",
            der::pem_encode("PRIVATE KEY", &[0x30, 0x80, 0, 0]),
            "PrivateKeyInfo: indefinite length (not DER)",
        ),
        (
            "trailing data",
            der::pem_encode("PRIVATE KEY", &[&der[..], &[0]].concat()),
            "PrivateKeyInfo: unexpected data after the last field",
        ),
        (
            "an EC key",
            der::pem_encode(
                "PRIVATE KEY",
                &hex(
                    b"3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420\
                       0000000000000000000000000000000000000000000000000000000000000001",
                ),
            ),
            "the key's algorithm is not rsaEncryption",
        ),
    ];
    for (what, pem, reason) in cases {
        assert_eq!(
            RsaPrivateKey::from_pkcs8_pem(&pem),
            Err(RsaError::Encoding {
                reason: reason.to_string()
            }),
            "{what}"
        );
    }
}

fn big(hex_digits: &str) -> Uint {
    let even = format!("{}{hex_digits}", "0".repeat(hex_digits.len() % 2));
    Uint::from_be_bytes(&hex(even.as_bytes()))
}

/// The demo key's numbers: n, e, d, p, q, dP, dQ, qInv.
fn demo_numbers() -> Vec<Uint> {
    let der = der::pem_decode(DEMO_KEYS[0].1, "PRIVATE KEY").unwrap();
    let mut info = der::Reader::new(&der);
    let mut info = der::Reader::new(info.expect(der::SEQUENCE, "info").unwrap());
    info.unsigned("version").unwrap();
    info.expect(der::SEQUENCE, "algorithm").unwrap();
    let mut key = der::Reader::new(info.expect(der::OCTET_STRING, "key").unwrap());
    let mut key = der::Reader::new(key.expect(der::SEQUENCE, "key").unwrap());
    key.unsigned("version").unwrap();
    (0..8).map(|_| key.unsigned("number").unwrap()).collect()
}

#[test]
fn inconsistent_private_keys_are_refused() {
    let numbers = demo_numbers();
    let [n, e, _d, p, q, dp, dq, qinv] = &numbers[..] else {
        panic!("eight numbers");
    };
    let one = Uint::from_u64(1);
    let cases = [
        (
            "p and q swapped (qInv is then wrong)",
            [n, e, q, p, dq, dp, qinv],
            "the coefficient is not the inverse of prime2 mod prime1",
        ),
        (
            "qInv + 1",
            [n, e, p, q, dp, dq, &qinv.add(&one)],
            "the coefficient is not the inverse of prime2 mod prime1",
        ),
        (
            "qInv = p",
            [n, e, p, q, dp, dq, p],
            "the coefficient is not below prime1",
        ),
        (
            "n + 2",
            [&n.add(&Uint::from_u64(2)), e, p, q, dp, dq, qinv],
            "prime1 × prime2 is not the modulus",
        ),
        (
            "dP = 0",
            [n, e, p, q, &Uint::default(), dq, qinv],
            "the CRT exponent of prime1 is not in 1..prime1",
        ),
        (
            "dQ = q",
            [n, e, p, q, dp, q, qinv],
            "the CRT exponent of prime2 is not in 1..prime2",
        ),
        (
            "p = 1",
            [n, e, &one, n, dp, dq, qinv],
            "prime1 is even or 1",
        ),
    ];
    for (what, [n, e, p, q, dp, dq, qinv], reason) in cases {
        let key = RsaPrivateKey::from_crt(
            n.clone(),
            e.clone(),
            p.clone(),
            q.clone(),
            dp.clone(),
            dq.clone(),
            qinv.clone(),
        );
        assert_eq!(
            key.err(),
            Some(RsaError::InvalidKey {
                reason: reason.to_string()
            }),
            "{what}"
        );
    }
}

#[test]
fn errors_read_as_sentences() {
    let cases = [
        (
            RsaError::SignatureLength {
                expected: 256,
                found: 0,
            },
            "the signature has 0 bytes; this key's signatures have 256",
        ),
        (
            RsaError::SignatureOutOfRange,
            "the signature is not smaller than the key's modulus",
        ),
        (
            RsaError::BadSignature,
            "the signature does not match the message",
        ),
        (
            RsaError::Encoding { reason: "x".into() },
            "malformed RSA key: x",
        ),
        (
            RsaError::InvalidKey { reason: "y".into() },
            "invalid RSA key: y",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(error.to_string(), text);
    }
}

#[test]
fn der_lengths_and_integers_are_encoded_minimally() {
    let cases: [(usize, &[u8]); 5] = [
        (0, &[0x04, 0x00]),
        (0x7f, &[0x04, 0x7f]),
        (0x80, &[0x04, 0x81, 0x80]),
        (0xff, &[0x04, 0x81, 0xff]),
        (0x100, &[0x04, 0x82, 0x01, 0x00]),
    ];
    for (len, header) in cases {
        let encoded = der::element(der::OCTET_STRING, &vec![7; len]);
        assert_eq!(&encoded[..header.len()], header, "length {len}");
        let mut reader = der::Reader::new(&encoded);
        assert_eq!(
            reader.element(),
            Ok((der::OCTET_STRING, &vec![7u8; len][..]))
        );
        assert!(reader.is_empty());
    }
    let integers: [(&str, &[u8]); 4] = [
        ("0", &[0x02, 0x01, 0x00]),
        ("7f", &[0x02, 0x01, 0x7f]),
        ("80", &[0x02, 0x02, 0x00, 0x80]),
        ("10001", &[0x02, 0x03, 0x01, 0x00, 0x01]),
    ];
    for (value, encoded) in integers {
        assert_eq!(der::unsigned(&big(value)), encoded, "{value}");
        assert_eq!(
            der::Reader::new(encoded).unsigned("x"),
            Ok(big(value)),
            "{value}"
        );
    }
    let refused: [(&[u8], &str); 6] = [
        (&[0x02, 0x00], "x: empty INTEGER"),
        (&[0x02, 0x01, 0x80], "x: negative"),
        (
            &[0x02, 0x02, 0x00, 0x01],
            "x: INTEGER not minimally encoded (not DER)",
        ),
        (
            &[0x02, 0x81, 0x01, 0x01],
            "x: length not minimally encoded (not DER)",
        ),
        (&[0x02, 0x85, 1, 0, 0, 0, 0], "x: bad length"),
        (&[0x04, 0x01, 0x01], "x: expected tag 0x02, found 0x04"),
    ];
    for (encoded, reason) in refused {
        assert_eq!(
            der::Reader::new(encoded).unsigned("x"),
            Err(reason.to_string()),
            "{encoded:?}"
        );
    }
}
