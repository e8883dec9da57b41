//! `World::apply`: each command validates everything first and only then changes the
//! world, so a refused command leaves the world exactly as it was.

use super::command::{Command, CommandError, Event, OrphanReason};
use super::directory::{
    AppRole, AppRoleAssignment, Application, DeletedPrincipal, FederatedCredential, GRAPH_APP_ID,
    GRAPH_DISPLAY_NAME, ServicePrincipal, ServicePrincipalType, Tenant, graph_app_roles,
};
use super::resources::{
    AccessPolicy, ChildKind, ChildObject, KeyVaultPermissionModel, KeyVaultSettings,
    ManagementGroup, OnPremServer, Resource, ResourceGroup, ResourceKind, Subscription,
    SystemAssigned, UserAssignedProps, resource_id,
};
use super::{
    MAX_ACCESS_POLICIES, MAX_CUSTOM_ROLES_PER_TENANT, MAX_FEDERATED_CREDENTIALS,
    MAX_ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP, MAX_ROLE_ASSIGNMENTS_PER_SUBSCRIPTION, ScopeLevel,
    World,
};
use crate::model::ids::{ClientId, Guid, ObjectId, ResourceId, SubscriptionId, TenantId};
use crate::model::rbac::{DenyAssignment, IndexCache, RoleAssignment, keyvault};
use crate::model::roles::{self, CustomRoleError, Permission, RoleDefinition, RoleType};

type Outcome = Result<Vec<Event>, CommandError>;

impl World {
    /// Applies one command. On `Ok` the events say what happened; on `Err` the world is
    /// unchanged and the error says what is wrong.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, CommandError> {
        let events = self.dispatch(command)?;
        self.cache = IndexCache::default();
        Ok(events)
    }

    fn dispatch(&mut self, command: Command) -> Outcome {
        use Command::*;
        match command {
            AddTenant { name } => self.add_tenant(name),
            AddManagementGroup {
                tenant,
                name,
                parent,
            } => self.add_management_group(&tenant, name, parent),
            AddSubscription {
                name,
                tenant,
                management_group,
            } => self.add_subscription(name, &tenant, management_group),
            AddResourceGroup {
                subscription,
                name,
                location,
            } => self.add_resource_group(&subscription, name, location),
            AddResource {
                subscription,
                resource_group,
                name,
                kind,
                location,
            } => {
                if kind == ResourceKind::UserAssignedIdentity {
                    return Err(CommandError::UseIdentityCommand {
                        instead: "CreateUserAssigned".into(),
                    });
                }
                self.add_resource(&subscription, &resource_group, name, kind, location)
            }
            AddChildObject {
                resource,
                kind,
                name,
            } => self.add_child(&resource, kind, name),
            AddOnPremServer { name } => self.add_on_prem(name),
            DeleteResource { resource } => self.delete_resource(&resource),
            EnableSystemAssigned { resource } => self.enable_system_assigned(&resource),
            DisableSystemAssigned { resource } => self.disable_system_assigned(&resource),
            CreateUserAssigned {
                subscription,
                resource_group,
                name,
                location,
            } => self.add_resource(
                &subscription,
                &resource_group,
                name,
                ResourceKind::UserAssignedIdentity,
                location,
            ),
            DeleteUserAssigned { name } => {
                let i = self.find_uami(&name)?;
                Ok(self.remove_resource(i))
            }
            AttachUserAssigned { resource, identity } => self.attach(&resource, &identity),
            DetachUserAssigned { resource, identity } => self.detach(&resource, &identity),
            AddRoleAssignment {
                principal,
                role,
                scope,
                condition,
            } => self.add_role_assignment(&principal, &role, &scope, condition),
            RemoveRoleAssignment { assignment } => self.remove_role_assignment(&assignment),
            AddDenyAssignment {
                name,
                scope,
                principals,
                exclude_principals,
                permissions,
                do_not_apply_to_child_scopes,
            } => self.add_deny(
                name,
                &scope,
                &principals,
                &exclude_principals,
                permissions,
                do_not_apply_to_child_scopes,
            ),
            AddCustomRole {
                name,
                description,
                permissions,
                assignable_scopes,
            } => self.add_custom_role(name, description, permissions, assignable_scopes),
            SetKeyVaultPermissionModel { vault, model } => {
                let i = self.find_vault(&vault)?;
                let r = &mut self.resources[i];
                if let Some(kv) = r.key_vault.as_mut() {
                    kv.permission_model = model;
                }
                Ok(vec![Event::PermissionModelChanged {
                    vault: r.name.clone(),
                    model,
                }])
            }
            SetAccessPolicy {
                vault,
                principal,
                keys,
                secrets,
                certificates,
            } => self.set_access_policy(&vault, &principal, keys, secrets, certificates),
            RemoveAccessPolicy { vault, principal } => {
                self.remove_access_policy(&vault, &principal)
            }
            AddAppRegistration {
                tenant,
                name,
                app_roles,
            } => self.add_app(&tenant, name, app_roles),
            GrantAppRole {
                principal,
                resource_app,
                app_role,
            } => self.grant_app_role(&principal, &resource_app, &app_role),
            RevokeAppRole {
                principal,
                resource_app,
                app_role,
            } => self.revoke_app_role(&principal, &resource_app, &app_role),
            AddFederatedCredential {
                identity,
                name,
                issuer,
                subject,
                audiences,
            } => self.add_fic(
                &identity,
                FederatedCredential {
                    name,
                    issuer,
                    subject,
                    audiences,
                },
            ),
            MoveResource {
                resource,
                subscription,
                resource_group,
            } => self.move_resource(&resource, &subscription, &resource_group),
            TransferSubscription {
                subscription,
                tenant,
            } => self.transfer(&subscription, &tenant),
            AdvanceClock { seconds } => {
                if seconds <= 0 {
                    return Err(CommandError::InvalidDuration { seconds });
                }
                self.now = self.now.plus(seconds);
                Ok(vec![Event::ClockAdvanced {
                    now: self.now,
                    label: self.now.day_label(self.start),
                }])
            }
            SetPropagationDelay { seconds } => {
                if seconds < 0 {
                    return Err(CommandError::InvalidDuration { seconds });
                }
                self.propagation_delay = seconds;
                Ok(vec![Event::PropagationDelayChanged { seconds }])
            }
        }
    }

    // ----- lookups (no mutation) -----

    fn find_tenant(&self, name: &str) -> Result<usize, CommandError> {
        self.tenants
            .iter()
            .position(|t| {
                t.name.eq_ignore_ascii_case(name) || t.id.to_string().eq_ignore_ascii_case(name)
            })
            .ok_or_else(|| CommandError::TenantNotFound {
                name: name.to_string(),
            })
    }

    fn tenant_pos(&self, id: TenantId) -> Option<usize> {
        self.tenants.iter().position(|t| t.id == id)
    }

    fn tenant_name(&self, id: TenantId) -> String {
        self.tenant(id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn find_sub(&self, name: &str) -> Result<&Subscription, CommandError> {
        self.subscription_named(name)
            .ok_or_else(|| CommandError::SubscriptionNotFound {
                name: name.to_string(),
            })
    }

    fn find_resource(&self, name: &str) -> Result<usize, CommandError> {
        let pos = if name.starts_with('/') {
            self.resources
                .iter()
                .position(|r| r.id.same_as(&ResourceId(name.to_string())))
        } else {
            self.resources
                .iter()
                .position(|r| r.name.eq_ignore_ascii_case(name))
        };
        pos.ok_or_else(|| CommandError::ResourceNotFound {
            name: name.to_string(),
        })
    }

    fn find_uami(&self, name: &str) -> Result<usize, CommandError> {
        let i = self.find_resource(name)?;
        if self.resources[i].identity.is_none() {
            return Err(CommandError::NotAUserAssignedIdentity {
                name: name.to_string(),
            });
        }
        Ok(i)
    }

    fn find_vault(&self, name: &str) -> Result<usize, CommandError> {
        let i = self.find_resource(name)?;
        if self.resources[i].key_vault.is_none() {
            return Err(CommandError::NotAKeyVault {
                name: name.to_string(),
            });
        }
        Ok(i)
    }

    fn sub_tenant(&self, sub: SubscriptionId) -> Option<TenantId> {
        self.subscription(sub).map(|s| s.tenant_id)
    }

    /// A live service principal in `tenant` by object id or display name.
    fn resolve_principal(&self, text: &str, tenant: TenantId) -> Result<ObjectId, CommandError> {
        let not_found = || CommandError::PrincipalNotFound {
            principal: text.to_string(),
            tenant: self.tenant_name(tenant),
        };
        let t = self.tenant(tenant).ok_or_else(not_found)?;
        if let Ok(guid) = Guid::parse(text.trim()) {
            return t
                .service_principal(ObjectId(guid))
                .map(|sp| sp.object_id)
                .ok_or_else(not_found);
        }
        let hits: Vec<&ServicePrincipal> = t
            .service_principals
            .iter()
            .filter(|sp| sp.display_name.eq_ignore_ascii_case(text))
            .collect();
        match hits.as_slice() {
            [one] => Ok(one.object_id),
            [] => Err(not_found()),
            _ => Err(CommandError::AmbiguousName {
                name: text.to_string(),
            }),
        }
    }

    /// A principal anywhere: live by name or id, or any object id (for orphans).
    fn principal_anywhere(&self, text: &str) -> Option<ObjectId> {
        if let Ok(guid) = Guid::parse(text.trim()) {
            return Some(ObjectId(guid));
        }
        self.tenants
            .iter()
            .flat_map(|t| &t.service_principals)
            .find(|sp| sp.display_name.eq_ignore_ascii_case(text))
            .map(|sp| sp.object_id)
    }

    fn name_taken(&self, name: &str) -> bool {
        self.resources
            .iter()
            .any(|r| r.name.eq_ignore_ascii_case(name))
            || self
                .on_prem_servers
                .iter()
                .any(|s| s.name.eq_ignore_ascii_case(name))
    }

    fn principal_name(&self, id: ObjectId) -> String {
        self.principal_info(id).display_name
    }

    fn role_name_of(&self, id: Guid) -> String {
        self.role_definition(id)
            .map(|r| r.role_name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    // ----- small mutations (infallible) -----

    fn mint_sp(
        &mut self,
        tenant: usize,
        display_name: &str,
        kind: ServicePrincipalType,
        alternative_names: Vec<String>,
    ) -> (ObjectId, ClientId, Event) {
        let object_id = ObjectId(self.ids.guid());
        let app_id = ClientId(self.ids.guid());
        self.tenants[tenant]
            .service_principals
            .push(ServicePrincipal {
                object_id,
                app_id,
                display_name: display_name.to_string(),
                service_principal_type: kind,
                alternative_names,
                app_roles: Vec::new(),
                created_at: self.now,
            });
        let event = Event::ServicePrincipalCreated {
            display_name: display_name.to_string(),
            object_id,
            app_id,
        };
        (object_id, app_id, event)
    }

    /// Deletes a service principal wherever it lives, records its deletion, drops its
    /// app-role assignments and reports the role assignments it leaves orphaned.
    fn delete_sp(&mut self, id: ObjectId) -> Vec<Event> {
        let mut events = Vec::new();
        let now = self.now;
        for tenant in &mut self.tenants {
            if let Some(pos) = tenant
                .service_principals
                .iter()
                .position(|sp| sp.object_id == id)
            {
                let sp = tenant.service_principals.remove(pos);
                tenant.app_role_assignments.retain(|a| a.principal_id != id);
                tenant.deleted_principals.push(DeletedPrincipal {
                    object_id: sp.object_id,
                    app_id: sp.app_id,
                    display_name: sp.display_name.clone(),
                    service_principal_type: sp.service_principal_type,
                    deleted_at: now,
                });
                events.push(Event::ServicePrincipalDeleted {
                    display_name: sp.display_name,
                    object_id: id,
                });
            }
        }
        for a in self
            .role_assignments
            .iter()
            .filter(|a| a.principal_id == id)
        {
            events.push(Event::RoleAssignmentOrphaned {
                assignment_id: a.id.clone(),
                role: self.role_name_of(a.role_definition_id),
                reason: OrphanReason::PrincipalDeleted,
            });
        }
        events
    }

    fn scope_orphans(&self, scope: &ResourceId) -> Vec<Event> {
        self.role_assignments
            .iter()
            .filter(|a| a.scope.is_within(scope))
            .map(|a| Event::RoleAssignmentOrphaned {
                assignment_id: a.id.clone(),
                role: self.role_name_of(a.role_definition_id),
                reason: OrphanReason::ScopeGone,
            })
            .collect()
    }

    // ----- commands -----

    fn add_tenant(&mut self, name: String) -> Outcome {
        if self.tenant_named(&name).is_some() {
            return Err(CommandError::NameTaken {
                what: "tenant".into(),
                name,
            });
        }
        let id = TenantId(self.ids.guid());
        let graph_id = ObjectId(self.ids.guid());
        let domain = format!("{}.onmicrosoft.com", name.to_ascii_lowercase());
        self.tenants.push(Tenant {
            id,
            name: name.clone(),
            default_domain: domain,
            service_principals: vec![ServicePrincipal {
                object_id: graph_id,
                app_id: GRAPH_APP_ID,
                display_name: GRAPH_DISPLAY_NAME.to_string(),
                service_principal_type: ServicePrincipalType::Application,
                alternative_names: Vec::new(),
                app_roles: graph_app_roles(),
                created_at: self.now,
            }],
            applications: Vec::new(),
            app_role_assignments: Vec::new(),
            deleted_principals: Vec::new(),
        });
        Ok(vec![Event::TenantCreated {
            name,
            tenant_id: id,
        }])
    }

    fn add_management_group(
        &mut self,
        tenant: &str,
        name: String,
        parent: Option<String>,
    ) -> Outcome {
        let t = self.find_tenant(tenant)?;
        let tenant_id = self.tenants[t].id;
        if self
            .management_groups
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(&name))
        {
            return Err(CommandError::NameTaken {
                what: "management group".into(),
                name,
            });
        }
        let parent = match parent {
            None => None,
            Some(p) => {
                let mg = self
                    .management_groups
                    .iter()
                    .find(|m| m.name.eq_ignore_ascii_case(&p))
                    .ok_or(CommandError::ManagementGroupNotFound { name: p.clone() })?;
                if mg.tenant_id != tenant_id {
                    return Err(CommandError::ManagementGroupInOtherTenant { name: p });
                }
                Some(mg.name.clone())
            }
        };
        self.management_groups.push(ManagementGroup {
            name: name.clone(),
            tenant_id,
            parent,
        });
        Ok(vec![Event::ManagementGroupCreated { name }])
    }

    fn add_subscription(&mut self, name: String, tenant: &str, mg: Option<String>) -> Outcome {
        let t = self.find_tenant(tenant)?;
        let tenant_id = self.tenants[t].id;
        if self.subscription_named(&name).is_some() {
            return Err(CommandError::NameTaken {
                what: "subscription".into(),
                name,
            });
        }
        let mg = match mg {
            None => None,
            Some(p) => {
                let group = self
                    .management_groups
                    .iter()
                    .find(|m| m.name.eq_ignore_ascii_case(&p))
                    .ok_or(CommandError::ManagementGroupNotFound { name: p.clone() })?;
                if group.tenant_id != tenant_id {
                    return Err(CommandError::ManagementGroupInOtherTenant { name: p });
                }
                Some(group.name.clone())
            }
        };
        let id = SubscriptionId(self.ids.guid());
        self.subscriptions.push(Subscription {
            id,
            name: name.clone(),
            tenant_id,
            management_group: mg,
        });
        Ok(vec![Event::SubscriptionCreated {
            name,
            subscription_id: id,
            tenant: self.tenants[t].name.clone(),
        }])
    }

    fn add_resource_group(
        &mut self,
        subscription: &str,
        name: String,
        location: String,
    ) -> Outcome {
        let sub = self.find_sub(subscription)?.id;
        if self
            .resource_groups
            .iter()
            .any(|g| g.subscription_id == sub && g.name.eq_ignore_ascii_case(&name))
        {
            return Err(CommandError::NameTaken {
                what: "resource group".into(),
                name,
            });
        }
        self.resource_groups.push(ResourceGroup {
            subscription_id: sub,
            name: name.clone(),
            location,
        });
        Ok(vec![Event::ResourceGroupCreated { name }])
    }

    fn add_resource(
        &mut self,
        subscription: &str,
        resource_group: &str,
        name: String,
        kind: ResourceKind,
        location: String,
    ) -> Outcome {
        let sub = self.find_sub(subscription)?;
        let (sub_id, tenant_id) = (sub.id, sub.tenant_id);
        let rg = self
            .resource_groups
            .iter()
            .find(|g| g.subscription_id == sub_id && g.name.eq_ignore_ascii_case(resource_group))
            .ok_or_else(|| CommandError::ResourceGroupNotFound {
                name: resource_group.to_string(),
            })?
            .name
            .clone();
        if self.name_taken(&name) {
            return Err(CommandError::NameTaken {
                what: "resource".into(),
                name,
            });
        }
        let tenant = self
            .tenant_pos(tenant_id)
            .ok_or(CommandError::TenantNotFound {
                name: tenant_id.to_string(),
            })?;
        let id = resource_id(sub_id, &rg, kind, &name);
        let mut events = vec![Event::ResourceCreated {
            name: name.clone(),
            kind,
            id: id.clone(),
        }];
        let identity = if kind == ResourceKind::UserAssignedIdentity {
            let alt = vec!["isExplicit=True".to_string(), id.0.clone()];
            let (principal_id, client_id, event) =
                self.mint_sp(tenant, &name, ServicePrincipalType::ManagedIdentity, alt);
            events.push(event);
            Some(UserAssignedProps {
                principal_id,
                client_id,
                tenant_id,
                federated_credentials: Vec::new(),
            })
        } else {
            None
        };
        let key_vault = (kind == ResourceKind::KeyVault).then(|| KeyVaultSettings {
            permission_model: KeyVaultPermissionModel::Rbac,
            access_policies: Vec::new(),
        });
        self.resources.push(Resource {
            id,
            name,
            kind,
            subscription_id: sub_id,
            resource_group: rg,
            location,
            created_at: self.now,
            system_assigned: None,
            user_assigned: Vec::new(),
            children: Vec::new(),
            key_vault,
            identity,
        });
        Ok(events)
    }

    fn add_child(&mut self, resource: &str, kind: ChildKind, name: String) -> Outcome {
        let i = self.find_resource(resource)?;
        let r = &self.resources[i];
        if !r.kind.child_kinds().contains(&kind) {
            return Err(CommandError::ChildKindNotSupported {
                resource: r.name.clone(),
                kind,
            });
        }
        if r.has_child(kind, &name) {
            return Err(CommandError::NameTaken {
                what: kind.display_name().into(),
                name,
            });
        }
        let scope = r.child_scope(kind, &name);
        self.resources[i].children.push(ChildObject { kind, name });
        Ok(vec![Event::ChildObjectCreated { kind, scope }])
    }

    fn add_on_prem(&mut self, name: String) -> Outcome {
        if self.name_taken(&name) {
            return Err(CommandError::NameTaken {
                what: "machine".into(),
                name,
            });
        }
        self.on_prem_servers
            .push(OnPremServer { name: name.clone() });
        Ok(vec![Event::OnPremServerAdded { name }])
    }

    fn delete_resource(&mut self, name: &str) -> Outcome {
        let i = self.find_resource(name)?;
        Ok(self.remove_resource(i))
    }

    /// Removes resource `i` with everything that dies with it. Infallible.
    fn remove_resource(&mut self, i: usize) -> Vec<Event> {
        let r = self.resources.remove(i);
        let mut events = vec![Event::ResourceDeleted {
            name: r.name.clone(),
            id: r.id.clone(),
        }];
        if let Some(sa) = r.system_assigned {
            events.extend(self.delete_sp(sa.principal_id));
        }
        if let Some(uami) = &r.identity {
            for other in &mut self.resources {
                if let Some(pos) = other.user_assigned.iter().position(|u| u.same_as(&r.id)) {
                    other.user_assigned.remove(pos);
                    events.push(Event::IdentityDetached {
                        resource: other.name.clone(),
                        identity: r.name.clone(),
                    });
                }
            }
            events.extend(self.delete_sp(uami.principal_id));
        }
        for u in &r.user_assigned {
            events.push(Event::IdentityLeftAlone {
                identity: u.name().to_string(),
            });
        }
        events.extend(self.scope_orphans(&r.id));
        events
    }

    fn enable_system_assigned(&mut self, name: &str) -> Outcome {
        let i = self.find_resource(name)?;
        let r = &self.resources[i];
        if !r.kind.supports_system_assigned() {
            return Err(CommandError::IdentityNotSupported {
                resource: r.name.clone(),
                kind: r.kind,
                identity_type: "system-assigned".into(),
            });
        }
        if r.system_assigned.is_some() {
            return Err(CommandError::SystemAssignedAlreadyEnabled {
                resource: r.name.clone(),
            });
        }
        let tenant_id =
            self.sub_tenant(r.subscription_id)
                .ok_or(CommandError::SubscriptionNotFound {
                    name: r.subscription_id.to_string(),
                })?;
        let tenant = self
            .tenant_pos(tenant_id)
            .ok_or(CommandError::TenantNotFound {
                name: tenant_id.to_string(),
            })?;
        let (rname, rid) = (r.name.clone(), r.id.0.clone());
        let alt = vec!["isExplicit=False".to_string(), rid];
        let (principal_id, client_id, event) =
            self.mint_sp(tenant, &rname, ServicePrincipalType::ManagedIdentity, alt);
        self.resources[i].system_assigned = Some(SystemAssigned {
            principal_id,
            client_id,
            tenant_id,
        });
        Ok(vec![event])
    }

    fn disable_system_assigned(&mut self, name: &str) -> Outcome {
        let i = self.find_resource(name)?;
        let Some(sa) = self.resources[i].system_assigned else {
            return Err(CommandError::SystemAssignedNotEnabled {
                resource: self.resources[i].name.clone(),
            });
        };
        self.resources[i].system_assigned = None;
        Ok(self.delete_sp(sa.principal_id))
    }

    fn attach(&mut self, resource: &str, identity: &str) -> Outcome {
        let i = self.find_resource(resource)?;
        let u = self.find_uami(identity)?;
        let (r, uami) = (&self.resources[i], &self.resources[u]);
        if !r.kind.supports_user_assigned() {
            return Err(CommandError::IdentityNotSupported {
                resource: r.name.clone(),
                kind: r.kind,
                identity_type: "user-assigned".into(),
            });
        }
        if r.user_assigned.iter().any(|x| x.same_as(&uami.id)) {
            return Err(CommandError::AlreadyAttached {
                resource: r.name.clone(),
                identity: uami.name.clone(),
            });
        }
        let uami_tenant = uami.identity.as_ref().map(|p| p.tenant_id);
        if uami_tenant != self.sub_tenant(r.subscription_id) {
            return Err(CommandError::IdentityFromOtherTenant {
                identity: uami.name.clone(),
                resource: r.name.clone(),
            });
        }
        let (uid, rname, uname) = (uami.id.clone(), r.name.clone(), uami.name.clone());
        self.resources[i].user_assigned.push(uid);
        Ok(vec![Event::IdentityAttached {
            resource: rname,
            identity: uname,
        }])
    }

    fn detach(&mut self, resource: &str, identity: &str) -> Outcome {
        let i = self.find_resource(resource)?;
        let u = self.find_uami(identity)?;
        let uid = self.resources[u].id.clone();
        let uname = self.resources[u].name.clone();
        let r = &mut self.resources[i];
        let pos = r
            .user_assigned
            .iter()
            .position(|x| x.same_as(&uid))
            .ok_or_else(|| CommandError::NotAttached {
                resource: r.name.clone(),
                identity: uname.clone(),
            })?;
        r.user_assigned.remove(pos);
        Ok(vec![Event::IdentityDetached {
            resource: r.name.clone(),
            identity: uname,
        }])
    }

    fn add_role_assignment(
        &mut self,
        principal: &str,
        role: &str,
        scope: &str,
        condition: Option<String>,
    ) -> Outcome {
        let scope = self.resolve_scope(scope)?;
        let def = self
            .role_named(role)
            .ok_or_else(|| CommandError::RoleNotFound {
                role: role.to_string(),
            })?;
        if def.role_type == RoleType::CustomRole {
            let covered = def
                .assignable_scopes
                .iter()
                .any(|s| self.scope_covers(s, &scope.id));
            if !covered {
                return Err(CommandError::RoleNotAssignableAtScope {
                    role: def.role_name.clone(),
                    scope: scope.id.to_string(),
                });
            }
            if scope.level == ScopeLevel::ManagementGroup && def.has_data_actions() {
                return Err(CommandError::DataActionsRoleAtManagementGroup {
                    role: def.role_name.clone(),
                });
            }
        }
        let (role_id, role_name) = (def.id, def.role_name.clone());
        let principal_id = self.resolve_principal(principal, scope.tenant_id)?;
        if condition.as_ref().is_some_and(|c| c.len() > 8 * 1024) {
            return Err(CommandError::ConditionTooLong);
        }
        let exists = self.role_assignments.iter().any(|a| {
            a.principal_id == principal_id
                && a.role_definition_id == role_id
                && a.scope.same_as(&scope.id)
        });
        if exists {
            return Err(CommandError::RoleAssignmentExists);
        }
        // A scope holds no more assignments than the world does: only a world holding as many
        // as a limit allows needs counting (counting on every add made building a world at
        // Azure's limits quadratic).
        match (scope.level, scope.subscription_id) {
            (ScopeLevel::ManagementGroup, _)
                if self.role_assignments.len() >= MAX_ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP =>
            {
                let n = self
                    .role_assignments
                    .iter()
                    .filter(|a| a.scope.same_as(&scope.id))
                    .count();
                if n >= MAX_ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP {
                    return Err(CommandError::ManagementGroupAssignmentLimitExceeded);
                }
            }
            (ScopeLevel::ManagementGroup, _) => {}
            (_, Some(sub))
                if self.role_assignments.len() >= MAX_ROLE_ASSIGNMENTS_PER_SUBSCRIPTION =>
            {
                let sub_scope = format!("/subscriptions/{sub}");
                let n = self
                    .role_assignments
                    .iter()
                    .filter(|a| super::id_within(a.scope.as_str(), &sub_scope))
                    .count();
                if n >= MAX_ROLE_ASSIGNMENTS_PER_SUBSCRIPTION {
                    return Err(CommandError::RoleAssignmentLimitExceeded);
                }
            }
            _ => {}
        }
        let name = self.ids.guid();
        self.role_assignments.push(RoleAssignment {
            id: RoleAssignment::make_id(&scope.id, name),
            name,
            principal_id,
            role_definition_id: role_id,
            scope: scope.id.clone(),
            created_at: self.now,
            condition,
        });
        Ok(vec![Event::RoleAssignmentCreated {
            principal: self.principal_name(principal_id),
            role: role_name,
            scope: scope.id,
            effective_in: self.propagation_delay,
        }])
    }

    /// Whether an assignable scope (or assignment scope) covers `target`, management groups
    /// included.
    pub(crate) fn scope_covers(&self, scope: &str, target: &ResourceId) -> bool {
        if roles::is_management_group_scope(scope) {
            let name = &scope[roles::MANAGEMENT_GROUP_PREFIX.len()..];
            let Ok(resolved) = self.resolve_scope(target.as_str()) else {
                return false;
            };
            let start = match resolved.subscription_id {
                Some(sub) => self
                    .subscription(sub)
                    .and_then(|s| s.management_group.clone()),
                None => Some(resolved.id.name().to_string()),
            };
            return self
                .management_group_chain(start.as_deref())
                .iter()
                .any(|m| m.eq_ignore_ascii_case(name));
        }
        target.is_within(&ResourceId(scope.to_string()))
    }

    fn remove_role_assignment(&mut self, assignment: &str) -> Outcome {
        let wanted = assignment.trim();
        let pos = self
            .role_assignments
            .iter()
            .position(|a| {
                a.id.eq_ignore_ascii_case(wanted) || a.name.to_string().eq_ignore_ascii_case(wanted)
            })
            .ok_or_else(|| CommandError::RoleAssignmentNotFound {
                assignment: wanted.to_string(),
            })?;
        let a = self.role_assignments.remove(pos);
        Ok(vec![Event::RoleAssignmentDeleted {
            principal: self.principal_name(a.principal_id),
            role: self.role_name_of(a.role_definition_id),
            scope: a.scope,
        }])
    }

    fn add_deny(
        &mut self,
        name: String,
        scope: &str,
        principals: &[String],
        exclude: &[String],
        permissions: Permission,
        do_not_apply_to_child_scopes: bool,
    ) -> Outcome {
        let scope = self.resolve_scope(scope)?;
        let resolve = |text: &String| -> Result<ObjectId, CommandError> {
            match Guid::parse(text.trim()) {
                Ok(g) if g == Guid::NIL => Ok(ObjectId(Guid::NIL)),
                _ => self.resolve_principal(text, scope.tenant_id),
            }
        };
        let principals = principals
            .iter()
            .map(resolve)
            .collect::<Result<Vec<_>, _>>()?;
        let exclude_principals = exclude.iter().map(resolve).collect::<Result<Vec<_>, _>>()?;
        if principals.is_empty()
            || (permissions.actions.is_empty() && permissions.data_actions.is_empty())
        {
            return Err(CommandError::EmptyDenyAssignment);
        }
        let guid = self.ids.guid();
        self.deny_assignments.push(DenyAssignment {
            id: format!(
                "{}/providers/Microsoft.Authorization/denyAssignments/{guid}",
                scope.id
            ),
            deny_assignment_name: name.clone(),
            scope: scope.id.clone(),
            principals,
            exclude_principals,
            permissions,
            do_not_apply_to_child_scopes,
            created_at: self.now,
        });
        Ok(vec![Event::DenyAssignmentCreated {
            name,
            scope: scope.id,
        }])
    }

    fn add_custom_role(
        &mut self,
        name: String,
        description: String,
        permissions: Vec<Permission>,
        assignable_scopes: Vec<String>,
    ) -> Outcome {
        roles::validate_custom_role(&name, &permissions, &assignable_scopes, &self.custom_roles)
            .map_err(CommandError::InvalidCustomRole)?;
        let mut canonical = Vec::new();
        let mut tenant = None;
        for s in &assignable_scopes {
            let resolved = self.resolve_scope(s).map_err(|_| {
                CommandError::InvalidCustomRole(CustomRoleError::AssignableScopeNotFound {
                    scope: s.clone(),
                })
            })?;
            tenant = Some(resolved.tenant_id);
            canonical.push(resolved.id.0);
        }
        let per_tenant = self
            .custom_roles
            .iter()
            .filter(|r| {
                r.assignable_scopes
                    .first()
                    .and_then(|s| self.resolve_scope(s).ok())
                    .map(|s| s.tenant_id)
                    == tenant
            })
            .count();
        if per_tenant >= MAX_CUSTOM_ROLES_PER_TENANT {
            return Err(CommandError::InvalidCustomRole(
                CustomRoleError::RoleDefinitionLimitExceeded,
            ));
        }
        let id = self.ids.guid();
        self.custom_roles.push(RoleDefinition {
            id,
            role_name: name.clone(),
            description,
            role_type: RoleType::CustomRole,
            permissions,
            assignable_scopes: canonical,
        });
        Ok(vec![Event::CustomRoleCreated { name, id }])
    }

    fn set_access_policy(
        &mut self,
        vault: &str,
        principal: &str,
        keys: Vec<String>,
        secrets: Vec<String>,
        certificates: Vec<String>,
    ) -> Outcome {
        let i = self.find_vault(vault)?;
        let tenant = self.sub_tenant(self.resources[i].subscription_id).ok_or(
            CommandError::SubscriptionNotFound {
                name: self.resources[i].subscription_id.to_string(),
            },
        )?;
        let object_id = self.resolve_principal(principal, tenant)?;
        let check = |category: &str,
                     list: &[String],
                     known: &[&str]|
         -> Result<Vec<String>, CommandError> {
            list.iter()
                .map(|p| {
                    known
                        .iter()
                        .find(|k| k.eq_ignore_ascii_case(p))
                        .map(|k| (*k).to_string())
                        .ok_or_else(|| CommandError::UnknownAccessPolicyPermission {
                            category: category.into(),
                            permission: p.clone(),
                        })
                })
                .collect()
        };
        let keys = check("keys", &keys, keyvault::KEY_PERMISSIONS)?;
        let secrets = check("secrets", &secrets, keyvault::SECRET_PERMISSIONS)?;
        let certificates = check(
            "certificates",
            &certificates,
            keyvault::CERTIFICATE_PERMISSIONS,
        )?;
        let name = self.principal_name(object_id);
        let r = &mut self.resources[i];
        let Some(kv) = r.key_vault.as_mut() else {
            return Err(CommandError::NotAKeyVault {
                name: vault.to_string(),
            });
        };
        let entry = AccessPolicy {
            object_id,
            keys,
            secrets,
            certificates,
        };
        match kv
            .access_policies
            .iter_mut()
            .find(|p| p.object_id == object_id)
        {
            Some(existing) => *existing = entry,
            None => {
                if kv.access_policies.len() >= MAX_ACCESS_POLICIES {
                    return Err(CommandError::AccessPolicyLimitExceeded);
                }
                kv.access_policies.push(entry);
            }
        }
        Ok(vec![Event::AccessPolicySet {
            vault: r.name.clone(),
            principal: name,
        }])
    }

    fn remove_access_policy(&mut self, vault: &str, principal: &str) -> Outcome {
        let i = self.find_vault(vault)?;
        let not_found = || CommandError::AccessPolicyNotFound {
            vault: vault.to_string(),
            principal: principal.to_string(),
        };
        let object_id = self.principal_anywhere(principal).ok_or_else(not_found)?;
        let name = self.principal_name(object_id);
        let r = &mut self.resources[i];
        let kv = r.key_vault.as_mut().ok_or_else(not_found)?;
        let pos = kv
            .access_policies
            .iter()
            .position(|p| p.object_id == object_id)
            .ok_or_else(not_found)?;
        kv.access_policies.remove(pos);
        Ok(vec![Event::AccessPolicyRemoved {
            vault: r.name.clone(),
            principal: name,
        }])
    }

    fn add_app(&mut self, tenant: &str, name: String, app_roles: Vec<String>) -> Outcome {
        let t = self.find_tenant(tenant)?;
        if self.tenants[t]
            .applications
            .iter()
            .any(|a| a.display_name.eq_ignore_ascii_case(&name))
        {
            return Err(CommandError::NameTaken {
                what: "app registration".into(),
                name,
            });
        }
        let roles: Vec<AppRole> = app_roles
            .iter()
            .map(|value| AppRole {
                id: self.ids.guid(),
                value: value.clone(),
                display_name: value.clone(),
                allowed_member_types: vec!["Application".to_string()],
            })
            .collect();
        let app_object = ObjectId(self.ids.guid());
        let (sp_id, app_id, sp_event) =
            self.mint_sp(t, &name, ServicePrincipalType::Application, Vec::new());
        // The service principal shares the application's app id and exposes its roles.
        let tenant_ref = &mut self.tenants[t];
        if let Some(sp) = tenant_ref
            .service_principals
            .iter_mut()
            .find(|sp| sp.object_id == sp_id)
        {
            sp.app_roles = roles.clone();
        }
        tenant_ref.applications.push(Application {
            object_id: app_object,
            app_id,
            display_name: name.clone(),
            app_roles: roles,
            federated_credentials: Vec::new(),
        });
        Ok(vec![
            Event::AppRegistrationCreated { name, app_id },
            sp_event,
        ])
    }

    /// Finds (tenant index, principal, API service principal, app role) for app-role commands.
    fn app_role_target(
        &self,
        principal: &str,
        resource_app: &str,
        app_role: &str,
    ) -> Result<(usize, ObjectId, ObjectId, AppRole, String), CommandError> {
        let principal_id = self
            .principal_anywhere(principal)
            .and_then(|id| self.service_principal(id).map(|(t, _)| (t.id, id)))
            .ok_or_else(|| CommandError::PrincipalNotFound {
                principal: principal.to_string(),
                tenant: "any".into(),
            })?;
        let (tenant_id, principal_id) = principal_id;
        let t = self
            .tenant_pos(tenant_id)
            .ok_or(CommandError::TenantNotFound {
                name: tenant_id.to_string(),
            })?;
        let api = self.tenants[t]
            .service_principals
            .iter()
            .find(|sp| {
                !sp.app_roles.is_empty()
                    && (sp.display_name.eq_ignore_ascii_case(resource_app)
                        || sp.app_id.to_string().eq_ignore_ascii_case(resource_app)
                        || sp.object_id.to_string().eq_ignore_ascii_case(resource_app))
            })
            .ok_or_else(|| CommandError::ResourceAppNotFound {
                name: resource_app.to_string(),
            })?;
        let role = api
            .app_roles
            .iter()
            .find(|r| {
                r.value.eq_ignore_ascii_case(app_role)
                    || r.id.to_string().eq_ignore_ascii_case(app_role)
            })
            .ok_or_else(|| CommandError::AppRoleNotFound {
                resource_app: api.display_name.clone(),
                app_role: app_role.to_string(),
            })?;
        Ok((
            t,
            principal_id,
            api.object_id,
            role.clone(),
            api.display_name.clone(),
        ))
    }

    fn grant_app_role(&mut self, principal: &str, resource_app: &str, app_role: &str) -> Outcome {
        let (t, principal_id, api, role, api_name) =
            self.app_role_target(principal, resource_app, app_role)?;
        let tenant = &self.tenants[t];
        if tenant.app_role_assignments.iter().any(|a| {
            a.principal_id == principal_id && a.resource_id == api && a.app_role_id == role.id
        }) {
            return Err(CommandError::AppRoleAssignmentExists);
        }
        let id = self.ids.guid();
        let now = self.now;
        self.tenants[t]
            .app_role_assignments
            .push(AppRoleAssignment {
                id,
                principal_id,
                resource_id: api,
                app_role_id: role.id,
                created_at: now,
            });
        Ok(vec![Event::AppRoleGranted {
            principal: self.principal_name(principal_id),
            app_role: role.value,
            resource_app: api_name,
        }])
    }

    fn revoke_app_role(&mut self, principal: &str, resource_app: &str, app_role: &str) -> Outcome {
        let (t, principal_id, api, role, api_name) =
            self.app_role_target(principal, resource_app, app_role)?;
        let pos = self.tenants[t]
            .app_role_assignments
            .iter()
            .position(|a| {
                a.principal_id == principal_id && a.resource_id == api && a.app_role_id == role.id
            })
            .ok_or(CommandError::AppRoleAssignmentNotFound)?;
        self.tenants[t].app_role_assignments.remove(pos);
        Ok(vec![Event::AppRoleRevoked {
            principal: self.principal_name(principal_id),
            app_role: role.value,
            resource_app: api_name,
        }])
    }

    fn add_fic(&mut self, identity: &str, fic: FederatedCredential) -> Outcome {
        let name_ok = (3..=120).contains(&fic.name.chars().count())
            && fic
                .name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && fic
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !name_ok {
            return Err(CommandError::InvalidFederatedCredentialName { name: fic.name });
        }
        let values = || {
            std::iter::once(&fic.issuer)
                .chain(std::iter::once(&fic.subject))
                .chain(&fic.audiences)
        };
        if values().any(|v| v.contains('*')) {
            return Err(CommandError::WildcardInFederatedCredential);
        }
        if fic.audiences.len() != 1 {
            return Err(CommandError::FederatedCredentialAudienceCount);
        }
        if values().any(|v| v.chars().count() > 600) {
            return Err(CommandError::FederatedCredentialValueTooLong);
        }
        let check = |list: &[FederatedCredential]| -> Result<(), CommandError> {
            let dup = list.iter().any(|f| {
                f.name.eq_ignore_ascii_case(&fic.name)
                    || (f.issuer == fic.issuer && f.subject == fic.subject)
            });
            if dup {
                Err(CommandError::FederatedCredentialExists)
            } else if list.len() >= MAX_FEDERATED_CREDENTIALS {
                Err(CommandError::FederatedCredentialLimitExceeded)
            } else {
                Ok(())
            }
        };
        let event = Event::FederatedCredentialAdded {
            identity: identity.to_string(),
            name: fic.name.clone(),
        };
        if let Ok(i) = self.find_resource(identity) {
            let r = &mut self.resources[i];
            let props = r
                .identity
                .as_mut()
                .ok_or_else(|| CommandError::NotAFederationTarget {
                    name: identity.to_string(),
                })?;
            check(&props.federated_credentials)?;
            props.federated_credentials.push(fic);
            return Ok(vec![event]);
        }
        for tenant in &mut self.tenants {
            if let Some(app) = tenant
                .applications
                .iter_mut()
                .find(|a| a.display_name.eq_ignore_ascii_case(identity))
            {
                check(&app.federated_credentials)?;
                app.federated_credentials.push(fic);
                return Ok(vec![event]);
            }
        }
        Err(CommandError::NotAFederationTarget {
            name: identity.to_string(),
        })
    }

    fn move_resource(
        &mut self,
        resource: &str,
        subscription: &str,
        resource_group: &str,
    ) -> Outcome {
        let i = self.find_resource(resource)?;
        let r = &self.resources[i];
        if r.kind == ResourceKind::UserAssignedIdentity {
            return Err(CommandError::UserAssignedIdentityMoveNotSupported);
        }
        let target = self.find_sub(subscription)?;
        let rg = self
            .resource_groups
            .iter()
            .find(|g| g.subscription_id == target.id && g.name.eq_ignore_ascii_case(resource_group))
            .ok_or_else(|| CommandError::ResourceGroupNotFound {
                name: resource_group.to_string(),
            })?;
        if Some(target.tenant_id) != self.sub_tenant(r.subscription_id) {
            return Err(CommandError::MoveAcrossTenants);
        }
        if target.id == r.subscription_id && rg.name.eq_ignore_ascii_case(&r.resource_group) {
            return Err(CommandError::MoveToSameResourceGroup);
        }
        let (sub_id, rg_name) = (target.id, rg.name.clone());
        let new_id = resource_id(sub_id, &rg_name, r.kind, &r.name);
        let old_id = r.id.clone();
        let mut events = vec![Event::ResourceMoved {
            name: r.name.clone(),
            from: old_id.clone(),
            to: new_id.clone(),
        }];
        events.extend(self.scope_orphans(&old_id));
        let r = &mut self.resources[i];
        r.id = new_id;
        r.subscription_id = sub_id;
        r.resource_group = rg_name;
        Ok(events)
    }

    fn transfer(&mut self, subscription: &str, tenant: &str) -> Outcome {
        let sub = self.find_sub(subscription)?.clone();
        let t = self.find_tenant(tenant)?;
        let new_tenant = self.tenants[t].id;
        if sub.tenant_id == new_tenant {
            return Err(CommandError::SameTenant);
        }
        let scope = sub.scope();
        let mut events = vec![Event::SubscriptionTransferred {
            name: sub.name.clone(),
            tenant: self.tenants[t].name.clone(),
        }];
        let (gone, kept): (Vec<RoleAssignment>, Vec<RoleAssignment>) =
            std::mem::take(&mut self.role_assignments)
                .into_iter()
                .partition(|a| a.scope.is_within(&scope));
        self.role_assignments = kept;
        for a in gone {
            events.push(Event::RoleAssignmentDeleted {
                principal: self.principal_name(a.principal_id),
                role: self.role_name_of(a.role_definition_id),
                scope: a.scope,
            });
        }
        if let Some(s) = self.subscriptions.iter_mut().find(|s| s.id == sub.id) {
            s.tenant_id = new_tenant;
            s.management_group = None;
        }
        for r in self
            .resources
            .iter()
            .filter(|r| r.subscription_id == sub.id)
        {
            if r.system_assigned.is_some() {
                events.push(Event::IdentityBroken {
                    resource: r.name.clone(),
                    remedy: "its system-assigned identity still lives in the old tenant; disable and re-enable it".into(),
                });
            }
            if r.identity.is_some() {
                events.push(Event::IdentityBroken {
                    resource: r.name.clone(),
                    remedy: "this user-assigned identity still lives in the old tenant; delete it, re-create it and re-attach it".into(),
                });
            }
        }
        Ok(events)
    }
}
