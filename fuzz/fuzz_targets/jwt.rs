//! Pasted tokens: decoded, verified against a tenant's keys and validated, or refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_sim::model::entra::TokenIssuer;
use mi_sim::model::ids::{IdGen, TenantId};
use mi_sim::model::jwt::{self, Validation};
use std::sync::OnceLock;

fn keys() -> &'static Option<(jwt::Jwks, String)> {
    static KEYS: OnceLock<Option<(jwt::Jwks, String)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let issuer = TokenIssuer::new(TenantId(IdGen::new(1).guid()), 0);
        issuer.jwks().ok().map(|k| (k, issuer.issuer()))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let _ = jwt::decode_unverified(token);
    if let Some((jwks, issuer)) = keys() {
        let _ = jwt::verify_signature(token, jwks);
        let v = Validation::at(1_629_759_448)
            .with_issuers(&[issuer])
            .with_audiences(&["https://vault.azure.net"]);
        let _ = jwt::validate(token, jwks, &v);
    }
});
