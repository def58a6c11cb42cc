//! `talksearch generate` and `talksearch bench`: reproducible corpora, reports that parse.

use crate::util::{TestEnv, seeds};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file of `dir` by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect()
}

/// The turn count a `generate` summary line reports: `talksearch: 12 talks, 315 turns (…`.
fn reported_turns(stderr: &str) -> usize {
    let after_talks = stderr.split(" talks, ").nth(1).unwrap_or_else(|| panic!("no summary in {stderr:?}"));
    after_talks.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn generate_is_deterministic_and_every_generated_turn_is_indexed() {
    let env = TestEnv::new();
    let seeds = seeds();
    let generate = |seed: &str, out: &str| {
        let tsv = format!("{out}.tsv");
        let args = ["generate", "--scale", "3", "--seed", seed, "--turns-per-talk", "24", "--turns", &tsv];
        let run = env.run(&[&args[..], &["--from", seeds.to_str().unwrap(), out]].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        run
    };
    let first = generate("7", "first");
    generate("7", "again");
    generate("8", "other");
    let first_files = files(&env.path().join("first"));
    assert_eq!(first_files, files(&env.path().join("again")), "same seed, same bytes");
    assert_eq!(
        std::fs::read(env.path().join("first.tsv")).unwrap(),
        std::fs::read(env.path().join("again.tsv")).unwrap()
    );
    assert_ne!(first_files, files(&env.path().join("other")), "another seed, other talks");
    let extensions: std::collections::BTreeSet<&str> =
        first_files.keys().filter_map(|name| name.rsplit_once('.').map(|(_, e)| e)).collect();
    assert_eq!(extensions.into_iter().collect::<Vec<_>>(), ["json", "md", "srt", "vtt"]);

    let turns = reported_turns(&first.stderr);
    assert_eq!(turns, 3 * 105, "the seed's 105 turns, three times");
    let tsv = std::fs::read_to_string(env.path().join("first.tsv")).unwrap();
    assert_eq!(tsv.lines().count(), turns);

    let indexed = env.index_paths(&[&env.path().join("first")]);
    assert_eq!(indexed.code, 0, "{}", indexed.stderr);
    assert!(indexed.stderr.contains(" 0 failed"), "{}", indexed.stderr);
    let index = env.index();
    let talks = env.run(&["talks", "--json", "--index", index.to_str().unwrap()]);
    let talks: Vec<Value> = talks.json_lines();
    assert_eq!(talks.len(), first_files.len());
    let indexed_turns: u64 = talks.iter().map(|talk| talk["turns"].as_u64().unwrap()).sum();
    assert_eq!(indexed_turns as usize, turns, "each generated turn indexes as one turn");
    assert!(talks.iter().all(|talk| talk["speakers"].as_array().is_some_and(|s| s.len() >= 2)), "{talks:?}");
}

#[test]
fn generate_refuses_a_folder_with_files() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("out")).unwrap();
    std::fs::write(env.path().join("out/old.vtt"), "WEBVTT\n").unwrap();
    let run = env.run(&["generate", "--scale", "1", "--from", seeds().to_str().unwrap(), "out"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
}

#[test]
fn bench_reports_every_class_in_both_modes_as_json() {
    let env = TestEnv::new();
    assert_eq!(env.index_paths(&[&seeds()]).code, 0);
    let index = env.index();
    let args = ["bench", "--json", "--iterations", "1", "--warmup", "0", "--threads", "2", "--index"];
    let run = env.run(&[&args[..], &[index.to_str().unwrap()]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["index"]["talks"], 1);
    assert_eq!(report["index"]["turns"], 105);
    assert!(report["index"]["bytes_on_disk"].as_u64().unwrap() > 10_000);
    let modes: Vec<&str> = report["modes"].as_array().unwrap().iter().map(|m| m["mode"].as_str().unwrap()).collect();
    assert_eq!(modes, ["with_snippets", "without_snippets"]);
    let classes: Vec<&str> =
        report["modes"][0]["classes"].as_array().unwrap().iter().map(|c| c["class"].as_str().unwrap()).collect();
    assert_eq!(classes, ["rare", "common", "and", "phrase", "prefix", "misspelling", "quote"]);
    let timed = report["timed_queries"].as_u64().unwrap();
    assert_eq!(report["modes"][0]["overall"]["samples"].as_u64(), Some(timed));
    let distillation = report["queries"].as_array().unwrap().iter().find(|q| q["query"] == "distillation").unwrap();
    assert!(distillation["matches"].as_u64().unwrap() >= 2, "{distillation}");

    let table = env.run(&["bench", "--iterations", "1", "--warmup", "0", "--index", index.to_str().unwrap()]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("with snippets") && table.stdout.contains("queries/s"), "{}", table.stdout);
    // The slowest queries, each a line of its class, median and text.
    let slowest = report["modes"][0]["slowest"].as_array().unwrap();
    assert_eq!(slowest.len(), 5);
    let queries: Vec<&str> =
        report["queries"].as_array().unwrap().iter().map(|q| q["query"].as_str().unwrap()).collect();
    let lines: Vec<&str> = table.stdout.lines().collect();
    let header = lines.iter().position(|line| line.starts_with("slowest")).expect("a list of the slowest queries");
    for line in &lines[header + 1..header + 6] {
        assert!(queries.iter().any(|query| line.ends_with(&format!("  {query}"))), "{line}");
    }
}

#[test]
fn bench_rejects_a_query_file_without_tabs() {
    let env = TestEnv::new();
    std::fs::write(env.path().join("queries.tsv"), "rare distillation\n").unwrap();
    let run = env.run(&["bench", "--queries", "queries.tsv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("line 1") && run.stderr.contains("CLASS<TAB>QUERY"), "{}", run.stderr);
}
