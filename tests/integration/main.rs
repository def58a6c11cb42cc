//! The integration tests: one binary, a module per feature.

mod batch;
mod corpus_json;
mod corpus_speaker_text;
mod corpus_vtt_srt;
mod errors;
mod search;
mod util;
