//! Runtime of the generated client (5 in the list of [`super`]): page decoding against the
//! `serde_json` floor, paging and single calls through an in-memory transport and a loopback
//! server, and request building.

use super::Result;
use super::measure::median;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// Per-page and per-call times (medians of batch means).
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
pub(super) struct Runtime {
    pub(super) page_bytes: usize,
    /// `serde_json::from_slice::<BackendCollection>`: the floor.
    pub(super) floor: Duration,
    /// `Response::<BackendCollection>::into_model` of a response holding the same bytes.
    pub(super) into_model: Duration,
    /// The pager's `nextLink` scan (the generated runtime's own `scan_string_field`).
    pub(super) scan: Duration,
    /// What the pager does with a page body: the scan, then `into_model`.
    pub(super) decode_path: Duration,
    /// `list_by_service` → `into_pages().try_next()` → `into_model()`, in-memory transport.
    pub(super) page_in_memory: Duration,
    /// The same through reqwest and a loopback HTTP/1.1 server.
    pub(super) page_loopback: Duration,
    /// `runtime::Core::request` for the `Backend_Get` path (validation, encoding, URL).
    pub(super) request: Duration,
    /// `backend().get(…)` → `into_model()`, in-memory transport and loopback HTTP.
    pub(super) get_in_memory: Duration,
    pub(super) get_loopback: Duration,
}

#[cfg(feature = "bench-runtime")]
pub(super) fn runtime_stats(root: &Path) -> Result<Runtime> {
    client_runtime::measure(root)
}

#[cfg(not(feature = "bench-runtime"))]
pub(super) fn runtime_stats(_: &Path) -> Result<Runtime> {
    Err(format!("xtask was built without the `{}` feature", super::FEATURE).into())
}

/// One benchmarked operation; [`op`] makes one from any closure returning a `Result`.
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
type Op<'a> = Box<dyn FnMut() -> Result<()> + 'a>;

#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
fn op<'a, T>(mut f: impl FnMut() -> Result<T> + 'a) -> Op<'a> {
    Box::new(move || f().map(|value| drop(black_box(value))))
}

/// A benchmark loop of our own: each op is warmed up and its batch sized to `BATCH`; then the
/// ops' batches run in turn, `BATCHES` rounds, so ops compared with each other see the same
/// machine. Returns each op's median batch mean (time per call).
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
fn per_call<const N: usize>(mut ops: [Op<'_>; N]) -> Result<[Duration; N]> {
    const BATCH: Duration = Duration::from_millis(50);
    const BATCHES: usize = 15;
    let mut iterations = [0u32; N];
    for (op, iterations) in ops.iter_mut().zip(&mut iterations) {
        *iterations = calibrate(op, BATCH)?;
    }
    let mut means: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(BATCHES));
    for _ in 0..BATCHES {
        for ((op, &iterations), means) in ops.iter_mut().zip(&iterations).zip(&mut means) {
            let started = Instant::now();
            for _ in 0..iterations {
                op()?;
            }
            means.push(started.elapsed() / iterations);
        }
    }
    Ok(means.map(median))
}

/// Warms `op` up for a while and returns how many calls fill `batch`.
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
fn calibrate(op: &mut Op<'_>, batch: Duration) -> Result<u32> {
    const WARM_UP: Duration = Duration::from_millis(200);
    let (started, mut calls) = (Instant::now(), 0u32);
    while calls < 3 || started.elapsed() < WARM_UP {
        op()?;
        calls += 1;
    }
    let once = (started.elapsed() / calls).max(Duration::from_nanos(20));
    Ok(u32::try_from(batch.as_nanos() / once.as_nanos()).unwrap_or(u32::MAX).clamp(5, 1_000_000))
}

#[cfg(feature = "bench-runtime")]
mod client_runtime {
    //! The generated client against an in-memory transport and a loopback server.

    use super::{Result, Runtime, op, per_call};
    use api_management_client::models::{BackendCollection, BackendContract};
    use api_management_client::runtime::{Core, CoreOptions, Path as UrlPath, Rule};
    use api_management_client::{ApiManagementClient, ApiManagementClientOptions};
    use azure_core::Bytes;
    use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
    use azure_core::http::headers::Headers;
    use azure_core::http::{
        AsyncRawResponse, ClientOptions, HttpClient, RawResponse, Request, Response, StatusCode, Transport,
    };
    use futures::TryStreamExt;
    use serde_json::{Value, json};
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::path::Path;
    use std::sync::Arc;
    use std::time::Duration;

    const EXAMPLE: &str = "spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01/examples/ApiManagementListBackends.json";
    const PAGE_ITEMS: usize = 100;
    const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
    const SERVICE: &str = "/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1";
    static BACKEND_GET: UrlPath = UrlPath::with_rules(
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ApiManagement/service/{serviceName}/backends/{backendId}",
        &[&SUBSCRIPTION_ID, &RESOURCE_GROUP_NAME, &SERVICE_NAME, &BACKEND_ID],
    );

    // The generated crate's `clients::rules` is private: these copy the ones `Backend_Get` uses.
    static SUBSCRIPTION_ID: Rule = Rule::new("subscriptionId");
    static RESOURCE_GROUP_NAME: Rule = Rule::new("resourceGroupName").min_len(1).max_len(90);
    static SERVICE_NAME: Rule =
        Rule::new("serviceName").min_len(1).max_len(50).pattern("^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$");
    static BACKEND_ID: Rule = Rule::new("backendId").min_len(1).max_len(80);

    /// The bodies every server answers with: a page for `…/backends`, one item otherwise.
    #[derive(Debug, Clone)]
    struct Bodies {
        page: Bytes,
        item: Bytes,
    }

    impl Bodies {
        fn for_path(&self, path: &str) -> Bytes {
            if path.ends_with("/backends") { self.page.clone() } else { self.item.clone() }
        }
    }

    pub(super) fn measure(root: &Path) -> Result<Runtime> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let endpoint = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let bodies = bodies(root, &endpoint)?;
        serve(listener, bodies.clone());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let loopback = client(&endpoint, ClientOptions::default())?;
        let transport = Transport::new(Arc::new(InMemory(bodies.clone())));
        let in_memory = client(&endpoint, ClientOptions { transport: Some(transport), ..Default::default() })?;
        let core = core(&endpoint)?;
        let page = &bodies.page;
        let [floor, into_model, scan, decode_path, page_in_memory] = per_call([
            op(|| Ok(serde_json::from_slice::<BackendCollection>(page)?)),
            op(|| decode(page)),
            op(|| Ok(api_management_client::runtime::scan_string_field(page, "nextLink"))),
            op(|| Ok((api_management_client::runtime::scan_string_field(page, "nextLink"), decode(page)?))),
            op(|| runtime.block_on(first_page(&in_memory))),
        ])?;
        let [page_loopback, request, get_in_memory, get_loopback] = per_call([
            op(|| runtime.block_on(first_page(&loopback))),
            op(|| build_request(&core)),
            op(|| runtime.block_on(get(&in_memory))),
            op(|| runtime.block_on(get(&loopback))),
        ])?;
        Ok(Runtime {
            page_bytes: page.len(),
            floor,
            into_model,
            scan,
            decode_path,
            page_in_memory,
            page_loopback,
            request,
            get_in_memory,
            get_loopback,
        })
    }

    fn decode(body: &Bytes) -> Result<BackendCollection> {
        let raw = RawResponse::from_bytes(StatusCode::Ok, Headers::new(), body.clone());
        Ok(Response::<BackendCollection>::from(raw).into_model()?)
    }

    async fn first_page(client: &ApiManagementClient) -> Result<BackendCollection> {
        let mut pages = client.backend().list_by_service("rg1", "apimService1", None)?.into_pages();
        let page = pages.try_next().await?.ok_or("the pager returned no page")?;
        Ok(page.into_model()?)
    }

    async fn get(client: &ApiManagementClient) -> Result<BackendContract> {
        Ok(client.backend().get("rg1", "apimService1", "backend-000", None).await?.into_model()?)
    }

    fn build_request(core: &Core) -> Result<()> {
        // The client-level `subscriptionId` comes from the core, as in a generated method.
        let path = ["rg1", "apimService1", "backend-000"];
        std::hint::black_box(core.get(&BACKEND_GET, &path).finish()?);
        Ok(())
    }

    fn client(endpoint: &str, client_options: ClientOptions) -> Result<ApiManagementClient> {
        let options =
            ApiManagementClientOptions { endpoint: endpoint.to_owned(), client_options, ..Default::default() };
        Ok(ApiManagementClient::new(SUBSCRIPTION, Arc::new(FakeCredential), Some(options))?)
    }

    fn core(endpoint: &str) -> Result<Arc<Core>> {
        let options = CoreOptions {
            crate_name: "bench",
            crate_version: "0.0.0",
            // What the generated client passes (`clients/mod.rs`), so the core is the same.
            namespace: Some("Microsoft.ApiManagement"),
            endpoint: endpoint.to_owned(),
            api_version: "2024-05-01".to_owned(),
            client_options: ClientOptions::default(),
            poll_interval: Duration::from_secs(30),
            client_values: vec![(&SUBSCRIPTION_ID, SUBSCRIPTION.to_owned())],
            path_rules: |_| None,
        };
        Ok(Core::new(Arc::new(FakeCredential), options)?)
    }

    /// The example's backends repeated to [`PAGE_ITEMS`] under distinct names, with a `nextLink`
    /// on the same origin (the pager refuses others); and one item for `get`.
    fn bodies(root: &Path, endpoint: &str) -> Result<Bodies> {
        let example: Value = serde_json::from_slice(&std::fs::read(root.join(EXAMPLE))?)?;
        let items = example
            .pointer("/responses/200/body/value")
            .and_then(Value::as_array)
            .filter(|items| !items.is_empty())
            .ok_or_else(|| format!("{EXAMPLE} has no responses.200.body.value items"))?;
        let value: Vec<Value> = (0..PAGE_ITEMS).map(|i| renamed(&items[i % items.len()], i)).collect();
        let next_link =
            format!("{endpoint}/subscriptions/{SUBSCRIPTION}{SERVICE}/backends?api-version=2024-05-01&$skiptoken=2");
        let page = json!({ "value": value, "count": PAGE_ITEMS, "nextLink": next_link });
        Ok(Bodies { page: serde_json::to_vec(&page)?.into(), item: serde_json::to_vec(&renamed(&items[0], 0))?.into() })
    }

    fn renamed(item: &Value, index: usize) -> Value {
        let name = format!("backend-{index:03}");
        let mut item = item.clone();
        if let Some((parent, _)) = item.get("id").and_then(Value::as_str).and_then(|id| id.rsplit_once('/')) {
            item["id"] = Value::from(format!("{parent}/{name}"));
        }
        item["name"] = Value::from(name);
        item
    }

    /// A credential that never calls anything.
    #[derive(Debug)]
    struct FakeCredential;

    #[async_trait::async_trait]
    impl TokenCredential for FakeCredential {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            let expires = azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1);
            Ok(AccessToken::new(Secret::new("bench-token"), expires))
        }
    }

    /// A transport answering from memory: the client's own cost without sockets.
    #[derive(Debug)]
    struct InMemory(Bodies);

    #[async_trait::async_trait]
    impl HttpClient for InMemory {
        async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
            let mut headers = Headers::new();
            headers.insert("content-type", "application/json");
            Ok(AsyncRawResponse::from_bytes(StatusCode::Ok, headers, self.0.for_path(request.url().path())))
        }
    }

    /// A minimal keep-alive HTTP/1.1 server on the loopback address: every GET gets a 200 with the
    /// body for its path. It lives as long as this process, which ends when the benchmark does.
    fn serve(listener: TcpListener, bodies: Bodies) {
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let bodies = bodies.clone();
                std::thread::spawn(move || answer(stream, &bodies));
            }
        });
    }

    fn answer(mut stream: TcpStream, bodies: &Bodies) -> std::io::Result<()> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let (mut pending, mut buffer) = (Vec::new(), [0u8; 8192]);
        loop {
            let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") else {
                let read = stream.read(&mut buffer)?;
                if read == 0 {
                    return Ok(());
                }
                pending.extend_from_slice(&buffer[..read]);
                continue;
            };
            let head = String::from_utf8_lossy(&pending[..end]).into_owned();
            pending.drain(..end + 4);
            let target = head.split_whitespace().nth(1).unwrap_or("/");
            let body = bodies.for_path(target.split('?').next().unwrap_or(target));
            let mut response =
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
                    .into_bytes();
            response.extend_from_slice(&body);
            stream.write_all(&response)?;
        }
    }
}
