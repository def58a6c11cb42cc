//! talksearch: full-text search over talk transcripts.
//!
//! Data flows one way: [`formats`] turn a file's text into the [`model`], [`index`] writes the
//! model into a tantivy index, [`search`] turns a query into plain [`search::Hit`] values, and
//! [`render`] turns hits into text or JSON. Only the binary's `cli` module sees them all.
//!
//! ```
//! use talksearch::formats::Format;
//! use talksearch::index::{IndexedTalk, TalkIndex};
//! use talksearch::search::{SearchRequest, Searcher};
//!
//! // formats → model: two paragraphs of plain text are two turns, with estimated times.
//! let mut talk = Format::PlainText.parse("Hello and welcome.\n\nWe use distillation a lot.").unwrap();
//! talk.estimate_times(150);
//!
//! // model → index
//! let index = TalkIndex::in_ram();
//! let mut writer = index.writer(50_000_000).unwrap();
//! let talk = IndexedTalk { talk: &talk, id: "demo", source: "/demo.txt", format: "text", fingerprint: "-" };
//! writer.replace(&talk).unwrap();
//! writer.commit().unwrap();
//!
//! // index → search: plain hits, matched words as byte ranges into the snippet.
//! let results = Searcher::new(index).unwrap().search(&SearchRequest::new("distilling")).unwrap();
//! let hit = &results.hits[0];
//! assert_eq!(hit.turn, 2);
//! assert_eq!(&hit.snippet.text[hit.snippet.highlights[0].clone()], "distillation");
//! assert_eq!(hit.time.unwrap().to_string(), "~0:02");
//! ```

pub mod bench;
pub mod eval;
pub mod formats;
pub mod index;
pub mod ingest;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod search;
