//! The walk: applies the what-ifs to a copy of the simulation, then plays the flow step by
//! step through the real endpoint and target code, stopping where it fails.

use super::app_credential::{self, AppCredential};
use super::operation::{GRAPH, Operation};
use super::token_view::token_view;
use super::whatif::{PickBy, WhatIf};
use super::{
    DecisionView, Failure, Fix, FixAction, FlowError, HttpText, Step, StepKind, StepStatus,
    Walkthrough,
};
use crate::model::clock::{DAY, SimTime};
use crate::model::endpoints::{self, IdentitySelector as Selector};
use crate::model::entra::AccessToken;
use crate::model::http::{HttpRequest, HttpResponse};
use crate::model::ids::{ClientId, ObjectId, ResourceId, TenantId};
use crate::model::platform::{CallSite, Exchange, Note, Reply, Simulation, TokenSource};
use crate::model::rbac::{Decision, Suggestion, app_roles_for};
use crate::model::scenario::{Flow, IdentitySelector, SelectBy};
use crate::model::world::{
    Command, GRAPH_APP_ID, GRAPH_DISPLAY_NAME, IdentityEndpoint, KeyVaultPermissionModel, Resource,
    ResourceKind, World, identity_block, resource_json,
};

/// The identity a flow uses, as resolved before any what-if changes the world.
#[derive(Clone, Debug)]
struct Chosen {
    /// The name commands use: the host's name (system-assigned) or the identity's name.
    name: String,
    /// For a user-assigned identity: its resource id.
    uami: Option<ResourceId>,
    principal: ObjectId,
    client: ClientId,
}

/// Everything a walk needs besides the simulation.
struct Plan<'f> {
    flow: &'f Flow,
    operation: Operation,
    audience: String,
    host: Option<String>,
    call_site: CallSite,
    chosen: Option<Chosen>,
    selector: Option<Selector>,
    no_metadata: bool,
    expired: bool,
}

/// Walks `flow` on a copy of `sim` with `what_ifs` applied. The simulation itself is not
/// changed.
pub fn walk(sim: &Simulation, flow: &Flow, what_ifs: &[WhatIf]) -> Result<Walkthrough, FlowError> {
    let (mut walkthrough, after) = walk_with_state(sim, flow, what_ifs)?;
    // App-credential walks come with their own fix.
    if let Some(failure) = walkthrough.failure.as_mut()
        && failure.fix.is_none()
    {
        failure.fix = find_fix(sim, &after, flow, what_ifs, failure);
    }
    Ok(walkthrough)
}

fn walk_once(sim: &Simulation, flow: &Flow, what_ifs: &[WhatIf]) -> Result<Walkthrough, FlowError> {
    walk_with_state(sim, flow, what_ifs).map(|(w, _)| w)
}

/// Walks and also returns the simulation as the what-ifs left it (before the flow ran).
fn walk_with_state(
    sim: &Simulation,
    flow: &Flow,
    what_ifs: &[WhatIf],
) -> Result<(Walkthrough, Simulation), FlowError> {
    if let Some(credential) = flow.credential.as_deref()
        && credential != "managedIdentity"
    {
        let Some(app) = AppCredential::from_name(credential) else {
            return Err(FlowError::UnsupportedCredential {
                credential: credential.to_string(),
            });
        };
        return app_credential::walk_once(sim, flow, app, what_ifs).map(|w| (w, sim.clone()));
    }
    let mut sim = sim.clone();
    let mut plan = plan(&sim.world, flow)?;
    if what_ifs.contains(&WhatIf::CachedToken) {
        cache_token_first(&mut sim, &plan);
    }
    for what_if in what_ifs {
        apply_what_if(&mut sim, &mut plan, what_if)?;
    }
    let after = sim.clone();
    let mut walk = Walk {
        sim,
        steps: Vec::new(),
        failure: None,
    };
    let origin = match &plan.host {
        Some(host) => host.clone(),
        None => super::origin_name(&walk.sim.world, &plan.call_site),
    };
    walk.run(&plan);
    let jwks = walk.sim.platform.jwks(&walk.sim.world).to_json();
    Ok((
        Walkthrough {
            flow: flow.name.clone(),
            title: flow.title.clone(),
            origin,
            steps: walk.steps,
            failure: walk.failure,
            jwks,
        },
        after,
    ))
}

/// Resolves the flow's names against the world.
fn plan<'f>(world: &World, flow: &'f Flow) -> Result<Plan<'f>, FlowError> {
    let operation = Operation::parse(&flow.operation).map_err(FlowError::Operation)?;
    if flow.target != GRAPH && world.resource_named(&flow.target).is_none() {
        return Err(FlowError::UnknownTarget {
            name: flow.target.clone(),
        });
    }
    operation
        .request(world, &flow.target)
        .map_err(FlowError::Operation)?;
    let audience = flow
        .resource
        .clone()
        .unwrap_or_else(|| operation.audience(world, &flow.target));
    let (host, call_site, chosen) = match world.resource_named(&flow.from) {
        Some(r) => (
            Some(r.name.clone()),
            CallSite::Resource(r.id.clone()),
            choose_identity(world, r, flow.identity.as_ref())?,
        ),
        None if world.on_prem_servers().iter().any(|s| s.name == flow.from) => {
            (None, CallSite::OnPremises(flow.from.clone()), None)
        }
        None => {
            return Err(FlowError::UnknownHost {
                name: flow.from.clone(),
            });
        }
    };
    let selector = match (&flow.identity, &chosen) {
        (Some(IdentitySelector::UserAssigned { by, .. }), Some(c)) => Some(selector_for(c, *by)),
        _ => None,
    };
    Ok(Plan {
        flow,
        operation,
        audience,
        host,
        call_site,
        chosen,
        selector,
        no_metadata: false,
        expired: false,
    })
}

fn selector_for(chosen: &Chosen, by: SelectBy) -> Selector {
    match by {
        SelectBy::ClientId => Selector::ClientId(chosen.client),
        SelectBy::ObjectId => Selector::ObjectId(chosen.principal),
        SelectBy::ResourceId => match &chosen.uami {
            Some(id) => Selector::ResourceId(id.clone()),
            None => Selector::ObjectId(chosen.principal),
        },
    }
}

/// Which identity the flow means: the named one, else what the endpoint's default rules pick
/// (system-assigned, else the only user-assigned; with several, the first, which the endpoint
/// will then refuse to choose).
fn choose_identity(
    world: &World,
    host: &Resource,
    selector: Option<&IdentitySelector>,
) -> Result<Option<Chosen>, FlowError> {
    let uami = |id: &ResourceId| -> Option<Chosen> {
        let r = world.resource(id)?;
        let props = r.identity.as_ref()?;
        Some(Chosen {
            name: r.name.clone(),
            uami: Some(r.id.clone()),
            principal: props.principal_id,
            client: props.client_id,
        })
    };
    let system = host.system_assigned.map(|sa| Chosen {
        name: host.name.clone(),
        uami: None,
        principal: sa.principal_id,
        client: sa.client_id,
    });
    Ok(match selector {
        Some(IdentitySelector::UserAssigned { name, .. }) => {
            // Attached or not: code configured with an identity asks for it, and the endpoint
            // refuses one the host does not hold.
            let found = world
                .resource_named(name)
                .filter(|r| r.kind == ResourceKind::UserAssignedIdentity)
                .and_then(|r| uami(&r.id));
            Some(found.ok_or_else(|| FlowError::UnknownIdentity { name: name.clone() })?)
        }
        Some(IdentitySelector::SystemAssigned) => system,
        None => system.or_else(|| host.user_assigned.first().and_then(uami)),
    })
}

/// The target's RBAC scope for the operation (the object the action is performed on).
fn target_scope(world: &World, flow: &Flow, op: &Operation) -> Option<ResourceId> {
    use crate::model::world::ChildKind;
    let r = world.resource_named(&flow.target)?;
    Some(match op {
        Operation::GetSecret(n) | Operation::SetSecret(n) => r.child_scope(ChildKind::Secret, n),
        Operation::GetKey(n) => r.child_scope(ChildKind::Key, n),
        Operation::GetCertificate(n) => r.child_scope(ChildKind::Certificate, n),
        Operation::ReadBlob(c, _) | Operation::WriteBlob(c, _) | Operation::ListBlobs(c) => {
            r.child_scope(ChildKind::BlobContainer, c)
        }
        Operation::SendQueueMessage(q) | Operation::ReadQueueMessages(q) => {
            r.child_scope(ChildKind::Queue, q)
        }
        Operation::QueryTable(t) => r.child_scope(ChildKind::Table, t),
        _ => r.id.clone(),
    })
}

fn apply(sim: &mut Simulation, command: Command) -> Result<(), FlowError> {
    sim.apply(command).map(drop).map_err(|e| FlowError::WhatIf {
        message: e.to_string(),
    })
}

fn role_name(world: &World, id: crate::model::ids::Guid) -> String {
    world
        .role_definition(id)
        .map(|r| r.role_name.clone())
        .unwrap_or_default()
}

/// The chosen identity's role assignments that cover the target.
fn granting_assignments(world: &World, plan: &Plan) -> Vec<(String, String, ResourceId)> {
    let (Some(chosen), Some(scope)) = (
        &plan.chosen,
        target_scope(world, plan.flow, &plan.operation),
    ) else {
        return Vec::new();
    };
    world
        .role_assignments()
        .iter()
        .filter(|a| a.principal_id == chosen.principal && scope.is_within(&a.scope))
        .map(|a| {
            (
                a.id.clone(),
                role_name(world, a.role_definition_id),
                a.scope.clone(),
            )
        })
        .collect()
}

fn need<'a, T>(value: Option<&'a T>, what_if: &str, why: &str) -> Result<&'a T, FlowError> {
    value.ok_or_else(|| FlowError::WhatIf {
        message: format!("what-if \"{what_if}\": {why}"),
    })
}

/// Fills the platform's token cache with a token fetched now: for Graph, before the identity
/// held its app roles, so the cached token lacks them.
fn cache_token_first(sim: &mut Simulation, plan: &Plan) {
    let (Some(chosen), CallSite::Resource(host)) = (&plan.chosen, &plan.call_site) else {
        return;
    };
    let roles = if plan.flow.target == GRAPH {
        app_roles_for(&sim.world, chosen.principal, GRAPH_APP_ID)
    } else {
        Vec::new()
    };
    let mut before = sim.clone();
    for role in &roles {
        let _ = before.apply(Command::RevokeAppRole {
            principal: chosen.name.clone(),
            resource_app: GRAPH_DISPLAY_NAME.to_string(),
            app_role: role.clone(),
        });
    }
    if let Ok(p) =
        endpoints::default_token_request(&mut before, host, &plan.audience, plan.selector.as_ref())
    {
        let _ = before.send(&plan.call_site, p.request);
    }
    sim.platform = before.platform;
    // The flow runs an hour later, so the cached token visibly counts down.
    let _ = sim.apply(Command::AdvanceClock { seconds: 3600 });
}

fn apply_what_if(sim: &mut Simulation, plan: &mut Plan, what_if: &WhatIf) -> Result<(), FlowError> {
    let delay = sim.world.propagation_delay();
    let host = plan.host.clone();
    match what_if {
        WhatIf::NoMetadataHeader => plan.no_metadata = true,
        WhatIf::WrongAudience { resource } => {
            plan.audience = resource.clone().unwrap_or_else(|| {
                if plan.audience.contains("storage") {
                    "https://vault.azure.net".to_string()
                } else {
                    "https://storage.azure.com/".to_string()
                }
            })
        }
        WhatIf::PickIdentity { by, identity } => {
            let chosen = match identity {
                Some(name) => {
                    let host = need(
                        host.as_ref().and_then(|h| sim.world.resource_named(h)),
                        "pickIdentity",
                        "the code does not run on an Azure resource",
                    )?;
                    let sel = if *name == host.name {
                        IdentitySelector::SystemAssigned
                    } else {
                        IdentitySelector::UserAssigned {
                            name: name.clone(),
                            by: SelectBy::ClientId,
                        }
                    };
                    choose_identity(&sim.world, host, Some(&sel))?
                }
                None => plan.chosen.clone(),
            };
            let chosen = need(chosen.as_ref(), "pickIdentity", "the host has no identity")?;
            let by = match by {
                PickBy::ClientId => SelectBy::ClientId,
                PickBy::ObjectId => SelectBy::ObjectId,
                PickBy::ResourceId => SelectBy::ResourceId,
            };
            plan.selector = Some(selector_for(chosen, by));
            plan.chosen = Some(chosen.clone());
        }
        WhatIf::NoClientId => plan.selector = None,
        WhatIf::RemoveRoleAssignment => {
            for (id, _, _) in granting_assignments(&sim.world, plan) {
                apply(sim, Command::RemoveRoleAssignment { assignment: id })?;
            }
        }
        WhatIf::RoleAtWrongScope { scope } => {
            let chosen = need(plan.chosen.as_ref(), "roleAtWrongScope", "no identity")?.clone();
            let scope = scope_text(&sim.world, scope);
            let granting = granting_assignments(&sim.world, plan);
            for (id, role, _) in &granting {
                apply(
                    sim,
                    Command::RemoveRoleAssignment {
                        assignment: id.clone(),
                    },
                )?;
                apply(
                    sim,
                    Command::AddRoleAssignment {
                        principal: chosen.name.clone(),
                        role: role.clone(),
                        scope: scope.clone(),
                        condition: None,
                    },
                )?;
            }
            apply(sim, Command::AdvanceClock { seconds: delay })?;
        }
        WhatIf::ControlPlaneRoleOnly { role } => {
            let chosen = need(plan.chosen.as_ref(), "controlPlaneRoleOnly", "no identity")?.clone();
            let role = role.clone().unwrap_or_else(|| "Contributor".to_string());
            for (id, _, scope) in granting_assignments(&sim.world, plan) {
                apply(sim, Command::RemoveRoleAssignment { assignment: id })?;
                let exists = sim.world.role_assignments().iter().any(|a| {
                    a.principal_id == chosen.principal
                        && a.scope.same_as(&scope)
                        && role_name(&sim.world, a.role_definition_id) == role
                });
                if !exists {
                    apply(
                        sim,
                        Command::AddRoleAssignment {
                            principal: chosen.name.clone(),
                            role: role.clone(),
                            scope: scope.to_string(),
                            condition: None,
                        },
                    )?;
                }
            }
            apply(sim, Command::AdvanceClock { seconds: delay })?;
        }
        WhatIf::AddRoleAssignment { role, scope } => {
            let chosen = need(plan.chosen.as_ref(), "addRoleAssignment", "no identity")?.clone();
            let scope = match scope {
                Some(s) => scope_text(&sim.world, s),
                None => need(
                    target_scope(&sim.world, plan.flow, &plan.operation).as_ref(),
                    "addRoleAssignment",
                    "the target has no scope",
                )?
                .to_string(),
            };
            apply(
                sim,
                Command::AddRoleAssignment {
                    principal: chosen.name,
                    role: role.clone(),
                    scope,
                    condition: None,
                },
            )?;
        }
        WhatIf::AdvanceClock { minutes } => apply(
            sim,
            Command::AdvanceClock {
                seconds: minutes * 60,
            },
        )?,
        WhatIf::ExpiredToken => plan.expired = true,
        WhatIf::CachedToken => {}
        WhatIf::DeleteResource { resource } => {
            let name = need(
                resource.as_ref().or(host.as_ref()),
                "deleteResource",
                "name the resource to delete",
            )?;
            apply(
                sim,
                Command::DeleteResource {
                    resource: name.clone(),
                },
            )?;
        }
        WhatIf::DeleteIdentity => {
            let chosen = need(plan.chosen.as_ref(), "deleteIdentity", "no identity")?.clone();
            let command = match (&chosen.uami, &host) {
                (Some(_), _) => Command::DeleteUserAssigned { name: chosen.name },
                (None, Some(h)) => Command::DisableSystemAssigned {
                    resource: h.clone(),
                },
                (None, None) => return Ok(()),
            };
            apply(sim, command)?;
        }
        WhatIf::DetachIdentity => {
            let chosen = need(plan.chosen.as_ref(), "detachIdentity", "no identity")?.clone();
            let host = need(host.as_ref(), "detachIdentity", "no host")?;
            if chosen.uami.is_none() {
                return Err(FlowError::WhatIf {
                    message: "what-if \"detachIdentity\": the flow uses a system-assigned identity"
                        .to_string(),
                });
            }
            apply(
                sim,
                Command::DetachUserAssigned {
                    resource: host.clone(),
                    identity: chosen.name,
                },
            )?;
        }
        WhatIf::DisableSystemAssigned => {
            let host = need(host.as_ref(), "disableSystemAssigned", "no host")?;
            apply(
                sim,
                Command::DisableSystemAssigned {
                    resource: host.clone(),
                },
            )?;
        }
        WhatIf::TransferSubscription { tenant } => {
            let host = need(
                host.as_ref().and_then(|h| sim.world.resource_named(h)),
                "transferSubscription",
                "the code does not run on an Azure resource",
            )?;
            let sub = need(
                sim.world.subscription(host.subscription_id),
                "transferSubscription",
                "no subscription",
            )?;
            let current = sub.tenant_id;
            let sub_name = sub.name.clone();
            let tenant = match tenant {
                Some(t) => t.clone(),
                None => need(
                    sim.world.tenants().iter().find(|t| t.id != current),
                    "transferSubscription",
                    "the world has only one tenant",
                )?
                .name
                .clone(),
            };
            apply(
                sim,
                Command::TransferSubscription {
                    subscription: sub_name,
                    tenant,
                },
            )?;
        }
        WhatIf::RunOnPremises { arc } => {
            if *arc {
                let server = need(
                    sim.world
                        .resources()
                        .iter()
                        .find(|r| r.kind == ResourceKind::ArcServer),
                    "runOnPremises",
                    "the scenario has no Arc-enabled server",
                )?;
                plan.host = Some(server.name.clone());
                plan.call_site = CallSite::Resource(server.id.clone());
                plan.chosen = choose_identity(&sim.world, server, None)?;
                plan.selector = None;
            } else {
                let server = need(
                    sim.world.on_prem_servers().first(),
                    "runOnPremises",
                    "the scenario has no on-premises server",
                )?;
                plan.host = None;
                plan.call_site = CallSite::OnPremises(server.name.clone());
                plan.chosen = None;
                plan.selector = None;
            }
        }
        WhatIf::CallFromOutside => {
            plan.host = None;
            plan.call_site = CallSite::Internet;
            plan.chosen = None;
            plan.selector = None;
        }
        WhatIf::CrossTenant { from } => {
            let target_tenant = target_tenant(&sim.world, plan);
            let other = match from {
                Some(name) => sim.world.resource_named(name),
                None => sim.world.resources().iter().find(|r| {
                    r.kind.identity_endpoint().is_some()
                        && r.system_assigned.is_some()
                        && Some(r.system_assigned.map(|s| s.tenant_id)) != Some(target_tenant)
                }),
            };
            let other = need(other, "crossTenant", "no code host in another tenant")?;
            plan.host = Some(other.name.clone());
            plan.call_site = CallSite::Resource(other.id.clone());
            plan.chosen = choose_identity(&sim.world, other, None)?;
            plan.selector = None;
        }
        WhatIf::SwitchPermissionModel => {
            let vault = need(
                sim.world
                    .resource_named(&plan.flow.target)
                    .and_then(|r| r.key_vault.as_ref()),
                "switchPermissionModel",
                "the target is not a key vault",
            )?;
            let model = match vault.permission_model {
                KeyVaultPermissionModel::Rbac => KeyVaultPermissionModel::AccessPolicies,
                KeyVaultPermissionModel::AccessPolicies => KeyVaultPermissionModel::Rbac,
            };
            apply(
                sim,
                Command::SetKeyVaultPermissionModel {
                    vault: plan.flow.target.clone(),
                    model,
                },
            )?;
        }
        WhatIf::RemoveAccessPolicy => {
            let chosen = need(plan.chosen.as_ref(), "removeAccessPolicy", "no identity")?.clone();
            apply(
                sim,
                Command::RemoveAccessPolicy {
                    vault: plan.flow.target.clone(),
                    principal: chosen.name,
                },
            )?;
        }
        WhatIf::RevokeAppRole => {
            let chosen = need(plan.chosen.as_ref(), "revokeAppRole", "no identity")?.clone();
            for role in app_roles_for(&sim.world, chosen.principal, GRAPH_APP_ID) {
                apply(
                    sim,
                    Command::RevokeAppRole {
                        principal: chosen.name.clone(),
                        resource_app: GRAPH_DISPLAY_NAME.to_string(),
                        app_role: role,
                    },
                )?;
            }
        }
        WhatIf::LeakSecret | WhatIf::WrongSubject { .. } => {
            return Err(FlowError::WhatIf {
                message: "this what-if applies to client-secret and federated flows only"
                    .to_string(),
            });
        }
    }
    Ok(())
}

/// A scope as written in a scenario (`stdata/containers/uploads`, `rg-web`, an ARM id) as the
/// ARM id commands take; unknown paths pass through so the command names them in its error.
fn scope_text(world: &World, scope: &str) -> String {
    crate::model::scenario::resolve_scope_path(world, scope)
        .map(|id| id.to_string())
        .unwrap_or_else(|| scope.to_string())
}

fn target_tenant(world: &World, plan: &Plan) -> Option<TenantId> {
    let r = world.resource_named(&plan.flow.target)?;
    world.subscription(r.subscription_id).map(|s| s.tenant_id)
}

/// Steps 6–9 (call, validate, access, answer) for a token code got without a managed
/// identity (an app's client secret, a federated credential), appended to `steps`.
pub(super) fn app_target_steps(
    sim: Simulation,
    flow: &Flow,
    call_site: CallSite,
    principal: ObjectId,
    client: ClientId,
    token: &AccessToken,
    steps: Vec<Step>,
) -> Result<(Vec<Step>, Option<Failure>), FlowError> {
    let plan = Plan {
        flow,
        operation: Operation::parse(&flow.operation).map_err(FlowError::Operation)?,
        audience: String::new(),
        host: None,
        call_site,
        chosen: Some(Chosen {
            name: flow.app.clone().unwrap_or_default(),
            uami: None,
            principal,
            client,
        }),
        selector: None,
        no_metadata: false,
        expired: false,
    };
    let mut walk = Walk {
        sim,
        steps,
        failure: None,
    };
    walk.target_steps(&plan, None, token);
    Ok((walk.steps, walk.failure))
}

/// A walk in progress.
struct Walk {
    sim: Simulation,
    steps: Vec<Step>,
    failure: Option<Failure>,
}

fn http_text(exchange: &Exchange) -> HttpText {
    let (response, status) = match &exchange.response {
        Reply::Response(r) => (r.to_text(), Some(r.status)),
        Reply::ConnectionFailed(e) => (e.to_string(), None),
    };
    HttpText {
        request: exchange.request.to_text(),
        response,
        status,
        simulated: exchange.simulated,
    }
}

fn error_text(exchange: &Exchange) -> String {
    match &exchange.response {
        Reply::Response(r) => {
            let body = r.body.trim();
            if body.is_empty() {
                format!("{} {}", r.status, r.reason)
            } else {
                format!("{} {}: {body}", r.status, r.reason)
            }
        }
        Reply::ConnectionFailed(e) => e.to_string(),
    }
}

fn arm_api_version(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::VirtualMachine | ResourceKind::VirtualMachineScaleSet => "2024-07-01",
        ResourceKind::AppService | ResourceKind::FunctionApp | ResourceKind::LogicApp => {
            "2023-12-01"
        }
        ResourceKind::AksCluster => "2024-09-01",
        ResourceKind::ContainerInstance => "2023-05-01",
        ResourceKind::DataFactory => "2018-06-01",
        ResourceKind::ApiManagement => "2022-08-01",
        ResourceKind::AutomationAccount => "2023-11-01",
        ResourceKind::UserAssignedIdentity => "2023-01-31",
        _ => "2023-01-01",
    }
}

impl Walk {
    fn now(&self) -> i64 {
        self.sim.now().0
    }

    fn push(
        &mut self,
        kind: StepKind,
        title: String,
        narration: String,
        elements: Vec<String>,
    ) -> &mut Step {
        let time = self.now();
        self.steps.push(Step {
            kind,
            title,
            narration,
            elements,
            http: Vec::new(),
            token: None,
            decision: None,
            time,
            status: StepStatus::Done,
            notes: Vec::new(),
        });
        let last = self.steps.len() - 1;
        &mut self.steps[last]
    }

    fn fail(&mut self, at: StepKind, status: Option<u16>, error: String) {
        if let Some(step) = self.steps.last_mut() {
            step.status = StepStatus::Failed;
        }
        self.failure = Some(Failure {
            at,
            status,
            error,
            fix: None,
        });
    }

    fn run(&mut self, plan: &Plan) {
        let host = plan
            .host
            .as_ref()
            .and_then(|h| self.sim.world.resource_named(h))
            .cloned();
        if !self.identity_steps(plan, host.as_ref()) {
            return;
        }
        let Some(token) = self.endpoint_steps(plan, host.as_ref()) else {
            return;
        };
        self.target_steps(plan, host.as_ref(), &token);
    }

    /// Steps 1–3: enable, service principal, credential. False if the flow stops.
    fn identity_steps(&mut self, plan: &Plan, host: Option<&Resource>) -> bool {
        let Some(host) = host else {
            let (title, why) = match (&plan.call_site, &plan.host) {
                (CallSite::OnPremises(name), _) => (
                    format!("{name} is not an Azure resource"),
                    format!(
                        "{name} runs outside Azure without the Azure Connected Machine agent \
                         (Azure Arc), so it cannot have a managed identity: there is no identity \
                         to enable, no service principal and no platform credential."
                    ),
                ),
                (CallSite::Internet, _) => (
                    "The code runs outside Azure".to_string(),
                    "The code runs on a machine on the internet. Managed identities exist only \
                     for code on Azure resources (and Arc-enabled servers)."
                        .to_string(),
                ),
                (_, Some(name)) => {
                    let title = format!("{name} no longer exists");
                    let why = format!(
                        "{name} was deleted. Its system-assigned identity and service principal \
                         went with it; its role assignments stay behind as \"Identity not \
                         found\". There is no code left to call an endpoint."
                    );
                    self.push(StepKind::Enable, title.clone(), why, Vec::new());
                    self.fail(StepKind::Enable, None, title);
                    return false;
                }
                _ => ("No host".to_string(), String::new()),
            };
            let step = self.push(StepKind::Enable, title, why, Vec::new());
            step.status = StepStatus::Skipped;
            return true;
        };
        let world = &self.sim.world;
        let Some(chosen) = plan.chosen.clone().filter(|c| {
            world.service_principal(c.principal).is_some()
                || world.broken_identities(host).iter().any(|_| true)
        }) else {
            let narration = format!(
                "{} ({}) has no managed identity enabled. Code on it can still call the \
                 identity endpoint, but there is no identity to get a token for: the request \
                 will fail. Enabling the system-assigned identity is one ARM request.",
                host.name,
                host.kind.display_name()
            );
            let step = self.push(
                StepKind::Enable,
                format!("{} has no managed identity", host.name),
                narration,
                vec![host.id.to_string()],
            );
            step.status = StepStatus::Skipped;
            return true;
        };
        self.enable_step(host, &chosen);
        self.service_principal_step(host, &chosen);
        self.credential_step(&chosen);
        true
    }

    fn enable_step(&mut self, host: &Resource, chosen: &Chosen) {
        let world = &self.sim.world;
        if host.kind == ResourceKind::ArcServer {
            let narration = format!(
                "{} runs outside Azure with the Azure Connected Machine agent. Onboarding it to \
                 Azure Arc created the resource {} and enabled its system-assigned identity; \
                 Arc-enabled servers support no user-assigned identities.",
                host.name, host.id
            );
            self.push(
                StepKind::Enable,
                format!("Azure Arc gives {} a system-assigned identity", host.name),
                narration,
                vec![host.id.to_string()],
            );
            return;
        }
        let block = identity_block(world, host);
        let body = match &chosen.uami {
            None => serde_json::json!({ "identity": { "type": "SystemAssigned" } }),
            Some(_) => {
                let mut map = serde_json::Map::new();
                for id in &host.user_assigned {
                    map.insert(id.to_string(), serde_json::json!({}));
                }
                serde_json::json!({ "identity": {
                    "type": block["type"].clone(),
                    "userAssignedIdentities": map,
                } })
            }
        };
        let request = HttpRequest::new(
            crate::model::http::Method::Put,
            "management.azure.com",
            &format!("{}?api-version={}", host.id, arm_api_version(host.kind)),
        )
        .with_header(
            "Authorization",
            "Bearer eyJ0eXAiOiJKV1Qi… (an administrator's token)",
        )
        .with_header("Content-Type", "application/json")
        .with_body(&body.to_string());
        let response = HttpResponse::json(200, &resource_json(world, host));
        let (title, narration) = match &chosen.uami {
            None => (
                format!("Enable the system-assigned identity on {}", host.name),
                format!(
                    "An administrator turns on the system-assigned identity of {} with one ARM \
                     request. ARM answers with the resource, whose identity block now carries \
                     the principalId and tenantId of a new identity. It lives and dies with {}: \
                     delete the {} and the identity goes too.",
                    host.name,
                    host.name,
                    host.kind.display_name().to_ascii_lowercase()
                ),
            ),
            Some(id) => (
                format!(
                    "Attach user-assigned identity {} to {}",
                    chosen.name, host.name
                ),
                format!(
                    "{} is a user-assigned identity: a resource of its own ({}), created \
                     separately and attached to {} with this ARM request. It can be shared by \
                     several resources and outlives them.",
                    chosen.name, id, host.name
                ),
            ),
        };
        let mut elements = vec![host.id.to_string()];
        if let Some(id) = &chosen.uami {
            elements.push(id.to_string());
        }
        let step = self.push(StepKind::Enable, title, narration, elements);
        step.http.push(HttpText {
            request: request.to_text(),
            response: response.to_text(),
            status: Some(200),
            simulated: false,
        });
        step.notes.push(Note {
            text: "The api-version is one current version for this resource type.".to_string(),
            simulated: true,
        });
    }

    fn service_principal_step(&mut self, host: &Resource, chosen: &Chosen) {
        let world = &self.sim.world;
        let broken = world.broken_identities(host);
        let Some((tenant, sp)) = world
            .service_principal(chosen.principal)
            .map(|(t, sp)| (t.clone(), sp.clone()))
        else {
            let narration = format!(
                "The identity's service principal (object id {}) no longer exists in any \
                 directory. {}",
                chosen.principal,
                broken.join(" ")
            );
            let step = self.push(
                StepKind::ServicePrincipal,
                "The service principal is missing".to_string(),
                narration,
                vec![chosen.principal.to_string()],
            );
            step.status = StepStatus::Skipped;
            return;
        };
        let body = serde_json::json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity",
            "id": sp.object_id.to_string(),
            "appId": sp.app_id.to_string(),
            "displayName": sp.display_name,
            "servicePrincipalType": "ManagedIdentity",
            "alternativeNames": sp.alternative_names,
        });
        let request = HttpRequest::get(
            "graph.microsoft.com",
            &format!("/v1.0/servicePrincipals/{}", sp.object_id),
            &[],
        )
        .with_header(
            "Authorization",
            "Bearer eyJ0eXAiOiJKV1Qi… (an administrator's token)",
        );
        let mut narration = format!(
            "Entra ID created a service principal for the identity in tenant {}: object id {} \
             (the principalId ARM shows; role assignments name it) and app id {} (the client \
             id code can ask for). A managed identity has only this service principal, no app \
             registration, and no secret anyone can read. Looking it up in Microsoft Graph \
             shows it.",
            tenant.name, sp.object_id, sp.app_id
        );
        if !broken.is_empty() {
            narration.push(' ');
            narration.push_str(&broken.join(" "));
        }
        let step = self.push(
            StepKind::ServicePrincipal,
            format!("Entra ID creates the service principal {}", sp.display_name),
            narration,
            vec![sp.object_id.to_string(), format!("entra:{}", tenant.id)],
        );
        step.time = sp.created_at.0;
        step.http.push(HttpText {
            request: request.to_text(),
            response: HttpResponse::json(200, &body).to_text(),
            status: Some(200),
            simulated: false,
        });
    }

    fn credential_step(&mut self, chosen: &Chosen) {
        const CYCLE: i64 = 45 * DAY;
        let created = self
            .sim
            .world
            .service_principal(chosen.principal)
            .map(|(_, sp)| sp.created_at.0)
            .unwrap_or_else(|| self.now());
        let now = self.now();
        let issued = created + (now - created).max(0) / CYCLE * CYCLE;
        let narration = format!(
            "Behind the scenes the platform gives the identity a certificate and registers it \
             with Entra ID. The current one was issued {}, expires {} (90 days) and will be \
             replaced {} (after 45 days). Code never sees it: it asks the local endpoint, and \
             the platform presents the certificate to Entra ID on its behalf.",
            SimTime(issued).iso8601(),
            SimTime(issued + 2 * CYCLE).iso8601(),
            SimTime(issued + CYCLE).iso8601(),
        );
        self.push(
            StepKind::Credential,
            "The platform provisions the identity's credential".to_string(),
            narration,
            vec![chosen.principal.to_string()],
        );
    }

    /// Steps 4–5. Returns the token the code got, or `None` if the flow stops.
    fn endpoint_steps(&mut self, plan: &Plan, host: Option<&Resource>) -> Option<AccessToken> {
        let (mut request, endpoint, env) = match host {
            Some(h) => match endpoints::default_token_request(
                &mut self.sim,
                &h.id,
                &plan.audience,
                plan.selector.as_ref(),
            ) {
                Ok(p) => (p.request, p.endpoint, p.env),
                Err(e) => {
                    let step = self.push(
                        StepKind::Endpoint,
                        format!("Code on {} cannot ask for a token", h.name),
                        e.to_string(),
                        vec![h.id.to_string()],
                    );
                    step.status = StepStatus::Failed;
                    self.fail(StepKind::Endpoint, None, e.to_string());
                    return None;
                }
            },
            None => (
                HttpRequest::get(
                    endpoints::IMDS_HOST,
                    endpoints::IMDS_TOKEN_PATH,
                    &[
                        ("api-version", endpoints::IMDS_API_VERSION),
                        ("resource", plan.audience.as_str()),
                    ],
                )
                .with_header("Metadata", "true"),
                IdentityEndpoint::Imds,
                Vec::new(),
            ),
        };
        if plan.no_metadata {
            request.headers.retain(|(n, _)| {
                !n.eq_ignore_ascii_case("Metadata") && !n.eq_ignore_ascii_case("X-IDENTITY-HEADER")
            });
        }
        let where_ = match (&plan.call_site, host) {
            (_, Some(h)) => h.name.clone(),
            (CallSite::OnPremises(name), None) => name.clone(),
            _ => "a laptop".to_string(),
        };
        let (title, mut narration) = match endpoint {
            IdentityEndpoint::Imds => (
                format!("Code on {where_} asks IMDS for a token"),
                format!(
                    "The code asks the Instance Metadata Service at 169.254.169.254 for a token \
                     for {}. The address is link-local: only code on the machine itself reaches \
                     it. IMDS refuses a request without the header Metadata: true (a guard \
                     against server-side request forgery) and one with X-Forwarded-For (a \
                     proxy).",
                    plan.audience
                ),
            ),
            IdentityEndpoint::AppService => (
                format!("Code on {where_} asks the App Service token endpoint"),
                format!(
                    "App Service runs a local token service and tells the code where through \
                     IDENTITY_ENDPOINT; the code proves it runs in the app with the secret in \
                     IDENTITY_HEADER, sent as X-IDENTITY-HEADER. It asks for a token for {}.",
                    plan.audience
                ),
            ),
            IdentityEndpoint::ArcHimds => (
                format!("Code on {where_} asks the Arc agent for a token"),
                format!(
                    "On an Arc-enabled server the agent (HIMDS) listens on localhost:40342. It \
                     first answers 401 with the path of a key file only privileged local users \
                     can read; the code reads the file and repeats the request with its \
                     contents. The token is for {}.",
                    plan.audience
                ),
            ),
            IdentityEndpoint::ServiceManaged => {
                (format!("{where_} gets its tokens itself"), String::new())
            }
        };
        if !env.is_empty() {
            let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
            narration.push_str(&format!(" The platform set {}.", vars.join(", ")));
        }
        let mut elements: Vec<String> = host.map(|h| vec![h.id.to_string()]).unwrap_or_default();
        elements.push(format!("endpoint:{endpoint:?}").to_ascii_lowercase());
        let mut exchanges = Vec::new();
        let mut exchange = match self.sim.send(&plan.call_site, request) {
            Ok(x) => x,
            Err(e) => {
                let step = self.push(StepKind::Endpoint, title, narration, elements);
                step.status = StepStatus::Failed;
                self.fail(StepKind::Endpoint, None, e.to_string());
                return None;
            }
        };
        if endpoint == IdentityEndpoint::ArcHimds
            && exchange.status() == Some(401)
            && let (Some(h), Some(path)) = (
                host,
                exchange.http().and_then(endpoints::arc_challenge_path),
            )
            && let Some(file) = self.sim.platform.arc_key_file(&h.id).cloned()
            && file.path == path
        {
            let again = endpoints::with_arc_secret(&exchange.request, &file.secret);
            exchanges.push(exchange);
            match self.sim.send(&plan.call_site, again) {
                Ok(x) => exchange = x,
                Err(e) => {
                    self.fail(StepKind::Endpoint, None, e.to_string());
                    return None;
                }
            }
        }
        exchanges.push(exchange.clone());
        let status = exchange.status();
        let token = exchange.token.clone().filter(|_| status == Some(200));
        let asked = elements.clone();
        {
            let step = self.push(StepKind::Endpoint, title, narration, elements);
            step.http = exchanges.iter().map(http_text).collect();
            step.notes = exchanges.iter().flat_map(|x| x.notes.clone()).collect();
        }
        let Some(token) = token else {
            self.fail(StepKind::Endpoint, status, error_text(&exchange));
            return None;
        };
        self.issue_step(plan, &token, exchange.token_source, &asked);
        Some(token)
    }

    /// The token step: Entra ID issues it, or the platform (`asked`: the host and endpoint the
    /// code asked) answers from its cache without reaching Entra ID.
    fn issue_step(
        &mut self,
        plan: &Plan,
        token: &AccessToken,
        source: Option<TokenSource>,
        asked: &[String],
    ) {
        let jwks = self.sim.platform.jwks(&self.sim.world);
        let claims = &token.claims;
        let claim = |name: &str| {
            claims
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let tid = claim("tid");
        let cached = source == Some(TokenSource::Cache);
        let (title, narration) = if cached {
            (
                "The platform answers from its token cache".to_string(),
                format!(
                    "The platform already holds a token for this identity and resource, issued \
                     {}: it returns the same token, with expires_in counting down ({} s left). \
                     Anything that changed since — app roles, group membership — is not in it \
                     until it expires; the cache cannot be flushed.",
                    SimTime(token.issued_at).iso8601(),
                    token.expires_on - self.now()
                ),
            )
        } else {
            (
                "Entra ID issues the token".to_string(),
                format!(
                    "The platform presents the identity's certificate to Entra ID, which signs \
                     an RS256 token with its key {}: audience {}, object id {}, app id {}, \
                     valid until {} (24 hours and 5 minutes after it was issued). Any service \
                     can verify it with Entra ID's published keys.",
                    token.kid,
                    claim("aud"),
                    claim("oid"),
                    claim("appid"),
                    SimTime(token.expires_on).iso8601()
                ),
            )
        };
        let mut elements = if cached {
            asked.to_vec()
        } else {
            vec![format!("entra:{tid}")]
        };
        if let Some(c) = &plan.chosen {
            elements.push(c.principal.to_string());
        }
        let view = token_view(&token.token, &jwks);
        let step = self.push(StepKind::Issue, title, narration, elements);
        step.time = if cached {
            step.time
        } else {
            token.issued_at.max(step.time)
        };
        step.token = view;
        if cached {
            step.status = StepStatus::Cached;
        }
    }

    /// Steps 6–9: call, validate, access, answer.
    fn target_steps(&mut self, plan: &Plan, host: Option<&Resource>, token: &AccessToken) {
        if plan.expired {
            // Past the 5 minutes of clock skew targets tolerate.
            let wait = token.expires_on - self.now() + 10 * 60;
            let _ = self.sim.apply(Command::AdvanceClock {
                seconds: wait.max(0),
            });
        }
        let world = &self.sim.world;
        let Ok(request) = plan.operation.request(world, &plan.flow.target) else {
            return;
        };
        let request = request.with_header("Authorization", &format!("Bearer {}", token.token));
        let target = world.resource_named(&plan.flow.target);
        let target_id = target
            .map(|t| t.id.to_string())
            .unwrap_or_else(|| "graph".to_string());
        let service = match target {
            Some(t) => format!("{} {}", t.kind.display_name(), t.name),
            None => GRAPH.to_string(),
        };
        let from = host
            .map(|h| h.name.clone())
            .unwrap_or_else(|| "the code".to_string());
        let call_narration = format!(
            "Code on {from} calls {service} ({}) and sends the token in the Authorization \
             header as a bearer token. The target never talks to IMDS: the token alone says \
             who is calling.",
            plan.operation.verb()
        );
        let host_elements: Vec<String> = host.map(|h| vec![h.id.to_string()]).unwrap_or_default();
        let mut call_elements = host_elements.clone();
        call_elements.push(target_id.clone());
        let exchange = match self.sim.send(&plan.call_site, request) {
            Ok(x) => x,
            Err(e) => {
                let title = format!("Code calls {service}");
                self.push(StepKind::Call, title, call_narration, call_elements);
                self.fail(StepKind::Call, None, e.to_string());
                return;
            }
        };
        let text = http_text(&exchange);
        {
            let step = self.push(
                StepKind::Call,
                format!("Code calls {service} with the token"),
                call_narration,
                call_elements,
            );
            step.http.push(text.clone());
            step.notes = exchange.notes.clone();
        }
        let status = exchange.status();
        let tid = token
            .claims
            .get("tid")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let validate_narration = format!(
            "Before anything else {service} validates the token: the RS256 signature against \
             Entra ID's published keys (kid {}), the issuer (the tenant that owns the target), \
             the audience (the token must be meant for this service; this one says {}) and the \
             lifetime (not before {}, expires {}; it is now {}).",
            token.kid,
            token
                .claims
                .get("aud")
                .and_then(|v| v.as_str())
                .unwrap_or_default(),
            SimTime(token.issued_at).iso8601(),
            SimTime(token.expires_on).iso8601(),
            self.sim.now().iso8601()
        );
        let step = self.push(
            StepKind::Validate,
            format!("{service} validates the token"),
            validate_narration,
            vec![target_id.clone(), format!("entra:{tid}")],
        );
        step.http.push(text.clone());
        if status == Some(401) || (exchange.decision.is_none() && status.is_some_and(|s| s >= 400))
        {
            self.fail(StepKind::Validate, status, error_text(&exchange));
            return;
        }
        let decision = exchange.decision.clone();
        let mut access_elements = vec![target_id.clone()];
        if let Some(c) = &plan.chosen {
            access_elements.push(c.principal.to_string());
        }
        if let Some(d) = &decision {
            access_elements.extend(decision_assignments(d));
        }
        let question = decision
            .as_ref()
            .and_then(|d| d.trace.first())
            .map(|l| l.text.clone())
            .unwrap_or_default();
        let reason = decision
            .as_ref()
            .map(|d| d.reason.to_string())
            .unwrap_or_default();
        let step = self.push(
            StepKind::Access,
            format!("{service} checks access"),
            format!("{question} {reason}.").trim().to_string(),
            access_elements,
        );
        step.decision = decision.as_ref().map(DecisionView::from);
        step.http.push(text.clone());
        if status.is_some_and(|s| s >= 400) {
            self.fail(StepKind::Access, status, error_text(&exchange));
            return;
        }
        let mut answer_elements = vec![target_id];
        answer_elements.extend(host_elements);
        let step = self.push(
            StepKind::Answer,
            format!("{service} answers {}", status.unwrap_or_default()),
            format!(
                "{service} answers {} and the code has what it asked for — without a secret \
                 anywhere in its code or configuration.",
                status
                    .map(|s| format!("{s} {}", crate::model::http::reason_phrase(s)))
                    .unwrap_or_default()
            ),
            answer_elements,
        );
        step.http.push(text);
    }
}

fn decision_assignments(d: &Decision) -> Vec<String> {
    use crate::model::rbac::DecisionReason::*;
    match &d.reason {
        AllowedByRoleAssignment { assignment_id, .. } | NotYetPropagated { assignment_id, .. } => {
            vec![assignment_id.clone()]
        }
        _ => Vec::new(),
    }
}

/// The smallest change that makes the flow succeed, verified by walking again.
/// `sim` is the simulation the walk started from; `after` the one the what-ifs produced.
fn find_fix(
    sim: &Simulation,
    after: &Simulation,
    flow: &Flow,
    what_ifs: &[WhatIf],
    failure: &Failure,
) -> Option<Fix> {
    let succeeds = |sim: &Simulation, what_ifs: &[WhatIf]| {
        walk_once(sim, flow, what_ifs).is_ok_and(|w| w.succeeded())
    };
    // A what-if broke it: turning that one off is the smallest fix.
    for (index, what_if) in what_ifs.iter().enumerate() {
        let mut without = what_ifs.to_vec();
        without.remove(index);
        if succeeds(sim, &without) {
            return Some(Fix {
                title: format!("Undo the change: {}", describe(what_if)),
                action: FixAction::DropWhatIf { index },
            });
        }
    }
    let mut plan = plan(&sim.world, flow).ok()?;
    let mut scratch = sim.clone();
    for what_if in what_ifs {
        // Re-applied only to learn how the what-ifs re-aimed the plan (host, identity).
        apply_what_if(&mut scratch, &mut plan, what_if).ok()?;
    }
    let candidates = world_fixes(after, &plan, failure);
    for fix in candidates {
        match &fix.action {
            FixAction::Apply { commands } => {
                let mut fixed = sim.clone();
                if commands.iter().all(|c| fixed.apply(c.clone()).is_ok())
                    && succeeds(&fixed, what_ifs)
                {
                    return Some(fix);
                }
            }
            FixAction::AddWhatIf { what_if } => {
                let mut with = what_ifs.to_vec();
                with.push(what_if.clone());
                if succeeds(sim, &with) {
                    return Some(fix);
                }
            }
            FixAction::Explain | FixAction::DropWhatIf { .. } => return Some(fix),
        }
    }
    None
}

/// Fixes to try, smallest first, from what the failure says.
fn world_fixes(sim: &Simulation, plan: &Plan, failure: &Failure) -> Vec<Fix> {
    let world = &sim.world;
    let mut fixes = Vec::new();
    let delay = world.propagation_delay();
    let host = plan.host.as_ref().and_then(|h| world.resource_named(h));
    match failure.at {
        StepKind::Endpoint | StepKind::Enable => {
            if let Some(h) = host {
                if failure.error.contains("Multiple user assigned identities")
                    && let Some(first) = h.user_assigned.first().and_then(|id| world.resource(id))
                {
                    fixes.push(Fix {
                        title: format!(
                            "Name the identity in the request: client_id of {}",
                            first.name
                        ),
                        action: FixAction::AddWhatIf {
                            what_if: WhatIf::PickIdentity {
                                by: PickBy::ClientId,
                                identity: Some(first.name.clone()),
                            },
                        },
                    });
                }
                if let Some(c) = &plan.chosen
                    && let Some(uami) = &c.uami
                    && !h.user_assigned.iter().any(|id| id.same_as(uami))
                {
                    fixes.push(Fix {
                        title: format!(
                            "Attach the user-assigned identity {} to {}",
                            c.name, h.name
                        ),
                        action: FixAction::Apply {
                            commands: vec![Command::AttachUserAssigned {
                                resource: h.name.clone(),
                                identity: c.name.clone(),
                            }],
                        },
                    });
                }
                if h.system_assigned.is_none() && h.kind.supports_system_assigned() {
                    fixes.push(Fix {
                        title: format!("Enable the system-assigned identity on {}", h.name),
                        action: FixAction::Apply {
                            commands: vec![Command::EnableSystemAssigned {
                                resource: h.name.clone(),
                            }],
                        },
                    });
                }
            }
            if matches!(plan.call_site, CallSite::OnPremises(_)) {
                fixes.push(Fix {
                    title: "Onboard the server to Azure Arc: the Connected Machine agent gives it \
                            a system-assigned identity and a local token endpoint"
                        .to_string(),
                    action: FixAction::Explain,
                });
            }
        }
        StepKind::Access => {
            let chosen = plan.chosen.as_ref();
            if let (Some(c), Some(scope)) =
                (chosen, target_scope(world, plan.flow, &plan.operation))
            {
                // Recompute the decision to read its structured suggestion.
                let action = action_of(world, plan);
                if let Some(action) = action {
                    let d = crate::model::rbac::check_access(world, c.principal, &action, &scope);
                    match d.suggestion {
                        Some(Suggestion::AssignRole {
                            role_name,
                            scope,
                            scope_label,
                            ..
                        }) => fixes.push(Fix {
                            title: format!(
                                "Assign {role_name} to {} at {scope_label}, then wait {} min \
                                 for it to propagate",
                                c.name,
                                delay / 60
                            ),
                            action: FixAction::Apply {
                                commands: vec![
                                    Command::AddRoleAssignment {
                                        principal: c.name.clone(),
                                        role: role_name,
                                        scope: scope.to_string(),
                                        condition: None,
                                    },
                                    Command::AdvanceClock { seconds: delay },
                                ],
                            },
                        }),
                        Some(Suggestion::WaitForPropagation { seconds }) => {
                            let minutes = (seconds + 59) / 60;
                            let title =
                                format!("Wait {minutes} min for the role assignment to propagate");
                            fixes.push(Fix {
                                title: title.clone(),
                                action: FixAction::Apply {
                                    commands: vec![Command::AdvanceClock { seconds }],
                                },
                            });
                            // When a what-if made the assignment, the wait must come after it.
                            fixes.push(Fix {
                                title,
                                action: FixAction::AddWhatIf {
                                    what_if: WhatIf::AdvanceClock { minutes },
                                },
                            });
                        }
                        Some(Suggestion::AddAccessPolicy {
                            vault,
                            category,
                            permission,
                        }) => {
                            let list = vec![permission.clone()];
                            let (keys, secrets, certificates) = match category.as_str() {
                                "keys" => (list, Vec::new(), Vec::new()),
                                "certificates" => (Vec::new(), Vec::new(), list),
                                _ => (Vec::new(), list, Vec::new()),
                            };
                            fixes.push(Fix {
                                title: format!(
                                    "Add an access policy on {vault} giving {} {category} {permission}",
                                    c.name
                                ),
                                action: FixAction::Apply {
                                    commands: vec![Command::SetAccessPolicy {
                                        vault,
                                        principal: c.name.clone(),
                                        keys,
                                        secrets,
                                        certificates,
                                    }],
                                },
                            });
                        }
                        _ => {}
                    }
                }
            }
            if plan.flow.target == GRAPH
                && let Some(c) = chosen
            {
                let grant = Command::GrantAppRole {
                    principal: c.name.clone(),
                    resource_app: GRAPH_DISPLAY_NAME.to_string(),
                    app_role: "User.Read.All".to_string(),
                };
                fixes.push(Fix {
                    title: format!(
                        "Grant {} the Microsoft Graph app role User.Read.All (with Graph \
                         PowerShell or the CLI; the portal cannot)",
                        c.name
                    ),
                    action: FixAction::Apply {
                        commands: vec![grant.clone()],
                    },
                });
                fixes.push(Fix {
                    title: format!(
                        "Grant {} User.Read.All, then wait for the cached token (without the \
                         role) to expire: up to 24 hours",
                        c.name
                    ),
                    action: FixAction::Apply {
                        commands: vec![grant, Command::AdvanceClock { seconds: 86_700 }],
                    },
                });
            }
        }
        StepKind::Validate => {
            let other_tenant = match (&plan.call_site, target_tenant(world, plan)) {
                (CallSite::Resource(id), Some(t)) => world
                    .resource(id)
                    .and_then(|r| world.subscription(r.subscription_id))
                    .is_some_and(|s| s.tenant_id != t),
                _ => false,
            };
            if other_tenant || failure.error.contains("AKV10032") {
                fixes.push(Fix {
                    title: "A managed identity works only in its own tenant: to reach another \
                            tenant, federate it with an app registration there (workload \
                            identity federation)"
                        .to_string(),
                    action: FixAction::Explain,
                });
            }
        }
        _ => {}
    }
    fixes
}

/// The RBAC action a flow's operation performs (read from the target's decision).
fn action_of(world: &World, plan: &Plan) -> Option<crate::model::rbac::Action> {
    use crate::model::rbac::Action;
    let a = |s: &str| Some(Action::data(s));
    match &plan.operation {
        Operation::GetSecret(_) => a("Microsoft.KeyVault/vaults/secrets/getSecret/action"),
        Operation::SetSecret(_) => a("Microsoft.KeyVault/vaults/secrets/setSecret/action"),
        Operation::GetKey(_) => a("Microsoft.KeyVault/vaults/keys/read"),
        Operation::GetCertificate(_) => a("Microsoft.KeyVault/vaults/certificates/read"),
        Operation::ReadBlob(..) | Operation::ListBlobs(_) => {
            a("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read")
        }
        Operation::WriteBlob(..) => {
            a("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write")
        }
        Operation::SendQueueMessage(_) => {
            a("Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action")
        }
        Operation::ReadQueueMessages(_) => {
            a("Microsoft.Storage/storageAccounts/queueServices/queues/messages/read")
        }
        Operation::QueryTable(_) => {
            a("Microsoft.Storage/storageAccounts/tableServices/tables/entities/read")
        }
        Operation::SendMessage(_) => {
            let kind = world.resource_named(&plan.flow.target).map(|r| r.kind);
            if kind == Some(ResourceKind::EventHubsNamespace) {
                a("Microsoft.EventHub/namespaces/messages/send/action")
            } else {
                a("Microsoft.ServiceBus/namespaces/messages/send/action")
            }
        }
        Operation::ReadResource => Some(Action::control(&format!(
            "{}/read",
            world
                .resource_named(&plan.flow.target)
                .map(|r| r.kind.arm_type())
                .unwrap_or("Microsoft.Resources/subscriptions/resourceGroups")
        ))),
        Operation::ListKeys => Some(Action::control(
            "Microsoft.Storage/storageAccounts/listKeys/action",
        )),
        Operation::ListUsers | Operation::QueryDatabase(_) => None,
    }
}

/// What a what-if changed, in words, for "Undo the change: …".
pub fn describe(what_if: &WhatIf) -> String {
    use WhatIf::*;
    match what_if {
        NoMetadataHeader => "send the Metadata header again".into(),
        WrongAudience { .. } => "ask for a token for the target's own audience".into(),
        PickIdentity { .. } => "stop naming the identity in the request".into(),
        NoClientId => "name the identity in the request again".into(),
        RemoveRoleAssignment => "restore the role assignment".into(),
        RoleAtWrongScope { .. } => "put the role assignment back at its scope".into(),
        ControlPlaneRoleOnly { .. } => "give back the data role".into(),
        AddRoleAssignment { .. } => "do not add the role assignment".into(),
        AdvanceClock { .. } => "do not advance the clock".into(),
        ExpiredToken => "use a fresh token".into(),
        CachedToken => "use a freshly issued token".into(),
        DeleteResource { .. } => "keep the resource".into(),
        DeleteIdentity => "keep the identity".into(),
        DetachIdentity => "keep the identity attached".into(),
        DisableSystemAssigned => "keep the system-assigned identity enabled".into(),
        TransferSubscription { .. } => "keep the subscription in its tenant".into(),
        RunOnPremises { .. } => "run the code on the Azure resource".into(),
        CallFromOutside => "run the code on the Azure resource".into(),
        CrossTenant { .. } => "call from a resource in the target's tenant".into(),
        SwitchPermissionModel => "switch the vault back to its permission model".into(),
        RemoveAccessPolicy => "restore the access policy".into(),
        RevokeAppRole => "grant the app role again".into(),
        LeakSecret => "keep the secret secret".into(),
        WrongSubject { .. } => "present the subject the federated credential expects".into(),
    }
}
