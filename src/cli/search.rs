//! `talksearch search`.

use super::{ColorChoice, IndexLocation, Outcome};
use std::io::Write;
use std::path::{Path, PathBuf};
use talksearch::index::TalkIndex;
use talksearch::model::PassageKind;
use talksearch::pipeline::RunOptions;
use talksearch::render::{json, text::TextRenderer};
use talksearch::search::{Results, SearchRequest, Searcher};

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query: words (all must match), "phrases", OR, -word, field:word, prefix*
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    options: HitOptions,
}

/// What `search` and `quote` share: which index, which passages, and how hits are shown.
#[derive(Debug, clap::Args)]
pub struct HitOptions {
    #[command(flatten)]
    location: IndexLocation,
    /// At most this many hits
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Only passages of this kind (repeatable; `quote` looks in turns unless told)
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
    /// Only the words as typed and their word forms: no near misses, sound-alikes, split or joined forms
    #[arg(long)]
    exact: bool,
    /// Show N turns before and after each hit
    #[arg(short = 'C', long, value_name = "N", default_value_t = 0)]
    context: usize,
}

impl HitOptions {
    /// Opens (or first builds) the index these options name.
    pub fn searcher(&self) -> anyhow::Result<Searcher> {
        Ok(Searcher::new(open_or_build(&self.location.dir)?)?)
    }

    /// The request for `query` with these options.
    pub fn request(&self, query: String) -> SearchRequest {
        SearchRequest {
            query,
            limit: self.limit,
            kinds: self.kind.clone(),
            speaker: self.speaker.clone(),
            exact: self.exact,
            context: self.context,
            ..SearchRequest::new("")
        }
    }

    /// The renderer for people.
    pub fn renderer(&self) -> TextRenderer {
        TextRenderer { color: self.color.enabled() }
    }

    /// Prints `results` on stdout, as text or JSON Lines.
    pub fn print(&self, results: &Results, renderer: &TextRenderer) -> std::io::Result<()> {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        for hit in &results.hits {
            if self.json { json::hit(&mut out, hit)? } else { renderer.hit(&mut out, hit)? }
        }
        out.flush()
    }
}

/// Fewer matching passages than this, and corrected queries are suggested on stderr.
pub const WEAK_BELOW: usize = 3;

pub(super) fn parse_kind(name: &str) -> Result<PassageKind, String> {
    PassageKind::from_name(name)
        .ok_or_else(|| format!("unknown kind {name:?}; expected turn, vocab, summary or takeaway"))
}

pub fn run(args: SearchArgs) -> anyhow::Result<Outcome> {
    let searcher = args.options.searcher()?;
    let request = args.options.request(args.query.join(" "));
    let results = searcher.search(&request)?;
    let renderer = args.options.renderer();
    args.options.print(&results, &renderer)?;
    if results.total < WEAK_BELOW.min(request.limit.max(1)) {
        suggest(&searcher, &request, &renderer)?;
    }
    let outcome = if results.hits.is_empty() { Outcome::NothingFound } else { Outcome::Success };
    // The process ends next: unmapping every segment file would cost more than the query did.
    std::mem::forget(searcher);
    Ok(outcome)
}

/// Says on stderr which corrected queries the index suggests for `request`, if any: only
/// ones that find something under its kinds and speaker.
pub(super) fn suggest(searcher: &Searcher, request: &SearchRequest, renderer: &TextRenderer) -> anyhow::Result<()> {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for suggestion in searcher.suggest(request)? {
        write!(err, "talksearch: ")?;
        renderer.suggestion(&mut err, &suggestion)?;
    }
    Ok(())
}

/// Opens the index at `dir`; when there is none yet, first builds it from `./seeds`.
pub fn open_or_build(dir: &Path) -> anyhow::Result<TalkIndex> {
    if !TalkIndex::exists(dir) {
        let seeds = PathBuf::from(super::index::SEEDS);
        if !seeds.is_dir() {
            anyhow::bail!(
                "no index in {} and no ./{} folder to build it from; run `talksearch index PATH…` first",
                dir.display(),
                super::index::SEEDS
            );
        }
        eprintln!("talksearch: no index in {} yet; building it from ./{}", dir.display(), super::index::SEEDS);
        super::index::index_into(dir, &[seeds], &RunOptions::default(), true)?;
    }
    super::index::open_current(dir, TalkIndex::open, &RunOptions::default(), true)
}
