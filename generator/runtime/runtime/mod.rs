//! Support code shared by the generated client and model types.
//!
//! These files are copied verbatim into every generated crate, so they may only use the crate's
//! own dependencies (`azure_core`, `serde`, `serde_json`, `time`) and must stay warning-free even
//! when a crate uses only part of them.
//!
//! Each module has one job; generated code names everything through this module
//! (`crate::runtime::Core`, `crate::runtime::json_object!`), never through the modules.
//!
//! | module | job |
//! | --- | --- |
//! | `duration` | ISO 8601 durations, kept as sent |
//! | `date_time` | RFC 3339 date-times, read leniently |
//! | `enums` | the conversions of `x-ms-enum` and discriminated enums |
//! | `json` | reading and writing model structs member by member, required fields |
//! | `http` | the client core: building, sending and typing requests and responses |
//! | `options` | each method's options struct and its tracing span name |
//! | `validate` | path templates and what parameter values must satisfy |
//! | `auth` | the bearer-token policy |
//! | `pager` | `x-ms-pageable`: following `nextLink` |
//! | `poller` | `x-ms-long-running-operation`: polling to the end |
//! | `resume` | resume tokens, and pollers rebuilt from them |
//! | `resource_id` | typed ARM resource ids, and the by-id methods |
//! | `fake` | the in-memory fake server for users' tests (`fake` feature) |

use azure_core::error::ErrorKind;

mod auth;
pub mod date_time;
mod duration;
mod enums;
#[cfg(feature = "fake")]
mod fake;
mod http;
mod json;
mod options;
mod pager;
mod poller;
mod resource_id;
mod resume;
mod validate;

pub use duration::Duration;
pub use enums::{serialize_tagged, unknown_enum_value};
#[cfg(feature = "fake")]
pub use fake::{FAKE_ENDPOINT, FakeCredential, FakeError, FakeKind, FakeRequest, FakeServer, Route};
pub use http::{Call, Core, CoreOptions, FromHeader, Req, error_body, header};
pub use json::{Base64, Base64Ref, JsonObject, Key, Rfc3339, Rfc7231, Unset, Writer, de, read_object, write_object};
#[cfg(feature = "fake")]
pub use json::answering;
pub use options::{ListOptions, MethodOptions};
pub use pager::scan_string_field;
pub use poller::{FinalState, LroStatus};
pub use resource_id::{ArmResourceGroup, ArmSubscription, ArmTenant, Failed, Resource, ResourceId, ResourceType};
pub use resume::ResumeToken;
pub use validate::{Path, PathRules, QueryValue, Rule};

// The macros the generated code invokes as `crate::runtime::name!`. A crate may have no use for
// one of them (no closed enums, say), hence the `allow(unused_imports)`.
#[allow(unused_imports)]
pub(crate) use enums::{closed_enum, extensible_enum, polymorphic};
#[cfg(feature = "fake")]
#[allow(unused_imports)]
pub(crate) use fake::fakes;
#[allow(unused_imports)]
pub(crate) use http::{groups, response_headers, sub_clients};
#[allow(unused_imports)]
pub(crate) use json::{json_object, request_content};
#[allow(unused_imports)]
pub(crate) use options::options;
#[allow(unused_imports)]
pub(crate) use pager::page;
#[allow(unused_imports)]
pub(crate) use resource_id::{by_id, resource_ids, resources};

/// Builds the error returned when wire text cannot be converted to a typed value.
fn conversion_error(message: String) -> azure_core::Error {
    azure_core::Error::with_message(ErrorKind::DataConversion, message)
}

/// Builds the error for an argument or a service reply the client cannot use.
fn invalid(message: String) -> azure_core::Error {
    azure_core::Error::with_message(ErrorKind::DataConversion, message)
}
