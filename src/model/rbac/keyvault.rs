//! Key Vault's legacy access-policy model: the permission names an access policy may hold
//! (reference §4.6) and which one each Key Vault data action needs.

use std::fmt;

/// Key permissions an access policy may grant.
pub const KEY_PERMISSIONS: &[&str] = &[
    "encrypt",
    "decrypt",
    "wrapKey",
    "unwrapKey",
    "sign",
    "verify",
    "get",
    "list",
    "create",
    "update",
    "import",
    "delete",
    "recover",
    "backup",
    "restore",
    "purge",
    "rotate",
    "getrotationpolicy",
    "setrotationpolicy",
    "release",
];

/// Secret permissions an access policy may grant.
pub const SECRET_PERMISSIONS: &[&str] = &[
    "get", "list", "set", "delete", "recover", "backup", "restore", "purge",
];

/// Certificate permissions an access policy may grant.
pub const CERTIFICATE_PERMISSIONS: &[&str] = &[
    "managecontacts",
    "getissuers",
    "listissuers",
    "setissuers",
    "deleteissuers",
    "manageissuers",
    "get",
    "list",
    "create",
    "import",
    "update",
    "delete",
    "recover",
    "backup",
    "restore",
    "purge",
];

/// Which permission list of an access policy applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PolicyCategory {
    /// `permissions.keys`.
    Keys,
    /// `permissions.secrets`.
    Secrets,
    /// `permissions.certificates`.
    Certificates,
}

impl fmt::Display for PolicyCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PolicyCategory::Keys => "keys",
            PolicyCategory::Secrets => "secrets",
            PolicyCategory::Certificates => "certificates",
        })
    }
}

/// The access-policy permission a Key Vault data action needs, if it is one.
pub fn required_permission(action: &str) -> Option<(PolicyCategory, &'static str)> {
    use PolicyCategory::*;
    const PREFIX: &str = "microsoft.keyvault/vaults/";
    let lower = action.to_ascii_lowercase();
    let rest = lower.strip_prefix(PREFIX)?;
    let found = match rest {
        "secrets/getsecret/action" => (Secrets, "get"),
        "secrets/readmetadata/action" => (Secrets, "list"),
        "secrets/setsecret/action" => (Secrets, "set"),
        "secrets/delete" => (Secrets, "delete"),
        "secrets/backup/action" => (Secrets, "backup"),
        "secrets/restore/action" => (Secrets, "restore"),
        "secrets/recover/action" => (Secrets, "recover"),
        "keys/read" => (Keys, "get"),
        "keys/encrypt/action" => (Keys, "encrypt"),
        "keys/decrypt/action" => (Keys, "decrypt"),
        "keys/wrap/action" => (Keys, "wrapKey"),
        "keys/unwrap/action" => (Keys, "unwrapKey"),
        "keys/sign/action" => (Keys, "sign"),
        "keys/verify/action" => (Keys, "verify"),
        "keys/create/action" => (Keys, "create"),
        "keys/update/action" => (Keys, "update"),
        "keys/import/action" => (Keys, "import"),
        "keys/delete" => (Keys, "delete"),
        "keys/backup/action" => (Keys, "backup"),
        "keys/restore/action" => (Keys, "restore"),
        "keys/recover/action" => (Keys, "recover"),
        "keys/release/action" => (Keys, "release"),
        "keys/rotate/action" => (Keys, "rotate"),
        "certificates/read" => (Certificates, "get"),
        "certificates/create/action" => (Certificates, "create"),
        "certificates/import/action" => (Certificates, "import"),
        "certificates/update/action" => (Certificates, "update"),
        "certificates/delete" => (Certificates, "delete"),
        "certificates/backup/action" => (Certificates, "backup"),
        "certificates/restore/action" => (Certificates, "restore"),
        "certificates/recover/action" => (Certificates, "recover"),
        _ => return None,
    };
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_vault_data_actions_map_to_access_policy_permissions() {
        let cases = [
            (
                "Microsoft.KeyVault/vaults/secrets/getSecret/action",
                Some((PolicyCategory::Secrets, "get")),
            ),
            (
                "Microsoft.KeyVault/vaults/keys/wrap/action",
                Some((PolicyCategory::Keys, "wrapKey")),
            ),
            (
                "microsoft.keyvault/vaults/certificates/read",
                Some((PolicyCategory::Certificates, "get")),
            ),
            (
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                None,
            ),
        ];
        for (action, expected) in cases {
            assert_eq!(required_permission(action), expected, "{action}");
        }
    }
}
