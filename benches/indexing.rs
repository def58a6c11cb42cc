//! Indexing throughput: MB/s of transcript files into a fresh in-memory index, from parsed
//! talks (the index writer alone) and from file text (parsing included, as `talksearch index`
//! does minus the disk).

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::time::Duration;
use talksearch::bench::IndexStats;

fn indexing(c: &mut Criterion) {
    let generated = common::generated(4);
    let talks = common::parsed(&generated);
    let bytes: usize = talks.iter().map(|(_, bytes, _)| bytes).sum();
    let turns: usize = talks.iter().map(|(_, _, talk)| talk.turns.len()).sum();
    let texts: Vec<(talksearch::formats::Format, String)> =
        generated.iter().map(|t| (common::parser_of(t.format), t.render())).collect();

    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("parsed talks", |b| {
        b.iter(|| {
            let index = common::ram_index(&talks);
            assert_eq!(IndexStats::of(&index).expect("index stats").turns as usize, turns);
        })
    });
    group.bench_function("file text", |b| {
        b.iter(|| {
            let parsed: Vec<_> = texts
                .iter()
                .zip(&generated)
                .map(|((format, text), generated)| {
                    let mut talk = format.parse(text).expect("generated talks parse");
                    talk.estimate_times(talksearch::model::DEFAULT_WORDS_PER_MINUTE);
                    (generated.id.clone(), text.len(), talk)
                })
                .collect();
            common::ram_index(&parsed)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = indexing
}
criterion_main!(benches);
