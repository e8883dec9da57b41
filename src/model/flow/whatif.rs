//! What-ifs: the ways a flow breaks in real life, as data. Each one changes the world, the
//! request or the call site before or during a walk; the walk then shows where it fails.

use crate::model::json::{FromJson, ToJson};
use crate::model::scenario;

/// How a request names the identity it wants.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub enum PickBy {
    /// `client_id`.
    ClientId,
    /// `object_id` (App Service: `principal_id`).
    ObjectId,
    /// `msi_res_id` (App Service: `mi_res_id`).
    ResourceId,
}

/// One way to break (or bend) a flow. Serialized with a `change` tag, as in scenario files.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(tag = "change", rename_all = "camelCase", deny_unknown_fields)]
pub enum WhatIf {
    /// Send the token request without the `Metadata: true` header (App Service: without
    /// `X-IDENTITY-HEADER`).
    NoMetadataHeader,
    /// Ask for a token for another resource (audience).
    #[serde(rename_all = "camelCase")]
    WrongAudience {
        /// The resource to ask for; default: one the target does not accept.
        #[serde(default)]
        resource: Option<String>,
    },
    /// Name the identity explicitly in the request.
    #[serde(rename_all = "camelCase")]
    PickIdentity {
        /// Which parameter names it.
        by: PickBy,
        /// The identity (a resource name for system-assigned, or a user-assigned identity's
        /// name); default: the one the flow uses.
        #[serde(default)]
        identity: Option<String>,
    },
    /// Send no identity selector at all: the endpoint applies its default rules.
    NoClientId,
    /// Remove the role assignments that give the flow's identity access to the target.
    RemoveRoleAssignment,
    /// Move those role assignments to another scope.
    #[serde(rename_all = "camelCase")]
    RoleAtWrongScope {
        /// The new scope (a name such as `rg-web`, or an ARM id).
        scope: String,
    },
    /// Replace the data role with a control-plane role (Contributor, Owner) at the same scope.
    #[serde(rename_all = "camelCase")]
    ControlPlaneRoleOnly {
        /// The role; default `Contributor`.
        #[serde(default)]
        role: Option<String>,
    },
    /// Add a role assignment just before the call (it has not propagated yet).
    #[serde(rename_all = "camelCase")]
    AddRoleAssignment {
        /// The role's name.
        role: String,
        /// The scope; default: the target.
        #[serde(default)]
        scope: Option<String>,
    },
    /// Let simulated time pass before the flow starts.
    #[serde(rename_all = "camelCase")]
    AdvanceClock {
        /// How many minutes.
        minutes: i64,
    },
    /// The code holds on to its token and calls the target after the token expired.
    ExpiredToken,
    /// The token was cached before the last change (an app role grant, a deletion): the
    /// endpoint serves the old token with the old claims.
    CachedToken,
    /// Delete a resource (default: the host the code runs on).
    #[serde(rename_all = "camelCase")]
    DeleteResource {
        /// Its name.
        #[serde(default)]
        resource: Option<String>,
    },
    /// Delete the identity the flow uses (a user-assigned identity; for a system-assigned
    /// one, disable it).
    DeleteIdentity,
    /// Detach the user-assigned identity from the host.
    DetachIdentity,
    /// Disable the host's system-assigned identity.
    DisableSystemAssigned,
    /// Transfer the host's subscription to another tenant.
    #[serde(rename_all = "camelCase")]
    TransferSubscription {
        /// The new tenant; default: the first other tenant.
        #[serde(default)]
        tenant: Option<String>,
    },
    /// Run the code on a server outside Azure (with or without the Arc agent).
    #[serde(rename_all = "camelCase")]
    RunOnPremises {
        /// Whether the server is Arc-enabled.
        #[serde(default)]
        arc: bool,
    },
    /// Run the code on a laptop on the internet.
    CallFromOutside,
    /// Call from a resource in another tenant with that resource's identity.
    #[serde(rename_all = "camelCase")]
    CrossTenant {
        /// The resource; default: the first code host in another tenant.
        #[serde(default)]
        from: Option<String>,
    },
    /// Switch the target key vault to the other permission model.
    SwitchPermissionModel,
    /// Remove the identity's access policy on the target key vault.
    RemoveAccessPolicy,
    /// Revoke the identity's app roles on Microsoft Graph.
    RevokeAppRole,
    /// Client-secret flows: the secret is copied out of the configuration and used elsewhere.
    LeakSecret,
    /// Federated flows: the external token's subject does not match the federated credential.
    #[serde(rename_all = "camelCase")]
    WrongSubject {
        /// The subject presented; default: a pull-request subject.
        #[serde(default)]
        subject: Option<String>,
    },
}

/// The steps a what-if acts on, for placing its toggle beside the right step.
pub fn affects(what_if: &WhatIf) -> &'static str {
    use WhatIf::*;
    match what_if {
        NoMetadataHeader | WrongAudience { .. } | PickIdentity { .. } | NoClientId => "endpoint",
        RemoveRoleAssignment
        | RoleAtWrongScope { .. }
        | ControlPlaneRoleOnly { .. }
        | AddRoleAssignment { .. }
        | SwitchPermissionModel
        | RemoveAccessPolicy
        | RevokeAppRole => "access",
        AdvanceClock { .. } | ExpiredToken => "validate",
        CachedToken => "issue",
        DeleteResource { .. } | DeleteIdentity | DetachIdentity | DisableSystemAssigned => "enable",
        TransferSubscription { .. } | CrossTenant { .. } => "validate",
        RunOnPremises { .. } | CallFromOutside => "endpoint",
        LeakSecret | WrongSubject { .. } => "credential",
    }
}

impl WhatIf {
    /// Reads a scenario file's what-if (`change` plus `args`).
    pub fn from_spec(spec: &scenario::WhatIf) -> Result<WhatIf, String> {
        let mut object = spec.args.clone();
        object.insert(
            "change".to_string(),
            serde_json::Value::String(spec.change.clone()),
        );
        let what_if = WhatIf::from_json(&serde_json::Value::Object(object))
            .map_err(|e| format!("what-if \"{}\": {e}", spec.change))?;
        // serde does not reject extra fields on variants without fields: check by hand.
        let known = what_if.to_json();
        if let Some(extra) = spec.args.keys().find(|k| known.get(k.as_str()).is_none()) {
            return Err(format!(
                "what-if \"{}\": unknown field `{extra}`",
                spec.change
            ));
        }
        Ok(what_if)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(change: &str, args: serde_json::Value) -> scenario::WhatIf {
        scenario::WhatIf {
            change: change.to_string(),
            title: String::new(),
            args: args.as_object().cloned().unwrap_or_default(),
            expect: None,
        }
    }

    #[test]
    fn scenario_what_ifs_read_into_the_enum() {
        let cases = [
            (
                spec("noMetadataHeader", serde_json::json!({})),
                WhatIf::NoMetadataHeader,
            ),
            (
                spec("controlPlaneRoleOnly", serde_json::json!({"role": "Owner"})),
                WhatIf::ControlPlaneRoleOnly {
                    role: Some("Owner".into()),
                },
            ),
            (
                spec("advanceClock", serde_json::json!({"minutes": 5})),
                WhatIf::AdvanceClock { minutes: 5 },
            ),
            (
                spec("runOnPremises", serde_json::json!({"arc": true})),
                WhatIf::RunOnPremises { arc: true },
            ),
            (
                spec("pickIdentity", serde_json::json!({"by": "clientId"})),
                WhatIf::PickIdentity {
                    by: PickBy::ClientId,
                    identity: None,
                },
            ),
        ];
        for (spec, expected) in cases {
            assert_eq!(WhatIf::from_spec(&spec), Ok(expected));
        }
    }

    #[test]
    fn bad_what_if_arguments_name_the_change() {
        let err = WhatIf::from_spec(&spec("advanceClock", serde_json::json!({"minutes": "ten"})))
            .unwrap_err();
        assert!(
            err.starts_with("what-if \"advanceClock\": invalid type"),
            "{err}"
        );
        let err =
            WhatIf::from_spec(&spec("noMetadataHeader", serde_json::json!({"x": 1}))).unwrap_err();
        assert!(err.contains("unknown field `x`"), "{err}");
    }

    #[test]
    fn what_ifs_round_trip_through_json() {
        let all = [
            WhatIf::WrongAudience {
                resource: Some("https://storage.azure.com/".into()),
            },
            WhatIf::RoleAtWrongScope {
                scope: "rg-web".into(),
            },
            WhatIf::CrossTenant { from: None },
            WhatIf::ExpiredToken,
        ];
        for w in all {
            let json = crate::model::json::to_text(&w);
            assert_eq!(
                crate::model::json::from_text::<WhatIf>(&json).unwrap(),
                w,
                "{json}"
            );
        }
    }
}
