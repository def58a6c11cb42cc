//! A few plain words typed as meant, found as transcribed (`Llama 3` ~ `lava three`, `Llama Guard`
//! ~ `Lamaguard`), and "did you mean" under the search's filters.

use crate::util::{TestEnv, highlights, seed_file};
use serde_json::Value;

fn seeded() -> TestEnv {
    let env = TestEnv::new();
    let run = env.index_paths(&[&seed_file()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

/// An index of one plain-text talk whose paragraphs are `paragraphs` (turns 1, 2, …).
fn talk_of(paragraphs: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    let file = env.path().join("talk.txt");
    std::fs::write(&file, paragraphs.join("\n\n")).unwrap();
    let run = env.index_paths(&[&file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

fn turns(hits: &[Value]) -> Vec<u64> {
    hits.iter().map(|h| h["turn"].as_u64().unwrap()).collect()
}

#[test]
fn llama_3_finds_lava_three_below_the_words_as_typed() {
    let env = seeded();
    let hits = env.search_json("Llama 3", &["-n", "20"]).json_lines();
    let lava = hits
        .iter()
        .position(|h| h["kind"] == "turn" && h["turn"] == 4)
        .unwrap_or_else(|| panic!("turn 4 not in {:?}", turns(&hits)));
    assert!(highlights(&hits[lava]).contains(&"lava three".to_string()), "{:?}", highlights(&hits[lava]));
    for said in hits.iter().filter(|h| h["text"].as_str().unwrap().to_lowercase().contains("llama 3")) {
        assert!(said["rank"].as_u64() < hits[lava]["rank"].as_u64(), "{} below turn 4", said["turn"]);
    }
    let exact = env.search_json("Llama 3", &["-n", "50", "--exact"]).json_lines();
    assert!(!exact.iter().any(|h| h["kind"] == "turn" && h["turn"] == 4), "--exact: {:?}", turns(&exact));
}

#[test]
fn llama_guard_ranks_lamaguard_first() {
    let env = seeded();
    let hits = env.search_json("Llama Guard", &[]).json_lines();
    assert_eq!((hits[0]["kind"].as_str(), hits[0]["turn"].as_u64()), (Some("turn"), Some(90)), "{:?}", turns(&hits));
    assert_eq!(highlights(&hits[0]), ["Lamaguard"]);
}

#[test]
fn a_near_phrase_ranks_between_the_words_together_and_the_words_apart() {
    let env = talk_of(&[
        "By then we had shipped llama 3 to everyone who asked for it.",
        "The llama kept walking while we counted 3 more of them in the field.",
        "I'll call it in April of lava three, and the response was huge.",
    ]);
    let hits = env.search_json("Llama 3", &[]).json_lines();
    assert_eq!(turns(&hits), [1, 3, 2]);
    assert_eq!(highlights(&hits[1]), ["lava three"]);
    let exact = env.search_json("Llama 3", &["--exact"]).json_lines();
    assert_eq!(turns(&exact), [1, 2]);
}

#[test]
fn a_phrase_said_in_fewer_passages_than_the_hits_asked_for_leaves_room_for_its_variants() {
    let mut paragraphs = vec!["By then we had shipped llama 3 to everyone who asked."; 12];
    paragraphs.push("I'll call it in April of lava three, and the response was huge.");
    let env = talk_of(&paragraphs);
    let lava = 13;
    let many = env.search_json("Llama 3", &["-n", "20"]).json_lines();
    assert_eq!(turns(&many).last(), Some(&lava), "{:?}", turns(&many));
    let few = env.search_json("Llama 3", &["-n", "12"]).json_lines();
    assert!(!turns(&few).contains(&lava), "{:?}", turns(&few));
}

#[test]
fn two_common_words_rarely_said_together_match_their_joined_form() {
    // Neither word is rare, and the words apart find a passage: only the pair's rarity as a
    // phrase brings in the joined form.
    let env = talk_of(&[
        "The swe team met on Monday.",
        "Ask the swe lead about it.",
        "We passed fifty percent on sweebench this year.",
        "Someone left a bench in the swe office.",
        "A bench by the lake.",
    ]);
    let hits = env.search_json("swe bench", &[]).json_lines();
    assert_eq!(turns(&hits), [3, 4], "the joined word, a whole phrase, above the words apart");
    assert_eq!(highlights(&hits[0]), ["sweebench"]);
    let exact = env.search_json("swe bench", &["--exact"]).json_lines();
    assert_eq!(turns(&exact), [4]);
}

#[test]
fn suggestions_find_something_under_the_kinds_asked_for() {
    let env = seeded();
    let suggestion = "did you mean \"Percy lang\"?";
    for (kind, offered) in [(None, true), (Some("turn"), true), (Some("vocab"), false), (Some("takeaway"), false)] {
        let mut extra = vec!["--exact"];
        extra.extend(kind.iter().flat_map(|k| ["--kind", k]));
        let run = env.search_json("Percy Liang", &extra);
        assert_eq!(run.stderr.contains(suggestion), offered, "{kind:?}: {}", run.stderr);
    }
    // `quote` finds nothing among vocabulary entries, and suggests nothing that only turns have.
    let quote = env.run(&["quote", "--index", env.index().to_str().unwrap(), "--kind", "vocab", "Percy Liang texts"]);
    assert_eq!(quote.code, 1);
    assert!(!quote.stderr.contains("did you mean"), "{}", quote.stderr);
}

#[test]
fn suggestions_find_something_said_by_the_speaker_asked_for() {
    let env = TestEnv::new();
    let file = env.path().join("panel.md");
    std::fs::write(
        &file,
        "**Ann Lee:** We tuned the tokenizer for weeks.\n\n**Bob Ray:** I never touched the parser.\n",
    )
    .unwrap();
    assert_eq!(env.index_paths(&[&file]).code, 0);
    for (speaker, offered) in [(None, true), (Some("ann"), true), (Some("bob"), false)] {
        let mut extra = vec!["--exact"];
        extra.extend(speaker.iter().flat_map(|s| ["--speaker", s]));
        let run = env.search_json("tokeniser", &extra);
        assert_eq!(run.code, 1);
        assert_eq!(run.stderr.contains("did you mean \"tokenizer\"?"), offered, "{speaker:?}: {}", run.stderr);
    }
}
