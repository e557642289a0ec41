//! `Azure.ResourceManager.LargeHeader`: a long-running operation whose polling links carry 6 KB
//! of query.

use crate::support::RESOURCE_GROUP;

#[tokio::test]
async fn large_headers_two6k() {
    let client = crate::client!(spector_large_header, TitleClient, TitleClientOptions);
    let poller = client.large_headers().begin_two6k(RESOURCE_GROUP, "header1", None).unwrap();
    let result = poller.await.unwrap().into_model().unwrap();
    assert!(result.succeeded);
}
