//! `talksearch talks`.

use super::{IndexLocation, Outcome};
use std::io::Write;
use talksearch::render::{json, text::TextRenderer};

#[derive(Debug, clap::Args)]
pub struct TalksArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// One JSON object per talk per line
    #[arg(long)]
    json: bool,
}

pub fn run(args: TalksArgs) -> anyhow::Result<Outcome> {
    let index = super::search::open_or_build(&args.location.dir)?;
    let mut talks: Vec<_> = index.talks()?.into_values().collect();
    talks.sort_by(|a, b| a.source.cmp(&b.source));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let renderer = TextRenderer { color: super::ColorChoice::Auto.enabled() };
    for talk in &talks {
        if args.json { json::talk(&mut out, talk)? } else { renderer.talk(&mut out, talk)? }
    }
    out.flush()?;
    Ok(if talks.is_empty() { Outcome::NothingFound } else { Outcome::Success })
}
