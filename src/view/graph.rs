//! The graph on the main screen as plain data: each tenant's directory with its service
//! principals, the management group → subscription → resource group tree as nested boxes with
//! resources inside, identity edges and role-assignment edges with chips, all placed on an
//! integer grid; plus the same world as a text list and the legend.
//!
//! Geometry, left to right in each tenant's band: the directory column, a shared gutter where
//! role-assignment chips stack (lanes on either side carry the vertical runs), the tree, and a
//! highway on the far right for identity attachments between rows. Above every row of
//! resources runs a corridor, kept free of text and nodes, where edges travel horizontally;
//! they drop into a node through its top. Text never leaves its box: labels are cut with "…"
//! to the room they have (system-ui 14 px ≈ 7.5 px a character, 12 px ≈ 6.5 px), and the full
//! text stays in [`TextLine::full`] and the accessible name.

mod collect;
mod pan;
mod place;
#[cfg(test)]
mod tests;
mod visible;

pub use pan::{Direction, ScreenMap, ViewBox, WheelUnit, wheel_doublings};
pub use visible::{
    Cover, DRAWN_MARGIN, Detail, FULL_DETAIL_BUDGET, Merged, READABLE_SCALE, Viewport, Visible,
    merged_path, visible,
};

use crate::model::world::{ResourceKind, World};

/// A rectangle in user units (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub width: i32,
    /// Height.
    pub height: i32,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> i32 {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> i32 {
        self.y + self.height
    }

    /// Whether the two rectangles share any interior point (touching edges do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `other` lies entirely inside this rectangle (edges may touch).
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }
}

/// The path a token travels over the graph from the node drawn at `from` to the one at `to`
/// (an SVG path): from the middle of the side that faces the other node to the middle of the
/// side that faces back, arched (upwards between nodes side by side, to the right between one
/// above the other), so that it starts and ends beside the nodes' labels, not on them.
pub fn token_path(from: &Rect, to: &Rect) -> String {
    let centre = |r: &Rect| (r.x + r.width / 2, r.y + r.height / 2);
    let ((cx1, cy1), (cx2, cy2)) = (centre(from), centre(to));
    if from.right() <= to.x || to.right() <= from.x {
        let (x1, x2) = if cx2 >= cx1 {
            (from.right(), to.x)
        } else {
            (from.x, to.right())
        };
        let lift = ((x2 - x1).abs() / 4).clamp(30, 140);
        format!(
            "M{x1},{cy1} Q{},{} {x2},{cy2}",
            (x1 + x2) / 2,
            cy1.min(cy2) - lift
        )
    } else {
        let (y1, y2) = if cy2 >= cy1 {
            (from.bottom(), to.y)
        } else {
            (from.y, to.bottom())
        };
        let bulge = ((y2 - y1).abs() / 4).clamp(30, 140);
        format!(
            "M{cx1},{y1} Q{},{} {cx2},{y2}",
            cx1.max(cx2) + bulge,
            (y1 + y2) / 2
        )
    }
}

/// The size of a line of text, which decides its font and the width it is measured with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextSize {
    /// A container title: 14 px, semibold (measured at 8 px a character).
    Title,
    /// A node's name: 14 px (7.5 px a character).
    Label,
    /// A sub-label or chip: 12 px (6.5 px a character).
    Small,
}

impl TextSize {
    /// Font size in px.
    pub fn px(self) -> i32 {
        match self {
            TextSize::Title | TextSize::Label => 14,
            TextSize::Small => 12,
        }
    }

    /// Estimated advance of one character, in tenths of a px.
    fn tenths_per_char(self) -> i32 {
        match self {
            TextSize::Title => 80,
            TextSize::Label => 75,
            TextSize::Small => 65,
        }
    }

    /// Estimated width of `chars` characters.
    pub fn width_of(self, chars: usize) -> i32 {
        let chars = i32::try_from(chars).unwrap_or(i32::MAX / 100);
        (chars * self.tenths_per_char() + 9) / 10
    }
}

/// One line of text at a baseline position (SVG `text-anchor: start`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextLine {
    /// What is drawn, cut with "…" when the full text has no room.
    pub text: String,
    /// The full text (for a tooltip; the accessible name carries it too).
    pub full: String,
    /// Left of the text.
    pub x: i32,
    /// Baseline.
    pub y: i32,
    /// Font size.
    pub size: TextSize,
}

impl TextLine {
    /// The estimated box the drawn text occupies (ascender to descender).
    pub fn bounds(&self) -> Rect {
        let (above, below) = match self.size {
            TextSize::Title | TextSize::Label => (11, 4),
            TextSize::Small => (10, 3),
        };
        Rect {
            x: self.x,
            y: self.y - above,
            width: self.size.width_of(self.text.chars().count()),
            height: above + below,
        }
    }

    /// Whether the text had to be cut.
    pub fn is_truncated(&self) -> bool {
        self.text != self.full
    }
}

/// What a node is, which decides its shape, colour and icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A resource that hosts code (VM, App Service, Function App, Arc server, ...).
    Compute,
    /// A resource that holds data (Key Vault, Storage, SQL, Service Bus, Event Hubs).
    Target,
    /// A user-assigned managed identity (an ARM resource of its own).
    UserAssignedIdentity,
    /// A service principal in a tenant's directory.
    ServicePrincipal,
    /// A tenant's Entra ID token service.
    TokenService,
    /// A server outside Azure without Arc.
    OnPremises,
    /// Something a role assignment points at that no longer exists ("Identity not found", or
    /// a deleted scope).
    Unknown,
}

impl NodeKind {
    /// The CSS class that colours this kind.
    pub fn css_class(self) -> &'static str {
        match self {
            NodeKind::Compute => "kind-compute",
            NodeKind::Target => "kind-target",
            NodeKind::UserAssignedIdentity | NodeKind::ServicePrincipal => "kind-identity",
            NodeKind::TokenService => "kind-endpoint",
            NodeKind::OnPremises => "kind-onprem",
            NodeKind::Unknown => "kind-unknown",
        }
    }
}

/// What a container box stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    /// A tenant's directory (Entra ID).
    Directory,
    /// A management group.
    ManagementGroup,
    /// A subscription.
    Subscription,
    /// A resource group.
    ResourceGroup,
    /// Servers outside Azure.
    OutsideAzure,
    /// Role-assignment scopes that no longer exist and whose resource group is gone too.
    NotFound,
}

/// A titled box; containers nest (directory and tree boxes sit at depth 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    /// Stable id: the scope for management groups, subscriptions and resource groups,
    /// `directory:{tenant id}`, `outside-azure`, `not-found:{tenant id}`.
    pub id: String,
    /// What it is.
    pub kind: ContainerKind,
    /// The box.
    pub rect: Rect,
    /// The title in its top-left corner.
    pub title: TextLine,
    /// The enclosing container's id.
    pub parent: Option<String>,
    /// Nesting depth (0 for outermost).
    pub depth: u8,
    /// What a screen reader says.
    pub accessible_name: String,
}

/// The system-assigned identity badge in a resource's top-right corner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Badge {
    /// Centre x.
    pub cx: i32,
    /// Centre y.
    pub cy: i32,
    /// Radius.
    pub r: i32,
    /// The two letters drawn in it.
    pub text: &'static str,
    /// The object id of the service principal it stands for.
    pub principal_id: String,
}

/// A box for one thing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Stable id: the ARM resource id, the object id of a service principal,
    /// `entra:{tenant id}`, `onprem:{name}`, `unknown:{object id}` for a deleted principal,
    /// `missing:{scope}` for a deleted scope.
    pub id: String,
    /// Shape, colour and icon.
    pub kind: NodeKind,
    /// The resource kind for ARM resources (to pick the icon).
    pub resource_kind: Option<ResourceKind>,
    /// The box.
    pub rect: Rect,
    /// Where the UI draws the 20×20 icon.
    pub icon: Rect,
    /// The name.
    pub label: TextLine,
    /// The line under the name: the kind, or the principal type and short object id.
    pub sub_label: TextLine,
    /// The system-assigned badge, if the resource has one enabled.
    pub badge: Option<Badge>,
    /// The id of the container it sits in.
    pub container: String,
    /// What a screen reader says.
    pub accessible_name: String,
}

/// What an edge means, which decides its stroke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// A resource uses a user-assigned identity (dashed).
    Attachment,
    /// A system-assigned badge to its service principal.
    SystemAssigned,
    /// A user-assigned identity to its service principal.
    UserAssigned,
    /// A role assignment, with a chip.
    RoleAssignment,
    /// A role assignment whose principal or scope no longer exists, with a chip.
    OrphanedRoleAssignment,
}

impl EdgeKind {
    /// Whether the stroke is dashed.
    pub fn dashed(self) -> bool {
        self == EdgeKind::Attachment
    }

    /// The CSS class for its stroke.
    pub fn css_class(self) -> &'static str {
        match self {
            EdgeKind::Attachment => "edge-attachment",
            EdgeKind::SystemAssigned | EdgeKind::UserAssigned => "edge-identity",
            EdgeKind::RoleAssignment => "edge-role",
            EdgeKind::OrphanedRoleAssignment => "edge-orphan",
        }
    }
}

/// The label of a role-assignment edge: a rounded box with one or two lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chip {
    /// The box.
    pub rect: Rect,
    /// "Role name · scope level" on one line, or split at the "·" over two.
    pub lines: Vec<TextLine>,
    /// The full label, "Role name · scope level".
    pub label: String,
}

/// A connection between two elements, drawn as an orthogonal polyline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Stable id: the role assignment's id; `sa:{resource id}`, `uami:{identity id}`,
    /// `attach:{resource id}|{identity id}` for identity edges.
    pub id: String,
    /// What it means.
    pub kind: EdgeKind,
    /// The node it starts from.
    pub from: String,
    /// The node or container it ends at (a child scope ends at its resource's node).
    pub to: String,
    /// The polyline, first point at `from`, last at `to` (arrowhead there).
    pub points: Vec<(i32, i32)>,
    /// The role chip (role assignments only).
    pub chip: Option<Chip>,
    /// False while a new role assignment is still propagating (amber, "not yet").
    pub effective: bool,
    /// What a screen reader says.
    pub accessible_name: String,
}

/// The whole graph, in user units; the UI fits `width` × `height` to the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphView {
    /// Width of everything plus the margin.
    pub width: i32,
    /// Height of everything plus the margin.
    pub height: i32,
    /// Boxes, outer ones before the boxes they hold (draw in order).
    pub containers: Vec<Container>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Edges: identity edges first, then role assignments in the world's order.
    pub edges: Vec<Edge>,
    /// One sentence for screen readers describing the picture.
    pub summary: String,
}

impl GraphView {
    /// A node by id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// An edge by id.
    pub fn edge(&self, id: &str) -> Option<&Edge> {
        self.edges.iter().find(|e| e.id == id)
    }

    /// A container by id.
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.id == id)
    }
}

/// Lays out the whole world. Deterministic: the same world gives the same picture.
pub fn layout(world: &World) -> GraphView {
    place::place(collect::collect(world))
}

/// One section of the list view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListSection {
    /// Its heading: `Directory`, `Resources by resource group`, `Role assignments`.
    pub title: String,
    /// Its rows, in reading order.
    pub items: Vec<ListItem>,
}

/// One row of the list view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    /// The id of the graph element it stands for (selecting it selects that element).
    pub id: String,
    /// The text.
    pub text: String,
    /// Indentation: 0 for a group heading, 1 for its members.
    pub level: u8,
}

/// The world as text, for the list view toggle: the same elements and names as the graph.
pub fn list_view(world: &World) -> Vec<ListSection> {
    collect::collect(world).list_view()
}

/// What a legend entry shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendSymbol {
    /// A node of this kind.
    Node(NodeKind),
    /// An edge of this kind.
    Edge(EdgeKind),
    /// A role chip.
    RoleChip,
    /// The system-assigned badge.
    SystemAssignedBadge,
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegendEntry {
    /// The symbol to draw.
    pub symbol: LegendSymbol,
    /// Its name.
    pub label: &'static str,
    /// What it means.
    pub meaning: &'static str,
}

/// The legend: each kind of mark and what it means.
pub fn legend() -> Vec<LegendEntry> {
    let entry = |symbol, label, meaning| LegendEntry {
        symbol,
        label,
        meaning,
    };
    vec![
        entry(
            LegendSymbol::Node(NodeKind::Compute),
            "Compute",
            "A resource that runs code and asks for tokens (VM, App Service, Function App, Arc server).",
        ),
        entry(
            LegendSymbol::Node(NodeKind::Target),
            "Target",
            "A resource that holds data and checks tokens (Key Vault, Storage, SQL, Service Bus).",
        ),
        entry(
            LegendSymbol::Node(NodeKind::UserAssignedIdentity),
            "User-assigned identity",
            "A managed identity that is an Azure resource of its own and can be attached to many resources.",
        ),
        entry(
            LegendSymbol::Node(NodeKind::ServicePrincipal),
            "Service principal",
            "The identity in the tenant's directory that tokens are issued to and roles are granted to.",
        ),
        entry(
            LegendSymbol::Node(NodeKind::TokenService),
            "Token service",
            "Entra ID, which issues the tenant's tokens and publishes the keys that verify them.",
        ),
        entry(
            LegendSymbol::SystemAssignedBadge,
            "SA badge",
            "The resource has a system-assigned identity; it lives and dies with the resource.",
        ),
        entry(
            LegendSymbol::Edge(EdgeKind::Attachment),
            "Dashed line",
            "A user-assigned identity attached to a resource.",
        ),
        entry(
            LegendSymbol::RoleChip,
            "Role chip",
            "A role assignment: the role and the scope level it was granted at.",
        ),
        entry(
            LegendSymbol::Node(NodeKind::Unknown),
            "Identity not found",
            "An orphaned role assignment: its identity or its scope was deleted.",
        ),
        entry(
            LegendSymbol::Node(NodeKind::OnPremises),
            "Outside Azure",
            "A server without Azure Arc: no managed identity.",
        ),
    ]
}

/// Cuts `text` with "…" so that it fits `room` px at `size`.
pub(crate) fn fit(text: &str, room: i32, size: TextSize) -> String {
    let count = text.chars().count();
    if size.width_of(count) <= room {
        return text.to_string();
    }
    let mut keep = 0;
    while keep < count && size.width_of(keep + 2) <= room {
        keep += 1;
    }
    let mut out: String = text.chars().take(keep).collect();
    out.push('…');
    out
}
