//! `talksearch quote`.

use super::Outcome;
use super::search::{HitOptions, suggest};
use talksearch::model::PassageKind;

#[derive(Debug, clap::Args)]
pub struct QuoteArgs {
    /// The quote as remembered, 3 to 60 words; words may be missing, added, changed or swapped
    #[arg(value_name = "TEXT", required = true, num_args = 1..)]
    quote: Vec<String>,
    #[command(flatten)]
    options: HitOptions,
}

pub fn run(args: QuoteArgs) -> anyhow::Result<Outcome> {
    let searcher = args.options.searcher()?;
    let request = args.options.request(args.quote.join(" "));
    let results = searcher.quote(&request)?;
    let renderer = args.options.renderer();
    args.options.print(&results, &renderer)?;
    if results.hits.is_empty() {
        // Quote mode looks in turns unless told; a suggestion must find something there too.
        let mut looked_in = request.clone();
        if looked_in.kinds.is_empty() {
            looked_in.kinds = vec![PassageKind::Turn];
        }
        suggest(&searcher, &looked_in, &renderer)?;
        return Ok(Outcome::NothingFound);
    }
    Ok(Outcome::Success)
}
