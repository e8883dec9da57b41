//! Short ways to build worlds for tests, scenarios and benchmarks: a builder that applies
//! commands and keeps the first error, and the standard Contoso sample world.

use super::World;
use super::command::{Command, CommandError};
use super::resources::{ChildKind, ResourceKind};
use crate::model::clock::MINUTE;

/// Applies commands in order; the first failure is kept and later commands are skipped.
#[derive(Clone, Debug)]
pub struct WorldBuilder {
    world: World,
    error: Option<CommandError>,
}

impl WorldBuilder {
    /// Starts from an empty world seeded with `seed`.
    pub fn new(seed: u64) -> WorldBuilder {
        WorldBuilder {
            world: World::new(seed),
            error: None,
        }
    }

    /// Applies any command.
    pub fn run(mut self, command: Command) -> WorldBuilder {
        if self.error.is_none()
            && let Err(e) = self.world.apply(command)
        {
            self.error = Some(e);
        }
        self
    }

    /// Adds a tenant.
    pub fn tenant(self, name: &str) -> WorldBuilder {
        self.run(Command::AddTenant { name: name.into() })
    }

    /// Adds a management group (under `parent`, or the tenant root).
    pub fn management_group(self, tenant: &str, name: &str, parent: Option<&str>) -> WorldBuilder {
        self.run(Command::AddManagementGroup {
            tenant: tenant.into(),
            name: name.into(),
            parent: parent.map(Into::into),
        })
    }

    /// Adds a subscription trusting `tenant`, optionally inside a management group.
    pub fn subscription(self, name: &str, tenant: &str, mg: Option<&str>) -> WorldBuilder {
        self.run(Command::AddSubscription {
            name: name.into(),
            tenant: tenant.into(),
            management_group: mg.map(Into::into),
        })
    }

    /// Adds a resource group in `westeurope`.
    pub fn resource_group(self, subscription: &str, name: &str) -> WorldBuilder {
        self.run(Command::AddResourceGroup {
            subscription: subscription.into(),
            name: name.into(),
            location: "westeurope".into(),
        })
    }

    /// Adds a resource in `westeurope` (user-assigned identities included).
    pub fn resource(
        self,
        subscription: &str,
        rg: &str,
        name: &str,
        kind: ResourceKind,
    ) -> WorldBuilder {
        let (subscription, resource_group, name, location) = (
            subscription.into(),
            rg.into(),
            name.into(),
            "westeurope".to_string(),
        );
        if kind == ResourceKind::UserAssignedIdentity {
            self.run(Command::CreateUserAssigned {
                subscription,
                resource_group,
                name,
                location,
            })
        } else {
            self.run(Command::AddResource {
                subscription,
                resource_group,
                name,
                kind,
                location,
            })
        }
    }

    /// Adds a child object.
    pub fn child(self, resource: &str, kind: ChildKind, name: &str) -> WorldBuilder {
        self.run(Command::AddChildObject {
            resource: resource.into(),
            kind,
            name: name.into(),
        })
    }

    /// Enables a resource's system-assigned identity.
    pub fn system_assigned(self, resource: &str) -> WorldBuilder {
        self.run(Command::EnableSystemAssigned {
            resource: resource.into(),
        })
    }

    /// Attaches a user-assigned identity.
    pub fn attach(self, resource: &str, identity: &str) -> WorldBuilder {
        self.run(Command::AttachUserAssigned {
            resource: resource.into(),
            identity: identity.into(),
        })
    }

    /// Assigns a role.
    pub fn assign(self, principal: &str, role: &str, scope: &str) -> WorldBuilder {
        self.run(Command::AddRoleAssignment {
            principal: principal.into(),
            role: role.into(),
            scope: scope.into(),
            condition: None,
        })
    }

    /// Moves the clock forward.
    pub fn advance(self, seconds: i64) -> WorldBuilder {
        self.run(Command::AdvanceClock { seconds })
    }

    /// The world, or the first error.
    pub fn build(self) -> Result<World, CommandError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.world),
        }
    }
}

/// Ready-made worlds.
pub struct SampleWorld;

impl SampleWorld {
    /// Tenant `contoso` (plus an empty tenant `fabrikam`); management group `mg-corp` holding
    /// subscription `Production`; `rg-web` with virtual machine `vm-web` (system-assigned
    /// identity enabled) and function app `func-api`; `rg-data` with key vault `kv-prod`
    /// (RBAC model, secret `db-password`), storage account `stprod` (container `reports`,
    /// queue `orders`, table `audit`) and user-assigned identity `id-shared`. No role
    /// assignments; the clock at its default start.
    pub fn contoso() -> Result<World, CommandError> {
        Self::contoso_builder().build()
    }

    /// The builder behind [`SampleWorld::contoso`], to extend it.
    pub fn contoso_builder() -> WorldBuilder {
        WorldBuilder::new(42)
            .tenant("contoso")
            .tenant("fabrikam")
            .management_group("contoso", "mg-corp", None)
            .subscription("Production", "contoso", Some("mg-corp"))
            .resource_group("Production", "rg-web")
            .resource_group("Production", "rg-data")
            .resource(
                "Production",
                "rg-web",
                "vm-web",
                ResourceKind::VirtualMachine,
            )
            .system_assigned("vm-web")
            .resource(
                "Production",
                "rg-web",
                "func-api",
                ResourceKind::FunctionApp,
            )
            .resource("Production", "rg-data", "kv-prod", ResourceKind::KeyVault)
            .child("kv-prod", ChildKind::Secret, "db-password")
            .resource(
                "Production",
                "rg-data",
                "stprod",
                ResourceKind::StorageAccount,
            )
            .child("stprod", ChildKind::BlobContainer, "reports")
            .child("stprod", ChildKind::Queue, "orders")
            .child("stprod", ChildKind::Table, "audit")
            .resource(
                "Production",
                "rg-data",
                "id-shared",
                ResourceKind::UserAssignedIdentity,
            )
    }

    /// A world at Azure's limits, for benchmarks: one subscription with 20 resource groups; 250 VMs with system-assigned identities, 250 user-assigned identities,
    /// 500 storage accounts (one container each), 500 key vaults, 500 function apps; every
    /// identity holds 8 role assignments (4,000 in all).
    pub fn at_azure_limits() -> Result<World, CommandError> {
        let mut b = WorldBuilder::new(2026)
            .tenant("contoso")
            .management_group("contoso", "mg-corp", None)
            .subscription("Production", "contoso", Some("mg-corp"));
        for g in 0..20 {
            b = b.resource_group("Production", &format!("rg-{g}"));
        }
        for i in 0..250 {
            let rg = format!("rg-{}", i % 20);
            b = b
                .resource(
                    "Production",
                    &rg,
                    &format!("vm-{i}"),
                    ResourceKind::VirtualMachine,
                )
                .system_assigned(&format!("vm-{i}"))
                .resource(
                    "Production",
                    &rg,
                    &format!("id-{i}"),
                    ResourceKind::UserAssignedIdentity,
                );
        }
        for i in 0..500 {
            let rg = format!("rg-{}", i % 20);
            b = b
                .resource(
                    "Production",
                    &rg,
                    &format!("st{i}"),
                    ResourceKind::StorageAccount,
                )
                .child(&format!("st{i}"), ChildKind::BlobContainer, "data")
                .resource(
                    "Production",
                    &rg,
                    &format!("kv-{i}"),
                    ResourceKind::KeyVault,
                )
                .resource(
                    "Production",
                    &rg,
                    &format!("func-{i}"),
                    ResourceKind::FunctionApp,
                );
        }
        let identities: Vec<String> = (0..250)
            .map(|i| format!("vm-{i}"))
            .chain((0..250).map(|i| format!("id-{i}")))
            .collect();
        for (n, who) in identities.iter().enumerate() {
            let grants = [
                ("Storage Blob Data Reader", format!("st{n}")),
                (
                    "Storage Blob Data Contributor",
                    format!("st{}", (n + 7) % 500),
                ),
                ("Key Vault Secrets User", format!("kv-{n}")),
                ("Key Vault Reader", format!("kv-{}", (n + 3) % 500)),
                ("Reader", format!("rg-{}", n % 20)),
                ("Website Contributor", format!("func-{n}")),
                ("Storage Queue Data Reader", format!("st{}", (n + 11) % 500)),
                ("Contributor", format!("func-{}", (n + 1) % 500)),
            ];
            for (role, scope) in grants {
                b = b.run(Command::AddRoleAssignment {
                    principal: who.clone(),
                    role: role.into(),
                    scope,
                    condition: None,
                });
            }
        }
        b.advance(10 * MINUTE).build()
    }

    /// A large world for graph and UI benchmarks: one subscription with 20 resource groups; per
    /// group 5 VMs with system-assigned identities, 5 user-assigned identities each attached to
    /// a Function App, 5 storage accounts (one blob container each) and 5 key vaults: 500
    /// resources, 200 identities, 10 role assignments per identity (2,000).
    pub fn large_graph() -> Result<World, CommandError> {
        let mut b = WorldBuilder::new(2027)
            .tenant("contoso")
            .management_group("contoso", "mg-corp", None)
            .subscription("Production", "contoso", Some("mg-corp"));
        for g in 0..20 {
            b = b.resource_group("Production", &format!("rg-{g}"));
        }
        for i in 0..100 {
            let rg = format!("rg-{}", i % 20);
            let (vm, id, func) = (format!("vm-{i}"), format!("id-{i}"), format!("func-{i}"));
            let (st, kv) = (format!("st{i}"), format!("kv-{i}"));
            b = b
                .resource("Production", &rg, &vm, ResourceKind::VirtualMachine)
                .system_assigned(&vm)
                .resource("Production", &rg, &id, ResourceKind::UserAssignedIdentity)
                .resource("Production", &rg, &func, ResourceKind::FunctionApp)
                .attach(&func, &id)
                .resource("Production", &rg, &st, ResourceKind::StorageAccount)
                .child(&st, ChildKind::BlobContainer, "data")
                .resource("Production", &rg, &kv, ResourceKind::KeyVault);
        }
        let mut world = b.build()?;
        let principals = (0..100)
            .map(|i| format!("vm-{i}"))
            .chain((0..100).map(|i| format!("id-{i}")));
        for (n, principal) in principals.enumerate() {
            let container = |i: usize| {
                world
                    .id_of(&format!("st{i}"))
                    .map(|id| format!("{id}/blobServices/default/containers/data"))
                    .unwrap_or_else(|| format!("st{i}"))
            };
            let grants = [
                ("Storage Blob Data Reader", format!("st{}", n % 100)),
                ("Storage Blob Data Contributor", container((n + 7) % 100)),
                ("Key Vault Secrets User", format!("kv-{}", n % 100)),
                ("Key Vault Reader", format!("kv-{}", (n + 3) % 100)),
                ("Reader", format!("rg-{}", n % 20)),
                ("Website Contributor", format!("func-{}", n % 100)),
                ("Storage Queue Data Reader", format!("st{}", (n + 11) % 100)),
                ("Contributor", format!("func-{}", (n + 1) % 100)),
                (
                    "Virtual Machine Contributor",
                    format!("vm-{}", (n + 5) % 100),
                ),
                ("Reader", "Production".to_string()),
            ];
            for (role, scope) in grants {
                world.apply(Command::AddRoleAssignment {
                    principal: principal.clone(),
                    role: role.to_string(),
                    scope,
                    condition: None,
                })?;
            }
        }
        Ok(world)
    }
}
