//! The crate generated from Azure's Swagger 2.0 has the public surface of the one generated
//! from the OpenAPI 3 conversion of the same spec (`../shared/spec/apimanagement/2024-05-01.yaml`,
//! AutoRest output). Each remaining difference is listed in [`KNOWN`] with its reason.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives inside the workspace").to_owned()
}

const SWAGGER: &str = "spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01";
const OPENAPI3: &str = "../shared/spec/apimanagement/2024-05-01.yaml";

/// Why a line is on one side only: the conversion, or the revision it was made from, differs
/// from the files copied here. Each rule matches lines by prefix and suffix.
const KNOWN: &[(&str, &str, &str)] = &[
    // The conversion drops `x-ms-paths`, so it has no export operations.
    ("method api_export.get(", "", X_MS_PATHS),
    ("method workspace_api_export.get(", "", X_MS_PATHS),
    ("fake api_export.on_get:", "", X_MS_PATHS),
    ("fake workspace_api_export.on_get:", "", X_MS_PATHS),
    ("options ApiExportClientGetOptions", "", X_MS_PATHS),
    ("options WorkspaceApiExportClientGetOptions", "", X_MS_PATHS),
    ("enum ExportApi ", "", X_MS_PATHS),
    ("enum ExportFormat ", "", X_MS_PATHS),
    // Its revision of the folder is newer than the one copied here.
    ("method operation_status.get(", "", NEWER),
    ("method operations_results.get(", "", NEWER),
    ("method operation_status.get_by_id(", "", NEWER),
    ("method operations_results.get_by_id(", "", NEWER),
    ("fake operation_status.on_get:", "", NEWER),
    ("fake operations_results.on_get:", "", NEWER),
    ("id OperationStatusId ", "", NEWER),
    ("id OperationsResultsId ", "", NEWER),
    ("options OperationStatusClientGetOptions", "", NEWER),
    ("options OperationsResultsClientGetOptions", "", NEWER),
    ("field OperationStatusResult.", "", NEWER),
    ("struct OperationStatusResult", "", NEWER),
    ("field ", ".system_data: Option<SystemData> read-only", SYSTEM_DATA),
    // It keeps every definition of common-types `v5/types.json`, reached or not.
    ("field AzureEntityResource.", "", UNREACHED),
    ("struct AzureEntityResource", "", UNREACHED),
    ("field CheckNameAvailabilityRequest.", "", UNREACHED),
    ("struct CheckNameAvailabilityRequest", "", UNREACHED),
    ("field CheckNameAvailabilityResponse.", "", UNREACHED),
    ("struct CheckNameAvailabilityResponse", "", UNREACHED),
    ("enum CheckNameAvailabilityReason ", "", UNREACHED),
    ("field EncryptionProperties.", "", UNREACHED),
    ("struct EncryptionProperties", "", UNREACHED),
    ("enum EncryptionStatus ", "", UNREACHED),
    ("field Identity.", "", UNREACHED),
    ("struct Identity", "", UNREACHED),
    ("enum ResourceIdentityType ", "", UNREACHED),
    ("field KeyVaultProperties.", "", UNREACHED),
    ("struct KeyVaultProperties", "", UNREACHED),
    ("field LocationData.", "", UNREACHED),
    ("struct LocationData", "", UNREACHED),
    ("field Plan.", "", UNREACHED),
    ("struct Plan", "", UNREACHED),
    ("field ResourceModelWithAllowedPropertySet.", "", UNREACHED),
    ("struct ResourceModelWithAllowedPropertySet", "", UNREACHED),
    ("field Sku.", "", UNREACHED),
    ("struct Sku", "", UNREACHED),
    ("enum SkuTier ", "", UNREACHED),
    ("field TrackedResource.", "", UNREACHED),
    ("struct TrackedResource", "", UNREACHED),
];

const X_MS_PATHS: &str = "the OpenAPI 3 conversion drops `x-ms-paths` (apimapis.json, apimworkspaces.json)";
const NEWER: &str = "added to the folder after the revision copied here (see spec/PROVENANCE.md)";
const SYSTEM_DATA: &str = "definitions.json as copied extends common-types v2 `ProxyResource`, which has no \
    `systemData`; the conversion's later revision extends a newer common-types version";
const UNREACHED: &str = "the conversion keeps common-types definitions the spec never references";

fn known(line: &str) -> bool {
    KNOWN.iter().any(|(prefix, suffix, _)| line.starts_with(prefix) && line.ends_with(suffix))
}

fn surface(path: &Path) -> BTreeSet<String> {
    let api = generator::load_model(path, "spec").unwrap_or_else(|e| panic!("{e}"));
    generator::surface::lines(&api).into_iter().collect()
}

#[test]
fn swagger_and_its_openapi3_conversion_give_the_same_surface() {
    let converted = workspace().join(OPENAPI3);
    if !converted.exists() {
        tests::skipped(&format!("swagger_and_its_openapi3_conversion_give_the_same_surface: {OPENAPI3} is not here"));
        return;
    }
    let from_swagger = surface(&workspace().join(SWAGGER));
    let from_openapi3 = surface(&converted);
    let only_swagger: Vec<&String> = from_swagger.difference(&from_openapi3).filter(|l| !known(l)).collect();
    let only_openapi3: Vec<&String> = from_openapi3.difference(&from_swagger).filter(|l| !known(l)).collect();
    // One method per operation, a `resume_…` one beside each of the 38 long-running ones, and a
    // by-id form of the 95 that read one resource, for the 104 resource types; a fake handler
    // per operation.
    let methods = from_swagger.iter().filter(|l| l.starts_with("method ")).count();
    let fakes = from_swagger.iter().filter(|l| l.starts_with("fake ")).count();
    let resumes = from_swagger.iter().filter(|l| l.starts_with("method ") && l.contains(".resume_")).count();
    let by_id = from_swagger.iter().filter(|l| l.starts_with("method ") && l.contains("_by_id(")).count();
    let ids = from_swagger.iter().filter(|l| l.starts_with("id ")).count();
    assert_eq!(
        (methods - resumes - by_id, resumes, by_id, ids, fakes),
        (611, 38, 95, 104, 611),
        "every operation of API Management 2024-05-01"
    );
    assert!(
        only_swagger.is_empty() && only_openapi3.is_empty(),
        "only from Swagger ({}):\n{}\n\nonly from OpenAPI 3 ({}):\n{}",
        only_swagger.len(),
        only_swagger.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n"),
        only_openapi3.len(),
        only_openapi3.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n"),
    );
    // Every rule still explains a real difference, so the list cannot go stale.
    let differing: Vec<&String> = from_swagger.symmetric_difference(&from_openapi3).collect();
    for (prefix, suffix, _) in KNOWN {
        let used = differing.iter().any(|l| l.starts_with(prefix) && l.ends_with(suffix));
        assert!(used, "the rule `{prefix}…{suffix}` matches no difference any more; remove it");
    }
    let same = from_swagger.intersection(&from_openapi3).count();
    assert!(same > 2000, "only {same} lines in common");
}
