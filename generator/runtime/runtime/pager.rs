//! Paging (`x-ms-pageable`): azure_core's `Page` for page models (`page!`), and the pager that
//! follows `nextLink` on the endpoint's own host.

use std::sync::{Arc, Mutex};

use azure_core::http::pager::{PagerContinuation, PagerOptions, PagerResult, PagerState};
use azure_core::http::{Pager, RawResponse, Request, Response, Url};

use super::{Core, ListOptions, MethodOptions, Req};

/// Implements azure_core's `Page` for a page model: `page!(BackendCollection, value, BackendContract)`
/// (or `page!(…, optional)` when the items field is an `Option<Vec<_>>`).
#[allow(unused_macros)]
macro_rules! page {
    ($page:ty, $field:ident, $item:ty) => {
        #[::async_trait::async_trait]
        impl ::azure_core::http::pager::Page for $page {
            type Item = $item;
            type IntoIter = ::std::vec::IntoIter<$item>;
            async fn into_items(self) -> ::azure_core::Result<Self::IntoIter> {
                Ok(self.$field.into_iter())
            }
        }
    };
    ($page:ty, $field:ident, $item:ty, optional) => {
        #[::async_trait::async_trait]
        impl ::azure_core::http::pager::Page for $page {
            type Item = $item;
            type IntoIter = ::std::vec::IntoIter<$item>;
            async fn into_items(self) -> ::azure_core::Result<Self::IntoIter> {
                Ok(self.$field.unwrap_or_default().into_iter())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use page;

impl Core {
    /// Pages through a list: the first request as built, then each `next_link` (absolute and
    /// opaque, on the same origin, `api-version` kept). Stops on a missing, empty or repeated link.
    pub fn pager<'a, P, O: ListOptions<'a>>(
        self: &Arc<Self>,
        req: Req,
        options: O,
        next_link: Option<&'static str>,
    ) -> azure_core::Result<Pager<P>>
    where
        P: azure_core::http::pager::Page + serde::de::DeserializeOwned + Send + 'static,
    {
        self.pages(req, self.traced_list(O::API, options.into_inner()), next_link)
    }

    /// [`Core::pager`] once the options are traced: generic over the page type only, so the
    /// paging is not compiled again for each method.
    fn pages<P>(self: &Arc<Self>, req: Req, options: PagerOptions<'_>, next_link: Option<&'static str>) -> azure_core::Result<Pager<P>>
    where
        P: azure_core::http::pager::Page + serde::de::DeserializeOwned + Send + 'static,
    {
        let first = req.request?;
        let seen = Arc::new(Mutex::new(std::collections::BTreeSet::from([first.url().to_string()])));
        let pages = Pages { core: Arc::clone(self), first, next_link, seen };
        let options = PagerOptions { context: options.context.into_owned(), continuation: options.continuation };
        // Only the last step, typing the raw page, depends on `P`: the rest is compiled once.
        Ok(Pager::new(
            move |state: PagerState, options: PagerOptions<'static>| {
                let fetch = pages.fetch(state, options);
                Box::pin(async move {
                    let (raw, next) = fetch.await?;
                    Ok(page_result(raw, next))
                })
            },
            Some(options),
        ))
    }
}

/// What a pager fetches with: the first request, the next-link property, and every URL fetched
/// or queued (the first included: a link back to any of them ends paging).
struct Pages {
    core: Arc<Core>,
    first: Request,
    next_link: Option<&'static str>,
    seen: Arc<Mutex<std::collections::BTreeSet<String>>>,
}

type RawPage = std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<(RawResponse, Option<Url>)>> + Send>>;

impl Pages {
    /// Fetches one page; the URL of the next, if it is new.
    fn fetch(&self, state: PagerState, options: PagerOptions<'static>) -> RawPage {
        let core = Arc::clone(&self.core);
        let seen = Arc::clone(&self.seen);
        let next_link = self.next_link;
        let request = match state {
            PagerState::Initial => Ok(self.first.clone()),
            PagerState::More(link) => core.follow(link.as_ref()),
        };
        Box::pin(async move {
            let raw = core.send_raw(&options.context, request?, &[200]).await?;
            let fresh = next_page(&core, &seen, next_link, &raw);
            Ok((raw, fresh))
        })
    }
}

/// A fetched page as azure_core's pager takes it: typed, and how to reach the next one.
fn page_result<P>(raw: RawResponse, next: Option<Url>) -> PagerResult<Response<P>> {
    let response: Response<P> = raw.into();
    match next {
        Some(url) => PagerResult::More { response, continuation: PagerContinuation::Link(url) },
        None => PagerResult::Done { response },
    }
}

/// The URL of the page after `raw`, if the page names one not seen before. Resolved against the
/// endpoint but not yet checked: a link to another host still delivers this page, and the
/// refusal comes with the next one.
fn next_page(
    core: &Core,
    seen: &Mutex<std::collections::BTreeSet<String>>,
    next_link: Option<&'static str>,
    raw: &RawResponse,
) -> Option<Url> {
    let next = next_link.and_then(|name| scan_string_field(raw.body(), name)).filter(|link| !link.is_empty());
    let next = next.and_then(|link| core.endpoint.join(&link).ok());
    next.filter(|url| seen.lock().is_ok_and(|mut seen| seen.insert(url.to_string())))
}

impl Core {
    /// A long-running operation whose result is the first page of a list (`x-ms-pageable`
    /// beside `x-ms-long-running-operation`): the first page waits for the operation to finish,
    /// as [`Core::poller`] does; later pages follow `next_link` as [`Core::pager`] does.
    pub fn lro_pager<'a, P, O: MethodOptions<'a>>(
        self: &Arc<Self>,
        req: Req,
        options: O,
        success: &'static [u16],
        final_state: super::FinalState,
        next_link: Option<&'static str>,
    ) -> azure_core::Result<Pager<P>>
    where
        P: azure_core::http::pager::Page + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        let options = self.traced(O::API, options.into_inner());
        self.lro_pages(req, options, success, final_state, next_link, O::API)
    }

    /// [`Core::lro_pager`] once the options are traced (generic over the page type only).
    fn lro_pages<P>(
        self: &Arc<Self>,
        req: Req,
        options: azure_core::http::ClientMethodOptions<'_>,
        success: &'static [u16],
        final_state: super::FinalState,
        next_link: Option<&'static str>,
        operation: &'static str,
    ) -> azure_core::Result<Pager<P>>
    where
        P: azure_core::http::pager::Page + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        let context = options.context.clone().into_owned();
        let poller = self.start_poller::<P, azure_core::http::JsonFormat>(req, options, success, final_state, operation)?;
        let operation = Arc::new(Mutex::new(Some(poller)));
        let core = Arc::clone(self);
        let seen = Arc::new(Mutex::new(std::collections::BTreeSet::new()));
        let options = PagerOptions { context, continuation: None };
        Ok(Pager::new(
            move |state: PagerState, options: PagerOptions<'static>| {
                let (core, seen) = (Arc::clone(&core), Arc::clone(&seen));
                let operation = operation.lock().ok().and_then(|mut slot| slot.take());
                Box::pin(async move {
                    let raw = match state {
                        PagerState::Initial => {
                            let operation = operation.ok_or_else(|| super::invalid("the operation was already awaited".to_owned()))?;
                            operation.await?.to_raw_response()
                        }
                        PagerState::More(link) => {
                            let request = core.follow(link.as_ref())?;
                            core.send_raw(&options.context, request, &[200]).await?
                        }
                    };
                    let next = next_page(&core, &seen, next_link, &raw);
                    Ok(page_result(raw, next))
                })
            },
            Some(options),
        ))
    }
}

impl Core {
    /// [`Core::pager`] for a list method whose options are only the call's context.
    pub fn list<'a, P, O: ListOptions<'a>>(
        self: &Arc<Self>,
        req: Req,
        options: Option<O>,
        next_link: Option<&'static str>,
    ) -> azure_core::Result<Pager<P>>
    where
        P: azure_core::http::pager::Page + serde::de::DeserializeOwned + Send + 'static,
    {
        let options = match options {
            Some(options) => options.into_inner(),
            None => PagerOptions::default(),
        };
        self.pages(req, self.traced_list(O::API, options), next_link)
    }
}

/// Reads one top-level string field of a JSON object without building the rest (the page's
/// items are decoded once, when the caller asks for them). Public for the benchmark.
pub fn scan_string_field(body: &[u8], name: &str) -> Option<String> {
    match last_string_field(body, name) {
        Some(found) => found,
        None => seek_string_field(body, name),
    }
}

/// ARM writes the next link as the page's last property. Found from the end, it is provably
/// top-level when only the object's closing brace follows its value: a nested key would be
/// followed by its own container's closing bracket too. `None` means "could not tell".
fn last_string_field(body: &[u8], name: &str) -> Option<Option<String>> {
    let key = format!("\"{name}\"");
    // Absent bytes are a definite answer: the last page has no next link.
    let Some(start) = body.windows(key.len()).rposition(|w| w == key.as_bytes()) else { return Some(None) };
    let rest = skip_space(&body[start + key.len()..]).strip_prefix(b":")?;
    let rest = skip_space(rest);
    let (value, after) = if let Some(after) = rest.strip_prefix(b"null") {
        (None, after)
    } else {
        let text = rest.strip_prefix(b"\"")?;
        let end = text.iter().position(|b| *b == b'"')?;
        // Escapes need a real JSON reader.
        if text[..end].contains(&b'\\') {
            return None;
        }
        (Some(std::str::from_utf8(&text[..end]).ok()?.to_owned()), &text[end + 1..])
    };
    let after = skip_space(after).strip_prefix(b"}")?;
    skip_space(after).is_empty().then_some(value)
}

fn skip_space(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The general case: one pass of serde over the body, skipping values without building them.
fn seek_string_field(body: &[u8], name: &str) -> Option<String> {
    struct Seek<'n>(&'n str);
    impl<'de> serde::de::Visitor<'de> for Seek<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    found = map.next_value::<Option<String>>()?;
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde::Deserializer::deserialize_map(&mut deserializer, Seek(name)).ok().flatten()
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_link_is_found_only_at_the_top_level() {
        let last = br#"{"value":[{"nextLink":"inner"}],"nextLink":"https://x/2"}"#;
        assert_eq!(super::scan_string_field(last, "nextLink").as_deref(), Some("https://x/2"));
        let first = br#"{"nextLink":"https://x/3","value":[{"nextLink":"inner"}]}"#;
        assert_eq!(super::scan_string_field(first, "nextLink").as_deref(), Some("https://x/3"));
        let nested_only = br#"{"value":[{"nextLink":"inner"}]}"#;
        assert_eq!(super::scan_string_field(nested_only, "nextLink"), None);
        let escaped = br#"{"value":[],"nextLink":"https://x/?a=\u0026b"}"#;
        assert_eq!(super::scan_string_field(escaped, "nextLink").as_deref(), Some("https://x/?a=&b"));
        assert_eq!(super::scan_string_field(br#"{"value":[],"nextLink":null}"#, "nextLink"), None);
    }
}
