//! What the code does at the target: an operation such as `getSecret db-password`, parsed and
//! turned into the HTTP request the Azure SDK would send.

use crate::model::http::HttpRequest;
use crate::model::world::{ResourceKind, World};
use std::fmt;

/// The Microsoft Graph pseudo-target's name in flows.
pub const GRAPH: &str = "Microsoft Graph";

/// One operation on a target service.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Operation {
    /// Key Vault: read a secret's value.
    GetSecret(String),
    /// Key Vault: write a secret.
    SetSecret(String),
    /// Key Vault: read a key.
    GetKey(String),
    /// Key Vault: read a certificate.
    GetCertificate(String),
    /// Storage: download a blob, `container/blob`.
    ReadBlob(String, String),
    /// Storage: upload a blob, `container/blob`.
    WriteBlob(String, String),
    /// Storage: list a container's blobs.
    ListBlobs(String),
    /// Storage: put a message on a queue.
    SendQueueMessage(String),
    /// Storage: read messages from a queue.
    ReadQueueMessages(String),
    /// Storage: query a table.
    QueryTable(String),
    /// Microsoft Graph: list users.
    ListUsers,
    /// ARM: read the target resource's definition.
    ReadResource,
    /// ARM: fetch a storage account's access keys (POST `listKeys`) — how a control-plane
    /// role reaches data without a data role.
    ListKeys,
    /// SQL: connect to a database and run a query.
    QueryDatabase(String),
    /// Service Bus / Event Hubs: send a message to an entity.
    SendMessage(String),
}

/// Why an operation text cannot be used.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum OperationError {
    /// The verb is not one the simulator knows.
    UnknownVerb {
        /// The verb given.
        verb: String,
    },
    /// The verb needs an argument (`getSecret NAME`).
    MissingArgument {
        /// The verb.
        verb: String,
        /// What the argument is.
        what: &'static str,
    },
    /// The operation does not apply to this kind of target.
    WrongTarget {
        /// The verb.
        verb: String,
        /// The target's kind.
        target: String,
    },
}

impl fmt::Display for OperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperationError::UnknownVerb { verb } => write!(
                f,
                "unknown operation \"{verb}\" (expected one of {})",
                VERBS.join(", ")
            ),
            OperationError::MissingArgument { verb, what } => {
                write!(f, "operation \"{verb}\" needs {what}")
            }
            OperationError::WrongTarget { verb, target } => {
                write!(f, "operation \"{verb}\" does not apply to a {target}")
            }
        }
    }
}

const VERBS: &[&str] = &[
    "getSecret",
    "setSecret",
    "getKey",
    "getCertificate",
    "readBlob",
    "writeBlob",
    "listBlobs",
    "sendQueueMessage",
    "readQueueMessages",
    "queryTable",
    "listUsers",
    "readResource",
    "listKeys",
    "queryDatabase",
    "sendMessage",
];

impl Operation {
    /// Parses `verb [argument]`.
    pub fn parse(text: &str) -> Result<Operation, OperationError> {
        let mut parts = text.split_whitespace();
        let verb = parts.next().unwrap_or_default().to_string();
        let arg = parts.next().map(str::to_string);
        let need = |what: &'static str| {
            arg.clone().ok_or(OperationError::MissingArgument {
                verb: verb.clone(),
                what,
            })
        };
        let blob = |what: &'static str| -> Result<(String, String), OperationError> {
            let path = need(what)?;
            match path.split_once('/') {
                Some((c, b)) if !c.is_empty() && !b.is_empty() => Ok((c.into(), b.into())),
                _ => Err(OperationError::MissingArgument {
                    verb: verb.clone(),
                    what,
                }),
            }
        };
        Ok(match verb.as_str() {
            "getSecret" => Operation::GetSecret(need("a secret name")?),
            "setSecret" => Operation::SetSecret(need("a secret name")?),
            "getKey" => Operation::GetKey(need("a key name")?),
            "getCertificate" => Operation::GetCertificate(need("a certificate name")?),
            "readBlob" => {
                let (c, b) = blob("a blob path, container/blob")?;
                Operation::ReadBlob(c, b)
            }
            "writeBlob" => {
                let (c, b) = blob("a blob path, container/blob")?;
                Operation::WriteBlob(c, b)
            }
            "listBlobs" => Operation::ListBlobs(need("a container name")?),
            "sendQueueMessage" => Operation::SendQueueMessage(need("a queue name")?),
            "readQueueMessages" => Operation::ReadQueueMessages(need("a queue name")?),
            "queryTable" => Operation::QueryTable(need("a table name")?),
            "listUsers" => Operation::ListUsers,
            "readResource" => Operation::ReadResource,
            "listKeys" => Operation::ListKeys,
            "queryDatabase" => Operation::QueryDatabase(need("a database name")?),
            "sendMessage" => Operation::SendMessage(need("a queue or event hub name")?),
            _ => return Err(OperationError::UnknownVerb { verb }),
        })
    }

    /// The verb as written in scenario files.
    pub fn verb(&self) -> &'static str {
        use Operation::*;
        match self {
            GetSecret(_) => "getSecret",
            SetSecret(_) => "setSecret",
            GetKey(_) => "getKey",
            GetCertificate(_) => "getCertificate",
            ReadBlob(..) => "readBlob",
            WriteBlob(..) => "writeBlob",
            ListBlobs(_) => "listBlobs",
            SendQueueMessage(_) => "sendQueueMessage",
            ReadQueueMessages(_) => "readQueueMessages",
            QueryTable(_) => "queryTable",
            ListUsers => "listUsers",
            ReadResource => "readResource",
            ListKeys => "listKeys",
            QueryDatabase(_) => "queryDatabase",
            SendMessage(_) => "sendMessage",
        }
    }

    /// The target kind this operation needs (`None`: Microsoft Graph; ARM works on any).
    fn needs(&self) -> Option<&'static [ResourceKind]> {
        use Operation::*;
        match self {
            GetSecret(_) | SetSecret(_) | GetKey(_) | GetCertificate(_) => {
                Some(&[ResourceKind::KeyVault])
            }
            ReadBlob(..) | WriteBlob(..) | ListBlobs(_) | SendQueueMessage(_)
            | ReadQueueMessages(_) | QueryTable(_) => Some(&[ResourceKind::StorageAccount]),
            QueryDatabase(_) => Some(&[ResourceKind::SqlServer]),
            SendMessage(_) => Some(&[
                ResourceKind::ServiceBusNamespace,
                ResourceKind::EventHubsNamespace,
            ]),
            ListKeys => Some(&[ResourceKind::StorageAccount]),
            ListUsers | ReadResource => None,
        }
    }

    /// The audience a token for this operation on `target` must carry.
    pub fn audience(&self, world: &World, target: &str) -> String {
        match self {
            Operation::ListUsers => "https://graph.microsoft.com".to_string(),
            Operation::ReadResource | Operation::ListKeys => {
                "https://management.azure.com/".to_string()
            }
            _ => world
                .resource_named(target)
                .and_then(|r| r.kind.token_audience())
                .unwrap_or("https://management.azure.com/")
                .to_string(),
        }
    }

    /// The request an SDK sends for this operation, without the `Authorization` header.
    pub fn request(&self, world: &World, target: &str) -> Result<HttpRequest, OperationError> {
        let verb = self.verb();
        let resource = world.resource_named(target);
        if let Some(kinds) = self.needs() {
            let ok = resource.is_some_and(|r| kinds.contains(&r.kind));
            if !ok {
                return Err(OperationError::WrongTarget {
                    verb: verb.to_string(),
                    target: resource
                        .map(|r| r.kind.display_name().to_ascii_lowercase())
                        .unwrap_or_else(|| target.to_string()),
                });
            }
        }
        let vault = |path: String| {
            HttpRequest::get(
                &format!("{target}.vault.azure.net"),
                &path,
                &[("api-version", "7.4")],
            )
        };
        let storage = |service: &str, path: String| {
            HttpRequest::get(&format!("{target}.{service}.core.windows.net"), &path, &[])
                .with_header("x-ms-version", "2023-11-03")
        };
        use crate::model::http::Method;
        Ok(match self {
            Operation::GetSecret(name) => vault(format!("/secrets/{name}")),
            Operation::SetSecret(name) => {
                let mut r = vault(format!("/secrets/{name}"))
                    .with_header("Content-Type", "application/json")
                    .with_body(r#"{"value":"s3cr3t-v2"}"#);
                r.method = Method::Put;
                r
            }
            Operation::GetKey(name) => vault(format!("/keys/{name}")),
            Operation::GetCertificate(name) => vault(format!("/certificates/{name}")),
            Operation::ReadBlob(c, b) => storage("blob", format!("/{c}/{b}")),
            Operation::WriteBlob(c, b) => {
                let mut r = storage("blob", format!("/{c}/{b}"))
                    .with_header("x-ms-blob-type", "BlockBlob")
                    .with_header("Content-Type", "text/plain")
                    .with_body("hello from a managed identity\n");
                r.method = Method::Put;
                r
            }
            Operation::ListBlobs(c) => HttpRequest::get(
                &format!("{target}.blob.core.windows.net"),
                &format!("/{c}"),
                &[("restype", "container"), ("comp", "list")],
            )
            .with_header("x-ms-version", "2023-11-03"),
            Operation::SendQueueMessage(q) => {
                let mut r = storage("queue", format!("/{q}/messages"))
                    .with_header("Content-Type", "application/xml")
                    .with_body("<QueueMessage><MessageText>aGVsbG8=</MessageText></QueueMessage>");
                r.method = Method::Post;
                r
            }
            Operation::ReadQueueMessages(q) => storage("queue", format!("/{q}/messages")),
            Operation::QueryTable(t) => storage("table", format!("/{t}()"))
                .with_header("Accept", "application/json;odata=nometadata"),
            Operation::ListUsers => HttpRequest::get("graph.microsoft.com", "/v1.0/users", &[]),
            Operation::ReadResource => {
                let id = resource
                    .map(|r| r.id.to_string())
                    .unwrap_or_else(|| format!("/{target}"));
                HttpRequest::get(
                    "management.azure.com",
                    &id,
                    &[("api-version", "2022-09-01")],
                )
            }
            Operation::ListKeys => {
                let id = resource.map(|r| r.id.to_string()).unwrap_or_default();
                let mut r = HttpRequest::get(
                    "management.azure.com",
                    &format!("{id}/listKeys"),
                    &[("api-version", "2023-05-01")],
                );
                r.method = Method::Post;
                r
            }
            Operation::QueryDatabase(db) => {
                // SQL speaks TDS, not HTTP; the simulator shows the login as a request line.
                HttpRequest::get(
                    &format!("{target}.database.windows.net"),
                    &format!("/{db}"),
                    &[],
                )
                .with_header("Content-Type", "application/x-tds")
            }
            Operation::SendMessage(entity) => {
                // Service Bus and Event Hubs share the REST send shape on *.servicebus.windows.net.
                let mut r = HttpRequest::get(
                    &format!("{target}.servicebus.windows.net"),
                    &format!("/{entity}/messages"),
                    &[],
                )
                .with_header("Content-Type", "application/json")
                .with_body(r#"{"orderId":42}"#);
                r.method = Method::Post;
                r
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_parse_with_their_arguments() {
        let cases = [
            (
                "getSecret db-password",
                Ok(Operation::GetSecret("db-password".into())),
            ),
            (
                "readBlob uploads/report.csv",
                Ok(Operation::ReadBlob("uploads".into(), "report.csv".into())),
            ),
            ("listUsers", Ok(Operation::ListUsers)),
            (
                "getSecret",
                Err("operation \"getSecret\" needs a secret name".to_string()),
            ),
            (
                "readBlob uploads",
                Err("operation \"readBlob\" needs a blob path, container/blob".to_string()),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                Operation::parse(text).map_err(|e| e.to_string()),
                expected,
                "{text}"
            );
        }
        let unknown = Operation::parse("fetchSecret x").unwrap_err().to_string();
        assert!(
            unknown.starts_with("unknown operation \"fetchSecret\" (expected one of getSecret"),
            "{unknown}"
        );
    }
}
