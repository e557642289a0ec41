//! Surface items as text, one line each, and back: `API.md` on disk is the previous surface that
//! a regeneration compares against, so every line must read back into the item it came from.
//! Wire values are JSON-quoted so that any text survives.

use super::{Arg, Item, Surface};

/// The line for `item`, starting with its key.
pub fn line(key: &str, item: &Item) -> String {
    match item {
        Item::Client { args } | Item::Method { args, .. } => {
            let args: Vec<String> = args.iter().map(|a| format!("{}: {}", a.name, a.ty)).collect();
            let returns = match item {
                Item::Method { returns, .. } => format!(" -> {returns}"),
                _ => String::new(),
            };
            format!("{key}({}){returns}", args.join(", "))
        }
        Item::Options { alias_of: Some(shared) } => format!("{key} = {shared}"),
        Item::Options { alias_of: None } | Item::Struct => key.to_owned(),
        Item::OptionField { ty } => format!("{key}: {ty}"),
        Item::Field { ty, read_only, secret } => {
            let marks = match (read_only, secret) {
                (true, true) => " read-only secret",
                (true, false) => " read-only",
                (false, true) => " secret",
                (false, false) => "",
            };
            format!("{key}: {ty}{marks}")
        }
        Item::Enum { extensible, values } => {
            let kind = if *extensible { "extensible" } else { "closed" };
            let values: Vec<String> = values.iter().map(|v| quote(v)).collect();
            format!("{key} {kind} = {}", values.join(" | "))
        }
        Item::Alias { target } | Item::ResourceId { target } => format!("{key} = {target}"),
        Item::Polymorphic { discriminator, variants } => {
            let variants: Vec<String> = variants.iter().map(|(value, ty)| format!("{}: {ty}", quote(value))).collect();
            format!("{key} by {} = {}", quote(discriminator), variants.join(" | "))
        }
        Item::Union { variants } => format!("{key} = {}", variants.join(" | ")),
        Item::Header { ty } => format!("{key} -> {ty}"),
        Item::Fake { body, reply } => format!("{key}: {body} => {reply}"),
    }
}

fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// Reads lines written by [`line`]; an error names the line (1-based, counting from `first`).
pub fn parse_lines<'a>(lines: impl IntoIterator<Item = &'a str>, first: usize) -> Result<Surface, String> {
    let mut surface = Surface::default();
    for (i, text) in lines.into_iter().enumerate() {
        let (key, item) = parse_line(text).ok_or_else(|| format!("line {}: cannot read `{text}`", first + i))?;
        if surface.items.insert(key, item).is_some() {
            return Err(format!("line {}: `{text}` repeats an item", first + i));
        }
    }
    Ok(surface)
}

fn parse_line(text: &str) -> Option<(String, Item)> {
    let (kind, rest) = text.split_once(' ')?;
    let name_end = rest.find(['(', ' ', ':']).unwrap_or(rest.len());
    let (name, detail) = rest.split_at(name_end);
    if name.is_empty() {
        return None;
    }
    let key = format!("{kind} {name}");
    let item = match kind {
        "client" => Item::Client { args: args(detail.strip_prefix('(')?.strip_suffix(')')?)? },
        "method" => {
            let (args_text, returns) = detail.strip_prefix('(')?.rsplit_once(") -> ")?;
            Item::Method { args: args(args_text)?, returns: returns.to_owned() }
        }
        "options" if detail.is_empty() => Item::Options { alias_of: None },
        "options" => Item::Options { alias_of: Some(detail.strip_prefix(" = ")?.to_owned()) },
        "option" => Item::OptionField { ty: detail.strip_prefix(": ")?.to_owned() },
        "struct" if detail.is_empty() => Item::Struct,
        "field" => field(detail.strip_prefix(": ")?),
        "enum" => {
            let (kind, values) = detail.strip_prefix(' ')?.split_once(" = ")?;
            let extensible = match kind {
                "extensible" => true,
                "closed" => false,
                _ => return None,
            };
            let values = split_top(values, " | ").iter().map(|v| unquote(v)).collect::<Option<_>>()?;
            Item::Enum { extensible, values }
        }
        "alias" => Item::Alias { target: detail.strip_prefix(" = ")?.to_owned() },
        "id" => Item::ResourceId { target: detail.strip_prefix(" = ")?.to_owned() },
        "polymorphic" => {
            let (discriminator, variants) = detail.strip_prefix(" by ")?.split_once(" = ")?;
            let variants = split_top(variants, " | ")
                .iter()
                .map(|v| {
                    let (value, ty) = v.rsplit_once(": ")?;
                    Some((unquote(value)?, ty.to_owned()))
                })
                .collect::<Option<_>>()?;
            Item::Polymorphic { discriminator: unquote(discriminator)?, variants }
        }
        "union" => {
            let variants = detail.strip_prefix(" = ")?;
            Item::Union { variants: split_top(variants, " | ").iter().map(|v| v.to_string()).collect() }
        }
        "header" => Item::Header { ty: detail.strip_prefix(" -> ")?.to_owned() },
        "fake" => {
            let (body, reply) = detail.strip_prefix(": ")?.split_once(" => ")?;
            Item::Fake { body: body.to_owned(), reply: reply.to_owned() }
        }
        _ => return None,
    };
    Some((key, item))
}

fn field(detail: &str) -> Item {
    let (ty, secret) = detail.strip_suffix(" secret").map_or((detail, false), |t| (t, true));
    let (ty, read_only) = ty.strip_suffix(" read-only").map_or((ty, false), |t| (t, true));
    Item::Field { ty: ty.to_owned(), read_only, secret }
}

fn args(text: &str) -> Option<Vec<Arg>> {
    split_top(text, ", ")
        .iter()
        .map(|a| {
            let (name, ty) = a.split_once(": ")?;
            Some(Arg { name: name.to_owned(), ty: ty.to_owned() })
        })
        .collect()
}

/// Splits at `separator` outside `<…>` and outside quoted text (`BTreeMap<String, T>` is one).
fn split_top<'a>(text: &'a str, separator: &str) -> Vec<&'a str> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut escaped, mut start) = (0i32, false, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => depth += 1,
            '>' if !quoted => depth -= 1,
            _ if !quoted && depth == 0 && i >= start && text[i..].starts_with(separator) => {
                parts.push(&text[start..i]);
                start = i + separator.len();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn unquote(text: &str) -> Option<String> {
    match serde_json::from_str(text).ok()? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_line_reads_back() {
        let lines = [
            "client AppClient(subscription_id: &str)",
            "method widgets.get(resource_group_name: &str, tags: BTreeMap<String, Vec<String>>, options: Option<WidgetsGetOptions>) -> Response<Widget>",
            "method widgets.list(options: Option<WidgetsListOptions>) -> Pager<WidgetList>",
            "options WidgetsGetOptions",
            "options WidgetsListOptions = PagerCallOptions",
            "option WidgetsGetOptions.filter: Option<String>",
            "struct Widget",
            "field Widget.id: Option<String> read-only",
            "field Widget.key: String secret",
            "field Widget.both: Option<String> read-only secret",
            "enum Color closed = \"red\" | \"a | b\" | \"say \\\"hi\\\"\" | \"\"",
            "enum Size extensible = \"small\"",
            "alias Stamp = OffsetDateTime",
            "polymorphic Shape by \"kind\" = \"circle\": Circle | \"x: y\": Square",
            "union Either = String | BTreeMap<String, i32>",
            "header WidgetHeaders.etag -> Option<String>",
            "fake widgets.on_get: () => Widget",
            "fake widgets.on_put: BTreeMap<String, Widget> => Vec<Widget>",
        ];
        let surface = parse_lines(lines, 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(surface.items.len(), lines.len());
        let mut sorted = lines.map(str::to_owned).to_vec();
        sorted.sort_by_key(|l| {
            let (kind, rest) = l.split_once(' ').unwrap_or_default();
            format!("{kind} {}", &rest[..rest.find(['(', ' ', ':']).unwrap_or(rest.len())])
        });
        assert_eq!(surface.lines(), sorted);
        match &surface.items["enum Color"] {
            Item::Enum { values, .. } => assert_eq!(values, &["red", "a | b", "say \"hi\"", ""]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unreadable_lines_are_named() {
        let error = parse_lines(["struct A", "enum B sometimes = \"x\""], 7).unwrap_err();
        assert!(error.starts_with("line 8:"), "{error}");
        let error = parse_lines(["struct A", "struct A"], 1).unwrap_err();
        assert!(error.contains("repeats"), "{error}");
    }
}
