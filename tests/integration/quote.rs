//! Misheard and misremembered: `quote`, close forms in `search`, "did you mean", context turns,
//! and the evaluation set's floors.

use crate::util::{TestEnv, corpus, highlights, seed_file, seeds};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn seeded() -> TestEnv {
    let env = TestEnv::new();
    let run = env.index_paths(&[&seed_file()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

fn quote_json(env: &TestEnv, quote: &str, extra: &[&str]) -> Vec<Value> {
    let index = env.index();
    let mut args = vec!["quote", "--index", index.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    args.extend(["--", quote]);
    let run = env.run(&args);
    assert_eq!(run.code, 0, "{quote}: {}", run.stderr);
    run.json_lines()
}

#[test]
fn misheard_quotes_are_found_with_what_differs() {
    let env = seeded();
    for (quote, turn, said, typed) in [
        ("appetizer, I'll call it in April of Llama 3", 4, "lava three", "Llama 3"),
        ("Percy Liang at Stanford texts me all the time", 14, "Lang", "Liang"),
        ("will surpass the 50% threshold on SWE-bench", 101, "sweebench", "SWE-bench"),
        ("our own internal versions of Llama Guard", 90, "Lamaguard", "Llama Guard"),
        ("we used grouped query attention, for example", 49, "group courier", "grouped query"),
    ] {
        let hits = quote_json(&env, quote, &["-n", "3"]);
        let best = &hits[0];
        assert_eq!(best["turn"], turn, "{quote}: {best}");
        assert_eq!(best["quote"]["closeness"], "near", "{quote}");
        let differences = best["quote"]["differences"].as_array().unwrap();
        assert!(differences.iter().any(|d| d["said"] == said && d["typed"] == typed), "{quote}: {differences:?}");
        let words = highlights(best);
        assert_eq!(words.len(), 1, "the span is one highlight: {words:?}");
        assert!(words[0].contains(said), "{quote}: {words:?}");
        assert!(best["time"].as_f64().unwrap() >= best["start"].as_f64().unwrap());
    }
}

#[test]
fn an_exact_quote_is_labelled_exact_and_timed_at_its_first_word() {
    let env = seeded();
    let hits = quote_json(&env, "we saw it as this lingua franca bridge to this area of high entropy", &[]);
    let best = &hits[0];
    assert_eq!((best["turn"].as_u64(), best["quote"]["closeness"].as_str()), (Some(20), Some("exact")));
    assert_eq!(best["quote"]["similarity"], 1.0);
    assert_eq!(best["quote"]["differences"], serde_json::json!([]));
    assert_eq!(highlights(best), ["we saw it as this lingua franca bridge to this area of high entropy"]);
    assert!(best["time"].as_f64().unwrap() > best["start"].as_f64().unwrap(), "not the turn's first word");

    let text = env.run(&["quote", "--index", env.index().to_str().unwrap(), "lingua franca bridge to this area"]);
    assert!(text.stdout.lines().next().unwrap().contains("(exact 1.00)"), "{}", text.stdout);
}

#[test]
fn a_quote_running_across_two_turns_is_found_in_both() {
    let env = seeded();
    let text = std::fs::read_to_string(seed_file()).unwrap();
    let turns = talksearch::formats::Format::TalkCard.parse(&text).unwrap().turns;
    // The last words of turn 10 and the first of turn 11.
    let (end, start): (Vec<&str>, Vec<&str>) = (
        turns[9].text.split_whitespace().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect(),
        turns[10].text.split_whitespace().take(5).collect(),
    );
    let quote = format!("{} {}", end.join(" "), start.join(" "));
    let hits = quote_json(&env, &quote, &[]);
    assert_eq!(hits[0]["turn"], 10, "{quote}: {}", hits[0]);
    assert_eq!(hits[0]["quote"]["turns"], serde_json::json!([10, 11]));
    assert_eq!(hits[0]["quote"]["closeness"], "exact");
}

#[test]
fn a_quote_must_have_three_to_sixty_words() {
    let env = seeded();
    let run = env.run(&["quote", "--index", env.index().to_str().unwrap(), "two words"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("3 to 60 words"), "{}", run.stderr);
}

#[test]
fn search_matches_near_misses_and_sound_alikes_below_exact_words() {
    let env = seeded();
    for (query, turn, form) in [
        ("Mistral", 43, "Nistral"),
        ("Percy Liang", 14, "Lang"),
        ("SWE-bench", 101, "sweebench"),
        ("Llama Guard", 90, "Lamaguard"),
        ("GPT-4o mini", 29, "GPD 4.0"),
        ("grouped query attention", 49, "courier"),
    ] {
        let hits = env.search_json(query, &["-n", "5", "--kind", "turn"]).json_lines();
        let hit =
            hits.iter().find(|h| h["turn"] == turn).unwrap_or_else(|| panic!("{query}: turn {turn} not in {hits:?}"));
        // A close form found as part of a whole phrase (`Percy Lang`) is highlighted with it.
        let highlighted = |w: &String| w == form || w.split_whitespace().any(|word| word == form);
        assert!(highlights(hit).iter().any(highlighted), "{query}: {:?}", highlights(hit));
    }
    // The word as typed ranks above its near miss.
    let mistral = env.search_json("Mistral", &["--kind", "turn"]).json_lines();
    assert_eq!((mistral[0]["turn"].as_u64(), mistral[1]["turn"].as_u64()), (Some(42), Some(43)));
    // --exact: only the words as typed.
    let exact = env.search_json("Percy Liang", &["--exact"]);
    assert_eq!(exact.code, 1);
    assert!(exact.stdout.is_empty());
}

#[test]
fn did_you_mean_names_the_replaced_words_on_stderr() {
    let env = seeded();
    let run = env.search_json("Percy Liang", &["--exact"]);
    assert!(run.stderr.contains("did you mean \"Percy lang\"? (Liang → lang)"), "{}", run.stderr);
    let synonym = env.search_json("purification", &["--exact"]);
    assert!(
        synonym.stderr.contains("did you mean \"distillation\"? (purification → distillation)"),
        "{}",
        synonym.stderr
    );
    let fine = env.search_json("distillation", &[]);
    assert!(!fine.stderr.contains("did you mean"), "{}", fine.stderr);
}

#[test]
fn context_shows_the_turns_around_each_hit() {
    let env = seeded();
    let hits = env.search_json("distillation", &["-C", "1", "--kind", "turn", "-n", "1"]).json_lines();
    let turn = hits[0]["turn"].as_u64().unwrap();
    let context = hits[0]["context"].as_array().unwrap();
    let turns: Vec<u64> = context.iter().map(|c| c["turn"].as_u64().unwrap()).collect();
    assert_eq!(turns, [turn - 1, turn + 1]);
    assert!(context.iter().all(|c| c["text"].as_str().is_some_and(|t| !t.is_empty()) && c["start"].is_f64()));
    let text =
        env.run(&["search", "--index", env.index().to_str().unwrap(), "distillation", "-C", "1", "--kind", "turn"]);
    assert!(text.stdout.contains(&format!("│ turn {}", turn - 1)), "{}", text.stdout);
    let none = env.search_json("distillation", &["--kind", "turn", "-n", "1"]).json_lines();
    assert_eq!(none[0]["context"], serde_json::json!([]));
}

/// The evaluation set's quotes whose files are here: the seed's always, the corpus's when
/// the corpus is.
fn available_quotes(corpus: Option<&Path>) -> (String, Vec<PathBuf>) {
    let set = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/quotes.tsv")).unwrap();
    let mut kept = String::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for line in set.lines().filter(|l| !l.starts_with('#')) {
        let source = line.split('\t').nth(1).unwrap();
        let file = match (source.strip_prefix("seeds/"), source.strip_prefix("corpus/"), corpus) {
            (Some(name), _, _) => seeds().join(name),
            (_, Some(relative), Some(corpus)) => corpus.join(relative),
            _ => continue,
        };
        if !files.contains(&file) {
            files.push(file);
        }
        kept.push_str(line);
        kept.push('\n');
    }
    (kept, files)
}

#[test]
fn the_evaluation_set_stays_above_its_floors() {
    let corpus = corpus();
    let (quotes, files) = available_quotes(corpus.as_deref());
    let env = TestEnv::new();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let run = env.index_paths(&paths);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let set = env.path().join("quotes.tsv");
    std::fs::write(&set, quotes).unwrap();
    let run =
        env.run(&["eval", set.to_str().unwrap(), "--index", env.index().to_str().unwrap(), "--no-peers", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = &run.json_lines()[0];
    let kinds = &report["kinds"];
    let exact_top1 = kinds["exact"]["top1"].as_f64().unwrap();
    let altered_top3 = kinds["altered"]["top3"].as_f64().unwrap();
    assert!(kinds["all"]["count"].as_u64().unwrap() >= if corpus.is_some() { 200 } else { 40 });
    assert!(exact_top1 >= 0.98, "top-1 on exact quotes {exact_top1}; missed: {}", report["misses"]);
    assert!(altered_top3 >= 0.95, "top-3 on altered quotes {altered_top3}; missed: {}", report["misses"]);
}
