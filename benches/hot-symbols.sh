#!/usr/bin/env bash
# Writes benches/hot-symbols.txt: the functions of the `talksearch` binary that searches run,
# the most common first, which build.rs hands to the linker so that they are laid out together.
#
#   benches/hot-symbols.sh          # needs valgrind (callgrind); takes a few minutes
#
# Why: a search runs about a megabyte of the binary's nine megabytes of code. Laid out by crate,
# those functions are spread over the whole file, and the first call into each 64 KB stretch is
# a page fault (about 5 µs on the 2-core VM of the README's tables): 64 faults for a rare word.
# Placed together they fit in a few stretches. Names that stop matching after a change (the
# compiler renames some functions when their module changes) only lose their place; rerun this
# after large changes or dependency upgrades.
#
# Settings (environment): SCALE (100), QUERIES (benches/queries.tsv), WORK (target/hot-symbols).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${SCALE:-100}
QUERIES=${QUERIES:-benches/queries.tsv}
WORK=${WORK:-target/hot-symbols}
command -v valgrind >/dev/null || { echo "hot-symbols: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }

cargo build --release --quiet
# .cargo/config.toml builds for the host as an explicit target: target/<host>/release.
TS=${CARGO_TARGET_DIR:-target}/$(rustc -vV | sed -n 's/^host: //p')/release/talksearch
rm -rf "$WORK"
mkdir -p "$WORK/profiles"
"$TS" generate --scale "$SCALE" "$WORK/corpus" >/dev/null
"$TS" index --index "$WORK/index" "$WORK/corpus" >/dev/null 2>&1

# One profile per query, as people run it (text) and as programs do (JSON lines).
n=0
grep -vE '^#|^$' "$QUERIES" | cut -f2 | while IFS= read -r query; do
  n=$((n + 1))
  format=(--color never)
  if ((n % 4 == 0)); then format=(--json); fi
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/profiles/$n.out" \
    "$TS" search --index "$WORK/index" "${format[@]}" -- "$query" >/dev/null 2>&1 || true
done

# The functions of the binary: those that every search runs first, then those that fewer do,
# each group busiest first, so that the code of a typical search is one stretch.
binary=$(realpath "$TS")
for profile in "$WORK"/profiles/*.out; do
  callgrind_annotate --threshold=100 "$profile"
done | awk -v binary="[$binary]" '
  $NF == binary && $1 ~ /^[0-9,]+$/ {
    cost = $1; gsub(",", "", cost)
    name = $0; sub(/^[^:]*:/, "", name); sub(/ \[[^]]*\]$/, "", name)
    total[name] += cost; runs[name]++
  }
  END { for (name in total) print runs[name], total[name], name }' |
  sort -k1,1nr -k2,2nr | cut -d' ' -f3- > "$WORK/hot.txt"

# Only names the linker knows: the binary's own functions.
nm --defined-only "$TS" | awk '{ print $NF }' | sort -u > "$WORK/defined.txt"
awk 'NR == FNR { defined[$0] = 1; next } defined[$0]' "$WORK/defined.txt" "$WORK/hot.txt" > benches/hot-symbols.txt
echo "hot-symbols: $(wc -l < benches/hot-symbols.txt) functions written to benches/hot-symbols.txt" >&2
