#!/usr/bin/env bash
# Runs the bench against the library of two revisions in interleaved rounds against the same
# brokers and prints, per section and contender, min / median / max msg/s of each revision and
# after/before of the medians, and the same for each ratio the bench reports.
#
#   bash scripts/bench/compare-revisions.sh <before-rev> [rounds]   (after = the working tree)
#
# Both sides run the working tree's bench/ (copied over the before revision), so the same
# contenders measure two libraries; a before revision whose lib/ lacks a module the bench
# imports does not build. Each round runs `BENCH_ROUNDS=1` of each side, alternating which goes
# first, so a machine getting busier or quieter weighs on both alike. Every BENCH_* variable
# is passed on (BENCH_ONLY picks the contenders; default here: k1,lib,sqs-plain,sqs-lib).
set -euo pipefail

before="${1:?usage: compare-revisions.sh <before-rev> [rounds]}"
rounds="${2:-3}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'git -C "$repo" worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

bash "$repo/scripts/brokers/brokers.sh" up kafka sqs
eval "$(bash "$repo/scripts/brokers/brokers.sh" env)"
export KAFKA_BOOTSTRAP_SERVERS SQS_ENDPOINT
export BENCH_ONLY="${BENCH_ONLY:-k1,lib,sqs-plain,sqs-lib}"

build() { (cd "$1" && npm run --silent build && npx tsc -p bench/tsconfig.json); }

git -C "$repo" worktree add --detach "$work/before" "$before" >/dev/null
ln -s "$repo/node_modules" "$work/before/node_modules"
rm -rf "$work/before/bench" && cp -r "$repo/bench" "$work/before/bench"
echo "[compare] building $before (with the working tree's bench) and the working tree"
build "$work/before"
build "$repo"

run() { # <label> <dir> <round>
  echo "[compare] round $3: $1"
  (cd "$2" && BENCH_ROUNDS=1 node dist-bench/bench/main.js) | grep -E '^\[bench\] [a-z-]+ r1 ' || true
  cp "$2/dist-bench/results.json" "$work/$1-$3.json"
}

for round in $(seq 1 "$rounds"); do
  if ((round % 2)); then
    run before "$work/before" "$round"; run after "$repo" "$round"
  else
    run after "$repo" "$round"; run before "$work/before" "$round"
  fi
done

node - "$work" "$rounds" "$before" <<'NODE'
const { readFileSync } = require('node:fs');
const [work, rounds, rev] = process.argv.slice(2);
const read = (label) =>
  Array.from({ length: Number(rounds) }, (_, i) => JSON.parse(readFileSync(`${work}/${label}-${i + 1}.json`, 'utf8')));
const collect = (reports) => {
  const rates = {};
  const ratios = {};
  for (const report of reports) {
    for (const c of report.contenders) if (c.msgsPerSec) (rates[`${c.section} ${c.contender}`] ??= []).push(c.msgsPerSec.median);
    for (const r of report.ratios) if (r.spread) (ratios[`${r.section} ${r.name}`] ??= []).push(r.spread.median);
  }
  return { rates, ratios };
};
const stats = (values = []) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return s.length ? { min: s[0], median, max: s.at(-1) } : undefined;
};
const show = (s, d) => (s ? `${s.min.toFixed(d)} / ${s.median.toFixed(d)} / ${s.max.toFixed(d)}` : '–');
const before = collect(read('before'));
const after = collect(read('after'));
console.log(`\nmin / median / max over ${rounds} rounds; before = ${rev}, after = working tree (same bench)`);
for (const [title, key, digits] of [['msg/s', 'rates', 0], ['ratio', 'ratios', 2]]) {
  console.log(`\n${title.padEnd(48)} ${'before'.padEnd(26)} ${'after'.padEnd(26)} after/before`);
  for (const name of new Set([...Object.keys(before[key]), ...Object.keys(after[key])])) {
    const b = stats(before[key][name]);
    const a = stats(after[key][name]);
    const change = a && b && b.median ? (a.median / b.median).toFixed(2) : '–';
    console.log(`${name.padEnd(48)} ${show(b, digits).padEnd(26)} ${show(a, digits).padEnd(26)} ${change}`);
  }
}
NODE
