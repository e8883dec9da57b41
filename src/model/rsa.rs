//! RSA as RS256 needs it: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2), private keys from
//! PKCS#8 PEM, public keys from their modulus and exponent (a JWK) and out as a
//! `SubjectPublicKeyInfo`.
//!
//! The arithmetic (`uint.rs`) is variable-time and has no blinding: it signs only with the demo
//! keys published in `data/demo-keys/`, so side channels guard nothing. Signing uses the
//! Chinese remainder theorem with the key's `dP`, `dQ` and `qInv`; verifying is a short
//! public exponentiation (65537: sixteen squarings and one product).
//!
//! Bad input — a pasted signature of the wrong length or above the modulus, a JWK whose
//! modulus is even or too short, a malformed key — is an [`RsaError`], never a panic.

mod der;
mod uint;

use sha2::{Digest, Sha256};
use std::fmt;
use uint::{Monty, Uint};

/// The DER `DigestInfo` prefix for SHA-256 (RFC 8017 §9.2, note 1): the hash follows it.
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// The smallest accepted modulus, in bits (as the `rsa` crate accepts).
pub const MIN_MODULUS_BITS: usize = 1024;

/// The largest accepted modulus, in bits.
pub const MAX_MODULUS_BITS: usize = 8192;

/// The largest accepted public exponent, `2^33 − 1`.
pub const MAX_PUBLIC_EXPONENT: u64 = (1 << 33) - 1;

/// Why a key could not be read or a signature was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RsaError {
    /// The key's encoding (PEM, DER, PKCS#8, PKCS#1) is malformed.
    Encoding {
        /// What is wrong, e.g. "RSAPrivateKey: unexpected data after the last field".
        reason: String,
    },
    /// The key's numbers do not make a usable RSA key.
    InvalidKey {
        /// What is wrong, e.g. "the modulus is even".
        reason: String,
    },
    /// The signature is not exactly as long as the modulus.
    SignatureLength {
        /// The modulus length in bytes.
        expected: usize,
        /// The signature's length in bytes.
        found: usize,
    },
    /// The signature, as a number, is not below the modulus.
    SignatureOutOfRange,
    /// The signature does not match the message under this key.
    BadSignature,
}

impl fmt::Display for RsaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RsaError::Encoding { reason } => write!(f, "malformed RSA key: {reason}"),
            RsaError::InvalidKey { reason } => write!(f, "invalid RSA key: {reason}"),
            RsaError::SignatureLength { expected, found } => write!(
                f,
                "the signature has {found} bytes; this key's signatures have {expected}"
            ),
            RsaError::SignatureOutOfRange => {
                f.write_str("the signature is not smaller than the key's modulus")
            }
            RsaError::BadSignature => f.write_str("the signature does not match the message"),
        }
    }
}

impl std::error::Error for RsaError {}

fn encoding(reason: String) -> RsaError {
    RsaError::Encoding { reason }
}

fn invalid(reason: &str) -> RsaError {
    RsaError::InvalidKey {
        reason: reason.to_string(),
    }
}

/// EMSA-PKCS1-v1_5 for SHA-256 (RFC 8017 §9.2): `00 01 FF… 00 DigestInfo hash`, `k` bytes
/// (`k` ≥ 62, which every accepted modulus satisfies).
fn emsa_pkcs1v15_sha256(message: &[u8], k: usize) -> Vec<u8> {
    let t_len = SHA256_DIGEST_INFO.len() + 32;
    let mut em = vec![0xff; k];
    em[0] = 0x00;
    em[1] = 0x01;
    em[k - t_len - 1] = 0x00;
    em[k - t_len..k - 32].copy_from_slice(&SHA256_DIGEST_INFO);
    em[k - 32..].copy_from_slice(&Sha256::digest(message));
    em
}

/// An RSA public key: modulus `n` and exponent `e`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaPublicKey {
    n: Uint,
    e: Uint,
    monty: Monty,
}

impl RsaPublicKey {
    /// The key with big-endian modulus `n` and exponent `e` (leading zero bytes allowed).
    /// Accepted as the `rsa` crate accepts them: `n` odd with 1024 to 8192 bits, `e` odd with
    /// `3 ≤ e < n` and `e ≤ 2^33 − 1`.
    pub fn from_be_bytes(n: &[u8], e: &[u8]) -> Result<RsaPublicKey, RsaError> {
        RsaPublicKey::new(Uint::from_be_bytes(n), Uint::from_be_bytes(e))
    }

    fn new(n: Uint, e: Uint) -> Result<RsaPublicKey, RsaError> {
        let bits = n.bits();
        if bits < MIN_MODULUS_BITS {
            return Err(RsaError::InvalidKey {
                reason: format!(
                    "the modulus has {bits} bits; at least {MIN_MODULUS_BITS} are required"
                ),
            });
        }
        if bits > MAX_MODULUS_BITS {
            return Err(RsaError::InvalidKey {
                reason: format!(
                    "the modulus has {bits} bits; at most {MAX_MODULUS_BITS} are accepted"
                ),
            });
        }
        if !n.is_odd() {
            return Err(invalid("the modulus is even"));
        }
        if !e.is_odd() || e.bits() < 2 {
            return Err(invalid("the public exponent must be odd and at least 3"));
        }
        if e > Uint::from_u64(MAX_PUBLIC_EXPONENT) {
            return Err(invalid("the public exponent is larger than 2^33 − 1"));
        }
        let monty = Monty::new(&n).ok_or_else(|| invalid("the modulus is even"))?;
        Ok(RsaPublicKey { n, e, monty })
    }

    /// The modulus, big-endian, without leading zeros.
    pub fn n_bytes(&self) -> Vec<u8> {
        self.n.to_be_bytes()
    }

    /// The public exponent, big-endian, without leading zeros.
    pub fn e_bytes(&self) -> Vec<u8> {
        self.e.to_be_bytes()
    }

    /// The modulus length in bytes: the length of every signature.
    pub fn size(&self) -> usize {
        self.n.bits().div_ceil(8)
    }

    /// The DER `SubjectPublicKeyInfo` (RFC 5280) of the key: algorithm `rsaEncryption` with
    /// NULL parameters and the PKCS#1 `RSAPublicKey` in a BIT STRING.
    pub fn to_public_key_der(&self) -> Vec<u8> {
        let rsa_public_key = der::element(
            der::SEQUENCE,
            &[der::unsigned(&self.n), der::unsigned(&self.e)].concat(),
        );
        let algorithm = der::element(
            der::SEQUENCE,
            &[
                der::element(der::OID, der::RSA_ENCRYPTION),
                der::element(der::NULL, &[]),
            ]
            .concat(),
        );
        let key = der::element(der::BIT_STRING, &[&[0u8][..], &rsa_public_key].concat());
        der::element(der::SEQUENCE, &[algorithm, key].concat())
    }

    /// The key as PEM (`-----BEGIN PUBLIC KEY-----`, lines of 64, `\n` line ends).
    pub fn to_public_key_pem(&self) -> String {
        der::pem_encode("PUBLIC KEY", &self.to_public_key_der())
    }

    /// RSASSA-PKCS1-V1_5-VERIFY with SHA-256 (RFC 8017 §8.2.2): the signature must have the
    /// modulus's length, be below the modulus, and its public-key image must be exactly the
    /// encoding of `message`.
    pub fn verify_pkcs1v15_sha256(&self, message: &[u8], signature: &[u8]) -> Result<(), RsaError> {
        let k = self.size();
        if signature.len() != k {
            return Err(RsaError::SignatureLength {
                expected: k,
                found: signature.len(),
            });
        }
        let s = Uint::from_be_bytes(signature);
        if s >= *self.monty.modulus() {
            return Err(RsaError::SignatureOutOfRange);
        }
        let m = self
            .monty
            .pow_mod(&s, &self.e)
            .ok_or(RsaError::SignatureOutOfRange)?;
        match m.to_be_bytes_padded(k) {
            Some(em) if em == emsa_pkcs1v15_sha256(message, k) => Ok(()),
            _ => Err(RsaError::BadSignature),
        }
    }
}

/// One prime of a private key with its CRT exponent (`d mod (prime − 1)`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct CrtPrime {
    monty: Monty,
    exponent: Uint,
}

impl CrtPrime {
    fn prime(&self) -> &Uint {
        self.monty.modulus()
    }
}

/// An RSA private key with the CRT values of a two-prime PKCS#1 `RSAPrivateKey`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaPrivateKey {
    public: RsaPublicKey,
    p: CrtPrime,
    q: CrtPrime,
    /// `q⁻¹ mod p`.
    q_inv: Uint,
}

impl RsaPrivateKey {
    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`) holding an RSA key.
    pub fn from_pkcs8_pem(pem: &str) -> Result<RsaPrivateKey, RsaError> {
        let der = der::pem_decode(pem, "PRIVATE KEY").map_err(encoding)?;
        RsaPrivateKey::from_pkcs8_der(&der)
    }

    /// Reads a DER PKCS#8 `PrivateKeyInfo` (RFC 5208) whose algorithm is `rsaEncryption`.
    pub fn from_pkcs8_der(bytes: &[u8]) -> Result<RsaPrivateKey, RsaError> {
        let mut outer = der::Reader::new(bytes);
        let info = outer
            .expect(der::SEQUENCE, "PrivateKeyInfo")
            .map_err(encoding)?;
        outer.finish("PrivateKeyInfo").map_err(encoding)?;
        let mut info = der::Reader::new(info);
        let version = info.unsigned("PrivateKeyInfo version").map_err(encoding)?;
        if version.bits() > 1 {
            return Err(encoding(format!(
                "PrivateKeyInfo version {version:?} is not 0 or 1"
            )));
        }
        let algorithm = info
            .expect(der::SEQUENCE, "privateKeyAlgorithm")
            .map_err(encoding)?;
        let mut algorithm = der::Reader::new(algorithm);
        let oid = algorithm
            .expect(der::OID, "privateKeyAlgorithm")
            .map_err(encoding)?;
        if oid != der::RSA_ENCRYPTION {
            return Err(encoding(
                "the key's algorithm is not rsaEncryption".to_string(),
            ));
        }
        if algorithm.peek_tag() == Some(der::NULL) {
            let params = algorithm
                .expect(der::NULL, "algorithm parameters")
                .map_err(encoding)?;
            if !params.is_empty() {
                return Err(encoding(
                    "algorithm parameters: NULL has content".to_string(),
                ));
            }
        }
        algorithm.finish("privateKeyAlgorithm").map_err(encoding)?;
        let key = info
            .expect(der::OCTET_STRING, "privateKey")
            .map_err(encoding)?;
        // Optional attributes ([0]) and public key ([1]) of a version 1 key are not needed.
        RsaPrivateKey::from_pkcs1_der(key)
    }

    /// Reads a DER PKCS#1 `RSAPrivateKey` (RFC 8017 appendix A.1.2), two primes only.
    pub fn from_pkcs1_der(bytes: &[u8]) -> Result<RsaPrivateKey, RsaError> {
        let mut outer = der::Reader::new(bytes);
        let key = outer
            .expect(der::SEQUENCE, "RSAPrivateKey")
            .map_err(encoding)?;
        outer.finish("RSAPrivateKey").map_err(encoding)?;
        let mut key = der::Reader::new(key);
        let mut field = |name: &str| key.unsigned(name).map_err(encoding);
        let version = field("RSAPrivateKey version")?;
        if !version.is_zero() {
            return Err(encoding(
                "RSAPrivateKey version is not 0 (only two-prime keys are supported)".to_string(),
            ));
        }
        let n = field("modulus")?;
        let e = field("publicExponent")?;
        let _d = field("privateExponent")?;
        let p = field("prime1")?;
        let q = field("prime2")?;
        let dp = field("exponent1")?;
        let dq = field("exponent2")?;
        let q_inv = field("coefficient")?;
        key.finish("RSAPrivateKey").map_err(encoding)?;
        RsaPrivateKey::from_crt(n, e, p, q, dp, dq, q_inv)
    }

    /// Checks the CRT values against each other and precomputes the Montgomery contexts.
    fn from_crt(
        n: Uint,
        e: Uint,
        p: Uint,
        q: Uint,
        dp: Uint,
        dq: Uint,
        q_inv: Uint,
    ) -> Result<RsaPrivateKey, RsaError> {
        let public = RsaPublicKey::new(n, e)?;
        if p.mul(&q) != public.n {
            return Err(invalid("prime1 × prime2 is not the modulus"));
        }
        let prime = |prime: Uint, exponent: Uint, name: &str| {
            let monty = Monty::new(&prime).ok_or_else(|| RsaError::InvalidKey {
                reason: format!("{name} is even or 1"),
            })?;
            if exponent.is_zero() || exponent >= prime {
                return Err(RsaError::InvalidKey {
                    reason: format!("the CRT exponent of {name} is not in 1..{name}"),
                });
            }
            Ok(CrtPrime { monty, exponent })
        };
        let p = prime(p, dp, "prime1")?;
        let q = prime(q, dq, "prime2")?;
        if q_inv >= *p.prime() {
            return Err(invalid("the coefficient is not below prime1"));
        }
        // Signing reduces numbers below n modulo each prime, which needs n below p·R for that
        // prime's Montgomery R (R > 4p): true unless the primes differ in size by bits.
        let n = &public.n;
        if p.monty.reduce(n).is_none() || q.monty.reduce(n).is_none() {
            return Err(invalid("the primes differ too much in size"));
        }
        let q_mod_p = p.monty.reduce(q.prime()).unwrap_or_default();
        if p.monty.mul_mod(&q_inv, &q_mod_p) != Some(Uint::from_u64(1)) {
            return Err(invalid(
                "the coefficient is not the inverse of prime2 mod prime1",
            ));
        }
        Ok(RsaPrivateKey {
            public,
            p,
            q,
            q_inv,
        })
    }

    /// The public half.
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.public
    }

    /// RSASSA-PKCS1-V1_5-SIGN with SHA-256 (RFC 8017 §8.2.1): the deterministic signature of
    /// `message`, as long as the modulus.
    pub fn sign_pkcs1v15_sha256(&self, message: &[u8]) -> Result<Vec<u8>, RsaError> {
        let k = self.public.size();
        let m = Uint::from_be_bytes(&emsa_pkcs1v15_sha256(message, k));
        // RSASP1 by the CRT (RFC 8017 §5.2.1, 2.b): s₁ = m^dP mod p, s₂ = m^dQ mod q,
        // h = (s₁ − s₂)·qInv mod p, s = s₂ + q·h.
        let unreduced = || invalid("the primes differ too much in size");
        let (p, q) = (&self.p, &self.q);
        let s1 = p.monty.pow_mod(&m, &p.exponent).ok_or_else(unreduced)?;
        let s2 = q.monty.pow_mod(&m, &q.exponent).ok_or_else(unreduced)?;
        let s2_mod_p = p.monty.reduce(&s2).ok_or_else(unreduced)?;
        let difference = match s1.sub(&s2_mod_p) {
            Some(d) => d,
            None => s1.add(p.prime()).sub(&s2_mod_p).unwrap_or_default(),
        };
        let h = p
            .monty
            .mul_mod(&difference, &self.q_inv)
            .ok_or_else(unreduced)?;
        let s = s2.add(&h.mul(q.prime()));
        s.to_be_bytes_padded(k)
            .ok_or_else(|| invalid("the signature is not below the modulus"))
    }
}

#[cfg(test)]
mod tests;
