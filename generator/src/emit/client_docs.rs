//! The sub-clients' and methods' docs: a table of each group's methods, its arguments
//! described once, every method called once in one doctest, and per method the spec's text, its
//! route and what it returns.

use super::docs::Doc;
use crate::model::{Api, Group, Operation, Ty};

/// A method argument's name and its description, as the docs give them.
pub(super) fn required_args(op: &Operation) -> Vec<(String, String)> {
    let text = |d: Option<&str>| d.map(super::docs::sanitize).unwrap_or_default().replace('\n', " ").trim().to_owned();
    let mut args: Vec<(String, String)> = op
        .required_params()
        .filter(|p| !p.client)
        .map(|p| (p.name.trim_start_matches("r#").to_owned(), text(p.description.as_deref())))
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push((body.name.trim_start_matches("r#").to_owned(), text(body.description.as_deref())));
    }
    args
}

/// The group's arguments, each described once in the sub-client's docs (with its first
/// description); a method lists only those it describes differently.
pub(super) struct GroupArgs {
    described: Vec<(String, String)>,
}

impl GroupArgs {
    pub(super) fn collect(group: &Group) -> Self {
        let mut described: Vec<(String, String)> = Vec::new();
        for (name, text) in group.operations.iter().flat_map(required_args) {
            if !described.iter().any(|(n, _)| *n == name) {
                described.push((name, text));
            }
        }
        GroupArgs { described }
    }

    fn is_shared(&self, name: &str, text: &str) -> bool {
        self.described.iter().any(|(n, t)| n == name && t == text)
    }
}

/// The sub-client's docs: what the group is, a table of its methods, and their arguments.
pub(super) fn group_doc(api: &Api, group: &Group, args: &GroupArgs, crate_name: &str) -> Doc {
    let mut doc = Doc::new().paragraph(format!("The `{}` operations.", group.wire_name));
    doc = doc.paragraph("| Method | HTTP | Required parameters | Description |").line("| --- | --- | --- | --- |");
    for op in &group.operations {
        let required: Vec<String> = required_args(op).into_iter().map(|(name, _)| format!("`{name}`")).collect();
        let summary = first_sentence(op.description.as_deref().or(op.summary.as_deref()).unwrap_or(""));
        doc = doc.line(format!(
            "| [`{name}`](Self::{name}) | {method} | {required} | {summary} |",
            name = op.name.trim_start_matches("r#"),
            method = op.http_method.as_str(),
            required = required.join(", "),
        ));
    }
    if !args.described.is_empty() {
        let list: Vec<String> = args.described.iter().map(|(name, text)| format!("* `{name}` - {text}")).collect();
        doc = doc.paragraph("Arguments, unless a method says otherwise:").paragraph(list.join("\n"));
    }
    if !group.operations.is_empty() {
        doc = doc.paragraph("# Examples").paragraph(examples(api, group, crate_name));
    }
    doc
}

fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let end = line.find(". ").map_or(line.len(), |i| i + 1);
    super::docs::sanitize(&line[..end]).replace('|', "\\|")
}

/// A placeholder value for docs examples.
pub(super) fn placeholder(wire: &str) -> String {
    format!("my-{}", wire.trim_start_matches('$').replace(|c: char| !c.is_ascii_alphanumeric(), "-"))
}

pub(super) fn method_doc(api: &Api, op: &Operation, shared_args: &GroupArgs) -> Doc {
    let mut doc = Doc::new().spec_text(op.description.as_deref().or(op.summary.as_deref()));
    doc = doc.paragraph(format!(
        "`{} {}` (`{}`) returns {}.",
        op.http_method.as_str(),
        op.path,
        op.operation_id,
        response_summary(api, op)
    ));
    if op.deprecated {
        doc = doc.paragraph("**Deprecated** by the service.");
    }
    let own: Vec<String> = required_args(op)
        .into_iter()
        .filter(|(name, text)| !shared_args.is_shared(name, text))
        .map(|(name, text)| format!("* `{name}` - {text}"))
        .collect();
    if !own.is_empty() {
        doc = doc.paragraph(own.join("\n"));
    }
    doc
}

/// `200: [`BackendContract`] with `ETag`, 201: …`, then what the call returns for paging or polling.
fn response_summary(api: &Api, op: &Operation) -> String {
    let statuses: Vec<String> = op
        .responses
        .iter()
        .map(|r| {
            let body = match &r.body {
                Some(Ty::Named(id)) => format!(" [`{0}`](crate::models::{0})", api.type_def(*id).name),
                Some(_) => " a JSON value".to_owned(),
                None => String::new(),
            };
            let headers: Vec<String> = r.headers.iter().map(|h| format!("`{}`", h.wire_name)).collect();
            let headers = if headers.is_empty() { String::new() } else { format!(" with {}", headers.join(", ")) };
            format!("{}{body}{headers}", r.status)
        })
        .collect();
    let mut text = statuses.join(", ");
    if let Some(p) = &op.pageable {
        let next = p.next_link_wire_name.as_deref().map(|n| format!(", following `{n}`")).unwrap_or_default();
        text.push_str(&format!(", as a [`Pager`] over the `{}` items of each page{next}", p.item_wire_name));
    }
    match (op.long_running.is_some(), op.pageable.is_some()) {
        (true, true) => text.push_str(" once the long-running operation is done (the first page waits for it)"),
        (true, false) => {
            text.push_str(
                ", through a [`Poller`]: `.await` it for the final result, or poll it as a stream of statuses",
            );
            if let Some((resume, _)) = &op.resume {
                let resume = resume.trim_start_matches("r#");
                text.push_str(&format!(
                    " (each in-progress status has a resume token for [`{resume}`](Self::{resume}))"
                ));
            }
        }
        _ => {}
    }
    text
}

/// The sub-client's examples: every method called once, in one doctest, with the values of the
/// spec's own example where it has one.
fn examples(api: &Api, group: &Group, crate_name: &str) -> String {
    let client = &api.client_name;
    let mut lines = vec!["```no_run".to_owned()];
    if group.operations.iter().any(|op| op.pageable.is_some()) {
        lines.push("# use futures::TryStreamExt;".to_owned());
    }
    let named_body = |op: &Operation| op.body.as_ref().and_then(|b| api.content_model(b)).is_some();
    if group.operations.iter().any(|op| op.body.as_ref().is_some_and(|b| b.required) && named_body(op)) {
        lines.push(format!("# use {crate_name}::models;"));
    }
    lines.push(format!("# async fn example(client: &{crate_name}::{client}) -> azure_core::Result<()> {{"));
    lines.extend(group.operations.iter().map(|op| example_line(api, group, op)));
    lines.push("# Ok(()) }".to_owned());
    lines.push("```".to_owned());
    lines.join("\n")
}

/// One call, as a user writes it: awaited, polled to its end, or collected.
pub(super) fn example_line(api: &Api, group: &Group, op: &Operation) -> String {
    // The spec's first example, when there is one, gives real values.
    let sample =
        |index: usize| op.examples.first().and_then(|e| e.params.iter().find(|(i, _)| *i == index)).map(|(_, v)| v);
    let mut args: Vec<String> = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required && !p.client)
        .map(|(index, p)| match (&p.ty, sample(index)) {
            (Ty::String(_), Some(serde_json::Value::String(value))) => format!("{value:?}"),
            (Ty::String(_), _) => format!("{:?}", placeholder(&p.wire_name)),
            (Ty::I32 | Ty::I64 | Ty::F64, Some(value @ serde_json::Value::Number(_))) => value.to_string(),
            (Ty::Bool, Some(value @ serde_json::Value::Bool(_))) => value.to_string(),
            _ => "Default::default()".to_owned(),
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push(match api.content_model(body).map(|def| def.name.as_str()) {
            Some(model) => format!("models::{model}::default().try_into()?"),
            None if api.body_is_content(body) => "serde_json::Value::Null.try_into()?".to_owned(),
            None => "Default::default()".to_owned(),
        });
    }
    args.push("None".to_owned());
    let call = format!("client.{}().{}({})", group.accessor, op.name, args.join(", "));
    if op.pageable.is_some() {
        format!("let items: Vec<_> = {call}?.try_collect().await?;")
    } else if op.long_running.is_some() {
        format!("let result = {call}?.await?;")
    } else {
        format!("let response = {call}.await?;")
    }
}

/// The crate's "Usage" section: building the client, one call (the first that needs no body,
/// preferring one the spec has an example of), and how the rest is shaped.
pub(super) fn usage(api: &Api, crate_name: &str) -> String {
    let client = &api.client_name;
    let ctor_args: String = api.client_params.iter().map(|c| format!("{:?}, ", placeholder(&c.wire_name))).collect();
    let ops = || api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op)));
    let plain = |op: &Operation| op.pageable.is_none() && op.long_running.is_none() && op.body.is_none();
    let call = ops()
        .find(|(_, op)| plain(op) && !op.examples.is_empty())
        .or_else(|| ops().find(|(_, op)| plain(op)))
        .map(|(group, op)| example_line(api, group, op))
        .unwrap_or_default();
    let first = api.groups.first().map(|g| g.accessor.trim_start_matches("r#").to_owned()).unwrap_or_default();
    let mut lines = vec![
        "# Usage".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!("use {crate_name}::{client};"),
        "# async fn example() -> azure_core::Result<()> {".to_owned(),
        "let credential = azure_identity::DeveloperToolsCredential::new(None)?;".to_owned(),
        format!("let client = {client}::new({ctor_args}credential, None)?;"),
    ];
    lines.extend([call, "# Ok(()) }".to_owned(), "```".to_owned(), String::new()]);
    if !first.is_empty() {
        lines.push(format!(
            "- One sub-client per operation group ([`{client}::{first}`], …), each with a table of its \
             methods and an example calling every one, with the values of the spec's own example where \
             it has one."
        ));
    }
    lines.extend([
        "- Required parameters are arguments; optional ones are fields of the method's own options struct \
         (`{SubClient}{Method}Options`), passed as `Some(options)` or `None`."
            .to_owned(),
        "- Request bodies are azure_core's `RequestContent<T>`: `model.try_into()?`, or raw JSON bytes.".to_owned(),
        "- List methods return azure_core's `Pager`; long-running ones (`begin_…`) a `Poller`, whose \
         in-progress statuses carry a [`ResumeToken`] for the matching `resume_…` method."
            .to_owned(),
        "- With a tracer provider in `ClientOptions::instrumentation`, each call is a span named \
         `<SubClient>.<method>`."
            .to_owned(),
    ]);
    if !api.resources.is_empty() {
        lines.push(
            "- Each resource type has a typed id in [`ids`] (parsed from the text ARM uses, with \
             `parent()`); a method reading one resource has a by-id form (`get_by_id`), any other takes \
             an id's values with `id.args()`, and models that are resources give theirs with \
             [`Resource::resource_id`]."
                .to_owned(),
        );
    }
    lines.join("\n")
}
