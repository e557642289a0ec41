//! Compares two surfaces and says what each change means for code that calls the crate: it
//! breaks (a method or field gone, a new required argument, a type changed, a closed enum's
//! values changed, a fake handler's types changed), it adds (new methods and fake handlers,
//! optional arguments behind options structs, optional fields behind `..Default::default()`,
//! values of extensible enums), or neither.

use super::{Arg, Item, Surface};
use std::collections::BTreeSet;
use std::fmt;

/// What a change does to callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Breaking,
    Added,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub impact: Impact,
    /// The item's key (`method backend.get`).
    pub key: String,
    /// What changed, in a sentence naming the item.
    pub text: String,
}

/// The semver step a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Nothing a caller can see changed.
    None,
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::None => "none",
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        })
    }
}

/// Every change between two surfaces, breaking ones first, each group sorted by item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    pub fn of(&self, impact: Impact) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.impact == impact)
    }

    /// The step these changes call for; `other` says whether something outside the surface
    /// (the API version) changed too, which alone is a patch.
    pub fn verdict(&self, other: bool) -> Verdict {
        if self.count(Impact::Breaking) > 0 {
            Verdict::Major
        } else if self.count(Impact::Added) > 0 {
            Verdict::Minor
        } else if other || !self.changes.is_empty() {
            Verdict::Patch
        } else {
            Verdict::None
        }
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut changes = Vec::new();
    let removed_with_method = companions_of_methods_only_in(old, new);
    let added_with_method = companions_of_methods_only_in(new, old);
    let renamed = renamed_methods(old, new);
    for (from, to) in &renamed {
        let text = format!("{} renamed to `{}`", name(from), to.split_once(' ').map_or(to.as_str(), |(_, n)| n));
        changes.push(Change { impact: Impact::Breaking, key: from.clone(), text });
    }
    let renamed_from: BTreeSet<&String> = renamed.iter().map(|(from, _)| from).collect();
    let renamed_to: BTreeSet<&String> = renamed.iter().map(|(_, to)| to).collect();
    for (key, old_item) in &old.items {
        match new.items.get(key) {
            None if renamed_from.contains(key) => {}
            None if !parent_gone(key, old, new) && !removed_with_method.contains(key) => {
                changes.push(Change {
                    impact: Impact::Breaking,
                    key: key.clone(),
                    text: format!("Removed {}", name(key)),
                });
            }
            None => {}
            Some(new_item) if new_item != old_item => changes.extend(changed(key, old_item, new_item)),
            Some(_) => {}
        }
    }
    for (key, new_item) in &new.items {
        if old.items.contains_key(key)
            || parent_gone(key, new, old)
            || added_with_method.contains(key)
            || renamed_to.contains(key)
        {
            continue;
        }
        changes.push(match new_item {
            Item::Field { ty, .. } if !ty.starts_with("Option<") => Change {
                impact: Impact::Breaking,
                key: key.clone(),
                text: format!("Added required {}: `{ty}`", name(key)),
            },
            Item::Client { .. } => {
                Change { impact: Impact::Breaking, key: key.clone(), text: format!("Added {}", name(key)) }
            }
            _ => Change { impact: Impact::Added, key: key.clone(), text: format!("Added {}", name(key)) },
        });
    }
    changes.sort_by(|a, b| (a.impact, &a.key, &a.text).cmp(&(b.impact, &b.key, &b.text)));
    Report { changes }
}

/// Methods that left and arrived in the same sub-client with the same signature, when exactly
/// one of each matches (`backend.create_or_update` → `backend.begin_create_or_update`): one
/// rename, not a removal and an addition.
fn renamed_methods(old: &Surface, new: &Surface) -> Vec<(String, String)> {
    let only = |from: &Surface, to: &Surface| -> Vec<(String, Item)> {
        let methods = from.items.iter().filter(|(k, i)| matches!(i, Item::Method { .. }) && !to.items.contains_key(*k));
        methods.map(|(k, i)| (k.clone(), i.clone())).collect()
    };
    let (gone, arrived) = (only(old, new), only(new, old));
    let group = |key: &str| key.split_once('.').map(|(g, _)| g.to_owned()).unwrap_or_default();
    let mut pairs = Vec::new();
    for (from, item) in &gone {
        let same: Vec<&String> =
            arrived.iter().filter(|(to, i)| i == item && group(to) == group(from)).map(|(to, _)| to).collect();
        let back = gone.iter().filter(|(k, i)| i == item && group(k) == group(from)).count();
        if let ([to], 1) = (same.as_slice(), back) {
            pairs.push((from.clone(), (*to).clone()));
        }
    }
    pairs
}

/// The options types (`options X` keys) and fake handlers (`fake g.on_x`) of methods that `from`
/// has and `to` has not: they come and go with their method, which is reported instead.
fn companions_of_methods_only_in(from: &Surface, to: &Surface) -> BTreeSet<String> {
    let methods = from.items.iter().filter(|(key, _)| !to.items.contains_key(*key));
    let mut companions = BTreeSet::new();
    for (key, item) in methods {
        let Item::Method { args, .. } = item else { continue };
        let options = args.last().and_then(|arg| arg.ty.strip_prefix("Option<")?.strip_suffix('>'));
        companions.extend(options.map(|name| format!("options {name}")));
        companions.extend(key.strip_prefix("method ").map(fake_key));
    }
    companions.retain(|key| !to.items.contains_key(key));
    companions
}

/// `backend.get` → `fake backend.on_get`.
fn fake_key(method: &str) -> String {
    let (group, name) = method.split_once('.').unwrap_or(("", method));
    format!("fake {group}.{}", crate::model::fake_handler_name(name))
}

/// A field or option whose struct is itself missing from `to` is reported with its struct.
/// (An options struct that became an alias keeps its key, so its lost fields are reported.)
fn parent_gone(key: &str, from: &Surface, to: &Surface) -> bool {
    let parent = match key.split_once(' ') {
        Some(("field", rest)) => format!("struct {}", rest.split('.').next().unwrap_or(rest)),
        Some(("option", rest)) => format!("options {}", rest.split('.').next().unwrap_or(rest)),
        _ => return false,
    };
    from.items.contains_key(&parent) && !to.items.contains_key(&parent)
}

/// `method backend.get` → "method `backend.get`".
fn name(key: &str) -> String {
    let (kind, name) = key.split_once(' ').unwrap_or(("item", key));
    let kind = match kind {
        "option" => "option field",
        "options" => "options type",
        "fake" => "fake handler",
        other => other,
    };
    format!("{kind} `{name}`")
}

fn changed(key: &str, old: &Item, new: &Item) -> Vec<Change> {
    let change = |impact, text: String| Change { impact, key: key.to_owned(), text: format!("{}: {text}", name(key)) };
    let retyped = |old: &str, new: &str| change(Impact::Breaking, format!("type `{old}` is now `{new}`"));
    match (old, new) {
        (Item::Client { args: old }, Item::Client { args: new }) => {
            args_changed(old, new).into_iter().map(|text| change(Impact::Breaking, text)).collect()
        }
        (
            Item::Method { args: old_args, returns: old_returns },
            Item::Method { args: new_args, returns: new_returns },
        ) => {
            let mut out: Vec<Change> =
                args_changed(old_args, new_args).into_iter().map(|text| change(Impact::Breaking, text)).collect();
            if old_returns != new_returns {
                out.push(change(Impact::Breaking, format!("returns `{new_returns}` (was `{old_returns}`)")));
            }
            out
        }
        (Item::Field { ty: old_ty, read_only: old_ro, secret: old_secret }, Item::Field { ty, read_only, secret }) => {
            let mut out = Vec::new();
            if old_ty != ty {
                out.push(retyped(old_ty, ty));
            }
            if old_ro != read_only {
                let now = if *read_only { "now read-only" } else { "no longer read-only" };
                out.push(change(Impact::Other, now.to_owned()));
            }
            if old_secret != secret {
                let now = if *secret { "now marked secret" } else { "no longer marked secret" };
                out.push(change(Impact::Other, now.to_owned()));
            }
            out
        }
        (Item::OptionField { ty: old }, Item::OptionField { ty: new })
        | (Item::Header { ty: old }, Item::Header { ty: new })
        | (Item::Alias { target: old }, Item::Alias { target: new })
        | (Item::ResourceId { target: old }, Item::ResourceId { target: new }) => vec![retyped(old, new)],
        (Item::Options { .. }, Item::Options { alias_of }) => {
            let now =
                alias_of.as_ref().map_or("a struct of its own".to_owned(), |shared| format!("an alias of `{shared}`"));
            vec![change(Impact::Other, format!("now {now}"))]
        }
        (Item::Enum { extensible: old_ext, values: old }, Item::Enum { extensible, values: new }) => {
            enum_changed(*old_ext, old, *extensible, new)
                .into_iter()
                .map(|(impact, text)| change(impact, text))
                .collect()
        }
        (
            Item::Polymorphic { discriminator: old_disc, variants: old },
            Item::Polymorphic { discriminator, variants: new },
        ) => {
            let mut out = Vec::new();
            if old_disc != discriminator {
                out.push(change(
                    Impact::Breaking,
                    format!("discriminator is now \"{discriminator}\" (was \"{old_disc}\")"),
                ));
            }
            for (value, ty) in old.iter().filter(|v| !new.contains(v)) {
                out.push(change(Impact::Breaking, format!("variant \"{value}\" (`{ty}`) removed")));
            }
            // Unknown kinds already read as `UnknownKind`, and the enum is `#[non_exhaustive]`.
            for (value, ty) in new.iter().filter(|v| !old.contains(v)) {
                out.push(change(Impact::Added, format!("new variant \"{value}\" (`{ty}`)")));
            }
            out
        }
        (Item::Fake { body: old_body, reply: old_reply }, Item::Fake { body, reply }) => {
            let mut out = Vec::new();
            if old_body != body {
                out.push(change(Impact::Breaking, format!("reads a `{body}` body (was `{old_body}`)")));
            }
            if old_reply != reply {
                out.push(change(Impact::Breaking, format!("returns `{reply}` (was `{old_reply}`)")));
            }
            out
        }
        (Item::Union { variants: old }, Item::Union { variants: new }) => {
            vec![change(Impact::Breaking, format!("now `{}` (was `{}`)", new.join(" | "), old.join(" | ")))]
        }
        _ => vec![change(Impact::Breaking, "changed kind".to_owned())],
    }
}

/// Argument changes, each breaking: callers pass every argument by position.
fn args_changed(old: &[Arg], new: &[Arg]) -> Vec<String> {
    let mut out = Vec::new();
    for arg in new {
        match old.iter().find(|a| a.name == arg.name) {
            None => out.push(format!("new required argument `{}: {}`", arg.name, arg.ty)),
            Some(before) if before.ty != arg.ty => {
                out.push(format!("argument `{}` is now `{}` (was `{}`)", arg.name, arg.ty, before.ty))
            }
            Some(_) => {}
        }
    }
    for arg in old.iter().filter(|a| !new.iter().any(|n| n.name == a.name)) {
        out.push(format!("argument `{}` removed", arg.name));
    }
    let order = |args: &[Arg], other: &[Arg]| -> Vec<String> {
        args.iter().filter(|a| other.iter().any(|o| o.name == a.name)).map(|a| a.name.clone()).collect()
    };
    if out.is_empty() && order(old, new) != order(new, old) {
        out.push("arguments reordered".to_owned());
    }
    out
}

fn enum_changed(old_ext: bool, old: &[String], extensible: bool, new: &[String]) -> Vec<(Impact, String)> {
    let mut out = Vec::new();
    if old_ext != extensible {
        let now =
            if extensible { "extensible (unknown values are kept)" } else { "closed (unknown values are rejected)" };
        out.push((Impact::Breaking, format!("now {now}")));
    }
    let old_set: BTreeSet<&String> = old.iter().collect();
    let new_set: BTreeSet<&String> = new.iter().collect();
    for value in old_set.difference(&new_set) {
        out.push((Impact::Breaking, format!("value \"{value}\" removed")));
    }
    // A closed enum rejects values it does not list, so a new one changes what callers get.
    let added = if extensible && old_ext { Impact::Added } else { Impact::Breaking };
    for value in new_set.difference(&old_set) {
        out.push((added, format!("new value \"{value}\"")));
    }
    out
}

#[cfg(test)]
mod tests;
