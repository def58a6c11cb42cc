#!/usr/bin/env bash
# The peer table of issue 4: one generated corpus and one query set through talksearch, ripgrep,
# SQLite FTS5 and (when `tantivy` is on PATH) tantivy-cli, printed as one Markdown table.
#
#   benches/peers.sh                     # 1000× the seed, the shipped queries
#   SCALE=100 benches/peers.sh           # a smaller corpus
#   RSS_SCALE=10000 benches/peers.sh     # also index 10,000× the seed and report its peak RSS
#
# Settings (environment): SCALE (1000), SEED (1), FROM (transcripts to generate from; default
# ./seeds), QUERIES (benches/queries.tsv), RUNS (timed spawns per query and tool, 5),
# ITERATIONS (rounds of `talksearch bench`, 20), WORK (target/peers), RSS_SCALE (unset).
#
# What is timed:
# - index build: wall time of the command that builds the index from the corpus (talksearch
#   index; sqlite3 .import into FTS5; tantivy index from JSON lines), with its peak RSS;
# - in process: per-query latency over the query set in one process, median and p99 of all
#   timed runs (talksearch bench, with snippets; a small rusqlite program for FTS5, with
#   snippet(); tantivy bench, no snippets);
# - CLI: spawn to the last byte of the top 10 written to /dev/null, per query the median of RUNS
#   spawns after one untimed one; the table shows the median over queries and the worst query.
# Queries talksearch rejects are left out for every tool. Tools missing from PATH are installed
# with apt-get (ripgrep, sqlite3, jq, time); tantivy-cli only runs when already installed
# (`cargo install tantivy-cli`).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${SCALE:-1000}
SEED=${SEED:-1}
QUERIES=${QUERIES:-benches/queries.tsv}
RUNS=${RUNS:-5}
ITERATIONS=${ITERATIONS:-20}
WORK=${WORK:-target/peers}
RSS_SCALE=${RSS_SCALE:-}
read -r -a FROM_PATHS <<< "${FROM:-seeds}"

say() { echo "peers: $*" >&2; }

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 && return
  say "installing $2"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
}
need rg ripgrep
need sqlite3 sqlite3
need jq jq
[ -x /usr/bin/time ] || need /usr/bin/time time

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "building talksearch (release) and the FTS5 helper"
# The helper first: `cargo bench` also links a `talksearch` with the dev-dependencies' features,
# whose function names differ, so the hot-function layout of build.rs would not apply to it.
cargo bench --no-run --quiet --bench fts5_peer
cargo build --release --quiet
rm -rf "$WORK"
mkdir -p "$WORK/bin"
# Copies, so that a rebuild during the run cannot swap the binaries being measured.
# .cargo/config.toml builds for the host as an explicit target: target/<host>/release.
RELEASE=${CARGO_TARGET_DIR:-target}/$(rustc -vV | sed -n 's/^host: //p')/release
cp "$RELEASE/talksearch" "$WORK/bin/talksearch"
cp "$(ls -t "$RELEASE"/deps/fts5_peer-* | grep -v '\.d$' | head -1)" "$WORK/bin/fts5_peer"
TS=$PWD/$WORK/bin/talksearch
FTS5_PEER=$PWD/$WORK/bin/fts5_peer
case $WORK in /*) TS=$WORK/bin/talksearch; FTS5_PEER=$WORK/bin/fts5_peer ;; esac

# --- timing helpers -------------------------------------------------------------------------

# Microseconds now, without spawning anything (bash 5's EPOCHREALTIME).
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo $((10#$t)); }

# spawn_median_us COMMAND…: median wall time of RUNS spawns (after one untimed), output dropped.
spawn_median_us() {
  "$@" >/dev/null 2>&1 || true
  local samples=() start end
  for ((run = 0; run < RUNS; run++)); do
    start=${EPOCHREALTIME/[.,]/}
    "$@" >/dev/null 2>&1 || true
    end=${EPOCHREALTIME/[.,]/}
    samples+=($((10#$end - 10#$start)))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# summarize FILE: "median (worst)" in ms of the per-query medians in FILE (microseconds, one a line).
summarize() {
  sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f ms (%.1f ms)", v[int((NR + 1) / 2)] / 1000, v[NR] / 1000 }'
}

# timed WALL_FILE COMMAND…: runs the command under /usr/bin/time; writes "seconds peak_kib".
timed() {
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$out" "$@"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
bytes_of() { du -sb "$1" | cut -f1; }
rss() { awk '{ printf "%.0f MiB", $2 / 1024 }' "$1"; }
secs() { awk '{ printf "%.2f s", $1 }' "$1"; }

# --- corpus -----------------------------------------------------------------------------------

say "generating ${SCALE}× ${FROM_PATHS[*]} (seed $SEED)"
FROM_ARGS=()
for path in "${FROM_PATHS[@]}"; do FROM_ARGS+=(--from "$path"); done
"$TS" generate --scale "$SCALE" --seed "$SEED" "${FROM_ARGS[@]}" --turns "$WORK/turns.tsv" "$WORK/corpus" 2> "$WORK/generate.log"
cat "$WORK/generate.log" >&2
CORPUS_BYTES=$(bytes_of "$WORK/corpus")
TURNS=$(wc -l < "$WORK/turns.tsv")
TALKS=$(ls "$WORK/corpus" | wc -l)

# --- talksearch -------------------------------------------------------------------------------

say "talksearch: indexing"
timed "$WORK/ts-build" "$TS" index --quiet --index "$WORK/ts-index" "$WORK/corpus"
TS_SIZE=$(bytes_of "$WORK/ts-index")

say "talksearch: in process (talksearch bench, $ITERATIONS rounds)"
"$TS" bench --json --iterations "$ITERATIONS" --index "$WORK/ts-index" --queries "$QUERIES" > "$WORK/ts-bench.json"
jq -r '.queries[] | select(.error == null) | "\(.class)\t\(.query)"' "$WORK/ts-bench.json" > "$WORK/queries.tsv"
REJECTED=$(jq '[.queries[] | select(.error != null)] | length' "$WORK/ts-bench.json")
QUERY_COUNT=$(wc -l < "$WORK/queries.tsv")
mapfile -t QUERY_LIST < <(cut -f2 "$WORK/queries.tsv")
TS_INPROC=$(jq -r '.modes[] | select(.mode == "with_snippets") | .overall | "\(.p50_ms * 1000 | round / 1000) / \(.p99_ms * 1000 | round / 1000) ms"' "$WORK/ts-bench.json")
TS_BARE=$(jq -r '.modes[] | select(.mode == "without_snippets") | .overall | "\(.p50_ms * 1000 | round / 1000) / \(.p99_ms * 1000 | round / 1000) ms"' "$WORK/ts-bench.json")
TS_QPS=$(jq -r '.modes[] | select(.mode == "with_snippets") | "\(.qps_one_thread | round) q/s on 1 thread, \(.qps_all_threads | round) on \($threads)"' --argjson threads "$(jq .threads "$WORK/ts-bench.json")" "$WORK/ts-bench.json")

say "talksearch: CLI, $QUERY_COUNT queries × $RUNS spawns"
: > "$WORK/ts-cli"
for query in "${QUERY_LIST[@]}"; do
  spawn_median_us "$TS" search --index "$WORK/ts-index" --color never -- "$query" >> "$WORK/ts-cli"
done

# --- ripgrep ----------------------------------------------------------------------------------

say "ripgrep: $QUERY_COUNT queries × $RUNS spawns"
: > "$WORK/rg-cli"
for query in "${QUERY_LIST[@]}"; do
  literal=${query//\"/}
  literal=${literal//\*/}
  spawn_median_us rg -i -F -- "$literal" "$WORK/corpus" >> "$WORK/rg-cli"
done

# --- SQLite FTS5 ------------------------------------------------------------------------------

say "sqlite3: building the FTS5 table"
# ASCII unit and record separators: turn text has quotes that CSV-style import would read.
cut -f1,2,5 "$WORK/turns.tsv" | tr '\t\n' '\037\036' > "$WORK/turns.ascii"
cat > "$WORK/fts5-build.sql" <<SQL
CREATE VIRTUAL TABLE turns USING fts5(talk UNINDEXED, turn UNINDEXED, text, tokenize = 'porter unicode61 remove_diacritics 2');
.mode ascii
.import $WORK/turns.ascii turns
SQL
timed "$WORK/sqlite-build" sqlite3 "$WORK/turns.db" ".read $WORK/fts5-build.sql"
SQLITE_SIZE=$(bytes_of "$WORK/turns.db")
SQLITE_ROWS=$(sqlite3 "$WORK/turns.db" "SELECT count(*) FROM turns")
[ "$SQLITE_ROWS" = "$TURNS" ] || { say "sqlite3 imported $SQLITE_ROWS turns of $TURNS"; exit 2; }

say "sqlite3: in process (rusqlite, bundled SQLite)"
"$FTS5_PEER" --db "$WORK/turns.db" --queries "$WORK/queries.tsv" --rounds "$ITERATIONS" > "$WORK/fts5-inproc.json"
SQLITE_INPROC=$(jq -r '.latency | "\(.p50_ms * 1000 | round / 1000) / \(.p99_ms * 1000 | round / 1000) ms"' "$WORK/fts5-inproc.json")
SQLITE_LIB=$(jq -r .sqlite_version "$WORK/fts5-inproc.json")
mapfile -t FTS5_LIST < <("$FTS5_PEER" --queries "$WORK/queries.tsv" --print-fts5)

say "sqlite3: CLI, $QUERY_COUNT queries × $RUNS spawns"
: > "$WORK/sqlite-cli"
for fts5 in "${FTS5_LIST[@]}"; do
  sql="SELECT talk, turn, snippet(turns, 2, '[', ']', '…', 24) FROM turns WHERE turns MATCH '${fts5//\'/\'\'}' ORDER BY rank LIMIT 10;"
  spawn_median_us sqlite3 -readonly "$WORK/turns.db" "$sql" >> "$WORK/sqlite-cli"
done
SQLITE_CLI_VERSION=$(sqlite3 --version | cut -d' ' -f1)

# --- tantivy-cli (only when installed) ----------------------------------------------------------

TANTIVY_ROW=""
if command -v tantivy >/dev/null 2>&1; then
  say "tantivy-cli: indexing"
  mkdir -p "$WORK/tantivy-index"
  # The same English stemming as talksearch and FTS5's porter; positions for phrases.
  cat > "$WORK/tantivy-index/meta.json" <<'JSON'
{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[
{"name":"talk","type":"text","options":{"indexing":null,"stored":true,"fast":false}},
{"name":"turn","type":"u64","options":{"indexed":false,"fieldnorms":false,"fast":false,"stored":true}},
{"name":"text","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}}
],"opstamp":0}
JSON
  jq -R -c 'split("\t") | {talk: .[0], turn: (.[1] | tonumber), text: .[4]}' "$WORK/turns.tsv" > "$WORK/turns.jsonl"
  timed "$WORK/tantivy-build" sh -c 'tantivy index -i "$1" < "$2" >/dev/null 2>&1' _ "$WORK/tantivy-index" "$WORK/turns.jsonl"
  TANTIVY_SIZE=$(bytes_of "$WORK/tantivy-index")
  # tantivy's parser ORs words; `+` makes every word required, as in talksearch and FTS5. It
  # reads a prefix as `word*`, unquoted.
  printf '%s\n' "${FTS5_LIST[@]}" | sed -E 's/"([^" ]+)"\*/\1*/g; s/(^| )([^ "]+\*|"[^"]*")/\1+\2/g' \
    > "$WORK/tantivy-queries.txt"
  tantivy bench -i "$WORK/tantivy-index" -q "$WORK/tantivy-queries.txt" -n "$ITERATIONS" > "$WORK/tantivy-bench.txt" 2>&1 || true
  awk -F'\t' '/^SEARCH/ { on = 1; next } /^FETCH STORE/ { on = 0 } on && NF == 3 && $3 ~ /^[0-9]+$/ { print $3 }' \
    "$WORK/tantivy-bench.txt" | sort -n > "$WORK/tantivy-inproc"
  if [ "$(wc -l < "$WORK/tantivy-inproc")" -eq $((QUERY_COUNT * ITERATIONS)) ]; then
    TANTIVY_INPROC=$(awk '{ v[NR] = $1 } END { printf "%.3f / %.3f ms (no snippets)", v[int((NR + 1) / 2)] / 1000, v[int(NR * 0.99 + 0.999)] / 1000 }' "$WORK/tantivy-inproc")
  else
    TANTIVY_INPROC="failed (see $WORK/tantivy-bench.txt)"
  fi
  say "tantivy-cli: CLI, $QUERY_COUNT queries × $RUNS spawns"
  : > "$WORK/tantivy-cli"
  while IFS= read -r query; do
    spawn_median_us tantivy search -i "$WORK/tantivy-index" -q "$query" >> "$WORK/tantivy-cli"
  done < "$WORK/tantivy-queries.txt"
  TANTIVY_VERSION=$(tantivy --version | awk '{ print $NF }')
  TANTIVY_ROW="| tantivy-cli $TANTIVY_VERSION (prints every match unranked, no snippets) | $(secs "$WORK/tantivy-build") | $(mb "$TANTIVY_SIZE") | $(rss "$WORK/tantivy-build") | $TANTIVY_INPROC | $(summarize "$WORK/tantivy-cli") |"
fi

# --- floors -----------------------------------------------------------------------------------

say "floors"
TRUE_US=$(spawn_median_us /bin/true)
cat "$WORK"/corpus/* > /dev/null
start=$(now_us); cat "$WORK"/corpus/* > /dev/null; end=$(now_us)
CAT_US=$((end - start))

# --- optional: a larger corpus for peak RSS ---------------------------------------------------------

RSS_LINE=""
if [ -n "$RSS_SCALE" ]; then
  say "indexing ${RSS_SCALE}× for peak RSS"
  "$TS" generate --scale "$RSS_SCALE" --seed "$SEED" "${FROM_ARGS[@]}" --quiet "$WORK/corpus-rss"
  timed "$WORK/ts-build-rss" "$TS" index --quiet --index "$WORK/ts-index-rss" "$WORK/corpus-rss"
  RSS_LINE="At ${RSS_SCALE}× ($(mb "$(bytes_of "$WORK/corpus-rss")") of files), talksearch index took $(secs "$WORK/ts-build-rss") with a peak RSS of $(rss "$WORK/ts-build-rss"); the index is $(mb "$(bytes_of "$WORK/ts-index-rss")")."
  rm -rf "$WORK/corpus-rss" "$WORK/ts-index-rss"
fi

# --- the table --------------------------------------------------------------------------------

CORES=$(nproc)
cat <<EOF

Corpus: ${SCALE}× ${FROM_PATHS[*]} (\`talksearch generate --scale $SCALE --seed $SEED\`): $TALKS talks, $TURNS turns, $(mb "$CORPUS_BYTES") of WebVTT, SubRip, Markdown and Whisper JSON files.
Queries: $QUERY_COUNT of \`$QUERIES\` ($REJECTED more that talksearch rejects today left out for every tool), top 10. Machine: $CORES cores, $(uname -sr), load average at the start $LOAD_AT_START.

| tool | index build | index size | build peak RSS | in-process median / p99 per query | one CLI search, spawn to output: median (worst query) |
|---|---:|---:|---:|---:|---:|
| talksearch (BM25 + snippets) | $(secs "$WORK/ts-build") | $(mb "$TS_SIZE") | $(rss "$WORK/ts-build") | $TS_INPROC ($TS_BARE without snippets) | $(summarize "$WORK/ts-cli") |
| ripgrep $(rg --version | awk 'NR == 1 { print $2 }') (\`rg -i -F\`, no index) | – | – | – | – | $(summarize "$WORK/rg-cli") |
| SQLite FTS5 (bm25 + snippet; sqlite3 CLI $SQLITE_CLI_VERSION, in process $SQLITE_LIB) | $(secs "$WORK/sqlite-build") | $(mb "$SQLITE_SIZE") | $(rss "$WORK/sqlite-build") | $SQLITE_INPROC | $(summarize "$WORK/sqlite-cli") |
${TANTIVY_ROW:+$TANTIVY_ROW
}| floor: spawning \`/bin/true\`; reading the corpus once from page cache | | | | | $(awk -v t="$TRUE_US" -v c="$CAT_US" 'BEGIN { printf "%.2f ms; %.0f ms", t / 1000, c / 1000 }') |

talksearch throughput with snippets: $TS_QPS threads.
${RSS_LINE}
EOF
