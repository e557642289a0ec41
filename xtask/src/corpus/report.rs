//! `CORPUS.md`: the totals, every refusal, every class of tolerated spec defect with its count,
//! and one row per spec.

use super::Outcome;
use crate::bench::report::Machine;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

pub(super) fn render(outcomes: &[Outcome], machine: &Machine, took: Duration, missing: &[String]) -> String {
    let generated = outcomes.iter().filter(|o| o.refused.is_none()).count();
    let compiled = outcomes.iter().filter(|o| o.check.as_ref().is_some_and(|c| c.ok)).count();
    let clean = outcomes.iter().filter(|o| o.passed()).count();
    let warnings: usize = outcomes.iter().filter_map(|o| o.check.as_ref()).map(|c| c.warnings).sum();
    let mut out = String::new();
    let _ = writeln!(out, "# The corpus: every spec, generated and compiled\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask corpus` on {} ({} cores, {}, {}, {}); the run took {:.1} min.\n",
        machine.date,
        machine.cores,
        machine.cpu,
        machine.memory,
        machine.rustc,
        took.as_secs_f64() / 60.0
    );
    let _ = writeln!(
        out,
        "- **{generated} of {} specs generate**, **{compiled} of {generated} crates compile** \
         (`cargo check --all-targets`, and `cargo check --features fake` of the library), with **{warnings} compiler warnings** in all; {clean} pass both with none.",
        outcomes.len()
    );
    if let Some(slowest) = outcomes.iter().filter(|o| o.refused.is_none()).max_by_key(|o| o.generate_time) {
        let _ = writeln!(
            out,
            "- Slowest generation (release build, one spec at a time): `{}`, {:.2} s ({} operations, {} models).",
            slowest.name,
            slowest.generate_time.as_secs_f64(),
            slowest.operations,
            slowest.models
        );
    }
    let tolerated: usize = outcomes.iter().map(|o| o.warnings.len()).sum();
    let _ = writeln!(out, "- {tolerated} spec defects tolerated with a warning (classes below).");
    for path in missing {
        let _ = writeln!(out, "- Not here, so not run: `{path}`.");
    }
    refusals(&mut out, outcomes);
    warning_classes(&mut out, outcomes);
    table(&mut out, outcomes);
    out
}

fn refusals(out: &mut String, outcomes: &[Outcome]) {
    let refused: Vec<&Outcome> = outcomes.iter().filter(|o| o.refused.is_some()).collect();
    let _ = writeln!(out, "\n## Refused ({})\n", refused.len());
    if refused.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for o in refused {
        let _ = writeln!(out, "- `{}`: {}", o.name, cell(&message_first(o.refused.as_deref().unwrap_or(""))));
    }
}

/// A warning's class: its message without the file and place, with quoted names elided.
pub(super) fn class(warning: &str) -> String {
    let message = warning.splitn(3, ": ").nth(2).unwrap_or(warning);
    let mut class = String::new();
    for (i, part) in message.split('`').enumerate() {
        class.push_str(if i % 2 == 1 { "`…`" } else { part });
    }
    class
}

fn warning_classes(out: &mut String, outcomes: &[Outcome]) {
    let mut classes: BTreeMap<String, (usize, Vec<&str>)> = BTreeMap::new();
    for o in outcomes {
        for warning in &o.warnings {
            let entry = classes.entry(class(warning)).or_default();
            entry.0 += 1;
            if entry.1.last() != Some(&o.name.as_str()) {
                entry.1.push(&o.name);
            }
        }
    }
    let _ = writeln!(out, "\n## Spec defects tolerated, by class ({})\n", classes.len());
    if classes.is_empty() {
        let _ = writeln!(out, "None.");
        return;
    }
    let _ = writeln!(out, "| warning | count | specs |\n| --- | ---: | --- |");
    for (class, (count, specs)) in &classes {
        let shown: Vec<String> = specs.iter().take(8).map(|s| format!("`{s}`")).collect();
        let more = if specs.len() > 8 { format!(" and {} more", specs.len() - 8) } else { String::new() };
        let _ = writeln!(out, "| {} | {count} | {}{more} |", cell(class), shown.join(", "));
    }
}

fn table(out: &mut String, outcomes: &[Outcome]) {
    let _ = writeln!(out, "\n## Every spec\n");
    let _ = writeln!(
        out,
        "| spec | operations | models | generated | compiled | warnings | spec defects | generate (s) | check (s) |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |");
    for o in outcomes {
        let generated = match &o.refused {
            None => "✔".to_owned(),
            Some(error) => format!("✘ {}", cell(&message_first(error))),
        };
        let (compiled, warnings, check) = match &o.check {
            None => ("–".to_owned(), "–".to_owned(), "–".to_owned()),
            Some(c) => {
                let compiled = if c.ok {
                    "✔".to_owned()
                } else {
                    format!("✘ {}", cell(c.first_problem.as_deref().unwrap_or("")))
                };
                (compiled, c.warnings.to_string(), format!("{:.1}", c.time.as_secs_f64()))
            }
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {generated} | {compiled} | {warnings} | {} | {:.2} | {check} |",
            o.name,
            o.operations,
            o.models,
            o.warnings.len(),
            o.generate_time.as_secs_f64()
        );
    }
}

/// `file: pointer: message` as `message (file: pointer)`: long pointers would hide the message.
fn message_first(error: &str) -> String {
    let mut parts = error.splitn(3, ": ");
    match (parts.next(), parts.next(), parts.next()) {
        (Some(file), Some(place), Some(message)) => format!("{message} ({file}: {place})"),
        _ => error.to_owned(),
    }
}

/// Text safe inside a table cell: one line, no pipes, not too long.
fn cell(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").replace('|', "\\|");
    if line.chars().count() > 160 { format!("{}…", line.chars().take(160).collect::<String>()) } else { line }
}

#[cfg(test)]
mod tests {
    use super::class;

    #[test]
    fn errors_show_their_message_before_their_place() {
        assert_eq!(super::message_first("a.yaml: /paths/~1x: boom: why"), "boom: why (a.yaml: /paths/~1x)");
        assert_eq!(super::message_first("no place"), "no place");
    }

    #[test]
    fn warning_classes_drop_the_place_and_the_names() {
        let warning = "spec/a.json: /paths/~1x/get: `get /x` is defined twice; the first is kept";
        assert_eq!(class(warning), "`…` is defined twice; the first is kept");
    }
}
