//! Renders resources as Azure Resource Manager returns them: the `identity` block and the
//! resource JSON (id, name, type, kind, location, identity, properties).

use super::World;
use super::resources::{KeyVaultPermissionModel, Resource};
use serde_json::{Map, Value, json};

/// The ARM `identity` block of a resource, exactly as ARM returns it: `type` is `None`,
/// `SystemAssigned`, `UserAssigned` or `SystemAssigned, UserAssigned`; `principalId` and
/// `tenantId` for the system-assigned identity; `userAssignedIdentities` keyed by identity
/// resource id with `principalId` and `clientId`.
pub fn identity_block(world: &World, resource: &Resource) -> Value {
    let system = resource.system_assigned.as_ref();
    let user = &resource.user_assigned;
    let kind = match (system.is_some(), !user.is_empty()) {
        (false, false) => "None",
        (true, false) => "SystemAssigned",
        (false, true) => "UserAssigned",
        (true, true) => "SystemAssigned, UserAssigned",
    };
    let mut block = Map::new();
    block.insert("type".into(), json!(kind));
    if let Some(sa) = system {
        block.insert("principalId".into(), json!(sa.principal_id.to_string()));
        block.insert("tenantId".into(), json!(sa.tenant_id.to_string()));
    }
    if !user.is_empty() {
        let mut map = Map::new();
        for id in user {
            let entry = match world.resource(id).and_then(|u| u.identity.as_ref()) {
                Some(props) => json!({
                    "principalId": props.principal_id.to_string(),
                    "clientId": props.client_id.to_string(),
                }),
                None => json!({ "principalId": null, "clientId": null }),
            };
            map.insert(id.to_string(), entry);
        }
        block.insert("userAssignedIdentities".into(), Value::Object(map));
    }
    Value::Object(block)
}

/// A resource's ARM JSON: `id`, `name`, `type`, `kind` (sites only), `location`, `identity`
/// (omitted when there is none, as ARM does) and `properties`.
pub fn resource_json(world: &World, resource: &Resource) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(resource.id.to_string()));
    out.insert("name".into(), json!(resource.name));
    out.insert("type".into(), json!(resource.kind.arm_type()));
    if let Some(kind) = resource.kind.arm_kind() {
        out.insert("kind".into(), json!(kind));
    }
    out.insert("location".into(), json!(resource.location));
    let identity = identity_block(world, resource);
    if identity["type"] != "None" {
        out.insert("identity".into(), identity);
    }
    let tenant = world
        .subscription(resource.subscription_id)
        .map(|s| s.tenant_id.to_string());
    let properties = if let Some(props) = &resource.identity {
        json!({
            "tenantId": props.tenant_id.to_string(),
            "principalId": props.principal_id.to_string(),
            "clientId": props.client_id.to_string(),
        })
    } else if let Some(kv) = &resource.key_vault {
        let policies: Vec<Value> = kv
            .access_policies
            .iter()
            .map(|p| {
                json!({
                    "tenantId": tenant,
                    "objectId": p.object_id.to_string(),
                    "permissions": {
                        "keys": p.keys,
                        "secrets": p.secrets,
                        "certificates": p.certificates,
                    }
                })
            })
            .collect();
        json!({
            "tenantId": tenant,
            "enableRbacAuthorization": kv.permission_model == KeyVaultPermissionModel::Rbac,
            "accessPolicies": policies,
            "vaultUri": format!("https://{}.vault.azure.net/", resource.name),
            "provisioningState": "Succeeded",
        })
    } else {
        json!({ "provisioningState": "Succeeded" })
    };
    out.insert("properties".into(), properties);
    Value::Object(out)
}
