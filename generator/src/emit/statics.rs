//! The statics every group file shares: one `Rule` per distinct parameter constraint
//! (`clients/rules.rs`) and one `Path` per distinct path template (`clients/paths.rs`), so each
//! method names its rules and path instead of spelling them out.

use crate::model::{Api, ClientParam, Operation, Param, ParamLocation, Rule};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The statics the group files share.
pub struct Shared {
    pub rules: Rules,
    pub paths: Paths,
}

impl Shared {
    pub fn collect(api: &Api) -> Self {
        let rules = Rules::collect(api);
        let paths = Paths::collect(api, &rules);
        Shared { rules, paths }
    }
}

/// Shared `Rule` statics, one per distinct (name, constraints, client-level or not): a
/// client-level parameter's rule is a static of its own, which is how the runtime knows to take
/// its value from the client. Names are kept as text (not `Ident`) so the table can be shared by
/// the threads that emit files.
pub struct Rules {
    by_rule: Vec<(Rule, bool, String)>,
    /// Each path placeholder's usual (rule, client-level): its first use.
    path_defaults: BTreeMap<String, (Rule, bool)>,
}

impl Rules {
    pub fn collect(api: &Api) -> Self {
        let mut rules = Rules { by_rule: Vec::new(), path_defaults: BTreeMap::new() };
        let mut names = crate::naming::Names::values();
        let mut all: Vec<(&Rule, bool)> = api.client_params.iter().map(|c| (&c.rule, true)).collect();
        for group in &api.groups {
            for op in &group.operations {
                let params = op.params.iter().filter(|p| p.location != ParamLocation::Header);
                all.extend(params.map(|p| (&p.rule, p.client)));
                for p in path_params(op) {
                    rules.path_defaults.entry(p.wire_name.clone()).or_insert_with(|| (p.rule.clone(), p.client));
                }
            }
        }
        for (rule, client) in all {
            if !rules.by_rule.iter().any(|(r, c, _)| r == rule && *c == client) {
                // Through `value_name` first: it keeps only ASCII identifier characters.
                let mut base =
                    crate::naming::value_name(&rule.wire_name).trim_start_matches("r#").to_shouty_snake_case();
                if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    base.insert_str(0, "P_");
                }
                rules.by_rule.push((rule.clone(), client, names.claim(&base)));
            }
        }
        rules
    }

    fn name(&self, rule: &Rule, client: bool) -> &str {
        self.by_rule.iter().find(|(r, c, _)| r == rule && *c == client).map_or("MISSING_RULE", |(_, _, n)| n.as_str())
    }

    pub(super) fn get(&self, rule: &Rule, client: bool) -> TokenStream {
        let name = format_ident!("{}", self.name(rule, client));
        quote!(&rules::#name)
    }

    /// The client-level rules, each with the client field holding its value.
    pub(super) fn client_rules<'a>(&'a self, api: &'a Api) -> impl Iterator<Item = (TokenStream, &'a ClientParam)> {
        self.by_rule.iter().filter(|(_, client, _)| *client).filter_map(move |(rule, _, name)| {
            let param = api.client_params.iter().find(|c| c.wire_name == rule.wire_name)?;
            let name = format_ident!("{name}");
            Some((quote!(&rules::#name), param))
        })
    }

    /// Whether a path parameter follows its name's usual rule (so the path need not list it).
    fn is_default(&self, p: &Param) -> bool {
        self.path_defaults.get(&p.wire_name).is_some_and(|(rule, client)| *rule == p.rule && *client == p.client)
    }

    pub fn file(&self) -> TokenStream {
        let arms = self.path_defaults.iter().map(|(wire, (rule, client))| {
            let rule = format_ident!("{}", self.name(rule, *client));
            quote!(#wire => Some(&#rule),)
        });
        let body = if self.path_defaults.is_empty() {
            quote!(
                let _ = name;
                None
            )
        } else {
            quote!(match name { #(#arms)* _ => None, })
        };
        let lookup = quote! {
            /// Each path placeholder's usual rule, by name.
            pub(crate) fn path_rule(name: &str) -> Option<&'static Rule> {
                #body
            }
        };
        let items = self.by_rule.iter().map(|(rule, _, name)| {
            let name = format_ident!("{name}");
            let wire = &rule.wire_name;
            let length = proc_macro2::Literal::usize_unsuffixed;
            let bound = proc_macro2::Literal::f64_unsuffixed;
            let min_len = rule.min_length.map(length).map(|v| quote!(.min_len(#v)));
            let max_len = rule.max_length.map(length).map(|v| quote!(.max_len(#v)));
            let pattern = rule.pattern.as_deref().map(|p| quote!(.pattern(#p)));
            let min = rule.minimum.map(bound).map(|v| quote!(.min(#v)));
            let max = rule.maximum.map(bound).map(|v| quote!(.max(#v)));
            quote! {
                pub(crate) static #name: Rule = Rule::new(#wire) #min_len #max_len #pattern #min #max;
            }
        });
        quote! {
            use crate::runtime::Rule;
            #lookup
            #(#items)*
        }
    }
}

/// Path parameters' (rule, client-level), for a path that lists its own rules.
type ListedRules = Vec<(Rule, bool)>;

/// One `Path` static per distinct path template, so each method names its path instead of
/// spelling it out. A path lists its rules only when one differs from its name's usual rule.
pub struct Paths {
    /// Key (template, and the rules when listed) → static name, listed rules.
    by_key: BTreeMap<String, (String, Option<ListedRules>)>,
}

impl Paths {
    pub fn collect(api: &Api, rules: &Rules) -> Self {
        let mut by_key = BTreeMap::new();
        let mut names = crate::naming::Names::values();
        for op in api.groups.iter().flat_map(|g| &g.operations) {
            let (key, listed) = Self::key(op, rules);
            by_key.entry(key).or_insert_with(|| (names.claim(&path_static_name(&op.path)), listed));
        }
        Paths { by_key }
    }

    fn key(op: &Operation, rules: &Rules) -> (String, Option<ListedRules>) {
        let template = template(op);
        if path_params(op).all(|p| rules.is_default(p)) {
            return (template, None);
        }
        let listed: ListedRules = path_params(op).map(|p| (p.rule.clone(), p.client)).collect();
        (format!("{template}\n{listed:?}"), Some(listed))
    }

    pub(super) fn get(&self, op: &Operation, rules: &Rules) -> TokenStream {
        let name = self.name(op, rules);
        quote!(&paths::#name)
    }

    /// The name of the static holding `op`'s path.
    pub(super) fn name(&self, op: &Operation, rules: &Rules) -> proc_macro2::Ident {
        let name = self.by_key.get(&Self::key(op, rules).0).map_or("MISSING_PATH", |(n, _)| n.as_str());
        format_ident!("{name}")
    }

    pub fn file(&self, rules: &Rules) -> TokenStream {
        if self.by_key.is_empty() {
            return quote!();
        }
        let mut items: Vec<(&str, TokenStream)> = self
            .by_key
            .iter()
            .map(|(key, (name, listed))| {
                let template = key.split('\n').next().unwrap_or_default();
                let ident = format_ident!("{name}");
                let value = match listed {
                    None => quote!(Path::new(#template)),
                    Some(listed) => {
                        let listed = listed.iter().map(|(rule, client)| rules.get(rule, *client));
                        quote!(Path::with_rules(#template, &[#(#listed),*]))
                    }
                };
                (name.as_str(), quote!(pub(crate) static #ident: Path = #value;))
            })
            .collect();
        items.sort_by(|a, b| a.0.cmp(b.0));
        let items = items.into_iter().map(|(_, item)| item);
        let uses_rules = self.by_key.values().any(|(_, listed)| listed.is_some());
        let rules_use = uses_rules.then(|| {
            quote!(
                use super::rules;
            )
        });
        quote! {
            #rules_use
            use crate::runtime::Path;
            #(#items)*
        }
    }
}

/// The path template as the runtime reads it: a placeholder whose value keeps its `/`
/// (`x-ms-skip-url-encoding`) is written `{+name}`, as RFC 6570's reserved expansion.
fn template(op: &Operation) -> String {
    let mut template = op.path.clone();
    for p in op.params.iter().filter(|p| p.skip_url_encoding) {
        template = template.replace(&format!("{{{}}}", p.wire_name), &format!("{{+{}}}", p.wire_name));
    }
    template
}

/// The path parameters in placeholder order.
pub(super) fn path_params(op: &Operation) -> impl Iterator<Item = &Param> {
    crate::model::placeholders(&op.path)
        .filter_map(|wire| op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == wire))
}

/// `…/service/{serviceName}/backends/{backendId}` → `SERVICE_BACKENDS_ONE`: the last two literal
/// segments after the provider namespace, and `_ONE` when the path ends in a placeholder.
fn path_static_name(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let start = segments.iter().rposition(|s| *s == "providers").map_or(0, |i| i + 2);
    let literal: Vec<&str> =
        segments.iter().skip(start).copied().filter(|s| !s.contains('{') && !s.contains('.')).collect();
    let literal = &literal[literal.len().saturating_sub(2)..];
    let mut name = crate::naming::value_name(&literal.join("_")).trim_start_matches("r#").to_shouty_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "ROOT");
    }
    if segments.last().is_some_and(|s| s.starts_with('{')) {
        name.push_str("_ONE");
    }
    name
}
