//! `word*` queries: every term that starts with one of a few heads, or equals one of a few
//! whole terms, through one pass of a small automaton over the term dictionary.
//!
//! tantivy's own way there is a regular expression, whose automaton is compiled at each parse:
//! that compilation was more than half of a whole `talksearch search distill*` process.

use std::sync::Arc;
use tantivy::query::{AutomatonWeight, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// Terms that start with a head or equal a whole term; at most 64 of each.
#[derive(Debug, Clone)]
pub struct PrefixAutomaton {
    heads: Vec<Vec<u8>>,
    wholes: Vec<Vec<u8>>,
}

/// How far a term has been read, and which heads and whole terms it still follows.
#[derive(Debug, Clone)]
pub struct PrefixState {
    depth: usize,
    heads: u64,
    wholes: u64,
    /// A head was read in full: whatever follows matches.
    started: bool,
}

impl PrefixAutomaton {
    /// Matches terms starting with one of `heads` or equal to one of `wholes`.
    pub fn new(heads: &[String], wholes: &[String]) -> PrefixAutomaton {
        let bytes = |list: &[String]| list.iter().take(64).map(|s| s.as_bytes().to_vec()).collect();
        PrefixAutomaton { heads: bytes(heads), wholes: bytes(wholes) }
    }

    fn all(count: usize) -> u64 {
        if count >= 64 { u64::MAX } else { (1u64 << count) - 1 }
    }
}

impl Automaton for PrefixAutomaton {
    type State = PrefixState;

    fn start(&self) -> PrefixState {
        PrefixState {
            depth: 0,
            heads: PrefixAutomaton::all(self.heads.len()),
            wholes: PrefixAutomaton::all(self.wholes.len()),
            started: self.heads.iter().any(Vec::is_empty),
        }
    }

    fn is_match(&self, state: &PrefixState) -> bool {
        state.started || bits(state.wholes).any(|i| self.wholes[i].len() == state.depth)
    }

    fn can_match(&self, state: &PrefixState) -> bool {
        state.started || state.heads != 0 || state.wholes != 0
    }

    fn will_always_match(&self, state: &PrefixState) -> bool {
        state.started
    }

    fn accept(&self, state: &PrefixState, byte: u8) -> PrefixState {
        if state.started {
            return state.clone();
        }
        let depth = state.depth;
        let follows = |candidate: &[u8]| candidate.get(depth) == Some(&byte);
        let mut next = PrefixState { depth: depth + 1, heads: 0, wholes: 0, started: false };
        for i in bits(state.heads).filter(|&i| follows(&self.heads[i])) {
            next.heads |= 1 << i;
            next.started |= self.heads[i].len() == depth + 1;
        }
        for i in bits(state.wholes).filter(|&i| follows(&self.wholes[i])) {
            next.wholes |= 1 << i;
        }
        next
    }
}

fn bits(mut set: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (set != 0).then(|| {
            let i = set.trailing_zeros() as usize;
            set &= set - 1;
            i
        })
    })
}

/// The passages with a term of `field` that [`PrefixAutomaton`] accepts; each scores 1.
#[derive(Debug, Clone)]
pub struct PrefixQuery {
    field: Field,
    automaton: Arc<PrefixAutomaton>,
}

impl PrefixQuery {
    /// Terms of `field` starting with one of `heads` or equal to one of `wholes`.
    pub fn new(field: Field, heads: &[String], wholes: &[String]) -> PrefixQuery {
        PrefixQuery { field, automaton: Arc::new(PrefixAutomaton::new(heads, wholes)) }
    }

    /// The field searched.
    pub fn field(&self) -> Field {
        self.field
    }
}

impl Query for PrefixQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<PrefixAutomaton>::new(self.field, Arc::clone(&self.automaton))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(automaton: &PrefixAutomaton, term: &str) -> bool {
        crate::search::automaton_accepts(automaton, term)
    }

    #[test]
    fn matches_heads_and_whole_terms_only() {
        let automaton = PrefixAutomaton::new(&["evaluat".into(), "evalu".into()], &["eval".into()]);
        for term in ["evaluat", "evaluation", "evalu", "evaluating", "eval"] {
            assert!(accepts(&automaton, term), "{term}");
        }
        for term in ["eva", "evals", "evolution", "", "devaluation"] {
            assert!(!accepts(&automaton, term), "{term}");
        }
    }

    #[test]
    fn an_empty_head_matches_everything() {
        let automaton = PrefixAutomaton::new(&[String::new()], &[]);
        assert!(accepts(&automaton, "") && accepts(&automaton, "anything"));
    }
}
