//! RSA keys and signatures from untrusted bytes: a JWK's modulus and exponent, a signature
//! checked against them, and a PKCS#8 private key read from DER or PEM. Each is accepted or
//! refused with an error; nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_sim::model::rsa::{RsaPrivateKey, RsaPublicKey};

fuzz_target!(|data: &[u8]| {
    // The first two bytes split the rest into modulus, exponent and signature.
    let [a, b, rest @ ..] = data else {
        return;
    };
    let n_len = usize::from(*a) * 4 % (rest.len() + 1);
    let (n, rest) = rest.split_at(n_len);
    let e_len = usize::from(*b % 16).min(rest.len());
    let (e, signature) = rest.split_at(e_len);
    if let Ok(key) = RsaPublicKey::from_be_bytes(n, e) {
        let _ = key.verify_pkcs1v15_sha256(b"header.claims", signature);
        let _ = key.to_public_key_pem();
    }
    let _ = RsaPrivateKey::from_pkcs8_der(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = RsaPrivateKey::from_pkcs8_pem(text);
    }
});
