//! Every field of the index, named and configured in one place.

use super::analyzer::ANALYZER_NAME;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Handles to the fields of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Document kind: `turn`, `vocab`, `summary`, `takeaway`, or `talk` (one per file).
    pub kind: Field,
    /// Talk id (the file's stem).
    pub talk: Field,
    /// The file the talk came from (absolute path); the key for replacing a talk's documents.
    pub source: Field,
    /// 1-based line in the source file.
    pub line: Field,
    /// Talk title.
    pub title: Field,
    /// Show, channel or conference.
    pub show: Field,
    /// Turn number (1-based) for turns; entry or paragraph number for the other kinds.
    pub turn: Field,
    /// Start, in milliseconds from the start of the talk.
    pub start_ms: Field,
    /// End, in milliseconds.
    pub end_ms: Field,
    /// Whether start and end are estimated.
    pub estimated: Field,
    /// Speaker name.
    pub speaker: Field,
    /// The searchable text.
    pub text: Field,
    /// A vocabulary entry's term.
    pub term: Field,
    /// Where the talk's recording plays (passages of talks that have one).
    pub media_url: Field,
    /// Time marks inside the text: pairs of little-endian u32 (byte offset, milliseconds).
    pub marks: Field,
    /// Content fingerprint of the source file (talk documents only).
    pub fingerprint: Field,
    /// JSON with the rest of what is known: talk metadata, vocabulary details.
    pub info: Field,
}

impl Fields {
    /// Builds the schema and the field handles.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let analyzed = |positions: bool| {
            let record =
                if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
            TextOptions::default()
                .set_indexing_options(
                    TextFieldIndexing::default().set_tokenizer(ANALYZER_NAME).set_index_option(record),
                )
                .set_stored()
        };
        let fields = Fields {
            kind: builder.add_text_field("kind", STRING | STORED | FAST),
            talk: builder.add_text_field("talk", STRING | STORED),
            source: builder.add_text_field("source", STRING | STORED),
            line: builder.add_u64_field("line", STORED),
            title: builder.add_text_field("title", analyzed(true)),
            show: builder.add_text_field("show", STORED),
            turn: builder.add_u64_field("turn", INDEXED | STORED | FAST),
            start_ms: builder.add_u64_field("start_ms", STORED),
            end_ms: builder.add_u64_field("end_ms", STORED),
            estimated: builder.add_bool_field("estimated", STORED),
            speaker: builder.add_text_field("speaker", analyzed(true)),
            text: builder.add_text_field("text", analyzed(true)),
            term: builder.add_text_field("term", analyzed(true)),
            media_url: builder.add_text_field("media_url", STORED),
            marks: builder.add_bytes_field("marks", STORED),
            fingerprint: builder.add_text_field("fingerprint", STORED),
            info: builder.add_text_field("info", STORED),
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
            line: get("line")?,
            title: get("title")?,
            show: get("show")?,
            turn: get("turn")?,
            start_ms: get("start_ms")?,
            end_ms: get("end_ms")?,
            estimated: get("estimated")?,
            speaker: get("speaker")?,
            text: get("text")?,
            term: get("term")?,
            media_url: get("media_url")?,
            marks: get("marks")?,
            fingerprint: get("fingerprint")?,
            info: get("info")?,
        })
    }
}
