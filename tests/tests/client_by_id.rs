//! By-id methods against a loopback `wiremock` server: the id gives every path value (encoded
//! as one segment each), an id in another subscription is refused before anything is sent, and
//! by-id forms exist for plain, enum-valued and reordered reads; other methods take an id's
//! values through `ResourceId::args`.

mod client_support;

use api_management_client::ids::{ApiId, ApiPolicyId, BackendId, DeletedServicesId};
use api_management_client::models::BackendContract;
use api_management_client::{Resource, ResourceId};
use client_support::*;
use futures::TryStreamExt;
use serde_json::json;
use std::time::Duration;
use wiremock::{MockServer, ResponseTemplate};

fn backend_id(name: &str) -> BackendId {
    BackendId::new(&[SUBSCRIPTION, "rg1", "apimService1", name]).expect("a backend id")
}

#[tokio::test]
async fn get_by_id_reads_the_resource_the_id_names() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let body =
        json!({ "id": backend_path("a%2Fb"), "name": "a/b", "properties": { "url": "https://b", "protocol": "http" } });
    mount(&server, "GET", &backend_path("a%2Fb"), ResponseTemplate::new(200).set_body_json(&body)).await;
    let client = client(&server);

    let backend: BackendContract = client.backend().get_by_id(&backend_id("a/b"), None).await?.into_model()?;
    assert_eq!(backend.properties.as_ref().map(|p| p.url.as_str()), Some("https://b"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_authenticated(&requests[0]);
    // The model's own id leads back to it.
    let id: BackendId = backend.resource_id().expect("an id")?;
    assert_eq!(id, backend_id("a/b"));
    client.backend().get_by_id(&id, None).await?;
    assert_eq!(count(&server, "GET", &backend_path("a%2Fb")).await, 2);
    Ok(())
}

#[tokio::test]
async fn an_id_in_another_subscription_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let elsewhere = BackendId::new(&["00000000-0000-0000-0000-00000000ffff", "rg1", "apimService1", "b1"]).unwrap();

    let error = client.backend().get_by_id(&elsewhere, None).await.expect_err("another subscription");
    assert!(error.to_string().contains("this client is for `00000000-0000-0000-0000-000000000001`"), "{error}");
    let error = client.api().get_by_id(&ApiId::in_parent(&elsewhere.parent(), "echo").unwrap(), None).await;
    assert!(
        error
            .expect_err("another subscription")
            .to_string()
            .contains("subscriptionId `00000000-0000-0000-0000-00000000ffff`")
    );
    assert!(received(&server).await.is_empty(), "nothing reaches the server");

    // The subscription is compared as ARM compares it, without case.
    let upper = BackendId::new(&[&SUBSCRIPTION.to_uppercase(), "rg1", "apimService1", "b1"]).unwrap();
    mount(&server, "GET", &backend_path("b1"), ResponseTemplate::new(200).set_body_json(json!({}))).await;
    client.backend().get_by_id(&upper, None).await.expect("the client's own subscription");
}

#[tokio::test]
async fn by_id_forms_pass_on_every_other_argument() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    mount(&server, "DELETE", &backend_path("b1"), ResponseTemplate::new(204)).await;
    let policy = format!("{}/apis/echo/policies/policy", service_path());
    mount(&server, "GET", &policy, ResponseTemplate::new(200).set_body_json(json!({ "name": "policy" }))).await;
    let deleted = format!(
        "/subscriptions/{SUBSCRIPTION}/providers/Microsoft.ApiManagement/locations/westus/deletedservices/apim1"
    );
    mount(&server, "GET", &deleted, ResponseTemplate::new(200).set_body_json(json!({ "name": "apim1" }))).await;
    let client = client(&server);

    // Any other method takes the id's values (all but the subscription, in path order).
    let id = backend_id("b1");
    let [group, service, backend] = id.args()?;
    client.backend().delete(group, service, backend, "\"etag-1\"", None).await?;
    let delete = &received(&server).await[0];
    assert_eq!(header(delete, "if-match"), Some("\"etag-1\""));
    assert!(backend_id("b1").args::<2>().is_err(), "a backend id has three path arguments");

    // `{policyId}` is an enum in the spec: the id's text converts into it.
    let policy_id: ApiPolicyId = policy.parse()?;
    client.api_policy().get_by_id(&policy_id, None).await?;
    // `get_by_name(service_name, location)` takes its path values in another order than the path.
    let deleted_id: DeletedServicesId = deleted.parse()?;
    client.deleted_services().get_by_name_by_id(&deleted_id, None).await?;
    assert_eq!(count(&server, "GET", &policy).await, 1);
    assert_eq!(count(&server, "GET", &deleted).await, 1);
    Ok(())
}

#[tokio::test]
async fn a_long_running_method_takes_an_ids_values() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let api_path = format!("{}/apis/echo", service_path());
    let accepted =
        ResponseTemplate::new(202).insert_header("Location", format!("{}/operations/1", server.uri()).as_str());
    mount(&server, "DELETE", &api_path, accepted).await;
    mount(&server, "GET", "/operations/1", ResponseTemplate::new(204)).await;
    let client = client(&server);

    let id: ApiId = ResourceId::in_parent(&backend_id("b1").parent(), "echo")?;
    let [group, service, api] = id.args()?;
    let poller = client.api().begin_delete(group, service, api, "*", None)?;
    let statuses: Vec<_> =
        tokio::time::timeout(Duration::from_secs(10), poller.try_collect::<Vec<_>>()).await.expect("done")?;
    assert!(!statuses.is_empty());
    assert_eq!(count(&server, "DELETE", &api_path).await, 1);
    Ok(())
}
