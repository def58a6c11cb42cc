//! Search latency per query class of the shipped query set, on the seed and on a corpus
//! generated from it (20×), through talksearch (top 10 with snippets) and, side by side, through
//! SQLite FTS5 in the same process (BM25 order, top 10, `snippet()`).
//!
//! One iteration runs every query of a class once; criterion's time per iteration divided by
//! the class's query count is the mean latency. Queries talksearch rejects today are left out
//! of both, so the two columns time the same queries.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use talksearch::bench::{QuerySet, fts5_query};
use talksearch::search::{SearchRequest, Searcher};

fn search(c: &mut Criterion) {
    let set = QuerySet::default_set();
    let corpora = [("seed", common::seed_talks()), ("generated 20x", common::parsed(&common::generated(20)))];
    for (corpus, talks) in corpora {
        let searcher = Searcher::new(common::ram_index(&talks)).expect("a searcher");
        let connection = common::fts5(&talks);
        let mut statement = connection.prepare(common::FTS5_SEARCH).expect("the FTS5 query prepares");
        let mut group = c.benchmark_group(format!("search {corpus}"));
        for class in set.classes() {
            // Each query with the hit count it gives, checked again in every iteration.
            let queries: Vec<(SearchRequest, usize, String)> = set
                .queries
                .iter()
                .filter(|q| q.class == class)
                .filter_map(|q| {
                    let request = SearchRequest::new(q.query.as_str());
                    let hits = searcher.search(&request).ok()?.hits.len();
                    Some((request, hits, fts5_query(&q.query)))
                })
                .collect();
            group.throughput(Throughput::Elements(queries.len() as u64));
            group.bench_function(format!("talksearch {class}"), |b| {
                b.iter(|| {
                    for (request, hits, _) in &queries {
                        let results = searcher.search(black_box(request)).expect("checked above");
                        assert_eq!(results.hits.len(), *hits);
                    }
                })
            });
            group.bench_function(format!("sqlite-fts5 {class}"), |b| {
                b.iter(|| {
                    for (_, _, fts5) in &queries {
                        let rows = common::fts5_search(&mut statement, black_box(fts5));
                        assert!(rows.len() <= 10);
                    }
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    targets = search
}
criterion_main!(benches);
