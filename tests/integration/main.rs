//! The integration tests: one binary, a module per feature.

mod batch;
mod bench;
mod corpus_json;
mod corpus_speaker_text;
mod corpus_vtt_srt;
mod errors;
mod misheard_phrases;
mod quote;
mod search;
mod startup;
mod upgrade;
mod util;
