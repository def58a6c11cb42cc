//! talksearch: full-text search over talk transcripts.
//!
//! Data flows one way: [`formats`] turn a file's text into the [`model`], [`index`] writes the
//! model into a tantivy index, [`search`] turns a query into plain [`search::Hit`] values, and
//! [`render`] turns hits into text or JSON. Only the binary's `cli` module sees them all.

pub mod formats;
pub mod index;
pub mod ingest;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod search;
