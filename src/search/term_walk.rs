//! Walking a raw term FST (see [`crate::index::term_fst`]) with an automaton.
//!
//! The walk asks the automaton about a child's byte before it decodes the child, so a dead end
//! costs one step of the automaton and nothing of the FST; tantivy's streamer decodes the child
//! first. For `synthetik` within two edits, in an index of the real transcripts, that was
//! most of the lookup.

use tantivy_fst::Automaton;
use tantivy_fst::raw::{Fst, Node};

/// Calls `found` with every term of `fst` that starts with `prefix` and that `automaton`
/// accepts, in dictionary order. The walk recurses once per byte of the longest prefix the
/// automaton can still match: for the edit-distance automata here, a few bytes past the word.
pub fn for_each_accepted<D, A>(fst: &Fst<D>, automaton: &A, prefix: &[u8], mut found: impl FnMut(&[u8]))
where
    D: std::ops::Deref<Target = [u8]>,
    A: Automaton,
{
    let mut node = fst.root();
    let mut state = automaton.start();
    for &byte in prefix {
        let Some(at) = node.find_input(byte) else { return };
        state = automaton.accept(&state, byte);
        if !automaton.can_match(&state) {
            return;
        }
        node = fst.node(node.transition_addr(at));
    }
    let mut key = prefix.to_vec();
    walk(fst, automaton, node, &state, &mut key, &mut found);
}

fn walk<D, A>(
    fst: &Fst<D>,
    automaton: &A,
    node: Node<'_>,
    state: &A::State,
    key: &mut Vec<u8>,
    found: &mut impl FnMut(&[u8]),
) where
    D: std::ops::Deref<Target = [u8]>,
    A: Automaton,
{
    if node.is_final() && automaton.is_match(state) {
        found(key);
    }
    for transition in node.transitions() {
        let next = automaton.accept(state, transition.inp);
        if !automaton.can_match(&next) {
            continue;
        }
        key.push(transition.inp);
        walk(fst, automaton, fst.node(transition.addr), &next, key, found);
        key.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::edits::WithinEdits;
    use tantivy_fst::{IntoStreamer, Map, Streamer};

    fn map(words: &[&str]) -> Map<Vec<u8>> {
        let mut sorted = words.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        Map::from_iter(sorted.into_iter().map(|w| (w, 0))).unwrap()
    }

    fn walked(map: &Map<Vec<u8>>, automaton: &WithinEdits, prefix: &str) -> Vec<String> {
        let mut terms = Vec::new();
        for_each_accepted(map.as_fst(), automaton, prefix.as_bytes(), |t| {
            terms.push(String::from_utf8(t.to_vec()).unwrap())
        });
        terms
    }

    fn streamed(map: &Map<Vec<u8>>, automaton: &WithinEdits, prefix: &str) -> Vec<String> {
        let mut after = prefix.as_bytes().to_vec();
        let mut builder = map.search(automaton.clone());
        if let Some(last) = after.last_mut() {
            *last += 1;
            builder = builder.ge(prefix).lt(&after);
        }
        let mut stream = builder.into_stream();
        let mut terms = Vec::new();
        while let Some((key, _)) = stream.next() {
            terms.push(String::from_utf8(key.to_vec()).unwrap());
        }
        terms
    }

    #[test]
    fn finds_what_tantivys_stream_finds() {
        let words = [
            "synthet",
            "synthes",
            "sympathet",
            "syntax",
            "synth",
            "data",
            "date",
            "dato",
            "dat",
            "datum",
            "llama",
            "lama",
            "llm",
            "lima",
            "ollama",
            "s",
            "sy",
            "",
            "zynthet",
            "synthetic",
            "synthetik",
        ];
        let map = map(&words);
        for (word, edits) in [("synthetik", 2), ("synthetik", 1), ("data", 1), ("llama", 2), ("s", 1), ("", 1)] {
            let automaton = WithinEdits::new(word, edits).unwrap();
            for prefix in ["", "s", "d", "l", "sy", "q"] {
                let expected = streamed(&map, &automaton, prefix);
                assert_eq!(walked(&map, &automaton, prefix), expected, "{word} within {edits}, prefix {prefix:?}");
            }
        }
        let automaton = WithinEdits::new("synthetik", 2).unwrap();
        assert_eq!(walked(&map, &automaton, "s"), ["synthet", "synthetic", "synthetik"]);
    }
}
