//! Snapshots of the emitted source of the Backend models: what users read and depend on.

use generator::model::Api;
use std::path::Path;
use std::sync::OnceLock;

fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
        let spec =
            root.join("spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01");
        generator::load_model(&spec, "2024-05-01").expect("the API Management spec lowers")
    })
}

fn source(name: &str) -> String {
    generator::emit::type_source(api(), name).unwrap_or_else(|| panic!("no model named {name}"))
}

macro_rules! snapshot_models {
    ($($test:ident => $name:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!($name, source($name));
        }
    )*};
}

snapshot_models! {
    backend_contract => "BackendContract",
    backend_contract_properties => "BackendContractProperties",
    backend_base_parameters => "BackendBaseParameters",
    backend_circuit_breaker => "BackendCircuitBreaker",
    circuit_breaker_rule => "CircuitBreakerRule",
    circuit_breaker_failure_condition => "CircuitBreakerFailureCondition",
    failure_status_code_range => "FailureStatusCodeRange",
    backend_pool => "BackendPool",
    backend_pool_item => "BackendPoolItem",
    backend_protocol => "BackendProtocol",
    backend_type => "BackendType",
    backend_tls_properties => "BackendTlsProperties",
    error_response => "ErrorResponse",
}

#[test]
fn pool_is_typed_not_a_free_form_value() {
    let base = source("BackendBaseParameters");
    assert!(base.contains("pub pool: Option<BackendPool>,"), "{base}");
    assert!(source("BackendPool").contains("pub services: Option<Vec<BackendPoolItem>>,"));
}

#[test]
fn inherited_properties_sit_in_the_struct_itself() {
    let source = source("BackendContract");
    for field in ["pub id: Option<String>", "pub name: Option<String>", "pub r#type: Option<String>"] {
        assert!(source.contains(field), "missing `{field}` in\n{source}");
    }
    assert!(source.contains("[`ProxyResource`]"), "the parent is named in the docs");
    assert!(
        source.contains("pub properties: Option<BackendContractProperties>"),
        "x-ms-client-flatten keeps the nesting"
    );
}

#[test]
fn secrets_are_kept_out_of_debug() {
    let source = source("BackendProxyContract");
    assert!(source.contains("SafeDebug"), "{source}");
    assert!(source.contains("#[safe(false)]\n    pub password"), "{source}");
    let proxy = api_management_client::models::BackendProxyContract {
        url: "http://proxy".into(),
        username: Some("admin".into()),
        password: Some("hunter2".into()),
    };
    let debug = format!("{proxy:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("http://proxy"), "non-secret fields stay visible: {debug}");
}
