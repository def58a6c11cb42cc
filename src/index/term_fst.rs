//! A field's term dictionary as the raw FST tantivy keeps it in, for walks that need the terms
//! and nothing else.
//!
//! tantivy's term streamer decodes every child node a walk reaches before it asks the
//! automaton whether the child can still match, and checks the walk's bounds on every byte. A
//! walk for words within two edits reaches tens of thousands of nodes, most of them dead
//! ends, so that overhead was most of a misspelled word's lookup. [`raw_terms`] opens the same
//! bytes tantivy does, for a walk that asks the automaton before it decodes a node.

use tantivy::directory::{CompositeFile, Directory, OwnedBytes};
use tantivy::schema::Field;
use tantivy::{Index, SegmentReader};
use tantivy_fst::raw::Fst;

/// tantivy's `FST_VERSION`: the layout of the FST dictionary this reader understands.
const FST_VERSION: u32 = 1;

/// tantivy's `DictionaryType::Fst`, which ends the file (the other type is an SSTable).
const FST_DICTIONARY: u32 = 1;

/// Bytes after the FST and its term infos: their length (u64), the layout version (u32) and
/// the dictionary type (u32).
const FOOTER_BYTES: usize = 16;

/// The terms of `field` in `segment` as a raw FST, or `None` when the segment's file is not
/// laid out as expected (then the caller walks through tantivy's own dictionary). The FST is
/// checked to hold as many terms as tantivy's dictionary for the field.
pub fn raw_terms(index: &Index, segment: &SegmentReader, field: Field) -> Option<Fst<OwnedBytes>> {
    let path = format!("{}.term", segment.segment_id().uuid_string());
    let file = index.directory().open_read(std::path::Path::new(&path)).ok()?;
    let dictionary = CompositeFile::open(&file).ok()?.open_read(field)?;
    let bytes = dictionary.read_bytes().ok()?;
    let footer_at = bytes.len().checked_sub(FOOTER_BYTES)?;
    let footer = bytes.as_slice().get(footer_at..)?;
    let infos_bytes = u64::from_le_bytes(footer[..8].try_into().ok()?);
    let version = u32::from_le_bytes(footer[8..12].try_into().ok()?);
    let dictionary_type = u32::from_le_bytes(footer[12..].try_into().ok()?);
    if version != FST_VERSION || dictionary_type != FST_DICTIONARY {
        return None;
    }
    let fst_end = footer_at.checked_sub(usize::try_from(infos_bytes).ok()?)?;
    let fst = Fst::new(bytes.slice(0..fst_end)).ok()?;
    let expected = segment.inverted_index(field).ok()?.terms().num_terms();
    (fst.len() == expected).then_some(fst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{IndexWriter, TantivyDocument};
    use tantivy_fst::Streamer;

    #[test]
    fn holds_the_same_terms_as_tantivys_dictionary() {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, words) in ["distillation lingua franca", "open source models", "lingua distill"].iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(text, words);
            doc.add_text(title, format!("title{i}"));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let fst = raw_terms(&index, segment, text).expect("the term file opens");

        let mut raw = Vec::new();
        let mut stream = fst.stream();
        while let Some((key, _)) = stream.next() {
            raw.push(String::from_utf8(key.to_vec()).unwrap());
        }
        let mut expected = Vec::new();
        let inverted = segment.inverted_index(text).unwrap();
        let mut terms = inverted.terms().stream().unwrap();
        while terms.advance() {
            expected.push(String::from_utf8(terms.key().to_vec()).unwrap());
        }
        assert_eq!(raw, expected);
        assert!(raw.contains(&"franca".to_string()) && !raw.iter().any(|t| t.starts_with("title")));
    }
}
