//! One small case per rule: the lines before, the lines after, what the report says and the
//! verdict it gives.

use super::*;
use crate::surface::parse_lines;

const BASE: &[&str] = &[
    "client AppClient(subscription_id: &str)",
    "method widgets.get(name: &str, options: Option<WidgetsGetOptions>) -> Response<Widget>",
    "method widgets.list(options: Option<WidgetsListOptions>) -> Pager<WidgetList>",
    "options WidgetsGetOptions",
    "option WidgetsGetOptions.filter: Option<String>",
    "options WidgetsListOptions = PagerCallOptions",
    "struct Widget",
    "field Widget.name: String",
    "field Widget.size: Option<i32>",
    "field Widget.id: Option<String> read-only",
    "enum Color closed = \"red\" | \"blue\"",
    "enum Size extensible = \"small\" | \"large\"",
    "polymorphic Shape by \"kind\" = \"circle\": Circle",
    "alias Stamp = OffsetDateTime",
    "union Either = String | i32",
    "header WidgetHeaders.etag -> Option<String>",
    "fake widgets.on_get: () => Widget",
    "fake widgets.on_list: () => Vec<Widget>",
];

/// `BASE` with `replace` lines swapped in by key (a line naming a key not in `BASE` is added)
/// and the lines whose key starts with one of `remove` left out.
fn changed(replace: &[&str], remove: &[&str]) -> Surface {
    let base = parse(BASE);
    let mut items = base.items;
    items.retain(|key, _| !remove.iter().any(|r| key.starts_with(r)));
    items.extend(parse(replace).items);
    Surface { items }
}

fn parse(lines: &[&str]) -> Surface {
    parse_lines(lines.iter().copied(), 1).unwrap_or_else(|e| panic!("{e}"))
}

/// The report of BASE → the change, as `impact: text` lines, and its verdict.
fn report(replace: &[&str], remove: &[&str]) -> (Vec<String>, Verdict) {
    let report = diff(&parse(BASE), &changed(replace, remove));
    let lines = report.changes.iter().map(|c| format!("{:?}: {}", c.impact, c.text)).collect();
    (lines, report.verdict(false))
}

#[test]
fn the_same_surface_changes_nothing_unless_the_api_version_does() {
    let report = diff(&parse(BASE), &parse(BASE));
    assert!(report.changes.is_empty());
    assert_eq!(report.verdict(false), Verdict::None);
    assert_eq!(report.verdict(true), Verdict::Patch);
}

#[test]
fn a_removed_method_breaks() {
    // Its options type goes with it, and is not reported on its own.
    let (lines, verdict) = report(&[], &["method widgets.list", "options WidgetsListOptions"]);
    assert_eq!(lines, ["Breaking: Removed method `widgets.list`"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn a_renamed_method_is_one_breaking_change() {
    let renamed = "method widgets.fetch(name: &str, options: Option<WidgetsGetOptions>) -> Response<Widget>";
    let (lines, verdict) = report(&[renamed], &["method widgets.get"]);
    // The options type is still there (the new method uses it), so it is not reported.
    assert_eq!(lines, ["Breaking: method `widgets.get` renamed to `widgets.fetch`"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn a_method_that_changes_both_name_and_signature_is_removed_and_added() {
    let other = "method widgets.fetch(id: &str, options: Option<WidgetsGetOptions>) -> Response<Widget>";
    let (lines, _) = report(&[other], &["method widgets.get"]);
    assert_eq!(lines, ["Breaking: Removed method `widgets.get`", "Added: Added method `widgets.fetch`"]);
}

#[test]
fn a_new_required_argument_breaks() {
    let method =
        "method widgets.get(name: &str, if_match: &str, options: Option<WidgetsGetOptions>) -> Response<Widget>";
    let (lines, verdict) = report(&[method], &[]);
    assert_eq!(lines, ["Breaking: method `widgets.get`: new required argument `if_match: &str`"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn a_retyped_or_removed_argument_breaks() {
    let method = "method widgets.get(name: i32, options: Option<WidgetsGetOptions>) -> Response<Widget>";
    let (lines, _) = report(&[method], &[]);
    assert_eq!(lines, ["Breaking: method `widgets.get`: argument `name` is now `i32` (was `&str`)"]);
    let method = "method widgets.get(options: Option<WidgetsGetOptions>) -> Response<Widget>";
    let (lines, verdict) = report(&[method], &[]);
    assert_eq!(lines, ["Breaking: method `widgets.get`: argument `name` removed"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn a_changed_return_breaks_including_pager_and_poller() {
    let method = "method widgets.get(name: &str, options: Option<WidgetsGetOptions>) -> Poller<Widget>";
    let (lines, verdict) = report(&[method], &[]);
    assert_eq!(lines, ["Breaking: method `widgets.get`: returns `Poller<Widget>` (was `Response<Widget>`)"]);
    assert_eq!(verdict, Verdict::Major);
    let method = "method widgets.list(options: Option<WidgetsListOptions>) -> Response<WidgetList>";
    assert_eq!(report(&[method], &[]).1, Verdict::Major);
}

#[test]
fn a_new_optional_argument_behind_options_is_a_feature() {
    let (lines, verdict) = report(&["option WidgetsGetOptions.top: Option<i32>"], &[]);
    assert_eq!(lines, ["Added: Added option field `WidgetsGetOptions.top`"]);
    assert_eq!(verdict, Verdict::Minor);
}

#[test]
fn an_options_struct_that_loses_its_fields_breaks() {
    let (lines, verdict) = report(&["options WidgetsGetOptions = CallOptions"], &["option WidgetsGetOptions."]);
    assert_eq!(
        lines,
        [
            "Breaking: Removed option field `WidgetsGetOptions.filter`",
            "Other: options type `WidgetsGetOptions`: now an alias of `CallOptions`",
        ]
    );
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn a_removed_or_retyped_field_breaks() {
    let (lines, _) = report(&[], &["field Widget.size"]);
    assert_eq!(lines, ["Breaking: Removed field `Widget.size`"]);
    let (lines, verdict) = report(&["field Widget.size: Option<i64>"], &[]);
    assert_eq!(lines, ["Breaking: field `Widget.size`: type `Option<i32>` is now `Option<i64>`"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn a_field_that_became_required_breaks() {
    let (lines, verdict) = report(&["field Widget.size: i32"], &[]);
    assert_eq!(lines, ["Breaking: field `Widget.size`: type `Option<i32>` is now `i32`"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn a_new_optional_field_is_a_feature_and_a_new_required_one_breaks() {
    let (lines, verdict) = report(&["field Widget.color: Option<Color>"], &[]);
    assert_eq!(lines, ["Added: Added field `Widget.color`"]);
    assert_eq!(verdict, Verdict::Minor);
    let (lines, verdict) = report(&["field Widget.color: Color"], &[]);
    assert_eq!(lines, ["Breaking: Added required field `Widget.color`: `Color`"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn marks_are_other_changes() {
    let (lines, verdict) = report(&["field Widget.id: Option<String>"], &[]);
    assert_eq!(lines, ["Other: field `Widget.id`: no longer read-only"]);
    assert_eq!(verdict, Verdict::Patch);
    let (lines, _) = report(&["field Widget.name: String secret"], &[]);
    assert_eq!(lines, ["Other: field `Widget.name`: now marked secret"]);
}

#[test]
fn a_removed_struct_is_one_change_not_one_per_field() {
    let (lines, verdict) = report(&[], &["struct Widget", "field Widget."]);
    assert_eq!(lines, ["Breaking: Removed struct `Widget`"]);
    assert_eq!(verdict, Verdict::Major);
    let (lines, verdict) = report(&["struct Gadget", "field Gadget.name: String"], &[]);
    assert_eq!(lines, ["Added: Added struct `Gadget`"]);
    assert_eq!(verdict, Verdict::Minor);
}

#[test]
fn a_closed_enum_that_loses_or_gains_a_value_breaks() {
    let (lines, verdict) = report(&["enum Color closed = \"red\""], &[]);
    assert_eq!(lines, ["Breaking: enum `Color`: value \"blue\" removed"]);
    assert_eq!(verdict, Verdict::Major);
    let (lines, verdict) = report(&["enum Color closed = \"red\" | \"blue\" | \"green\""], &[]);
    assert_eq!(lines, ["Breaking: enum `Color`: new value \"green\""]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn an_extensible_enum_may_gain_but_not_lose_values() {
    let (lines, verdict) = report(&["enum Size extensible = \"small\" | \"large\" | \"huge\""], &[]);
    assert_eq!(lines, ["Added: enum `Size`: new value \"huge\""]);
    assert_eq!(verdict, Verdict::Minor);
    let (_, verdict) = report(&["enum Size extensible = \"small\""], &[]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn an_enum_that_opens_or_closes_breaks() {
    let (lines, verdict) = report(&["enum Color extensible = \"red\" | \"blue\""], &[]);
    assert_eq!(lines, ["Breaking: enum `Color`: now extensible (unknown values are kept)"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn polymorphic_variants_removed_break_and_added_ones_do_not() {
    let (lines, verdict) = report(&["polymorphic Shape by \"kind\" = \"circle\": Circle | \"square\": Square"], &[]);
    assert_eq!(lines, ["Added: polymorphic `Shape`: new variant \"square\" (`Square`)"]);
    assert_eq!(verdict, Verdict::Minor);
    let (_, verdict) = report(&["polymorphic Shape by \"type\" = \"circle\": Circle"], &[]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn aliases_unions_headers_and_option_types_that_change_break() {
    for line in [
        "alias Stamp = String",
        "union Either = String | i64",
        "header WidgetHeaders.etag -> Option<i32>",
        "option WidgetsGetOptions.filter: Option<i32>",
    ] {
        let (lines, verdict) = report(&[line], &[]);
        assert_eq!(lines.len(), 1, "{line}: {lines:?}");
        assert_eq!(verdict, Verdict::Major, "{line}");
    }
}

#[test]
fn a_new_client_argument_breaks_and_a_new_header_is_a_feature() {
    let (_, verdict) = report(&["client AppClient(subscription_id: &str, tenant: &str)"], &[]);
    assert_eq!(verdict, Verdict::Major);
    let (lines, verdict) = report(&["header WidgetHeaders.location -> Option<String>"], &[]);
    assert_eq!(lines, ["Added: Added header `WidgetHeaders.location`"]);
    assert_eq!(verdict, Verdict::Minor);
}

#[test]
fn a_type_that_changes_kind_is_removed_and_added() {
    let (lines, verdict) = report(&["enum Widget closed = \"a\""], &["struct Widget", "field Widget."]);
    assert_eq!(lines, ["Breaking: Removed struct `Widget`", "Added: Added enum `Widget`"]);
    assert_eq!(verdict, Verdict::Major);
}

#[test]
fn fake_handlers_break_when_their_types_change_or_they_go_and_are_features_when_they_come() {
    let (lines, verdict) = report(&["fake widgets.on_get: Widget => Widget"], &[]);
    assert_eq!(lines, ["Breaking: fake handler `widgets.on_get`: reads a `Widget` body (was `()`)"]);
    assert_eq!(verdict, Verdict::Major);
    let (lines, _) = report(&["fake widgets.on_list: () => Vec<Gadget>"], &[]);
    assert_eq!(lines, ["Breaking: fake handler `widgets.on_list`: returns `Vec<Gadget>` (was `Vec<Widget>`)"]);
    let (lines, verdict) = report(&[], &["fake widgets.on_list"]);
    assert_eq!(lines, ["Breaking: Removed fake handler `widgets.on_list`"]);
    assert_eq!(verdict, Verdict::Major);
    let (lines, verdict) = report(&["fake widgets.on_delete: () => ()"], &[]);
    assert_eq!(lines, ["Added: Added fake handler `widgets.on_delete`"]);
    assert_eq!(verdict, Verdict::Minor);
}

#[test]
fn a_fake_handler_comes_and_goes_with_its_method() {
    let method = "method widgets.fetch(name: &str, options: Option<WidgetsGetOptions>) -> Response<Widget>";
    let (lines, _) =
        report(&[method, "fake widgets.on_fetch: () => Widget"], &["method widgets.get", "fake widgets.on_get"]);
    assert_eq!(lines, ["Breaking: method `widgets.get` renamed to `widgets.fetch`"]);
    let (lines, _) = report(&[], &["method widgets.list", "options WidgetsListOptions", "fake widgets.on_list"]);
    assert_eq!(lines, ["Breaking: Removed method `widgets.list`"]);
    let method = "method widgets.r#move(options: Option<WidgetsMoveOptions>) -> Response<()>";
    let (lines, _) = report(&[method, "options WidgetsMoveOptions", "fake widgets.on_move: () => ()"], &[]);
    assert_eq!(lines, ["Added: Added method `widgets.r#move`"]);
}
