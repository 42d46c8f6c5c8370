#!/usr/bin/env bash
# Paired comparison on a shared machine: alternates xsltproc / amtsbote (XML) and jq / amtsbote (JSON)
# ROUNDS times, timing each whole command (process start included, as transform.sh does), so that
# both sides of every pair see the same background load. Prints medians and ratios of wall-clock
# docs/s and of docs per CPU-second (user+sys; the fairer figure when other work shares the cores).
# Usage: bench/mapping/compare.sh DOCS_DIR [ROUNDS=5]
#   DOCS_DIR as left by: DOCS_DIR=DIR ../shared/bench/peers/transform.sh (xml/d*.xml, docs.jsonl)
set -euo pipefail
docs=${1:?usage: compare.sh DOCS_DIR [ROUNDS]}
rounds=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
peers=$(cd "$root/../shared/bench/peers" 2>/dev/null && pwd || echo /work/shared/bench/peers)
bin="$root/.build/release/amtsbote"
n=$(ls "$docs/xml" | wc -l)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
timed() { local label=$1; shift; { TIMEFORMAT="$label %R %U %S"; time "$@" >/dev/null 2>&1; } 2>>"$tmp/times"; }
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); busiest other processes:"
ps aux --sort=-%cpu | awk 'NR>1 && $3>5 {print "#   "$3"% "$11" "$12" "$13}' | head -6
for r in $(seq "$rounds"); do
  timed xsltproc bash -c "cd '$docs/xml' && xsltproc '$peers/gewerbe2flat.xsl' d*.xml > '$tmp/out.xsltproc'"
  timed amtsbote-xml "$bin" bench mapping --docs "$docs" --mappings "$root/bench/mapping" --only xml --runs 1 --memory-documents 0
  timed jq bash -c "jq -c -f '$peers/gewerbe2flat.jq' '$docs/docs.jsonl' > '$tmp/out.jq'"
  timed amtsbote-json "$bin" bench mapping --docs "$docs" --mappings "$root/bench/mapping" --only json --runs 1 --memory-documents 0
done
python3 - "$tmp/times" "$n" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    label, wall, user, sys_ = line.split()
    rows.setdefault(label, []).append((float(wall), float(user) + float(sys_)))
n = int(sys.argv[2])
med = {k: (st.median(w for w, _ in v), st.median(c for _, c in v)) for k, v in rows.items()}
print(f"| command (whole process, {n} docs, {len(rows['jq'])} rounds, medians) | wall s | docs/s | CPU s | docs per CPU-s |")
print("|---|---|---|---|---|")
for k in ["xsltproc", "amtsbote-xml", "jq", "amtsbote-json"]:
    w, c = med[k]
    print(f"| {k} | {w:.2f} | {n / w:.0f} | {c:.2f} | {n / c:.0f} |")
for ours, peer in [("amtsbote-xml", "xsltproc"), ("amtsbote-json", "jq")]:
    print(f"# {ours} / {peer}: wall-clock {med[peer][0] / med[ours][0]:.2f}x, per CPU-s {med[peer][1] / med[ours][1]:.2f}x")
PY
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
