/**
 * Result caching at scale: scenarios/bench/scale.yaml at N devices (default 10^4, 30 simulated
 * minutes) with `detect`'s inputs drawn from Zipf(0.8) over a catalog of 10,000, run in this
 * process without caches and with a cache of 500 results on every edge server (and on every
 * access point), paired in the same run (the arms alternate, `--rounds` times; medians, and the
 * median of the per-round ratios):
 *
 *   none          the inputs declared, no cache (keys are drawn: the same random streams as the others)
 *   edge-lru      an LRU cache of 500 results and a 0.2 ms lookup on every edge server
 *   edge-edelear  the same with the EDeLeaR policy (TinyLFU admission over LRU)
 *   edge-edelear-0  the same with lookups taking no time (no LookupDone event: the cost of the
 *                 cache operations and the lookup stages alone)
 *   ap+edge       EDeLeaR caches on every access point too (a second lookup on the way)
 *
 * For each: completed requests per second of the event loop (bench/scale.ts's metric), its ratio
 * to `none` (issue 10 point 5: ≥ 0.5), events per request, the caches' hit ratio, and the share of
 * the loop's wall time spent in cache operations (lookups and inserts: measured in one extra,
 * instrumented run per arm that times every call with performance.now(), whose own cost — tens of
 * ns per call — is in the figure, so it is an upper bound).
 *
 *   npx tsx bench/caching.ts [--devices N] [--minutes M] [--rounds R]
 */
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { ResultCaches } from '../src/world/caches.ts';
import { benchFlags, fmt, median, pairedRounds } from './measure.ts';
import { scaleOverrides } from './scale.ts';

const SCENARIO = 'scenarios/bench/scale.yaml';
const INPUTS = 'workloads[0].inputs={ zipf: 0.8, catalog: 10000 }';

/** The arms: their overrides on top of the scale overrides. */
export const CACHING_ARMS: readonly { readonly name: string; readonly set: readonly string[] }[] = [
  { name: 'none', set: [INPUTS] },
  { name: 'edge-lru', set: [INPUTS, 'nodes[2].cache={ capacity: 500, policy: lru, lookup: 0.2 ms }'] },
  { name: 'edge-edelear', set: [INPUTS, 'nodes[2].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }'] },
  { name: 'edge-edelear-0', set: [INPUTS, 'nodes[2].cache={ capacity: 500, policy: edelear }'] },
  {
    name: 'ap+edge',
    set: [INPUTS, 'nodes[1].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }', 'nodes[2].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }'],
  },
];

interface CachingRun {
  readonly completed: number;
  readonly events: number;
  readonly loopSeconds: number;
  readonly lookups: number;
  readonly hits: number;
  /** Wall seconds inside the caches' lookup and insert (instrumented runs only). */
  readonly cacheSeconds: number;
}

/** Runs one arm; `instrument` times every cache call. */
function runArm(arm: (typeof CACHING_ARMS)[number], devices: number, minutes: number, instrument = false): CachingRun {
  const spec = buildWorldSpec(loadScenario(SCENARIO, [...scaleOverrides(devices, minutes), ...arm.set]), loadCatalog());
  const cache = spec.cache instanceof ResultCaches ? spec.cache : undefined;
  let cacheSeconds = 0;
  if (cache && instrument) {
    const lookup = cache.lookup.bind(cache);
    const insert = cache.insert.bind(cache);
    cache.lookup = (k, i, key, now) => {
      const t = performance.now();
      const hit = lookup(k, i, key, now);
      cacheSeconds += performance.now() - t;
      return hit;
    };
    cache.insert = (k, i, key, now) => {
      const t = performance.now();
      insert(k, i, key, now);
      cacheSeconds += performance.now() - t;
    };
  }
  const result = simulate(spec);
  let lookups = 0;
  let hits = 0;
  for (const c of cache?.stats() ?? []) {
    lookups += c.lookups;
    hits += c.hits;
  }
  return { completed: result.metrics.all.completed, events: result.world.sim.eventsProcessed, loopSeconds: result.wallSeconds, lookups, hits, cacheSeconds: cacheSeconds / 1000 };
}

export function main(devices = 1e4, minutes = 30, rounds = 3): void {
  console.log(`Result caching at scale (${SCENARIO}, ${fmt(devices)} devices, ${minutes} simulated minutes, detect inputs Zipf(0.8) over 10,000, in-process, ${rounds} alternating rounds, medians)`);
  const rate = (x: CachingRun) => x.completed / x.loopSeconds;
  const paired = pairedRounds(CACHING_ARMS, (arm) => runArm(arm, devices, minutes), { rounds, rate, warm: true });
  console.log('  arm            completed  completed/s loop  ×none (median of rounds)  events/request  hit ratio  cache share of loop (instrumented)');
  for (const arm of CACHING_ARMS) {
    const xs = paired.runs.get(arm.name)!;
    const ratio = paired.ratio(arm.name);
    const timed = arm.name === 'none' ? undefined : runArm(arm, devices, minutes, true);
    const share = timed ? `${fmt((100 * timed.cacheSeconds) / timed.loopSeconds, 1)} % (${fmt((1e9 * timed.cacheSeconds) / Math.max(1, timed.lookups))} ns per lookup with its insert)` : '–';
    console.log(
      `  ${arm.name.padEnd(14)}  ${fmt(median(xs.map((x) => x.completed))).padStart(9)}  ${fmt(median(xs.map(rate))).padStart(16)}  ${fmt(ratio, 2).padStart(24)}  ${fmt(median(xs.map((x) => x.events / x.completed)), 2).padStart(14)}  ${xs[0].lookups > 0 ? fmt(xs[0].hits / xs[0].lookups, 3).padStart(9) : '        –'}  ${share}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/caching.ts [--devices N] [--minutes M] [--rounds R]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1; default 10000 devices, 30 minutes, 3 rounds)';
  const a = benchFlags('bench/caching.ts', usage, ['--devices', '--minutes', '--rounds']);
  main(a.devices(), a.minutes(), a.whole('--rounds'));
}
