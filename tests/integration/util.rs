//! A hermetic harness: a fresh folder per test, the real binary, a scrubbed environment.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The shipped seed folder.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The shipped seed talk.
pub fn seed_file() -> PathBuf {
    seeds().join("000_37334302ccbea1e7.txt")
}

/// The real-transcript corpus (`../shared/corpus`, or `TALKSEARCH_CORPUS`), or `None` after a
/// note when it is not there: the corpus tests then pass without checking anything.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TALKSEARCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: no corpus at {}; corpus test skipped", dir.display());
        None
    }
}

/// The highlighted text of a JSON hit, one string per highlight range.
pub fn highlights(hit: &Value) -> Vec<String> {
    let snippet = hit["snippet"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_string())
        .collect()
}

/// A fixture file or folder.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

/// A temporary working folder in which the binary runs.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as JSON Lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line:?}: {e}")))
            .collect()
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The index folder the tests use.
    pub fn index(&self) -> PathBuf {
        self.path().join("index")
    }

    /// Runs `talksearch ARGS` in the folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::cargo_bin("talksearch")
            .expect("binary")
            .current_dir(self.path())
            .env_remove("TALKSEARCH_INDEX")
            .env_remove("NO_COLOR")
            .env_remove("TERM")
            .args(args)
            .output()
            .expect("run talksearch");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(!run.stderr.contains("panicked"), "talksearch panicked: {}", run.stderr);
        run
    }

    /// Indexes `paths` into the test index.
    pub fn index_paths(&self, paths: &[&Path]) -> Run {
        let index = self.index();
        let mut args = vec!["index", "--index", index.to_str().unwrap()];
        args.extend(paths.iter().map(|p| p.to_str().unwrap()));
        self.run(&args)
    }

    /// Searches the test index, as JSON.
    pub fn search_json(&self, query: &str, extra: &[&str]) -> Run {
        let index = self.index();
        let mut args = vec!["search", "--index", index.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        args.push("--");
        args.push(query);
        self.run(&args)
    }
}
