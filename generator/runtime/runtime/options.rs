//! Method options: every method has an options struct of its own, named as the official SDK
//! names them (`BackendClientGetOptions`), and each tells the runtime the method's tracing name.
//!
//! A method with optional parameters has a struct written out in its group's file; the others
//! get theirs from [`options!`], which also implements [`MethodOptions`] for all of them.

use std::sync::Arc;

use azure_core::http::ClientMethodOptions;
use azure_core::http::pager::PagerOptions;
use azure_core::tracing::{PublicApiInstrumentationInformation, Tracer};

/// What the runtime needs from a method's options: the call's context, and the
/// `<Client>.<method>` name of the method's tracing span. (Two traits rather than one with an
/// associated type: every call site then needs no projection, which is cheaper to check.)
pub trait MethodOptions<'a>: Default {
    /// The span name, `BackendClient.get`.
    const API: &'static str;
    /// The call's context.
    fn into_inner(self) -> ClientMethodOptions<'a>;
}

/// [`MethodOptions`] of a list method: the context, and where to resume paging.
pub trait ListOptions<'a>: Default {
    /// The span name, `BackendClient.list_by_service`.
    const API: &'static str;
    /// The call's context and continuation.
    fn into_inner(self) -> PagerOptions<'a>;
}

/// `options!(BackendClient { "get" => BackendClientGetOptions call, "list_by_service" =>
/// BackendClientListByServiceOptions own_list })` (method names as text, so a keyword method
/// `r#type` is named `type` in docs and spans): `call` and `list` declare the struct of a
/// method with no optional parameters (its context only; a list's can resume from a
/// continuation); `own` and `own_list` only implement [`MethodOptions`] for a struct the group's
/// file declares. Declaring each struct, rather than sharing one, lets a later spec version add an
/// optional parameter without renaming anything.
#[allow(unused_macros)]
macro_rules! options {
    ($client:ident { $($method:literal => $name:ident $kind:ident),* $(,)? }) => {
        $(crate::runtime::options!(@$kind $client $method $name);)*
    };
    (@call $client:ident $method:literal $name:ident) => {
        #[doc = concat!("The options of [`", stringify!($client), "`]`::", $method, "`: the call's context.")]
        // Only `Default`: `Clone` and `Debug` on hundreds of one-field structs cost a
        // sixth of the crate's check time; the context inside has both.
        #[derive(Default)]
        pub struct $name<'a> {
            /// The call's context.
            pub method_options: ::azure_core::http::ClientMethodOptions<'a>,
        }
        crate::runtime::options!(@own $client $method $name);
    };
    (@list $client:ident $method:literal $name:ident) => {
        #[doc = concat!("The options of [`", stringify!($client), "`]`::", $method, "`: the call's context.")]
        // Only `Default`: `Clone` and `Debug` on hundreds of one-field structs cost a
        // sixth of the crate's check time; the context inside has both.
        #[derive(Default)]
        pub struct $name<'a> {
            /// The call's context, and a continuation to resume paging from.
            pub method_options: ::azure_core::http::pager::PagerOptions<'a>,
        }
        crate::runtime::options!(@own_list $client $method $name);
    };
    (@own $client:ident $method:literal $name:ident) => {
        impl<'a> crate::runtime::MethodOptions<'a> for $name<'a> {
            const API: &'static str = concat!(stringify!($client), ".", $method);
            fn into_inner(self) -> ::azure_core::http::ClientMethodOptions<'a> {
                self.method_options
            }
        }
    };
    (@own_list $client:ident $method:literal $name:ident) => {
        impl<'a> crate::runtime::ListOptions<'a> for $name<'a> {
            const API: &'static str = concat!(stringify!($client), ".", $method);
            fn into_inner(self) -> ::azure_core::http::pager::PagerOptions<'a> {
                self.method_options
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use options;

/// The client's tracer, made once from `ClientOptions::instrumentation` with the resource
/// provider's namespace (`az.namespace`); `None` when no tracer provider is configured, and then
/// nothing is added to a call's context.
#[derive(Clone, Debug)]
pub(super) struct Tracing(Option<Arc<dyn Tracer>>);

impl Tracing {
    pub(super) fn new(
        options: &azure_core::http::ClientOptions,
        namespace: Option<&'static str>,
        crate_name: &'static str,
        crate_version: &'static str,
    ) -> Self {
        let provider = options.instrumentation.tracer_provider.as_ref();
        Tracing(provider.map(|p| p.get_tracer(namespace, crate_name, Some(crate_version))))
    }

    /// The method's context with what azure_core's public-API span policy reads: the method's
    /// name and this client's tracer. Not generic, so compiled once.
    pub(super) fn call<'a>(&self, api: &'static str, mut options: ClientMethodOptions<'a>) -> ClientMethodOptions<'a> {
        if let Some(tracer) = &self.0 {
            let info = PublicApiInstrumentationInformation::new(api, Vec::new());
            options.context = options.context.with_value(info).with_value(Arc::clone(tracer));
        }
        options
    }

    /// [`Tracing::call`] for a list's options: each page's request gets a span of the method's name.
    pub(super) fn list<'a>(&self, api: &'static str, options: PagerOptions<'a>) -> PagerOptions<'a> {
        let PagerOptions { context, continuation } = options;
        let context = self.call(api, ClientMethodOptions { context }).context;
        PagerOptions { context, continuation }
    }
}
