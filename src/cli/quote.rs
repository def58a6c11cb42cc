//! `talksearch quote`.

use super::search::{open_or_build, parse_kind, suggest};
use super::{ColorChoice, IndexLocation, Outcome};
use std::io::Write;
use talksearch::model::PassageKind;
use talksearch::render::{json, text::TextRenderer};
use talksearch::search::{SearchRequest, Searcher};

#[derive(Debug, clap::Args)]
pub struct QuoteArgs {
    /// The quote as remembered, 3 to 60 words; words may be missing, added, changed or swapped
    #[arg(value_name = "TEXT", required = true, num_args = 1..)]
    quote: Vec<String>,
    #[command(flatten)]
    location: IndexLocation,
    /// At most this many hits
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Only passages of this kind (repeatable; default: turns)
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    kind: Vec<PassageKind>,
    /// Only turns of speakers whose name contains these words (case-insensitive)
    #[arg(long, value_name = "NAME")]
    speaker: Option<String>,
    /// One JSON object per hit per line
    #[arg(long)]
    json: bool,
    /// When to colour the output
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Only the words as typed and their word forms: no near misses or sound-alikes
    #[arg(long)]
    exact: bool,
    /// Show N turns before and after each hit
    #[arg(short = 'C', long, value_name = "N", default_value_t = 0)]
    context: usize,
}

pub fn run(args: QuoteArgs) -> anyhow::Result<Outcome> {
    let searcher = Searcher::new(open_or_build(&args.location.dir)?)?;
    let request = SearchRequest {
        query: args.quote.join(" "),
        limit: args.limit,
        kinds: args.kind,
        speaker: args.speaker,
        exact: args.exact,
        context: args.context,
        ..SearchRequest::new("")
    };
    let results = searcher.quote(&request)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let renderer = TextRenderer { color: args.color.enabled() };
    for hit in &results.hits {
        if args.json { json::hit(&mut out, hit)? } else { renderer.hit(&mut out, hit)? }
    }
    out.flush()?;
    if results.hits.is_empty() {
        suggest(&searcher, &request.query, &renderer)?;
        return Ok(Outcome::NothingFound);
    }
    Ok(Outcome::Success)
}
