//! Writes the quote evaluation set (`eval/quotes.tsv`) from the seed and the corpus.
//!
//! ```sh
//! cargo run --release --example make_eval_quotes -- seeds ../shared/corpus > eval/quotes.tsv
//! ```
//!
//! Quotes are spans of 7 to 14 words from turns of the seed and of a fixed sample of corpus
//! files, each said only once in the whole corpus (a quote said twice has two right answers).
//! Each kind of quote is made from an exact span: `exact` as said; `drop` with an inner word
//! left out; `synonym` with a word swapped for a near synonym; `asr` with a word spelled as a
//! transcriber might hear it; `reorder` with two neighbouring words swapped; `name` with a
//! capitalised name misspelled. The random choices come from a fixed seed, so the same inputs
//! give the same file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use talksearch::ingest::{self, IngestOptions, SourceFile};

/// Quotes per kind from the seed, and per kind from the corpus sample.
const SEED_QUOTES_PER_KIND: usize = 8;
const CORPUS_QUOTES_PER_KIND: usize = 34;
/// Corpus files sampled per source folder.
const FILES_PER_FOLDER: usize = 5;
const KINDS: [&str; 6] = ["exact", "drop", "synonym", "asr", "reorder", "name"];

/// Near synonyms a person might remember instead of the word said.
const SYNONYMS: &[(&str, &str)] = &[
    ("big", "large"),
    ("large", "big"),
    ("small", "little"),
    ("little", "small"),
    ("really", "truly"),
    ("think", "believe"),
    ("believe", "think"),
    ("company", "firm"),
    ("companies", "firms"),
    ("people", "folks"),
    ("important", "crucial"),
    ("problem", "issue"),
    ("problems", "issues"),
    ("start", "begin"),
    ("started", "began"),
    ("begin", "start"),
    ("quickly", "fast"),
    ("fast", "quick"),
    ("difficult", "hard"),
    ("hard", "difficult"),
    ("easy", "simple"),
    ("simple", "easy"),
    ("huge", "enormous"),
    ("maybe", "perhaps"),
    ("perhaps", "maybe"),
    ("actually", "really"),
    ("basically", "essentially"),
    ("great", "excellent"),
    ("good", "fine"),
    ("bad", "poor"),
    ("smart", "clever"),
    ("world", "planet"),
    ("job", "work"),
    ("build", "create"),
    ("built", "created"),
    ("make", "create"),
    ("made", "created"),
    ("help", "assist"),
    ("use", "utilize"),
    ("used", "utilized"),
    ("understand", "grasp"),
    ("idea", "notion"),
    ("ideas", "notions"),
    ("talk", "speak"),
    ("talking", "speaking"),
    ("said", "stated"),
    ("say", "state"),
    ("get", "obtain"),
    ("got", "obtained"),
    ("buy", "purchase"),
    ("money", "cash"),
    ("children", "kids"),
    ("kids", "children"),
    ("begin", "commence"),
    ("end", "finish"),
    ("finished", "completed"),
    ("different", "distinct"),
    ("whole", "entire"),
    ("entire", "whole"),
    ("often", "frequently"),
    ("always", "constantly"),
    ("story", "tale"),
    ("answer", "reply"),
    ("question", "query"),
    ("questions", "queries"),
    ("amazing", "incredible"),
    ("incredible", "amazing"),
    ("interesting", "fascinating"),
    ("try", "attempt"),
    ("trying", "attempting"),
    ("need", "require"),
    ("needs", "requires"),
    ("show", "demonstrate"),
    ("lot", "ton"),
    ("kind", "sort"),
    ("stuff", "things"),
    ("thing", "item"),
    ("car", "vehicle"),
    ("house", "home"),
    ("learn", "study"),
    ("learned", "studied"),
    ("happy", "glad"),
    ("sure", "certain"),
    ("right", "correct"),
    ("wrong", "incorrect"),
    ("change", "alter"),
    ("changed", "altered"),
];

/// Words often confused by ear.
const HOMOPHONES: &[(&str, &str)] = &[
    ("there", "their"),
    ("their", "there"),
    ("they're", "their"),
    ("your", "you're"),
    ("you're", "your"),
    ("its", "it's"),
    ("it's", "its"),
    ("then", "than"),
    ("than", "then"),
    ("know", "no"),
    ("write", "right"),
    ("where", "wear"),
    ("weather", "whether"),
    ("whether", "weather"),
    ("affect", "effect"),
    ("effect", "affect"),
    ("accept", "except"),
    ("piece", "peace"),
    ("hear", "here"),
    ("here", "hear"),
];

/// A deterministic xorshift generator: the set must come out the same every time.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A talk as the generator sees it.
struct Source {
    name: String,
    turns: Vec<String>,
}

/// A word of a turn: its byte range.
fn word_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

/// Lower-case letters and digits of a word.
fn key(word: &str) -> String {
    word.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A quote before checking it is said only once.
struct Candidate {
    kind: &'static str,
    source: String,
    turn: usize,
    quote: String,
    original: String,
    words: Vec<String>,
}

fn alter(kind: &str, words: &[&str], random: &mut Random) -> Option<Vec<String>> {
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let inner = 1..words.len() - 1;
    match kind {
        "exact" => Some(out),
        "drop" => {
            let choices: Vec<usize> = inner.filter(|&i| key(words[i]).len() >= 3).collect();
            let at = *choices.get(random.below(choices.len()))?;
            out.remove(at);
            Some(out)
        }
        "synonym" => {
            let choices: Vec<(usize, &str)> = (0..words.len())
                .filter_map(|i| {
                    let bare = words[i].trim_matches(|c: char| !c.is_alphanumeric());
                    SYNONYMS.iter().find(|(w, _)| *w == bare.to_lowercase()).map(|(_, s)| (i, *s))
                })
                .collect();
            let &(at, synonym) = choices.get(random.below(choices.len()))?;
            out[at] = replace_bare(words[at], synonym);
            Some(out)
        }
        "asr" => {
            let homophone: Vec<(usize, &str)> = (0..words.len())
                .filter_map(|i| {
                    let bare = words[i].trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
                    HOMOPHONES.iter().find(|(w, _)| *w == bare.to_lowercase()).map(|(_, s)| (i, *s))
                })
                .collect();
            if !homophone.is_empty() && random.below(3) == 0 {
                let (at, heard) = homophone[random.below(homophone.len())];
                out[at] = replace_bare(words[at], heard);
                return Some(out);
            }
            let choices: Vec<usize> = (0..words.len())
                .filter(|&i| {
                    let bare = words[i].trim_matches(|c: char| !c.is_alphanumeric());
                    bare.len() >= 5 && bare.chars().all(|c| c.is_ascii_lowercase())
                })
                .collect();
            let at = *choices.get(random.below(choices.len()))?;
            let bare = words[at].trim_matches(|c: char| !c.is_alphanumeric());
            let heard = misheard(bare, random)?;
            out[at] = words[at].replacen(bare, &heard, 1);
            Some(out)
        }
        "reorder" => {
            let choices: Vec<usize> = (1..words.len() - 2)
                .filter(|&i| key(words[i]) != key(words[i + 1]) && !key(words[i]).is_empty())
                .collect();
            let at = *choices.get(random.below(choices.len()))?;
            out.swap(at, at + 1);
            Some(out)
        }
        "name" => {
            let choices: Vec<usize> = (1..words.len())
                .filter(|&i| {
                    let bare = words[i].trim_matches(|c: char| !c.is_alphanumeric());
                    let previous = words[i - 1];
                    bare.len() >= 4
                        && bare.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                        && bare.chars().skip(1).all(|c| c.is_ascii_lowercase())
                        && !previous.ends_with(['.', '?', '!', ':'])
                })
                .collect();
            let at = *choices.get(random.below(choices.len()))?;
            let bare = words[at].trim_matches(|c: char| !c.is_alphanumeric());
            let misspelled = misspelled_name(bare, random)?;
            out[at] = words[at].replacen(bare, &misspelled, 1);
            Some(out)
        }
        _ => None,
    }
}

fn replace_bare(word: &str, with: &str) -> String {
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
    let capital = bare.chars().next().is_some_and(char::is_uppercase);
    let with = if capital {
        let mut chars = with.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    } else {
        with.to_string()
    };
    word.replacen(bare, &with, 1)
}

/// A lower-case word as a transcriber might write it after hearing it.
fn misheard(word: &str, random: &mut Random) -> Option<String> {
    let rules: [(&str, &str); 14] = [
        ("ph", "f"),
        ("ck", "k"),
        ("tion", "shun"),
        ("ie", "ei"),
        ("ea", "ee"),
        ("ou", "ow"),
        ("ss", "s"),
        ("ll", "l"),
        ("tt", "t"),
        ("ce", "se"),
        ("ca", "ka"),
        ("co", "ko"),
        ("er", "ur"),
        ("y", "ie"),
    ];
    let applicable: Vec<&(&str, &str)> = rules.iter().filter(|(from, _)| word[1..].contains(from)).collect();
    if let Some((from, to)) = applicable.get(random.below(applicable.len() + 1)) {
        let at = word[1..].find(from)? + 1;
        return Some(format!("{}{}{}", &word[..at], to, &word[at + from.len()..]));
    }
    // Otherwise one vowel heard as another.
    let vowels: Vec<usize> =
        word.char_indices().skip(1).filter(|(_, c)| "aeiou".contains(*c)).map(|(i, _)| i).collect();
    let at = *vowels.get(random.below(vowels.len()))?;
    let replacement = match &word[at..at + 1] {
        "a" => "e",
        "e" => "a",
        "i" => "e",
        "o" => "u",
        _ => "o",
    };
    Some(format!("{}{}{}", &word[..at], replacement, &word[at + 1..]))
}

/// A name with one slip: a letter dropped, doubled, or two swapped.
fn misspelled_name(name: &str, random: &mut Random) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let at = 1 + random.below(chars.len() - 2);
    let mut out = chars.clone();
    match random.below(3) {
        0 => {
            out.remove(at);
        }
        1 => out.insert(at, chars[at]),
        _ => out.swap(at, at + 1),
    }
    let out: String = out.into_iter().collect();
    (out != name).then_some(out)
}

fn load(path: &Path, name: String) -> Option<Source> {
    let options = IngestOptions::default();
    let file = SourceFile::read(path, &options).ok()?;
    let parsed = ingest::parse(file, &options).ok()?;
    Some(Source { name, turns: parsed.talk.turns.into_iter().map(|t| t.text).collect() })
}

fn candidates(source: &Source, kind: &'static str, wanted: usize, random: &mut Random) -> Vec<Candidate> {
    let mut found = Vec::new();
    let long: Vec<usize> = (0..source.turns.len()).filter(|&i| word_ranges(&source.turns[i]).len() >= 8).collect();
    for _ in 0..wanted * 60 {
        if found.len() >= wanted || long.is_empty() {
            break;
        }
        let turn = long[random.below(long.len())];
        let text = &source.turns[turn];
        let ranges = word_ranges(text);
        let length = (7 + random.below(8)).min(ranges.len());
        let start = random.below(ranges.len() - length + 1);
        let span = &ranges[start..start + length];
        let original = &text[span[0].start..span[length - 1].end];
        // Markup, entities and inline timestamps are not what a person remembers or types.
        let markup = ["&#", "&amp;", "&quot;", "[", "]", "<", ">", "*", "\\", "_"];
        if original.contains(['\t', '\n', '"'])
            || original.chars().any(char::is_control)
            || markup.iter().any(|m| original.contains(m))
        {
            continue;
        }
        let words: Vec<&str> = span.iter().map(|r| &text[r.clone()]).collect();
        let Some(altered) = alter(kind, &words, random) else { continue };
        let quote = altered.join(" ");
        if kind != "exact" && key(&quote) == key(original) {
            continue;
        }
        let keys: Vec<String> = words.iter().map(|w| key(w)).filter(|k| !k.is_empty()).collect();
        if keys.len() < 6 || found.iter().any(|c: &Candidate| c.original == original) {
            continue;
        }
        found.push(Candidate {
            kind,
            source: source.name.clone(),
            turn: turn + 1,
            quote,
            original: original.to_string(),
            words: keys,
        });
    }
    found
}

/// Keeps the candidates whose words are said exactly once in all of `sources`.
fn said_once(candidates: Vec<Candidate>, sources: &[Source]) -> Vec<Candidate> {
    let mut by_head: HashMap<&[String], Vec<usize>> = HashMap::new();
    for (i, candidate) in candidates.iter().enumerate() {
        by_head.entry(&candidate.words[..4]).or_default().push(i);
    }
    let mut counts = vec![0usize; candidates.len()];
    for source in sources {
        let words: Vec<String> =
            source.turns.iter().flat_map(|t| t.split_whitespace().map(key)).filter(|k| !k.is_empty()).collect();
        for at in 0..words.len().saturating_sub(3) {
            let Some(list) = by_head.get(&words[at..at + 4]) else { continue };
            for &i in list {
                let needed = &candidates[i].words;
                if words.len() - at >= needed.len() && words[at..at + needed.len()] == needed[..] {
                    counts[i] += 1;
                }
            }
        }
    }
    candidates.into_iter().zip(counts).filter(|(_, count)| *count == 1).map(|(c, _)| c).collect()
}

fn main() {
    let arguments: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [seeds, corpus] = arguments.as_slice() else {
        eprintln!("usage: make_eval_quotes SEEDS_DIR CORPUS_DIR > eval/quotes.tsv");
        std::process::exit(2);
    };
    let mut random = Random(0x7a1c_5ea2_c400_0001);
    let seed_files = ingest::discover(std::slice::from_ref(seeds)).files;
    let corpus_files = ingest::discover(std::slice::from_ref(corpus)).files;
    let corpus_root = std::fs::canonicalize(corpus).unwrap_or_else(|_| corpus.clone());
    let seed_sources: Vec<Source> =
        seed_files.iter().filter_map(|p| load(p, format!("seeds/{}", p.file_name()?.to_string_lossy()))).collect();
    let corpus_sources: Vec<Source> = corpus_files
        .iter()
        .filter_map(|p| load(p, format!("corpus/{}", p.strip_prefix(&corpus_root).ok()?.display())))
        .collect();
    eprintln!("{} seed talks, {} corpus talks", seed_sources.len(), corpus_sources.len());

    // A fixed sample of corpus files: a few per source folder.
    let mut folders: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, source) in corpus_sources.iter().enumerate() {
        let folder = source.name.split('/').nth(1).unwrap_or_default().to_string();
        folders.entry(folder).or_default().push(i);
    }
    let mut folder_names: Vec<&String> = folders.keys().collect();
    folder_names.sort();
    let mut sample: Vec<usize> = Vec::new();
    for folder in folder_names {
        let mut files = folders[folder].clone();
        for _ in 0..FILES_PER_FOLDER.min(files.len()) {
            sample.push(files.remove(random.below(files.len())));
        }
    }

    let mut all: Vec<Candidate> = Vec::new();
    for kind in KINDS {
        for source in &seed_sources {
            all.extend(candidates(source, kind, SEED_QUOTES_PER_KIND * 2, &mut random));
        }
        for &i in &sample {
            let per_file = (CORPUS_QUOTES_PER_KIND * 2).div_ceil(sample.len()).max(1);
            all.extend(candidates(&corpus_sources[i], kind, per_file, &mut random));
        }
    }
    let everything: Vec<Source> = seed_sources.into_iter().chain(corpus_sources).collect();
    let unique = said_once(all, &everything);

    println!("# kind\tsource\tturn\tquote\toriginal");
    println!("# Made by examples/make_eval_quotes.rs; see README, \"Finding misheard quotes\".");
    for kind in KINDS {
        let of_kind: Vec<&Candidate> = unique.iter().filter(|c| c.kind == kind).collect();
        let seeds: Vec<&&Candidate> =
            of_kind.iter().filter(|c| c.source.starts_with("seeds/")).take(SEED_QUOTES_PER_KIND).collect();
        // Corpus quotes spread over the files: one per file in turn.
        let mut per_file: HashMap<&str, Vec<&&Candidate>> = HashMap::new();
        for candidate in of_kind.iter().filter(|c| c.source.starts_with("corpus/")) {
            per_file.entry(&candidate.source).or_default().push(candidate);
        }
        let mut files: Vec<&str> = per_file.keys().copied().collect();
        files.sort_unstable();
        let mut corpus_quotes = Vec::new();
        let mut round = 0;
        while corpus_quotes.len() < CORPUS_QUOTES_PER_KIND && files.iter().any(|f| per_file[f].len() > round) {
            for file in &files {
                if let Some(candidate) =
                    per_file[file].get(round).filter(|_| corpus_quotes.len() < CORPUS_QUOTES_PER_KIND)
                {
                    corpus_quotes.push(*candidate);
                }
            }
            round += 1;
        }
        for c in seeds.into_iter().chain(corpus_quotes) {
            println!("{}\t{}\t{}\t{}\t{}", c.kind, c.source, c.turn, c.quote, c.original);
        }
    }
}
