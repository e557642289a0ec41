//! Typed ARM resource ids: `ResourceId<T>` for each resource type `T` of the API (the crate's
//! `ids` module names them `BackendId` and so on), parsed from and displayed as the id text ARM
//! uses (`/subscriptions/…/backends/b1`), with the by-id methods that act on them.
//!
//! Everything here is generic over the resource type, so `cargo check` compiles it once; each
//! resource type adds only a marker, its template and its parent's type.

use super::http::{Call, Core};
use super::invalid;
use std::fmt;
use std::marker::PhantomData;

/// A resource type: the path template of its resource, as the spec writes it.
pub trait ResourceType: 'static {
    /// The path template (`/subscriptions/{subscriptionId}/…/backends/{backendId}`).
    const TEMPLATE: &'static str;
    /// The id type's name, for errors (`BackendId`).
    const NAME: &'static str;
    /// The resource type this one is nested in: its template is this one's less the last
    /// `type/{name}` pair (and a `providers/Namespace` before it). A subscription's parent is the
    /// tenant, and the tenant's parent is itself.
    type Parent: ResourceType;
}

/// The id of an ARM resource of type `T`: the value of each placeholder of `T`'s template.
///
/// Parsed (`"/subscriptions/…".parse::<BackendId>()?`) as ARM compares ids: the template's
/// literal segments match whatever their case, and each value is percent-decoded. Displayed in
/// canonical form: the template's own segments, and values with `%`, `/`, `?`, `#` and control
/// characters percent-encoded, so that parsing the display gives the same id back.
pub struct ResourceId<T> {
    values: Vec<String>,
    kind: PhantomData<fn() -> T>,
}

impl<T: ResourceType> ResourceId<T> {
    /// The id from its values, in the template's placeholder order (for a `BackendId`:
    /// subscription, resource group, service, backend). Each must be non-empty.
    pub fn new(values: &[&str]) -> azure_core::Result<Self> {
        Kind::of::<T>().check(values).map(Self::from_values)
    }

    /// The id of the resource called `name` in `parent`: for a type one level below its parent.
    pub fn in_parent(parent: &ResourceId<T::Parent>, name: &str) -> azure_core::Result<Self> {
        let mut values: Vec<&str> = parent.values.iter().map(String::as_str).collect();
        values.push(name);
        Self::new(&values)
    }

    fn from_values(values: Vec<String>) -> Self {
        ResourceId { values, kind: PhantomData }
    }

    /// The value of a placeholder of the template, by its name there (`"backendId"`), whatever
    /// its case.
    pub fn value(&self, placeholder: &str) -> Option<&str> {
        Kind::of::<T>().value(&self.values, placeholder)
    }

    /// Each placeholder's name with its value, in template order.
    pub fn values(&self) -> impl Iterator<Item = (&'static str, &str)> {
        placeholders(T::TEMPLATE).zip(self.values.iter().map(String::as_str))
    }

    /// The resource's own name: the template's last value.
    pub fn name(&self) -> &str {
        self.values.last().map_or("", String::as_str)
    }

    /// The values other than the subscription, in path order: the path arguments the client's
    /// methods take (`let [group, service, backend] = id.args()?;` for a `BackendId`). An error
    /// when there are not `N`.
    pub fn args<const N: usize>(&self) -> azure_core::Result<[&str; N]> {
        let args = Kind::of::<T>().args(&self.values);
        let count = args.len();
        args.try_into().map_err(|_| invalid(format!("a {} has {count} path arguments, not {N}", T::NAME)))
    }

    /// The subscription the resource is in, if its template has one.
    pub fn subscription_id(&self) -> Option<&str> {
        self.value("subscriptionId")
    }

    /// The resource group the resource is in, if its template has one.
    pub fn resource_group_name(&self) -> Option<&str> {
        self.value("resourceGroupName")
    }

    /// The id of the resource this one is nested in.
    pub fn parent(&self) -> ResourceId<T::Parent> {
        let count = placeholders(<T::Parent as ResourceType>::TEMPLATE).count();
        ResourceId::from_values(self.values.iter().take(count).cloned().collect())
    }

    /// The values a by-id method passes on as path arguments: all of them, once the client-level
    /// ones (the subscription) are found to be the client's own, so that a call never goes to
    /// another subscription than the one the client was made for.
    pub fn args_for(&self, core: &Core) -> azure_core::Result<&[String]> {
        Kind::of::<T>().args_for(&self.values, core)
    }
}

/// What the work on an id needs of its type, as values: each function taking it is compiled
/// once, where a method of `ResourceId<T>` would be compiled again for every resource type.
#[derive(Clone, Copy)]
struct Kind {
    template: &'static str,
    name: &'static str,
}

impl Kind {
    fn of<T: ResourceType>() -> Kind {
        Kind { template: T::TEMPLATE, name: T::NAME }
    }

    /// `values` as an id's, when there is one for each placeholder and none is empty.
    fn check(self, values: &[&str]) -> azure_core::Result<Vec<String>> {
        let names: Vec<&str> = placeholders(self.template).collect();
        if values.len() != names.len() {
            let (count, names) = (names.len(), names.join("`, `"));
            return Err(invalid(format!("a {} takes {count} values (`{names}`), not {}", self.name, values.len())));
        }
        if let Some((name, _)) = names.iter().zip(values).find(|(_, v)| v.is_empty()) {
            return Err(invalid(format!("a {} cannot have an empty `{name}`", self.name)));
        }
        Ok(values.iter().map(|v| (*v).to_owned()).collect())
    }

    fn value<'v>(self, values: &'v [String], placeholder: &str) -> Option<&'v str> {
        let mut named = placeholders(self.template).zip(values);
        named.find(|(name, _)| name.eq_ignore_ascii_case(placeholder)).map(|(_, value)| value.as_str())
    }

    fn args(self, values: &[String]) -> Vec<&str> {
        let named = placeholders(self.template).zip(values);
        named.filter(|(name, _)| !name.eq_ignore_ascii_case("subscriptionId")).map(|(_, v)| v.as_str()).collect()
    }

    fn args_for<'v>(self, values: &'v [String], core: &Core) -> azure_core::Result<&'v [String]> {
        for (name, value) in placeholders(self.template).zip(values) {
            if let Some(own) = core.client_value(name)
                && !own.eq_ignore_ascii_case(value)
            {
                let id = Shown(self, values);
                return Err(invalid(format!(
                    "the {} `{id}` has {name} `{value}`, but this client is for `{own}`; make a client for that {name}",
                    self.name
                )));
            }
        }
        Ok(values)
    }

    fn parse(self, text: &str) -> azure_core::Result<Vec<String>> {
        let not_one = |why: String| invalid(format!("`{text}` is not a {} (`{}`): {why}", self.name, self.template));
        let Some(rest) = text.strip_prefix('/') else {
            return Err(not_one("an ARM id starts with `/`".to_owned()));
        };
        let rest = if rest.len() > 1 { rest.strip_suffix('/').unwrap_or(rest) } else { rest };
        let segments: Vec<&str> = rest.split('/').collect();
        let template: Vec<&str> = self.template[1..].split('/').collect();
        let mut values = Vec::new();
        for (i, expected) in template.iter().enumerate() {
            let Some(segment) = segments.get(i) else {
                return Err(not_one(format!("it ends where segment {} (`{expected}`) should be", i + 1)));
            };
            match expected.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
                Some(name) if segment.is_empty() => return Err(not_one(format!("segment {} (`{{{name}}}`) is empty", i + 1))),
                Some(name) => values.push(decode(segment).ok_or_else(|| {
                    not_one(format!("segment {} (`{{{name}}}`) is not UTF-8 once percent-decoded", i + 1))
                })?),
                None if segment.eq_ignore_ascii_case(expected) => {}
                None => return Err(not_one(format!("segment {} is `{segment}` where `{expected}` should be", i + 1))),
            }
        }
        if let Some(extra) = segments.get(template.len()) {
            return Err(not_one(format!("it goes on with `{extra}` after segment {}", template.len())));
        }
        Ok(values)
    }
}

/// An id's canonical text, from its kind and values.
struct Shown<'v>(Kind, &'v [String]);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Shown(kind, values) = self;
        if kind.template == "/" {
            return f.write_str("/");
        }
        let mut values = values.iter();
        for segment in kind.template[1..].split('/') {
            f.write_str("/")?;
            match segment.starts_with('{').then(|| values.next()).flatten() {
                Some(value) => encode(value, f)?,
                None => f.write_str(segment)?,
            }
        }
        Ok(())
    }
}

/// The names of a template's placeholders, in order.
fn placeholders(template: &'static str) -> impl Iterator<Item = &'static str> {
    template.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// Percent-decodes a segment; a `%` not followed by two hex digits stays as it is (ARM ids
/// carry names as written, and a name may hold a `%`). `None` when the bytes are not UTF-8.
pub(super) fn decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()).filter(|_| bytes[i] == b'%') {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Writes a value as one segment: what would split or end it, and `%` itself, encoded.
fn encode(value: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    for c in value.chars() {
        if matches!(c, '%' | '/' | '?' | '#') || c.is_control() {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                write!(f, "%{byte:02X}")?;
            }
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

impl<T: ResourceType> fmt::Display for ResourceId<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Shown(Kind::of::<T>(), &self.values).fmt(f)
    }
}

impl<T: ResourceType> std::str::FromStr for ResourceId<T> {
    type Err = azure_core::Error;

    fn from_str(text: &str) -> azure_core::Result<Self> {
        Kind::of::<T>().parse(text).map(Self::from_values)
    }
}

impl<T: ResourceType> fmt::Debug for ResourceId<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(\"{self}\")", T::NAME)
    }
}

impl<T> Clone for ResourceId<T> {
    fn clone(&self) -> Self {
        ResourceId { values: self.values.clone(), kind: PhantomData }
    }
}

/// Ids are equal when their values are; the template's literal segments are the type's own.
impl<T> PartialEq for ResourceId<T> {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

impl<T> Eq for ResourceId<T> {}

impl<T> std::hash::Hash for ResourceId<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.values.hash(state)
    }
}

impl<T: ResourceType> serde::Serialize for ResourceId<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, T: ResourceType> serde::Deserialize<'de> for ResourceId<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Kind::of::<T>().parse(&text).map(Self::from_values).map_err(serde::de::Error::custom)
    }
}

/// The tenant: the root every subscription is in (`/`).
pub enum ArmTenant {}

impl ResourceType for ArmTenant {
    const TEMPLATE: &'static str = "/";
    const NAME: &'static str = "ArmTenantId";
    type Parent = ArmTenant;
}

/// A subscription (`/subscriptions/{subscriptionId}`).
pub enum ArmSubscription {}

impl ResourceType for ArmSubscription {
    const TEMPLATE: &'static str = "/subscriptions/{subscriptionId}";
    const NAME: &'static str = "ArmSubscriptionId";
    type Parent = ArmTenant;
}

/// A resource group (`/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}`).
pub enum ArmResourceGroup {}

impl ResourceType for ArmResourceGroup {
    const TEMPLATE: &'static str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";
    const NAME: &'static str = "ArmResourceGroupId";
    type Parent = ArmSubscription;
}

/// What a by-id method returns when its id does not fit the client: the same type as its
/// method's, failing with that error before anything is sent.
pub trait Failed {
    fn failed(error: azure_core::Error) -> Self;
}

impl<T> Failed for azure_core::Result<T> {
    fn failed(error: azure_core::Error) -> Self {
        Err(error)
    }
}

impl<T> Failed for Call<'_, T> {
    fn failed(error: azure_core::Error) -> Self {
        Call::failed(error)
    }
}

/// A model that is a resource: its `id` as text, and typed (`backend.resource_id::<BackendId>()`).
pub trait Resource {
    /// The `id` the service set, as text.
    fn id_text(&self) -> Option<&str>;

    /// The `id` the service set, parsed as `I` (`None` when the model has no id, an error when
    /// it is not an `I`).
    fn resource_id<I: std::str::FromStr<Err = azure_core::Error>>(&self) -> Option<azure_core::Result<I>> {
        self.id_text().map(str::parse)
    }
}

/// `resource_ids!(Backend BackendId SERVICE_BACKENDS_ONE ApiManagementService, …)`: for each
/// resource type, a marker in `kind` with its template (from the `paths` static) and parent,
/// and the id type `BackendId = ResourceId<kind::Backend>`. A parent named `ArmResourceGroup`,
/// `ArmSubscription` or `ArmTenant` is the runtime's.
#[allow(unused_macros)]
macro_rules! resource_ids {
    ($($kind:ident $id:ident $path:ident $parent:ident),* $(,)?) => {
        /// The resource types: what each id type is the id of.
        pub mod kind {
            #[allow(unused_imports)]
            pub use crate::runtime::{ArmResourceGroup, ArmSubscription, ArmTenant};
            $(
                #[doc = concat!("The resource type of a [`", stringify!($id), "`](super::", stringify!($id), ").")]
                pub enum $kind {}
                impl crate::runtime::ResourceType for $kind {
                    const TEMPLATE: &'static str = crate::clients::paths::$path.template();
                    const NAME: &'static str = stringify!($id);
                    type Parent = $parent;
                }
            )*
        }
        $(
            #[doc = concat!("The id of a resource of type [`kind::", stringify!($kind), "`]: a [`ResourceId`](crate::ResourceId).")]
            pub type $id = crate::runtime::ResourceId<kind::$kind>;
        )*
    };
}
#[allow(unused_imports)]
pub(crate) use resource_ids;

/// `resources!(BackendContract, …)`: the models that are resources, each with a typed `id`.
#[allow(unused_macros)]
macro_rules! resources {
    ($($model:ident),* $(,)?) => {$(
        impl crate::runtime::Resource for $model {
            fn id_text(&self) -> Option<&str> {
                self.id.as_deref()
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use resources;

/// `by_id!(BackendClient v { get_by_id get(&v[1], &v[2], &v[3]) () BackendId, BackendClientGetOptions -> Call<'a, …>; … })`:
/// each by-id method: its method, the id's values it passes on (`v`, named by the caller: the
/// id's values, once the client-level ones are found to be the client's), its other required arguments, its id and
/// options types, and what it returns. Flat, with no nested macro call per method: each costs
/// `cargo check` time.
#[allow(unused_macros)]
macro_rules! by_id {
    ($client:ident $v:ident { $($by_id:ident $method:ident($($value:expr),*) ($($arg:ident: $ty:ty),*) $id:ident, $options:ident -> $ret:ty;)* }) => {
        impl $client {$(
            #[doc = concat!("[`", stringify!($method), "`](Self::", stringify!($method), ") by the resource's [`", stringify!($id), "`](crate::ids::", stringify!($id), ").")]
            pub fn $by_id<'a>(
                &'a self,
                id: &crate::ids::$id,
                $($arg: $ty,)*
                options: Option<$options<'a>>,
            ) -> $ret {
                match id.args_for(&self.core) {
                    Ok($v) => self.$method($($value,)* $($arg,)* options),
                    Err(error) => crate::runtime::Failed::failed(error),
                }
            }
        )*}
    };
}
#[allow(unused_imports)]
pub(crate) use by_id;
