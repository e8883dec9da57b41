//! The inspector: a selected graph element shown the way Azure shows it — a resource's ARM JSON
//! with its `identity` block, a service principal as Microsoft Graph returns it, a role
//! assignment with its role definition's actions and data actions.

use crate::model::ids::{Guid, ObjectId, ResourceId};
use crate::model::json::pretty;
use crate::model::world::{ServicePrincipalType, World, resource_json};
use serde_json::json;

/// What the Inspect tab shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// A heading, e.g. "Virtual machine vm-web".
    pub title: String,
    /// Where this JSON comes from, e.g. "ARM: GET …?api-version=…".
    pub source: String,
    /// The JSON, pretty-printed.
    pub json: String,
    /// Plain-language remarks (orphans, broken identities, what a role grants).
    pub remarks: Vec<String>,
}

fn sp_type(t: ServicePrincipalType) -> &'static str {
    match t {
        ServicePrincipalType::ManagedIdentity => "ManagedIdentity",
        ServicePrincipalType::Application => "Application",
    }
}

/// Inspects the element with this graph id, if it exists.
pub fn inspect(world: &World, id: &str) -> Option<Inspection> {
    if let Some(r) = world.resource(&ResourceId(id.to_string())) {
        let mut remarks = world.broken_identities(r);
        if r.system_assigned.is_some() {
            remarks.push(format!(
                "The system-assigned identity lives and dies with {}.",
                r.name
            ));
        }
        return Some(Inspection {
            title: format!("{} {}", r.kind.display_name(), r.name),
            source: format!("ARM: GET https://management.azure.com{}", r.id),
            json: pretty(&resource_json(world, r)),
            remarks,
        });
    }
    if let Some(a) = world.role_assignments().iter().find(|a| a.id == id) {
        let role = world.role_definition(a.role_definition_id);
        let principal = world.principal_info(a.principal_id);
        let mut remarks = Vec::new();
        if let Some(reason) = world.orphan_reason(a) {
            remarks.push(format!("Orphaned: {reason}"));
        }
        let now = world.now().0;
        let effective_at = a.created_at.0 + world.propagation_delay();
        if effective_at > now {
            remarks.push(format!(
                "Not effective yet: it propagates for {} more minute(s).",
                (effective_at - now + 59) / 60
            ));
        }
        let permissions = role
            .map(|r| crate::model::json::to_value(&r.permissions))
            .unwrap_or_default();
        let body = json!({
            "id": a.id,
            "name": a.name.to_string(),
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {
                "roleDefinitionId": format!("/providers/Microsoft.Authorization/roleDefinitions/{}", a.role_definition_id),
                "roleDefinitionName": role.map(|r| r.role_name.clone()).unwrap_or_default(),
                "principalId": a.principal_id.to_string(),
                "principalName": principal.display_name,
                "principalType": principal.principal_type,
                "scope": a.scope.to_string(),
                "condition": a.condition,
                "createdOn": crate::model::clock::SimTime(a.created_at.0).iso8601(),
            },
            "roleDefinition": { "permissions": permissions },
        });
        return Some(Inspection {
            title: format!(
                "Role assignment: {}",
                role.map(|r| r.role_name.as_str()).unwrap_or("unknown role")
            ),
            source: "ARM: role assignment, with its role definition's permissions".to_string(),
            json: pretty(&body),
            remarks,
        });
    }
    let object = Guid::parse(id.trim_start_matches("unknown:"))
        .ok()
        .map(ObjectId);
    if let Some((tenant, sp)) = object.and_then(|o| world.service_principal(o)) {
        let body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity",
            "id": sp.object_id.to_string(),
            "appId": sp.app_id.to_string(),
            "displayName": sp.display_name,
            "servicePrincipalType": sp_type(sp.service_principal_type),
            "alternativeNames": sp.alternative_names,
        });
        return Some(Inspection {
            title: format!("Service principal {}", sp.display_name),
            source: format!(
                "Microsoft Graph: GET /v1.0/servicePrincipals/{} (tenant {})",
                sp.object_id, tenant.name
            ),
            json: pretty(&body),
            remarks: vec![
                "Role assignments name its object id (id); code asks for it by its app id (client id)."
                    .to_string(),
            ],
        });
    }
    if let Some((_, deleted)) = object.and_then(|o| world.deleted_principal(o)) {
        return Some(Inspection {
            title: "Identity not found".to_string(),
            source: "Azure portal: role assignments of a deleted principal".to_string(),
            json: pretty(&json!({
                "principalId": deleted.object_id.to_string(),
                "principalName": "",
                "principalType": "Unknown",
            })),
            remarks: vec![format!(
                "{} was deleted; its role assignments stay until someone removes them, and still count toward the limit.",
                deleted.display_name
            )],
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::session::{DEFAULT_SCENARIO, Session};
    use serde_json::Value;

    #[test]
    fn a_resource_shows_its_arm_json_with_the_identity_block() {
        let s = Session::open(DEFAULT_SCENARIO);
        let vm = s.sim.world.resource_named("vm-web").unwrap();
        let i = inspect(&s.sim.world, vm.id.as_str()).unwrap();
        assert_eq!(i.title, "Virtual machine vm-web");
        let json: Value = serde_json::from_str(&i.json).unwrap();
        assert_eq!(json["identity"]["type"], "SystemAssigned");
        assert_eq!(
            json["identity"]["principalId"],
            vm.system_assigned.unwrap().principal_id.to_string()
        );
    }

    #[test]
    fn a_service_principal_shows_graph_fields() {
        let s = Session::open(DEFAULT_SCENARIO);
        let vm = s.sim.world.resource_named("vm-web").unwrap();
        let oid = vm.system_assigned.unwrap().principal_id.to_string();
        let i = inspect(&s.sim.world, &oid).unwrap();
        let json: Value = serde_json::from_str(&i.json).unwrap();
        assert_eq!(json["servicePrincipalType"], "ManagedIdentity");
        assert_eq!(json["alternativeNames"][1], vm.id.to_string());
        assert_eq!(json["id"], oid);
    }

    #[test]
    fn a_role_assignment_shows_its_role_s_data_actions() {
        let s = Session::open(DEFAULT_SCENARIO);
        let a = &s.sim.world.role_assignments()[0];
        let i = inspect(&s.sim.world, &a.id).unwrap();
        assert_eq!(i.title, "Role assignment: Key Vault Secrets User");
        let json: Value = serde_json::from_str(&i.json).unwrap();
        assert_eq!(json["properties"]["scope"], a.scope.to_string());
        assert_eq!(
            json["roleDefinition"]["permissions"][0]["dataActions"][0],
            "Microsoft.KeyVault/vaults/secrets/getSecret/action"
        );
    }

    #[test]
    fn unknown_ids_inspect_to_nothing() {
        let s = Session::open(DEFAULT_SCENARIO);
        assert_eq!(inspect(&s.sim.world, "nope"), None);
    }
}
