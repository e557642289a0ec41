//! The official Azure SDK conventions the generated client follows, against a loopback server:
//! `RequestContent` bodies (a model or raw JSON), one options struct per method, and a
//! distributed-tracing span per method call named `<Client>.<method>` with the provider's
//! `az.namespace`.

mod client_support;

use api_management_client::clients::{BackendClientGetOptions, BackendClientListByServiceOptions};
use api_management_client::models::BackendContract;
use api_management_client::{ApiManagementClient, ApiManagementClientOptions};
use azure_core::http::{ClientMethodOptions, ClientOptions, Context, RequestContent};
use azure_core::tracing::{
    AsAny, Attribute, AttributeValue, Span, SpanGuard, SpanKind, SpanStatus, Tracer, TracerProvider,
};
use client_support::*;
use futures::TryStreamExt;
use serde_json::json;
use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_body_can_be_raw_json_bytes_sent_as_given() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(backend_path("sfbackend")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "name": "sfbackend" })))
        .expect(1)
        .mount(&server)
        .await;
    // A field this client version has no model for still reaches the service.
    let raw = r#"{"properties":{"url":"https://b.example","protocol":"http","newField":1}}"#;
    let body: RequestContent<BackendContract> = RequestContent::from_str(raw);
    let response = client(&server).backend().create_or_update("rg1", "apimService1", "sfbackend", body, None).await?;
    assert_eq!(response.into_model()?.name.as_deref(), Some("sfbackend"));
    let requests = received(&server).await;
    assert_eq!(requests[0].body, raw.as_bytes());
    assert_eq!(header(&requests[0], "content-type"), Some("application/json"));
    Ok(())
}

#[tokio::test]
async fn a_model_body_converts_with_try_into() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(201).set_body_json(json!({}))).mount(&server).await;
    let model = BackendContract { name: Some("ignored by the service".into()), ..Default::default() };
    let body: RequestContent<BackendContract> = model.try_into()?;
    client(&server).backend().create_or_update("rg1", "apimService1", "sfbackend", body, None).await?;
    let sent: serde_json::Value = serde_json::from_slice(&received(&server).await[0].body).expect("JSON");
    // `name` is read-only: the model never sends it.
    assert_eq!(sent, json!({}));
    Ok(())
}

/// Spans as the recording tracer saw them.
#[derive(Debug, Default)]
struct Recorded {
    spans: Mutex<Vec<SpanRecord>>,
}

#[derive(Debug, Clone)]
struct SpanRecord {
    name: String,
    attributes: Vec<(String, String)>,
    ended: Arc<Mutex<bool>>,
}

impl SpanRecord {
    fn ended(&self) -> bool {
        *self.ended.lock().unwrap()
    }
}

#[derive(Debug)]
struct RecordingProvider(Arc<Recorded>);

#[derive(Debug)]
struct RecordingTracer {
    namespace: Option<&'static str>,
    recorded: Arc<Recorded>,
}

struct RecordedSpan {
    ended: Arc<Mutex<bool>>,
}

struct NoGuard;

impl SpanGuard for NoGuard {
    fn end(self) {}
}

impl TracerProvider for RecordingProvider {
    fn get_tracer(&self, namespace: Option<&'static str>, _: &'static str, _: Option<&'static str>) -> Arc<dyn Tracer> {
        Arc::new(RecordingTracer { namespace, recorded: Arc::clone(&self.0) })
    }
}

impl Tracer for RecordingTracer {
    fn start_span(&self, name: Cow<'static, str>, _: SpanKind, attributes: Vec<Attribute>) -> Arc<dyn Span> {
        let attributes = attributes
            .into_iter()
            .map(|a| {
                let value = match a.value {
                    AttributeValue::String(s) => s,
                    other => format!("{other:?}"),
                };
                (a.key.to_string(), value)
            })
            .collect();
        let ended = Arc::new(Mutex::new(false));
        let record = SpanRecord { name: name.into_owned(), attributes, ended: Arc::clone(&ended) };
        self.recorded.spans.lock().unwrap().push(record);
        Arc::new(RecordedSpan { ended })
    }

    fn start_span_with_parent(
        &self,
        name: Cow<'static, str>,
        kind: SpanKind,
        attributes: Vec<Attribute>,
        _: Arc<dyn Span>,
    ) -> Arc<dyn Span> {
        self.start_span(name, kind, attributes)
    }

    fn namespace(&self) -> Option<&'static str> {
        self.namespace
    }
}

impl AsAny for RecordedSpan {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Span for RecordedSpan {
    fn is_recording(&self) -> bool {
        true
    }
    fn span_id(&self) -> [u8; 8] {
        [1; 8]
    }
    fn end(&self) {
        *self.ended.lock().unwrap() = true;
    }
    fn set_status(&self, _: SpanStatus) {}
    fn set_attribute(&self, _: &'static str, _: AttributeValue) {}
    fn record_error(&self, _: &dyn std::error::Error) {}
    fn set_current(&self, _: &Context) -> Box<dyn SpanGuard> {
        Box::new(NoGuard)
    }
    fn propagate_headers(&self, _: &mut azure_core::http::Request) {}
}

fn traced_client(server: &MockServer) -> (ApiManagementClient, Arc<Recorded>) {
    let recorded = Arc::new(Recorded::default());
    let mut client_options = ClientOptions::default();
    client_options.instrumentation.tracer_provider = Some(Arc::new(RecordingProvider(Arc::clone(&recorded))));
    let options = ApiManagementClientOptions { client_options, endpoint: server.uri(), ..Default::default() };
    let client = ApiManagementClient::new(SUBSCRIPTION, Arc::new(FakeCredential), Some(options)).expect("client");
    (client, recorded)
}

/// The public-API spans (azure_core also makes one per HTTP request, named by the method verb).
fn api_spans(recorded: &Recorded) -> Vec<SpanRecord> {
    recorded.spans.lock().unwrap().iter().filter(|s| s.name.contains('.')).cloned().collect()
}

fn request_spans(recorded: &Recorded) -> usize {
    recorded.spans.lock().unwrap().iter().filter(|s| s.name == "GET").count()
}

#[tokio::test]
async fn each_call_is_a_span_named_for_the_method_with_the_provider_namespace() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let (client, recorded) = traced_client(&server);
    let options = BackendClientGetOptions { method_options: ClientMethodOptions::default() };
    client.backend().get("rg1", "apimService1", "sfbackend", Some(options)).await?;
    let spans = api_spans(&recorded);
    assert_eq!(spans.len(), 1, "{spans:?}");
    let span = &spans[0];
    assert_eq!(span.name, "BackendClient.get");
    let namespace = ("az.namespace".to_owned(), "Microsoft.ApiManagement".to_owned());
    assert!(span.attributes.contains(&namespace), "{span:?}");
    assert!(span.ended());
    // The HTTP request has its own span beside it.
    assert_eq!(request_spans(&recorded), 1);
    Ok(())
}

#[tokio::test]
async fn a_list_is_one_span_over_all_its_pages() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let next = format!("{}/next", server.uri());
    Mock::given(method("GET"))
        .and(path("/next"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [{ "name": "b" }] })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [{ "name": "a" }], "nextLink": next })))
        .mount(&server)
        .await;
    let (client, recorded) = traced_client(&server);
    let pager = client.backend().list_by_service("rg1", "apimService1", None::<BackendClientListByServiceOptions>)?;
    let names: Vec<Option<String>> = pager.map_ok(|b| b.name).try_collect().await?;
    assert_eq!(names, [Some("a".to_owned()), Some("b".to_owned())]);
    // As azure_core's pager makes it: one span for the whole listing, ended after the last
    // page, with a request span per page inside it.
    let spans: Vec<(String, bool)> = api_spans(&recorded).iter().map(|s| (s.name.clone(), s.ended())).collect();
    assert_eq!(spans, [("BackendClient.list_by_service".to_owned(), true)]);
    assert_eq!(request_spans(&recorded), 2);
    Ok(())
}
