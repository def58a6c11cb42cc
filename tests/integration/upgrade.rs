//! An index written by a talksearch with another schema is built again from its files.

use crate::util::{TestEnv, fixture};
use std::path::Path;
use tantivy::schema::{STORED, STRING, Schema, TEXT};
use tantivy::{Index, TantivyDocument};

/// An index as an older talksearch left it: another schema, with each talk's `source` path.
fn write_older_index(dir: &Path, sources: &[&Path]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut builder = Schema::builder();
    let source = builder.add_text_field("source", STRING | STORED);
    let text = builder.add_text_field("text", TEXT | STORED);
    let sound = builder.add_text_field("sound", STRING);
    let index = Index::create_in_dir(dir, builder.build()).unwrap();
    let mut writer = index.writer::<TantivyDocument>(15_000_000).unwrap();
    for path in sources {
        let mut doc = TantivyDocument::default();
        doc.add_text(source, path.to_str().unwrap());
        doc.add_text(text, "words of the old schema");
        doc.add_text(sound, "KEY:word");
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
}

#[test]
fn a_search_builds_an_older_index_again_from_its_files() {
    let env = TestEnv::new();
    let srt = fixture("srt/basic.srt");
    let gone = env.path().join("deleted-since.vtt");
    write_older_index(&env.index(), &[&srt, &gone]);

    let run = env.search_json("welcome", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("another version of talksearch"), "{}", run.stderr);
    assert!(run.stderr.contains("deleted-since.vtt"), "a file that is gone is named: {}", run.stderr);
    let hits = run.json_lines();
    assert_eq!(hits[0]["source"]["path"], srt.to_str().unwrap());

    let again = env.search_json("welcome", &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(!again.stderr.contains("another version"), "built once: {}", again.stderr);
    let leftovers: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("index."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn indexing_into_an_older_index_keeps_its_talks() {
    let env = TestEnv::new();
    let srt = fixture("srt/basic.srt");
    write_older_index(&env.index(), &[&srt]);
    let speakers = fixture("srt/speakers.srt");
    let run = env.index_paths(&[&speakers]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("another version of talksearch"), "{}", run.stderr);
    let talks = env.run(&["talks", "--index", env.index().to_str().unwrap(), "--json"]);
    assert_eq!(talks.code, 0, "{}", talks.stderr);
    for file in [&srt, &speakers] {
        assert!(talks.stdout.contains(file.to_str().unwrap()), "{} missing: {}", file.display(), talks.stdout);
    }
}
