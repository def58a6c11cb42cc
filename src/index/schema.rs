//! Every field of the index, named and configured in one place.

use super::analyzer::ANALYZER_NAME;
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};

/// Handles to the fields of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Document kind: `turn`, `vocab`, `summary`, `takeaway`, or `talk` (one per file).
    pub kind: Field,
    /// Talk id (the file's stem).
    pub talk: Field,
    /// The file the talk came from (absolute path); the key for replacing a talk's documents.
    pub source: Field,
    /// Talk title.
    pub title: Field,
    /// Turn number (1-based) for turns; entry or paragraph number for the other kinds.
    pub turn: Field,
    /// Speaker name.
    pub speaker: Field,
    /// The searchable text.
    pub text: Field,
    /// A hash of `text` (and of `term`, for a vocabulary entry): passages with the same hash
    /// match and score alike (see `search::conjunction`), so a query checks one for all.
    pub text_hash: Field,
    /// A vocabulary entry's term.
    pub term: Field,
    /// What the document shows again, compressed (see [`super::record`]); the only stored field.
    pub record: Field,
}

impl Fields {
    /// Builds the schema and the field handles.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        // Every analyzed field keeps positions, for phrases. `text`, and `term` (a vocabulary
        // entry's score is its term's), are ranked on their length; `title` and `speaker` are
        // labels a query filters on, and without norms they add almost nothing to a score.
        let analyzed = |norms: bool| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions)
                    .set_fieldnorms(norms),
            )
        };
        // Keys and filters: whole values, no frequencies, no length norms (nothing ranks on them).
        let key = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            )
        };
        let fields = Fields {
            kind: builder.add_text_field("kind", key() | FAST),
            talk: builder.add_text_field("talk", key()),
            source: builder.add_text_field("source", key()),
            title: builder.add_text_field("title", analyzed(false)),
            // A column, not a dictionary: only the turns around a hit are looked up by number.
            turn: builder.add_u64_field("turn", FAST),
            speaker: builder.add_text_field("speaker", analyzed(false)),
            text: builder.add_text_field("text", analyzed(true)),
            text_hash: builder.add_u64_field(super::TEXT_HASH_COLUMN, FAST),
            term: builder.add_text_field("term", analyzed(true)),
            record: builder.add_bytes_field("record", STORED),
        };
        (builder.build(), fields)
    }

    /// Finds the fields in an opened index's schema; `None` when the schema is not ours.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let get = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            kind: get("kind")?,
            talk: get("talk")?,
            source: get("source")?,
            title: get("title")?,
            turn: get("turn")?,
            speaker: get("speaker")?,
            text: get("text")?,
            text_hash: get(super::TEXT_HASH_COLUMN)?,
            term: get("term")?,
            record: get("record")?,
        })
    }
}
