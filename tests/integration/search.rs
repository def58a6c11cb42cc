//! Searching the seed talk through the binary: ranking, highlights, phrases, times, exit codes.

use crate::util::{TestEnv, fixture, highlights, seed_file};
use serde_json::Value;
use talksearch::formats::Format;

fn seeded() -> TestEnv {
    let env = TestEnv::new();
    let run = env.index_paths(&[&seed_file()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

fn seed_turns() -> Vec<String> {
    let text = std::fs::read_to_string(seed_file()).unwrap();
    Format::TalkCard.parse(&text).unwrap().turns.into_iter().map(|t| t.text).collect()
}

/// The highlighted words of a JSON hit, lower-cased (a phrase is one highlight: its words each count).
fn highlighted(hit: &Value) -> Vec<String> {
    highlights(hit).iter().flat_map(|h| h.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>()).collect()
}

fn turn_numbers(hits: &[Value]) -> Vec<u64> {
    let mut turns: Vec<u64> =
        hits.iter().filter(|h| h["kind"] == "turn").map(|h| h["turn"].as_u64().unwrap()).collect();
    turns.sort_unstable();
    turns
}

/// 1-based numbers of the seed's turns containing any of `forms` (lower-case substrings).
fn turns_containing(forms: &[&str]) -> Vec<u64> {
    seed_turns()
        .iter()
        .enumerate()
        .filter(|(_, text)| forms.iter().any(|f| text.to_lowercase().contains(f)))
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

#[test]
fn distillation_finds_every_turn_with_its_word_forms_highlighted() {
    let env = seeded();
    let run = env.search_json("distillation", &["-n", "50"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits = run.json_lines();
    assert_eq!(turn_numbers(&hits), turns_containing(&["distillation", "distilling", "distill "]));
    for hit in hits.iter().filter(|h| h["kind"] == "turn") {
        let words = highlighted(hit);
        assert!(!words.is_empty(), "turn {} has no highlight", hit["turn"]);
        assert!(words.iter().all(|w| w.starts_with("distil")), "{words:?}");
    }
    let forms: Vec<String> = hits.iter().flat_map(highlighted).collect();
    assert!(forms.contains(&"distillation".to_string()) && forms.contains(&"distilling".to_string()), "{forms:?}");
}

#[test]
fn commoditize_ranks_its_vocabulary_entry_first_then_the_turns() {
    let env = seeded();
    let hits = env.search_json("commoditize", &["-n", "50"]).json_lines();
    assert_eq!(hits[0]["kind"], "vocab");
    assert_eq!(hits[0]["term"], "commoditize");
    assert_eq!(hits.iter().filter(|h| h["kind"] == "vocab").count(), 1);
    assert_eq!(turn_numbers(&hits), turns_containing(&["commoditiz"]));
    let forms: Vec<String> = hits.iter().flat_map(highlighted).collect();
    for form in ["commoditize", "commoditization", "commoditizing"] {
        assert!(forms.iter().any(|f| f == form), "{form} not highlighted in {forms:?}");
    }
}

#[test]
fn a_phrase_matches_only_adjacent_words() {
    let env = seeded();
    env.index_paths(&[&fixture("text/phrases.txt")]);
    let phrase = env.search_json("\"synthetic data\"", &["-n", "100", "--kind", "turn"]).json_lines();
    let seed_hits: Vec<Value> = phrase.iter().filter(|h| h["talk"] != "phrases").cloned().collect();
    assert_eq!(turn_numbers(&seed_hits), turns_containing(&["synthetic data"]));
    let fixture_turns: Vec<u64> =
        phrase.iter().filter(|h| h["talk"] == "phrases").map(|h| h["turn"].as_u64().unwrap()).collect();
    assert_eq!(fixture_turns, [1], "only the paragraph where the words are adjacent");
    let words = env.search_json("synthetic data", &["-n", "100", "--kind", "turn"]).json_lines();
    let mut apart: Vec<u64> =
        words.iter().filter(|h| h["talk"] == "phrases").map(|h| h["turn"].as_u64().unwrap()).collect();
    apart.sort_unstable();
    assert_eq!(apart, [1, 2, 3], "without quotes, the words may be anywhere");
}

#[test]
fn estimated_times_grow_with_the_turn_number() {
    let env = seeded();
    let hits = env.search_json("the", &["-n", "200", "--kind", "turn"]).json_lines();
    let mut times: Vec<(u64, f64, bool)> = hits
        .iter()
        .map(|h| (h["turn"].as_u64().unwrap(), h["start"].as_f64().unwrap(), h["estimated"] == true))
        .collect();
    assert!(times.len() > 50);
    times.sort_by_key(|t| t.0);
    assert!(times.windows(2).all(|w| w[0].1 < w[1].1), "start times do not grow: {times:?}");
    assert!(times.iter().all(|t| t.2), "every seed time is estimated");
    let text = env.run(&["search", "--index", env.index().to_str().unwrap(), "distillation"]);
    assert!(text.stdout.lines().next().unwrap().contains('~'), "{}", text.stdout);
}

#[test]
fn reindexing_does_not_duplicate() {
    let env = seeded();
    let before = env.search_json("distillation", &["-n", "100"]).json_lines().len();
    let again = env.index_paths(&[&seed_file()]);
    assert!(again.stderr.contains("1 unchanged"), "{}", again.stderr);
    // A changed file is replaced, not added again.
    let copy = env.path().join("talk.txt");
    std::fs::copy(seed_file(), &copy).unwrap();
    env.index_paths(&[&copy]);
    let mut text = std::fs::read_to_string(&copy).unwrap();
    text.push('\n');
    std::fs::write(&copy, text).unwrap();
    let updated = env.index_paths(&[&copy]);
    assert!(updated.stderr.contains("1 updated"), "{}", updated.stderr);
    let after = env.search_json("distillation", &["-n", "100"]).json_lines().len();
    assert_eq!(after, before * 2, "the seed and its one copy, each once");
}

#[test]
fn every_passage_and_no_talk_record_for_a_star() {
    let env = seeded();
    let hits = env.search_json("*", &["-n", "1000"]).json_lines();
    let seed = Format::TalkCard.parse(&std::fs::read_to_string(seed_file()).unwrap()).unwrap();
    let passages = seed.turns.len() + seed.vocabulary.len() + seed.summary.len() + seed.takeaways.len();
    assert_eq!(hits.len(), passages, "turns, vocabulary entries, summary paragraphs, takeaways");
    assert!(hits.iter().all(|hit| !hit["text"].as_str().unwrap().is_empty()));
    let talks = env.search_json("kind:talk", &[]);
    assert_eq!(talks.code, 1, "talk records are not passages: {}", talks.stdout);
}

#[test]
fn no_hits_exits_1_with_nothing_on_stdout() {
    let env = seeded();
    let run = env.search_json("xylophonequartz", &[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_malformed_query_exits_2_with_a_message_pointing_at_the_problem() {
    let env = seeded();
    for (query, problem, at) in [("\"open source", "unclosed quote", 1), ("(llama OR meta", "unclosed parenthesis", 1)]
    {
        let run = env.search_json(query, &[]);
        assert_eq!(run.code, 2, "{query}");
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
        assert!(run.stderr.contains(problem) && run.stderr.contains(&format!("character {at}")), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn first_search_builds_the_index_from_seeds() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("seeds")).unwrap();
    std::fs::copy(seed_file(), env.path().join("seeds/talk.txt")).unwrap();
    let run = env.run(&["search", "distillation"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("building it from ./seeds"), "{}", run.stderr);
    assert!(env.path().join("index/meta.json").is_file());
    assert!(run.stdout.contains("distillation"));
}

#[test]
fn passages_of_every_run_read_back_when_a_larger_run_trains_a_new_dictionary() {
    let env = seeded();
    let dictionaries = |env: &TestEnv| {
        let mut names: Vec<String> = std::fs::read_dir(env.index())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".dict"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(dictionaries(&env), ["records-1.dict"], "the seed alone trains one");
    // Six times the seed's text: more than four times what the first dictionary was trained on.
    let generated = env.path().join("generated");
    let seed = seed_file();
    let args = ["generate", "--scale", "6", "--seed", "3", "--from", seed.to_str().unwrap()];
    let run = env.run(&[&args[..], &["--quiet", generated.to_str().unwrap()]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = env.index_paths(&[&generated]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(dictionaries(&env), ["records-1.dict", "records-2.dict"]);

    let hits = env.search_json("distillation", &["-n", "100"]).json_lines();
    let seed_talk = seed.file_stem().unwrap().to_str().unwrap();
    assert!(hits.iter().any(|hit| hit["talk"] == seed_talk), "the first run's passages");
    assert!(hits.iter().any(|hit| hit["talk"].as_str().unwrap().starts_with("talk-")), "the second run's");
    for hit in &hits {
        assert!(hit["text"].as_str().unwrap().to_lowercase().contains("distill"), "{hit}");
        assert!(hit["source"]["path"].as_str().is_some_and(|path| !path.is_empty()), "{hit}");
    }
}
