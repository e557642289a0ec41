//! Typed resource ids (`api_management_client::ids`): parsing the display of any id gives it
//! back, whatever its values hold; ids of another resource type are refused with the segment
//! that does not fit; parents, children and serde.

use api_management_client::ids::{ApiId, ApiManagementServiceId, ApiOperationId, BackendId, CertificateId, kind};
use api_management_client::models::BackendContract;
use api_management_client::{Resource, ResourceId};
use proptest::prelude::*;

const SERVICE: &str = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1";

/// A value: anything non-empty, with what an id's text must escape or keep (`/`, `%`, spaces,
/// `?`, `#`, control characters, unicode).
fn value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("/".to_owned()),
        Just("%".to_owned()),
        Just("%2F".to_owned()),
        Just(" ".to_owned()),
        Just("?#".to_owned()),
        Just("\u{7}".to_owned()),
        Just("é中🚀".to_owned()),
        "[a-zA-Z0-9._~-]{1,8}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn parsing_the_display_of_an_id_gives_it_back(values in prop::collection::vec(value(), 4)) {
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let id = BackendId::new(&refs).expect("four non-empty values make a backend id");
        let text = id.to_string();
        let parsed: BackendId = text.parse().expect("an id's display parses");
        prop_assert_eq!(&parsed, &id);
        prop_assert_eq!(parsed.to_string(), text.clone());
        prop_assert_eq!(parsed.name(), values[3].as_str());
        prop_assert_eq!(parsed.value("BACKENDID"), Some(values[3].as_str()));
        // One segment per value: `/` inside a value is never a separator.
        prop_assert_eq!(text.matches('/').count(), 10);
    }

    #[test]
    fn ids_of_another_resource_type_are_refused(values in prop::collection::vec(value(), 4)) {
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let text = CertificateId::new(&refs).expect("a certificate id").to_string();
        let error = text.parse::<BackendId>().expect_err("a certificate id is not a backend id");
        prop_assert!(error.to_string().contains("segment 9 is `certificates` where `backends` should be"), "{}", error);
        let api = ApiId::new(&refs).expect("an API id").to_string();
        prop_assert!(api.parse::<ApiOperationId>().is_err());
        let too_long = format!("{api}/operations/op1/extra");
        prop_assert!(too_long.parse::<ApiOperationId>().is_err());
    }
}

#[test]
fn segment_names_match_whatever_their_case_and_values_are_percent_decoded() {
    let text =
        "/SUBSCRIPTIONS/sub1/resourcegroups/rg1/providers/microsoft.apimanagement/Service/apim1/BACKENDS/a%2Fb%20c";
    let id: BackendId = text.parse().expect("ARM compares segment names without case");
    assert_eq!(id.subscription_id(), Some("sub1"));
    assert_eq!(id.resource_group_name(), Some("rg1"));
    assert_eq!(id.value("serviceName"), Some("apim1"));
    assert_eq!(id.name(), "a/b c");
    assert_eq!(id.to_string(), format!("{SERVICE}/backends/a%2Fb c"), "the canonical form is the template's");
    let trailing: BackendId = format!("{SERVICE}/backends/b1/").parse().expect("a trailing slash is tolerated");
    assert_eq!(trailing.name(), "b1");
}

#[test]
fn errors_name_the_segment_that_does_not_fit() {
    let cases = [
        ("subscriptions/sub1", "an ARM id starts with `/`"),
        (SERVICE, "it ends where segment 9 (`backends`) should be"),
        (&format!("{SERVICE}/backends"), "it ends where segment 10 (`{backendId}`) should be"),
        (&format!("{SERVICE}/backends//"), "segment 10 (`{backendId}`) is empty"),
        (&format!("{SERVICE}/backends/b1/x"), "it goes on with `x` after segment 10"),
        (&format!("{SERVICE}/backends/%FF"), "segment 10 (`{backendId}`) is not UTF-8 once percent-decoded"),
    ];
    for (text, why) in cases {
        let error = text.parse::<BackendId>().expect_err(text).to_string();
        assert!(error.contains("is not a BackendId"), "{error}");
        assert!(error.contains(why), "`{text}`: {error}");
    }
    let error = BackendId::new(&["sub1", "rg1"]).expect_err("two values").to_string();
    assert!(error.contains("takes 4 values"), "{error}");
    assert!(BackendId::new(&["sub1", "rg1", "", "b1"]).is_err(), "empty values are refused");
}

#[test]
fn an_id_knows_its_parent_and_its_children() {
    let backend: BackendId = format!("{SERVICE}/backends/b1").parse().unwrap();
    let service: ApiManagementServiceId = backend.parent();
    assert_eq!(service.to_string(), SERVICE);
    let group: ResourceId<kind::ArmResourceGroup> = service.parent();
    assert_eq!(group.to_string(), "/subscriptions/sub1/resourceGroups/rg1");
    assert_eq!(group.parent().to_string(), "/subscriptions/sub1");
    assert_eq!(group.parent().parent().to_string(), "/", "a subscription is in the tenant");
    assert_eq!(BackendId::in_parent(&service, "b1").unwrap(), backend);
    let operation: ApiOperationId = format!("{SERVICE}/apis/echo/operations/op1").parse().unwrap();
    assert_eq!(operation.parent().parent(), service, "an operation is in an API, in the service");
}

#[test]
fn ids_serialize_as_their_text_and_models_give_theirs_typed() {
    let backend: BackendId = format!("{SERVICE}/backends/b%2F1").parse().unwrap();
    let json = serde_json::to_string(&backend).unwrap();
    assert_eq!(json, format!("\"{SERVICE}/backends/b%2F1\""));
    assert_eq!(serde_json::from_str::<BackendId>(&json).unwrap(), backend);
    assert!(serde_json::from_str::<CertificateId>(&json).is_err());

    let model: BackendContract =
        serde_json::from_value(serde_json::json!({ "id": format!("{SERVICE}/backends/b1") })).unwrap();
    assert_eq!(model.resource_id::<BackendId>().expect("it has an id").unwrap().name(), "b1");
    assert!(model.resource_id::<CertificateId>().expect("it has an id").is_err());
    assert!(BackendContract::default().resource_id::<BackendId>().is_none());
}
