#!/usr/bin/env bash
# Runs `npm run bench` of two revisions in interleaved rounds against the same brokers and
# prints, per transport, min / median / max of library msg/s and of library/raw for each.
#
#   bash scripts/bench/compare-revisions.sh <before-rev> [rounds]   (after = the working tree)
#
# The rounds alternate which revision goes first, so a machine getting busier or quieter
# during the run weighs on both alike. BENCH_SQS_MESSAGES / BENCH_KAFKA_MESSAGES are passed on.
set -euo pipefail

before="${1:?usage: compare-revisions.sh <before-rev> [rounds]}"
rounds="${2:-3}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'git -C "$repo" worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

bash "$repo/scripts/brokers/brokers.sh" up kafka sqs
eval "$(bash "$repo/scripts/brokers/brokers.sh" env)"
export KAFKA_BOOTSTRAP_SERVERS SQS_ENDPOINT

build() { (cd "$1" && npm run --silent build && npx tsc -p bench/tsconfig.json); }

git -C "$repo" worktree add --detach "$work/before" "$before" >/dev/null
ln -s "$repo/node_modules" "$work/before/node_modules"
echo "[compare] building $before and the working tree"
build "$work/before"
build "$repo"

run() { # <label> <dir>
  echo "[compare] round $round: $1"
  (cd "$2" && node dist-bench/bench/main.js) | tee -a "$work/$1.log" | grep -E '^(kafka|sqs) +[0-9]' || true
}

for round in $(seq 1 "$rounds"); do
  echo "[compare] load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  if ((round % 2)); then
    run before "$work/before"; run after "$repo"
  else
    run after "$repo"; run before "$work/before"
  fi
done

node - "$work/before.log" "$work/after.log" "$before" <<'NODE'
const { readFileSync } = require('node:fs');
const [beforeLog, afterLog, rev] = process.argv.slice(2);
const rows = (file) => {
  const out = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (!/^(kafka|sqs) +\d/.test(line.trim())) continue;
    (out[cells[0]] ??= []).push({ library: Number(cells[3]), ratio: Number(cells[4]) });
  }
  return out;
};
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) };
};
const show = ({ min, median, max }, digits) =>
  `${min.toFixed(digits)} / ${median.toFixed(digits)} / ${max.toFixed(digits)}`;
const before = rows(beforeLog);
const after = rows(afterLog);
console.log(`\nmin / median / max over ${before.sqs?.length ?? 0} rounds; before = ${rev}, after = working tree`);
console.log('transport  revision  library msg/s            library/raw');
for (const transport of ['kafka', 'sqs']) {
  for (const [label, table] of [['before', before], ['after', after]]) {
    const runs = table[transport] ?? [];
    if (runs.length === 0) continue;
    console.log(
      `${transport.padEnd(9)}  ${label.padEnd(8)}  ${show(stats(runs.map((r) => r.library)), 0).padEnd(23)}  ${show(stats(runs.map((r) => r.ratio)), 2)}`,
    );
  }
  const b = stats((before[transport] ?? []).map((r) => r.library)).median;
  const a = stats((after[transport] ?? []).map((r) => r.library)).median;
  if (b && a) console.log(`${transport.padEnd(9)}  after/before (medians of library msg/s): ${(a / b).toFixed(2)}`);
}
NODE
