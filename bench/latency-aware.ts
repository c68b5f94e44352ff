/**
 * The latency-aware policies together at scale (issue 10, point 5): scenarios/bench/scale.yaml at
 * N devices (default 10^4, 30 simulated minutes) with none of them (the scenario as written), and
 * with result caching and dynamic batching on, run in this process and paired (the arms
 * alternate, `--rounds` times; medians, and the median of the per-round ratios):
 *
 *   none       the scenario as written: no input keys, no cache, edge servers first come first served
 *   inputs     `detect`'s inputs drawn from Zipf(0.8) over 10,000, nothing else (the key draw alone)
 *   on         the same inputs; an EDeLeaR cache of 500 results (0.2 ms lookup) on every access point
 *              and edge server (bench/caching.ts's ap+edge); adaptive batching on the edge servers
 *              (bench/batching.ts's: max 8, preferred [4], delay 5 ms, fixedShare 0.5, 1 s objective)
 *
 *   on+split   the same with model partitioning (policies.partitioning: edelear). scale.yaml's
 *              models are one layer each, so a split is all local or all remote, decided once from
 *              the unloaded figures (no monitoring interval): all local (a device's 1 GFLOP/s is an
 *              edge slot's, and local sends nothing), so no request reaches a cache or a batcher —
 *              this arm times the split decision and its plans, not the three together
 * For each arm: completed and dropped requests, completed requests per second of
 * the event loop (bench/scale.ts's metric) and its ratio to `none` (target ≥ 0.5), events per
 * completed request, the caches' hit ratio and the edge servers' mean batch size; then, from one
 * extra instrumented run of `on`, the share of the loop's wall time inside the per-request
 * decisions — cache lookups and inserts, and batch admission (the batcher's `submit`) — each call
 * timed with performance.now(), whose own cost (tens of ns a call) is in the figure: an upper bound.
 *
 *   npx tsx bench/latency-aware.ts [--devices N] [--minutes M] [--rounds R]
 */
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { ResultCaches } from '../src/world/caches.ts';
import { BatchingScheduler } from '../src/world/schedulers/batching.ts';
import { median } from './measure.ts';
import { scaleOverrides } from './scale.ts';

const SCENARIO = 'scenarios/bench/scale.yaml';
const INPUTS = 'workloads[0].inputs={ zipf: 0.8, catalog: 10000 }';

/** The arms: their overrides on top of the scale overrides. */
export const LATENCY_AWARE_ARMS: readonly { readonly name: string; readonly set: readonly string[] }[] = [
  { name: 'none', set: [] },
  { name: 'inputs', set: [INPUTS] },
  {
    name: 'on',
    set: [
      INPUTS,
      'nodes[1].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }',
      'nodes[2].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }',
      'nodes[2].scheduler={ batching: { policy: adaptive, max: 8, preferred: [4], delay: 5 ms, fixedShare: 0.5, objective: 1 s } }',
    ],
  },
  {
    name: 'on+split',
    set: [
      INPUTS,
      'nodes[1].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }',
      'nodes[2].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }',
      'nodes[2].scheduler={ batching: { policy: adaptive, max: 8, preferred: [4], delay: 5 ms, fixedShare: 0.5, objective: 1 s } }',
      'policies={ partitioning: edelear }',
    ],
  },
];

interface Run {
  readonly generated: number;
  readonly completed: number;
  readonly dropped: number;
  readonly events: number;
  readonly loopSeconds: number;
  readonly hitRatio: number;
  readonly batchSize: number;
  /** Wall seconds inside cache lookups and inserts, and inside batch admission (instrumented runs only). */
  readonly cacheSeconds: number;
  readonly admissionSeconds: number;
  readonly lookups: number;
  readonly admissions: number;
}

/** Runs one arm; `instrument` times every cache call and every batch admission. */
function runArm(arm: (typeof LATENCY_AWARE_ARMS)[number], devices: number, minutes: number, instrument = false): Run {
  const spec = buildWorldSpec(loadScenario(SCENARIO, [...scaleOverrides(devices, minutes), ...arm.set]), loadCatalog());
  const cache = spec.cache instanceof ResultCaches ? spec.cache : undefined;
  let cacheMs = 0;
  let admissionMs = 0;
  let admissions = 0;
  const proto = BatchingScheduler.prototype;
  const submit = proto.submit;
  if (instrument) {
    if (cache) {
      const lookup = cache.lookup.bind(cache);
      const insert = cache.insert.bind(cache);
      cache.lookup = (k, i, key, now) => {
        const t = performance.now();
        const hit = lookup(k, i, key, now);
        cacheMs += performance.now() - t;
        return hit;
      };
      cache.insert = (k, i, key, now) => {
        const t = performance.now();
        insert(k, i, key, now);
        cacheMs += performance.now() - t;
      };
    }
    proto.submit = function (this: BatchingScheduler, k: number, job: number, now: number): number {
      const t = performance.now();
      const r = submit.call(this, k, job, now);
      admissionMs += performance.now() - t;
      admissions++;
      return r;
    };
  }
  let result;
  try {
    result = simulate(spec);
  } finally {
    proto.submit = submit;
  }
  let lookups = 0;
  let hits = 0;
  for (const c of cache?.stats() ?? []) {
    lookups += c.lookups;
    hits += c.hits;
  }
  let batches = 0;
  let batched = 0;
  for (const c of result.world.batchCounts()) {
    c.bySize.forEach((n, b) => {
      batches += n;
      batched += n * b;
    });
  }
  const all = result.metrics.all;
  return {
    generated: all.generated,
    completed: all.completed,
    dropped: Object.values(all.dropped).reduce((a, b) => a + b, 0),
    events: result.world.sim.eventsProcessed,
    loopSeconds: result.wallSeconds,
    hitRatio: lookups > 0 ? hits / lookups : NaN,
    batchSize: batches > 0 ? batched / batches : NaN,
    cacheSeconds: cacheMs / 1000,
    admissionSeconds: admissionMs / 1000,
    lookups,
    admissions,
  };
}

export function main(devices = 1e4, minutes = 30, rounds = 3): void {
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–');
  console.log(`Latency-aware policies at scale (${SCENARIO}, ${f(devices)} devices, ${minutes} simulated minutes, in-process, ${rounds} alternating rounds, medians)`);
  const runs = new Map<string, Run[]>(LATENCY_AWARE_ARMS.map((a) => [a.name, []]));
  runArm(LATENCY_AWARE_ARMS[0], devices, minutes); // warm the JIT before timing
  for (let r = 0; r < rounds; r++) for (const arm of LATENCY_AWARE_ARMS) runs.get(arm.name)!.push(runArm(arm, devices, minutes));
  const rate = (x: Run) => x.completed / x.loopSeconds;
  const base = runs.get('none')!;
  console.log('  arm      generated  completed  dropped  completed/s loop  ×none (median of rounds)  events/request  hit ratio  batch size');
  for (const arm of LATENCY_AWARE_ARMS) {
    const xs = runs.get(arm.name)!;
    const ratio = median(xs.map((x, j) => rate(x) / rate(base[j])));
    console.log(
      `  ${arm.name.padEnd(7)}  ${f(median(xs.map((x) => x.generated))).padStart(9)}  ${f(median(xs.map((x) => x.completed))).padStart(9)}  ${f(median(xs.map((x) => x.dropped))).padStart(7)}  ${f(median(xs.map(rate))).padStart(16)}  ${f(ratio, 2).padStart(24)}  ${f(median(xs.map((x) => x.events / x.completed)), 2).padStart(14)}  ${f(xs[0].hitRatio, 3).padStart(9)}  ${f(xs[0].batchSize, 2).padStart(10)}`,
    );
  }
  const timed = runArm(LATENCY_AWARE_ARMS[2], devices, minutes, true);
  const share = (s: number) => `${f((100 * s) / timed.loopSeconds, 1)} %`;
  console.log(
    `  per-request decisions in "on" (instrumented run, upper bounds): cache lookups and inserts ${share(timed.cacheSeconds)} of the loop (${f((1e9 * timed.cacheSeconds) / Math.max(1, timed.lookups))} ns per lookup with its insert), batch admission ${share(timed.admissionSeconds)} (${f((1e9 * timed.admissionSeconds) / Math.max(1, timed.admissions))} ns per admission); together ${share(timed.cacheSeconds + timed.admissionSeconds)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  main(arg('--devices'), arg('--minutes'), arg('--rounds'));
}
