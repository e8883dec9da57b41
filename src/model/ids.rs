//! Identifier newtypes, so that an object id is never passed where a client id belongs,
//! and the deterministic generator that mints them (worlds are reproducible values).

use crate::model::json::{FromJson, ToJson};
use std::fmt;

/// A GUID in its canonical lower-case 8-4-4-4-12 form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Guid(pub u128);

impl Guid {
    /// The all-zero GUID Azure uses for "all principals" in deny assignments.
    pub const NIL: Guid = Guid(0);

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case).
    pub fn parse(text: &str) -> Result<Guid, String> {
        let bytes = text.as_bytes();
        let dashes_ok = bytes.len() == 36 && [8, 13, 18, 23].iter().all(|&i| bytes[i] == b'-');
        if !dashes_ok {
            return Err(format!(
                "\"{text}\" is not a GUID (expected 8-4-4-4-12 hex digits)"
            ));
        }
        let hex: String = text.chars().filter(|c| *c != '-').collect();
        u128::from_str_radix(&hex, 16)
            .map(Guid)
            .map_err(|_| format!("\"{text}\" is not a GUID (non-hex digit)"))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl ToJson for Guid {
    fn to_json(&self) -> crate::model::json::Value {
        crate::model::json::Value::String(self.to_string())
    }
}

impl FromJson for Guid {
    fn from_json(value: &crate::model::json::Value) -> Result<Self, crate::model::json::Error> {
        let text = value
            .as_str()
            .ok_or_else(|| crate::model::json::Error::invalid_type(value, "a string"))?;
        Guid::parse(text).map_err(crate::model::json::Error::new)
    }
}

macro_rules! guid_newtype {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ToJson, FromJson)]
        #[serde(transparent)]
        pub struct $name(pub Guid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    )*};
}

guid_newtype!(
    /// A Microsoft Entra tenant (directory) id, the `tid` claim.
    TenantId,
    /// A directory object id: a service principal's `objectId`, the `oid` and `sub` claims,
    /// ARM's `principalId`.
    ObjectId,
    /// An application (client) id: a service principal's `appId`, the `appid` claim,
    /// IMDS's `client_id`.
    ClientId,
    /// A subscription id.
    SubscriptionId,
);

/// An ARM resource id such as
/// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}`.
/// ARM compares resource ids case-insensitively; [`ResourceId::same_as`] does too.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, ToJson, FromJson)]
#[serde(transparent)]
pub struct ResourceId(pub String);

impl ResourceId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Case-insensitive equality, as ARM compares ids.
    pub fn same_as(&self, other: &ResourceId) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }

    /// Whether `self` is `ancestor` or lies below it (case-insensitive, on segment bounds).
    pub fn is_within(&self, ancestor: &ResourceId) -> bool {
        let (me, up) = (self.0.to_ascii_lowercase(), ancestor.0.to_ascii_lowercase());
        let up = up.trim_end_matches('/');
        me == up
            || (me.starts_with(up) && me.as_bytes().get(up.len()) == Some(&b'/'))
            || up.is_empty()
    }

    /// The last segment: the resource's name.
    pub fn name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("")
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceId({})", self.0)
    }
}

/// A deterministic source of GUIDs and opaque values (SplitMix64). A world carries one, so
/// replaying the same commands from the same seed gives the same ids: undo, sharing and
/// golden tests rely on that.
#[derive(Clone, Debug, PartialEq, Eq, ToJson, FromJson)]
pub struct IdGen {
    state: u64,
}

impl IdGen {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> IdGen {
        IdGen { state: seed }
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The next random (version 4, RFC 4122 variant) GUID.
    pub fn guid(&mut self) -> Guid {
        let raw = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        let v4 = (raw & !(0xF_u128 << 76)) | (0x4_u128 << 76);
        Guid((v4 & !(0x3_u128 << 62)) | (0x2_u128 << 62))
    }

    /// `n` random bytes, for opaque token values (`aio`, `rh`, `uti`).
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_round_trips_through_text() {
        let text = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
        let guid = Guid::parse(text).unwrap();
        assert_eq!(guid.to_string(), text);
        assert_eq!(
            Guid::parse("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635").unwrap(),
            guid
        );
    }

    #[test]
    fn malformed_guids_are_rejected_with_the_text() {
        for bad in [
            "",
            "8e3af657a8ff443ca75c2fe8c4bcb635",
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb63z",
        ] {
            let err = Guid::parse(bad).unwrap_err();
            assert!(
                err.starts_with(&format!("\"{bad}\" is not a GUID")),
                "{err}"
            );
        }
    }

    #[test]
    fn generated_guids_are_version_4_and_reproducible() {
        let (mut a, mut b) = (IdGen::new(7), IdGen::new(7));
        let g = a.guid();
        assert_eq!(g, b.guid());
        let text = g.to_string();
        assert_eq!(&text[14..15], "4");
        assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"), "{text}");
        assert_ne!(a.guid(), g);
    }

    #[test]
    fn resource_ids_nest_case_insensitively_on_segment_bounds() {
        let rg = ResourceId("/subscriptions/1/resourceGroups/rg-web".into());
        let vm = ResourceId(
            "/subscriptions/1/resourcegroups/RG-WEB/providers/Microsoft.Compute/virtualMachines/vm"
                .into(),
        );
        let other = ResourceId("/subscriptions/1/resourceGroups/rg-web2".into());
        assert!(vm.is_within(&rg));
        assert!(rg.is_within(&rg));
        assert!(!other.is_within(&rg));
        assert!(!rg.is_within(&vm));
        assert_eq!(vm.name(), "vm");
    }
}
