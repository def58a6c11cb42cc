//! Parsing and analysis throughput: MB/s of transcript text per format, and of the analyzer
//! (tokenize, fold, stem) over the seed's turns.
//!
//! Inputs are small corpora generated from the seed (`talksearch generate`'s formats), so the
//! figures compare formats on the same words.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use talksearch::bench::generate::OutputFormat;
use talksearch::formats::Format;
use talksearch::index::analyzer;

fn parse_formats(c: &mut Criterion) {
    let talks = common::generated(4);
    let mut group = c.benchmark_group("parse");
    for format in OutputFormat::ALL {
        let texts: Vec<String> = talks.iter().filter(|t| t.format == format).map(|t| t.render()).collect();
        let bytes: usize = texts.iter().map(String::len).sum();
        let parser = common::parser_of(format);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format.extension(), |b| {
            b.iter(|| {
                for text in &texts {
                    let talk = parser.parse(black_box(text)).expect("generated talks parse");
                    assert!(!talk.turns.is_empty());
                }
            })
        });
    }
    let seed = std::fs::read_to_string(common::seeds_dir().join("000_37334302ccbea1e7.txt")).expect("the seed");
    group.throughput(Throughput::Bytes(seed.len() as u64));
    group.bench_function("talk-card", |b| {
        b.iter(|| assert_eq!(Format::TalkCard.parse(black_box(&seed)).expect("the seed parses").turns.len(), 105))
    });
    group.finish();
}

fn analyze(c: &mut Criterion) {
    let turns: Vec<String> =
        common::seed_talks().into_iter().flat_map(|(_, _, talk)| talk.turns.into_iter().map(|t| t.text)).collect();
    let bytes: usize = turns.iter().map(String::len).sum();
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("seed turns", |b| {
        let mut chain = analyzer::analyzer();
        b.iter(|| {
            let mut tokens = 0usize;
            for text in &turns {
                analyzer::for_each_token(&mut chain, black_box(text), |_| tokens += 1);
            }
            assert!(tokens > bytes / 10);
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = parse_formats, analyze
}
criterion_main!(benches);
