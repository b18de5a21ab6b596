#!/usr/bin/env bash
# Gathers the benchmarks' summary rows (target/bench/summary-*.md, written by
# each benchmark `make bench` runs) into docs/BENCHMARKS.md, under the
# machine they ran on. Prints the page; `make bench` writes it.
set -euo pipefail
cd "$(dirname "$0")/.."

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
cores=$(nproc)
memory=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1024 / 1024 }' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
webkit=$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo unknown)
sqlite=$(grep -m1 -A1 'name = "libsqlite3-sys"' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')

cat <<HEAD
# Benchmarks

Produced by \`make bench\` on $(date -u +%Y-%m-%d): $cores cores of $cpu,
$memory of memory, $os, Linux $(uname -r), WebKitGTK $webkit,
libsqlite3-sys $sqlite (SQLite bundled). Rerun the command to reproduce
this page; each figure stands beside its limit, and where the limit is
relative (an empty Tauri window, the raw SQLite or FTS5 query on the same
data) that yardstick was measured in the same run, so the ratio is what is
tracked across machines.

The data: generated address books of 10,000, 100,000 and 1,000,000
contacts (half Cyrillic names, an organization per 20 people, e-mails,
phones, tags) each with one mission of 1,000 meetings, a follow-up per
meeting and an agreement per three (\`dataset::file\`, made once into
\`target/bench/data\` and reused).

| Measurement | Figure | Limit | Result |
|---|---|---|---|
HEAD
for part in data search import app; do
  file="target/bench/summary-$part.md"
  if [ -f "$file" ]; then
    cat "$file"
  else
    echo "| $part benchmark | not run | | **missing** |"
  fi
done
cat <<'TAIL'

Details, with every size and the yardsticks' own figures:
[data](benchmarks/data.md) (file size, start-up reads, list pages, workspace),
[search](benchmarks/search.md), [import](benchmarks/import.md),
[app](benchmarks/app.md) (start-up, memory, scrolling, in the web view).

Guarded by tests as well, so a regression fails CI rather than waiting for
the next run of this page: the hot queries' plans (contact and organization
list pages, search, agenda, follow-ups due) must read their index
(`engine/tests/engine/query_plans.rs`), a page 90,000 rows deep costs what
the first costs, and every IPC command runs off the main thread.
TAIL
