//! Batch indexing through the binary: the real corpus, the writer lock, and a run killed with
//! SIGKILL half-way.

use crate::util::corpus;
use crate::util::{TestEnv, seed_file};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::Duration;
use talksearch::index::TalkIndex;

/// The best hit for a quoted quote.
fn quote(env: &TestEnv, text: &str) -> Value {
    let run = env.search_json(&format!("\"{text}\""), &["-n", "1"]);
    assert_eq!(run.code, 0, "quote not found: {text}\n{}", run.stderr);
    run.json_lines().remove(0)
}

#[test]
fn the_whole_corpus_indexes_with_real_speakers_and_times() {
    let Some(corpus) = corpus() else {
        eprintln!("note: ../shared/corpus is absent; corpus test skipped");
        return;
    };
    let env = TestEnv::new();
    let first = env.index_paths(&[&corpus]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("640 added") && first.stderr.contains(" 0 failed"), "{}", first.stderr);
    // (quote, file name, speaker, time in seconds of the cue or line that holds it)
    let cases: [(&str, &str, Option<&str>, f64); 4] = [
        (
            "product market fit basically might be disappearing",
            "elena-verna-30/transcript.md",
            Some("Lenny Rachitsky"),
            1014.0,
        ),
        (
            "Hello World. He just broke down every element",
            "Open_Source_Anti-Patterns_with_Kelsey_Hightower_transcript.txt",
            Some("Speaker 3"),
            3538.0,
        ),
        ("you destroy their ability to be", "episode_016_large.vtt", None, 118.46),
        ("I'm very happy and very honored", "", None, 26.7),
    ];
    for (text, file, speaker, time) in cases {
        let hit = quote(&env, text);
        assert!(hit["source"]["path"].as_str().unwrap().ends_with(file), "{text}: {hit}");
        assert_eq!(hit["speaker"].as_str(), speaker, "{text}");
        assert_eq!(hit["time"].as_f64(), Some(time), "{text}");
        assert_eq!(hit["estimated"], false, "{text}");
    }
    let speaker = env.search_json("product market fit", &["--speaker", "lenny", "-n", "20"]).json_lines();
    assert!(!speaker.is_empty());
    assert!(speaker.iter().all(|h| h["speaker"].as_str().unwrap().to_lowercase().contains("lenny")));

    let again = env.index_paths(&[&corpus]);
    assert!(again.stderr.contains("640 unchanged"), "{}", again.stderr);
}

#[test]
fn a_second_writer_is_refused_with_a_message_naming_the_index() {
    let env = TestEnv::new();
    let index = TalkIndex::open_or_create(&env.index()).unwrap();
    let _held = index.writer(50_000_000).unwrap();
    let run = env.index_paths(&[&seed_file()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("being written by another") && run.stderr.contains("index"), "{}", run.stderr);
}

#[test]
fn searching_during_a_run_and_killing_it_half_way_leave_the_previous_index_searchable() {
    let env = TestEnv::new();
    assert_eq!(env.index_paths(&[&seed_file()]).code, 0);
    let before = env.search_json("distillation", &["-n", "100"]).json_lines().len();

    // A batch big enough to still be running when it is killed.
    let batch = env.path().join("batch");
    std::fs::create_dir(&batch).unwrap();
    let seed = std::fs::read_to_string(seed_file()).unwrap();
    for i in 0..400 {
        std::fs::write(
            batch.join(format!("copy{i:03}.txt")),
            seed.replace("distillation", &format!("distillation{i}")),
        )
        .unwrap();
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("talksearch"))
        .args(["index", "--quiet", "--index"])
        .arg(env.index())
        .arg(&batch)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // Searching while the run is under way answers from the last commit.
    let during = env.search_json("distillation", &["-n", "100"]);
    assert_eq!(during.code, 0, "{}", during.stderr);
    let killed = child.try_wait().unwrap().is_none();
    if killed {
        assert_eq!(during.json_lines().len(), before, "the run in progress is not visible yet");
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let after_kill = env.search_json("distillation", &["-n", "100"]);
    assert_eq!(after_kill.code, 0, "{}", after_kill.stderr);
    if killed {
        assert_eq!(after_kill.json_lines().len(), before, "nothing of the killed run is visible");
    }
    let rerun = env.index_paths(&[&batch]);
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    let talks = env.run(&["talks", "--json", "--index", env.index().to_str().unwrap()]);
    assert_eq!(talks.stdout.lines().count(), 401, "the seed and every copy, each once");
    assert_eq!(env.search_json("distillation399", &[]).code, 0, "the last file is indexed");
}

#[test]
fn a_sidecar_gives_title_and_media_link_at_the_time_of_the_hit() {
    let env = TestEnv::new();
    let run = env.index_paths(&[&crate::util::fixture("sidecar")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("2 added"), "the sidecars themselves are not transcripts: {}", run.stderr);
    let hit = env.search_json("clever", &[]).json_lines().remove(0);
    assert_eq!(hit["title"], "Simplicity Is Complicated");
    assert_eq!(hit["speaker"], "Rob Pike");
    assert_eq!(hit["time"], 265.5);
    assert_eq!(hit["link"], "https://www.youtube.com/watch?v=rFejpH_tAHM&t=265");
    let toml = env.search_json("values", &[]).json_lines().remove(0);
    assert_eq!(toml["title"], "Go Proverbs");
    assert_eq!(toml["link"], "https://example.org/go-proverbs.mp4#t=265");
    let text = env.run(&["search", "--index", env.index().to_str().unwrap(), "simplicity"]);
    assert!(text.stdout.starts_with("1. Rob Pike · 4:20 ·"), "{}", text.stdout);
}

#[test]
fn a_rerun_indexes_only_new_and_changed_files_and_prune_drops_vanished_ones() {
    let env = TestEnv::new();
    let folder = env.path().join("talks");
    std::fs::create_dir(&folder).unwrap();
    let write = |name: &str, word: &str| {
        std::fs::write(folder.join(name), format!("We talk about {word} here.\n\nAnd then some more about {word}.\n"))
            .unwrap()
    };
    for (i, word) in ["alpha", "bravo", "charlie"].iter().enumerate() {
        write(&format!("old{i}.txt"), word);
    }
    let first = env.index_paths(&[&folder]);
    assert!(first.stderr.contains("3 added"), "{}", first.stderr);
    for (i, word) in ["delta", "echo", "foxtrot", "golf", "hotel"].iter().enumerate() {
        write(&format!("new{i}.txt"), word);
    }
    write("old0.txt", "india");
    let second = env.index_paths(&[&folder]);
    assert!(
        second.stderr.contains("5 added, 1 updated, 2 unchanged, 0 removed, 0 failed"),
        "only the five new files and the changed one are indexed: {}",
        second.stderr
    );
    assert_eq!(env.search_json("india", &[]).code, 0);
    assert_eq!(env.search_json("alpha", &[]).code, 1, "the changed file's old text is gone");

    std::fs::remove_file(folder.join("new4.txt")).unwrap();
    let kept = env.index_paths(&[&folder]);
    assert!(kept.stderr.contains("0 removed"), "without --prune nothing is removed: {}", kept.stderr);
    assert_eq!(env.search_json("hotel", &[]).code, 0);
    let index = env.index();
    let pruned = env.run(&["index", "--prune", "--index", index.to_str().unwrap(), folder.to_str().unwrap()]);
    assert!(pruned.stderr.contains("1 removed"), "{}", pruned.stderr);
    assert_eq!(env.search_json("hotel", &[]).code, 1);
}
