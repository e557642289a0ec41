//! A real spec bump as a Rust caller sees it: API Management 2022-08-01 → 2024-05-01, both read
//! as Azure publishes them (the Swagger folders in `spec/`). The report is kept as a snapshot;
//! its counts and a few changes checked against the two specs by hand are asserted here.

use generator::surface::{self, Impact, Report, Verdict};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives inside the workspace").to_owned()
}

const STABLE: &str = "spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable";

fn surface(version: &str) -> (surface::Surface, String) {
    let spec = workspace().join(STABLE).join(version);
    generator::surface_of(&spec, &generator::Options::default()).unwrap_or_else(|e| panic!("{version}: {e}"))
}

fn report() -> (Report, Verdict) {
    let (old, old_api) = surface("2022-08-01");
    let (new, new_api) = surface("2024-05-01");
    assert_eq!((old_api.as_str(), new_api.as_str()), ("2022-08-01", "2024-05-01"));
    let report = surface::diff(&old, &new);
    let verdict = report.verdict(old_api != new_api);
    (report, verdict)
}

fn has(report: &Report, impact: Impact, text: &str) -> bool {
    report.changes.iter().any(|c| c.impact == impact && c.text == text)
}

#[test]
fn api_management_2022_08_01_to_2024_05_01() {
    let (report, verdict) = report();
    let counts = (report.count(Impact::Breaking), report.count(Impact::Added), report.count(Impact::Other));
    assert_eq!(verdict, Verdict::Major);
    // Added: 371 operations' methods, fields, values…, and 77 typed ids and by-id reads of the
    // resource types new in between (workspaces, mostly); the new operations' fake handlers come
    // with their methods. Breaking: 7 for callers, and 5 more for users of the `fake` feature.
    assert_eq!(counts, (12, 448, 1), "breaking, added, other");

    // Each break, checked against the two specs: `Api_Delete` and `User_Delete` became
    // long-running (so `delete` is now `begin_delete`, returning a poller), four lists became
    // pageable (`x-ms-pageable` added), and `ErrorResponse` moved to common-types'
    // `ErrorDetail`. No operation was removed and no required parameter added (212 operations
    // were added).
    assert!(has(&report, Impact::Added, "Added method `api.begin_delete`"));
    assert!(has(&report, Impact::Added, "Added method `user.begin_delete`"));
    for text in [
        "Removed method `api.delete`",
        "Removed method `user.delete`",
        "method `policy.list_by_service`: returns `Pager<PolicyCollection>` (was `Response<PolicyCollection>`)",
        "method `portal_config.list_by_service`: returns `Pager<PortalConfigCollection>` (was `Response<PortalConfigCollection>`)",
        "field `ErrorResponse.error`: type `Option<ErrorResponseBody>` is now `Option<ErrorDetail>`",
    ] {
        assert!(has(&report, Impact::Breaking, text), "{text}");
    }
    // The same changes break handlers of the fake: a list that became pageable has a handler
    // giving its items, and `MigrateToStv2` gained a body, which its handler now reads. (The
    // handlers of the two deletes went with their methods.)
    for text in [
        "fake handler `policy.on_list_by_service`: returns `Vec<PolicyContract>` (was `PolicyCollection`)",
        "fake handler `api_management_service.on_begin_migrate_to_stv2`: reads a `MigrateToStv2Contract` body (was `()`)",
    ] {
        assert!(has(&report, Impact::Breaking, text), "{text}");
    }
    // Extensible enums gained values, which is no break.
    assert!(has(&report, Impact::Added, "enum `SkuType`: new value \"BasicV2\""));

    // Backends gained circuit breakers and pools in between (definitions.json,
    // BackendBaseParameters: `circuitBreaker`, `pool`, `type`).
    assert!(has(&report, Impact::Added, "Added field `BackendContractProperties.circuit_breaker`"));
    assert!(has(&report, Impact::Added, "Added struct `BackendCircuitBreaker`"));
    assert!(has(&report, Impact::Added, "Added struct `BackendPool`"));
    // Workspaces arrived with their own operations.
    assert!(has(&report, Impact::Added, "Added method `workspace.get`"));

    let text: Vec<String> = report.changes.iter().map(|c| format!("{:?}: {}", c.impact, c.text)).collect();
    insta::assert_snapshot!(text.join("\n"));
}
