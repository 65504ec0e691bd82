//! What Baton's fixture generators (`mollusk-gen`, `sbpf-gen`,
//! `litesvm-gen`) share: their command line (`SUITE [--check] [--FLAG
//! VALUE]...`), the layout of a fixture file (the header pretty-printed, one
//! case per line, so that a diff shows which cases changed), and writing a
//! fixture or checking that the committed one is what the generator writes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

/// A generator's command line: the suite, `--check`, and `--FLAG VALUE`
/// pairs among the flags it knows.
pub struct Flags {
    /// The first argument.
    pub suite: String,
    /// Compare with the file instead of writing it.
    pub check: bool,
    values: BTreeMap<String, String>,
    usage: &'static str,
}

impl Flags {
    /// The process's arguments, with `known` the flags that take a value.
    pub fn parse(usage: &'static str, known: &[&str]) -> Result<Self, String> {
        let mut it = std::env::args().skip(1);
        let suite = it.next().ok_or(usage)?;
        let mut flags = Self {
            suite,
            check: false,
            values: BTreeMap::new(),
            usage,
        };
        while let Some(flag) = it.next() {
            if flag == "--check" {
                flags.check = true;
                continue;
            }
            if !known.contains(&flag.as_str()) {
                return Err(format!("unknown flag {flag}\n{usage}"));
            }
            let v = it.next().ok_or(format!("{flag} needs a value\n{usage}"))?;
            flags.values.insert(flag, v);
        }
        Ok(flags)
    }

    /// The number given with `flag`, if any.
    pub fn num_opt(&self, flag: &str) -> Result<Option<u64>, String> {
        self.values
            .get(flag)
            .map(|v| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}\n{}", self.usage)))
            .transpose()
    }

    /// The number given with `flag`, else `default`.
    pub fn num(&self, flag: &str, default: u64) -> Result<u64, String> {
        Ok(self.num_opt(flag)?.unwrap_or(default))
    }

    /// `--out`, else `conformance/fixtures/{prefix}{suite}.json`.
    pub fn out(&self, prefix: &str) -> String {
        self.values
            .get("--out")
            .cloned()
            .unwrap_or_else(|| format!("conformance/fixtures/{prefix}{}.json", self.suite))
    }
}

/// A fixture file as JSON: `header` (the file with no cases, its case list
/// named `field`) pretty-printed, then `cases` one per line.
pub fn cases_per_line<H: Serialize, C: Serialize>(
    header: &H,
    field: &str,
    cases: &[C],
) -> Result<String, serde_json::Error> {
    let head = serde_json::to_string_pretty(header)?;
    // Drop the empty case list and the closing brace, then append the cases.
    let empty = format!("\"{field}\": []");
    let head = head
        .trim_end()
        .trim_end_matches('}')
        .trim_end()
        .trim_end_matches(empty.as_str())
        .trim_end()
        .trim_end_matches(',');
    let lines: Result<Vec<String>, _> = cases.iter().map(serde_json::to_string).collect();
    Ok(format!(
        "{head},\n  \"{field}\": [\n{}\n  ]\n}}\n",
        lines?.join(",\n")
    ))
}

/// Write `bytes` to `path`, or with `check` require the file to hold them;
/// a problem is printed, naming the file.
pub fn write_or_check(path: &Path, bytes: &[u8], check: bool) -> Result<(), ExitCode> {
    if check {
        return match std::fs::read(path) {
            Ok(committed) if committed == bytes => Ok(()),
            Ok(_) => {
                eprintln!("{}: differs from what this generator writes", path.display());
                Err(ExitCode::FAILURE)
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                Err(ExitCode::FAILURE)
            }
        };
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("{}: {e}", dir.display());
            return Err(ExitCode::FAILURE);
        }
    }
    std::fs::write(path, bytes).map_err(|e| {
        eprintln!("{}: {e}", path.display());
        ExitCode::FAILURE
    })
}
