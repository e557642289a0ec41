//! Generation is a function of the spec's text alone: the same bytes in, the same bytes out,
//! whatever the run, the folder the spec sits in, the user or the day.

use generator::{Generated, Options};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives inside the workspace").to_owned()
}

/// Generates with the label left to default (the file name), as the CLI does for `--spec`.
fn generate(spec: &Path) -> Generated {
    let options = Options {
        crate_name: Some("determinism_client".to_owned()),
        spec_label: None,
        workspace_member: false,
        ..Default::default()
    };
    generator::generate(spec, &options).unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
}

/// `None` if both runs produced the same files byte for byte, else where they first differ.
fn difference(a: &Generated, b: &Generated) -> Option<String> {
    if a.crate_name != b.crate_name {
        return Some(format!("crate name {} vs {}", a.crate_name, b.crate_name));
    }
    let paths = |g: &Generated| g.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    if paths(a) != paths(b) {
        return Some(format!("file lists differ:\n{:?}\n{:?}", paths(a), paths(b)));
    }
    for (x, y) in a.files.iter().zip(&b.files) {
        if x.contents != y.contents {
            let line = x.contents.lines().zip(y.contents.lines()).position(|(l, r)| l != r);
            let shown = line.map_or_else(
                || "one is a prefix of the other".to_owned(),
                |i| {
                    let (l, r) = (x.contents.lines().nth(i), y.contents.lines().nth(i));
                    format!("line {}:\n  {}\n  {}", i + 1, l.unwrap_or(""), r.unwrap_or(""))
                },
            );
            return Some(format!("{} differs at {shown}", x.path));
        }
    }
    None
}

/// A copy of `spec` under `dir` (created afresh), keeping the file name, with the `examples/`
/// folder beside it if there is one: the generator reads that too, so it is part of the input.
fn copy_into(spec: &Path, dir: &Path) -> PathBuf {
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("cannot clear {}: {e}", dir.display()));
    }
    fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    // A Swagger folder needs its whole spec root (common-types too), at the same relative place.
    if spec.is_dir() {
        let root = spec.ancestors().find(|a| a.join("specification").is_dir()).expect("a spec root");
        copy_tree(&root.join("specification"), &dir.join("specification"));
        return dir.join(spec.strip_prefix(root).expect("under the root"));
    }
    let copy = dir.join(spec.file_name().expect("a file name"));
    fs::copy(spec, &copy).unwrap_or_else(|e| panic!("cannot copy to {}: {e}", copy.display()));
    let examples = spec.parent().expect("a folder").join("examples");
    if examples.is_dir() {
        copy_tree(&examples, &dir.join("examples"));
    }
    copy
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display())) {
        let entry = entry.expect("a readable entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("cannot copy to {}: {e}", target.display()));
        }
    }
}

/// Today (UTC) as (year, month, day), from the system clock (Howard Hinnant's civil-from-days).
fn today() -> (i64, u32, u32) {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).expect("the clock is after 1970").as_secs();
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Text a machine- or moment-dependent output would contain.
fn forbidden_strings(extra: &[&Path]) -> Vec<String> {
    let mut forbidden: Vec<String> = extra.iter().map(|p| p.display().to_string()).collect();
    forbidden.push(workspace().display().to_string());
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from).filter(|h| h.components().count() > 1) {
        // With the separator after it, so `/root` does not match `/rootCertificates`.
        forbidden.push(format!("{}/", home.display()));
    }
    let (y, m, d) = today();
    forbidden.extend([format!("{y}-{m:02}-{d:02}"), format!("{y}/{m:02}/{d:02}"), format!("{y}{m:02}{d:02}")]);
    forbidden
}

fn assert_machine_independent(generated: &Generated, forbidden: &[String]) {
    for file in &generated.files {
        for text in forbidden {
            if let Some(at) = file.contents.find(text.as_str()) {
                let line = file.contents[..at].lines().count().max(1);
                panic!("{} contains `{text}` (line {line}): output depends on the machine or the day", file.path);
            }
        }
    }
}

#[test]
fn today_is_a_real_date() {
    let (y, m, d) = today();
    assert!(y >= 2024 && (1..=12).contains(&m) && (1..=31).contains(&d), "{y}-{m}-{d}");
}

#[test]
fn api_management_is_byte_identical_across_runs_and_folders() {
    let spec =
        workspace().join("spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01");
    // Two more copies at different absolute paths: one under the system temp folder, one deeper
    // under cargo's; the label defaults to the file name in all three runs. (`examples/` goes
    // along: without it the crate rightly has no `tests/examples*.rs`.)
    let temp_a = std::env::temp_dir().join(format!("determinism-{}-a", std::process::id()));
    let temp_b = Path::new(env!("CARGO_TARGET_TMPDIR")).join("determinism/b/some/deeper/folder");
    let copy_a = copy_into(&spec, &temp_a);
    let copy_b = copy_into(&spec, &temp_b);
    // The four runs are independent: run them side by side.
    let runs: Vec<Generated> = std::thread::scope(|scope| {
        let handles: Vec<_> = [spec.as_path(), spec.as_path(), copy_a.as_path(), copy_b.as_path()]
            .into_iter()
            .map(|path| scope.spawn(move || generate(path)))
            .collect();
        handles.into_iter().map(|h| h.join().expect("generation does not panic")).collect()
    });
    let _ = fs::remove_dir_all(&temp_a);
    let [first, second, from_a, from_b] = &runs[..] else { unreachable!("four runs") };
    assert!(first.files.len() > 5 && first.operations > 100, "a suspiciously small crate: {:?}", first.files.len());
    if let Some(diff) = difference(first, second) {
        panic!("two runs in one process differ: {diff}");
    }
    if let Some(diff) = difference(first, from_a) {
        panic!("the copy in {} generates differently: {diff}", temp_a.display());
    }
    if let Some(diff) = difference(first, from_b) {
        panic!("the copy in {} generates differently: {diff}", temp_b.display());
    }
    let forbidden =
        forbidden_strings(&[&temp_a, &temp_b, &std::env::temp_dir(), Path::new(env!("CARGO_TARGET_TMPDIR"))]);
    assert_machine_independent(first, &forbidden);
    // The label is the file name, never a path.
    let lib = first.files.iter().find(|f| f.path == "src/lib.rs").expect("a lib.rs");
    assert!(lib.contents.contains("from `2024-05-01`"), "{}", &lib.contents[..lib.contents.len().min(400)]);
    // The spec's examples were read in every run (so they were compared too).
    assert!(first.files.iter().any(|f| f.path.starts_with("tests/")), "no example tests were generated");
}

#[test]
fn key_vault_is_byte_identical_across_runs() {
    let spec = workspace().join("../shared/spec/keyvault/keyvault.yaml");
    if !spec.exists() {
        tests::skipped("key_vault_is_byte_identical_across_runs: ../shared/spec/keyvault/keyvault.yaml is not here");
        return;
    }
    let (first, second) = std::thread::scope(|scope| {
        let a = scope.spawn(|| generate(&spec));
        let b = scope.spawn(|| generate(&spec));
        (a.join().expect("no panic"), b.join().expect("no panic"))
    });
    if let Some(diff) = difference(&first, &second) {
        panic!("two runs in one process differ: {diff}");
    }
    // And once more after the others, on this thread: no state is carried between runs.
    if let Some(diff) = difference(&first, &generate(&spec)) {
        panic!("a third run differs: {diff}");
    }
    assert_machine_independent(&first, &forbidden_strings(&[]));
}
