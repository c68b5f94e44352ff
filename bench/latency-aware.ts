/**
 * The latency-aware policies together at scale (issue 10, point 5): two scale scenarios at N
 * devices (default 10^4, 30 simulated minutes), each with none of the policies (the scenario as
 * written) and with them on, paired (bench/measure.ts `pairedRounds`: the arms alternate,
 * `--rounds` times; medians, and the median of the per-round ratios). Every run is a Node process
 * of its own (this file with `--child`), as `edelear run` is: arms run one after another in one
 * process share V8's compiled code, so each ran on code the arms before it had made polymorphic
 * (caches or none, batching or FCFS schedulers at the same call sites) — `layers` read `on` ÷
 * `none` 0.34 in a first round and 0.72–0.74 in the next two, `none` slowed by `on`'s code.
 *
 * Case `one-layer`: scenarios/bench/scale.yaml (its models are one layer each)
 *   none       the scenario as written: no input keys, no cache, edge servers first come first served
 *   inputs     `detect`'s inputs drawn from Zipf(0.8) over 10,000, nothing else (the key draw alone)
 *   on         the same inputs; an EDeLeaR cache of 500 results (0.2 ms lookup) on every access point
 *              and edge server (bench/caching.ts's ap+edge); adaptive batching on the edge servers
 *              (bench/batching.ts's: max 8, preferred [4], delay 5 ms, fixedShare 0.5, 1 s objective)
 *   on+split   the same with model partitioning (policies.partitioning: edelear). A one-layer model
 *              is all local or all remote, decided once at the start (the devices' declared load
 *              is light: the unloaded figures' choice, every CSV the same as before it counted): all local here
 *              (a device's 1 GFLOP/s is an edge slot's, and local sends nothing), so no request
 *              reaches a cache or a batcher — this arm times the split decision and its plans only
 *
 * Case `layers`: scenarios/bench/scale-layers.yaml (`detect` runs the zoo's MobileNetV2, 54 layer
 * records; half the devices on a 10 Mbit/s uplink, where EDeLeaR splits after layer 21, half on
 * 100 Mbit/s, where it sends the frame; derivation in the file's header)
 *   none       as written: no input keys, no cache, no batching, no partitioning
 *   inputs     `detect`'s inputs drawn from Zipf(0.8) over 10,000, nothing else
 *   on         the same inputs; EDeLeaR caches of 50 results (0.1 ms) on every device and of 500
 *              (0.2 ms) on every access point and edge server; the same adaptive batching on the
 *              edge servers; policies.partitioning: edelear (decided once at the start; at the devices'
 *              light declared load the unloaded figures' splits, every CSV the same as before). Caches
 *              of one policy and capacity in entries share a bank (policies/caching/lru-bank.ts):
 *              the 10^4 device caches are rows of shared arrays
 *   on-own     the same, each cache a store of its own (ResultCaches.withOwnStores: the layout
 *              before banks; the same hits and evictions), so the banks' gain is paired in one run
 *
 * For each arm: completed and dropped requests, completed requests per second of the event loop
 * (bench/scale.ts's metric) and its ratio to `none` (target ≥ 0.5), events per completed request,
 * the caches' hit ratio, the edge servers' mean batch size and utilization, the share of requests
 * split (0 < k < L) and run all local; each arm's per-round ratios to `none`; for `layers`' `on`
 * (issue 10, point 5) the mean of those ratios with its 95 % Student-t interval and the verdict on
 * ≥ 0.5 — holds, does not hold, or inconclusive (bench/measure.ts `targetVerdict`; use `--rounds 5`
 * or more: three rounds give a wide interval) — and `on` ÷ `on-own` round by round (the banks'
 * gain, paired). Then, from one extra run of each case's `on` arm (a process of its own) under
 * V8's sampling profiler (node:inspector, a sample every 100 µs), the share of the event loop's
 * samples (those under World.run) whose stack holds a per-request decision — the split choice read
 (Partitioning.counted, world/partitioning.ts: the plan in force is then one array read, inline in
 * onArrival), the cache lookups and inserts (ResultCaches.lookup, .insert and what they call,
 * world/caches.ts), batch admission (BatchingScheduler.submit) — and, for context, anything in the
 * batcher (its timers and batch formation too) and plans compiled on first use (StagePlans.planFor,
 * once per pair and split). V8 reports inlined functions as frames of their own, so inlining does not
 * hide them; the profiler's cost is spread over the whole run and does not favour any function.
 *
 *   npx tsx bench/latency-aware.ts [--devices N] [--minutes M] [--rounds R] [--case one-layer|layers]
 */
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { ResultCaches } from '../src/world/caches.ts';
import type { WorldSpec } from '../src/world/world.ts';
import { benchFlags, fmt, isScaleDeviceCount, median, pairedRounds, runChild, targetText } from './measure.ts';
import { batchTotals, edgeUtilization } from './world-figures.ts';
import { type FrameGroup, sampledProfile, sampleShares } from './profile.ts';
import { scaleOverrides } from './scale.ts';

const INPUTS = 'workloads[0].inputs={ zipf: 0.8, catalog: 10000 }';
const BATCHING = '{ batching: { policy: adaptive, max: 8, preferred: [4], delay: 5 ms, fixedShare: 0.5, objective: 1 s } }';

/** One arm: its overrides on top of the case's scale overrides. */
interface Arm {
  readonly name: string;
  readonly set: readonly string[];
  /** Changes the built spec (the `own` arm: its caches a store each, as before banks). */
  readonly adapt?: (spec: WorldSpec) => WorldSpec;
}

/** A scale scenario with its arms. */
interface Case {
  readonly name: string;
  readonly scenario: string;
  /** The overrides that give the scenario N devices for M simulated minutes. */
  readonly overrides: (devices: number, minutes: number) => string[];
  readonly arms: readonly Arm[];
  /** The arm profiled for the decisions' share of the loop. */
  readonly profiled: string;
  /** The arm issue 10 (point 5) holds to ≥ 0.5× `none`, judged over the rounds' ratios (none: the case is context). */
  readonly judged?: string;
}

/** scale-layers.yaml at N devices (N a multiple of 100): N/2 of each device kind, N/100 access points and edge servers. */
export function layersOverrides(devices: number, minutes: number): string[] {
  if (!isScaleDeviceCount(devices)) throw new Error(`expected a device count that is a multiple of 100 from 200 to 10^6 (one access point would be named ap, which ap-* does not match), got ${devices}`);
  return [`nodes[0].count=${devices / 2}`, `nodes[1].count=${devices / 2}`, `nodes[2].count=${devices / 100}`, `nodes[3].count=${devices / 100}`, `duration=${minutes * 60}`];
}

const ONE_LAYER_ON = [INPUTS, 'nodes[1].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }', 'nodes[2].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }', `nodes[2].scheduler=${BATCHING}`];

const LAYERS_ON = [
  INPUTS,
  'nodes[0].cache={ capacity: 50, policy: edelear, lookup: 0.1 ms }',
  'nodes[1].cache={ capacity: 50, policy: edelear, lookup: 0.1 ms }',
  'nodes[2].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }',
  'nodes[3].cache={ capacity: 500, policy: edelear, lookup: 0.2 ms }',
  `nodes[3].scheduler=${BATCHING}`,
  'policies={ partitioning: edelear }',
];

export const LATENCY_AWARE_CASES: readonly Case[] = [
  {
    name: 'one-layer',
    scenario: 'scenarios/bench/scale.yaml',
    overrides: scaleOverrides,
    arms: [
      { name: 'none', set: [] },
      { name: 'inputs', set: [INPUTS] },
      { name: 'on', set: ONE_LAYER_ON },
      // scale.yaml has no `policies` mapping, and --set does not create one.
      { name: 'on+split', set: [...ONE_LAYER_ON, 'policies={ partitioning: edelear }'] },
    ],
    profiled: 'on',
  },
  {
    name: 'layers',
    scenario: 'scenarios/bench/scale-layers.yaml',
    overrides: layersOverrides,
    arms: [
      { name: 'none', set: [] },
      { name: 'inputs', set: [INPUTS] },
      { name: 'on', set: LAYERS_ON },
      { name: 'on-own', set: LAYERS_ON, adapt: (spec) => ({ ...spec, cache: spec.cache instanceof ResultCaches ? spec.cache.withOwnStores() : spec.cache }) },
    ],
    profiled: 'on',
    judged: 'on',
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
  readonly edgeUtilization: number;
  /** Shares of requests born (in the window) and run (not answered by their device's cache) whose split was 0 < k < L, and k = L. */
  readonly splitShare: number;
  readonly localShare: number;
}

function specOf(c: Case, arm: Arm, devices: number, minutes: number): WorldSpec {
  const spec = buildWorldSpec(loadScenario(c.scenario, [...c.overrides(devices, minutes), ...arm.set]), loadCatalog());
  return arm.adapt ? arm.adapt(spec) : spec;
}

function runArm(c: Case, arm: Arm, devices: number, minutes: number): Run {
  const spec = specOf(c, arm, devices, minutes);
  const result = simulate(spec);
  const w = result.world;
  let lookups = 0;
  let hits = 0;
  for (const s of spec.cache instanceof ResultCaches ? spec.cache.stats() : []) {
    lookups += s.lookups;
    hits += s.hits;
  }
  const { batches, requests: batched } = batchTotals(w);
  const sum = (a: Float64Array | undefined) => (a ? a.reduce((x, y) => x + y, 0) : 0);
  // Requests that ran their plan: those their device's own cache answered at birth ran no layer (partitioning.csv's `requests`).
  const born = sum(w.partitioning?.born) - sum(w.partitioning?.answered);
  const all = result.metrics.all;
  return {
    generated: all.generated,
    completed: all.completed,
    dropped: Object.values(all.dropped).reduce((a, b) => a + b, 0),
    events: w.sim.eventsProcessed,
    loopSeconds: result.wallSeconds,
    hitRatio: lookups > 0 ? hits / lookups : NaN,
    batchSize: batches > 0 ? batched / batches : NaN,
    edgeUtilization: edgeUtilization(spec, w),
    splitShare: born > 0 ? sum(w.partitioning?.split) / born : NaN,
    localShare: born > 0 ? sum(w.partitioning?.local) / born : NaN,
  };
}

/** The event loop: samples under World.run. */
const LOOP = { file: '/src/world/world.ts', functions: ['run'] };

/** The per-request decisions, as (source file, function names) a profile's frames are matched against. */
export const DECISIONS: readonly FrameGroup[] = [
  { name: 'split choice read', frames: [{ file: '/src/world/partitioning.ts', functions: ['counted'] }] },
  { name: 'cache lookup + insert', frames: [{ file: '/src/world/caches.ts', functions: ['lookup', 'insert'] }] },
  { name: 'batch admission', frames: [{ file: '/src/world/schedulers/batching.ts', functions: ['submit'] }] },
];
/** Context, not per-request decisions: everything in the batcher (admission, timers, batch formation, fan-out); plans compiled on first use per (pair, split). */
const CONTEXT: readonly FrameGroup[] = [
  { name: 'the batcher, all of it', frames: [{ file: '/src/world/schedulers/batching.ts' }] },
  { name: 'plans compiled on first use', frames: [{ file: '/src/world/plans.ts', functions: ['planFor'] }] },
];

/** Runs `arm` once under the sampling profiler: the decisions' shares of the loop. */
async function profileArm(c: Case, arm: Arm, devices: number, minutes: number): Promise<ReturnType<typeof sampleShares>> {
  const spec = specOf(c, arm, devices, minutes);
  const profile = await sampledProfile(() => simulate(spec));
  return sampleShares(profile, [...DECISIONS, { name: 'together', frames: DECISIONS.flatMap((d) => d.frames) }, ...CONTEXT], LOOP);
}

export async function main(devices = 1e4, minutes = 30, rounds = 3, only?: string): Promise<void> {
  for (const c of LATENCY_AWARE_CASES) {
    if (only !== undefined && c.name !== only) continue;
    console.log(`Latency-aware policies at scale, case ${c.name} (${c.scenario}, ${fmt(devices)} devices, ${minutes} simulated minutes, a process per run, ${rounds} alternating rounds, medians)`);
    const paired = pairedRounds(c.arms, (arm) => runChild<Run>(fileURLToPath(import.meta.url), arm.name, ['--case', c.name, '--devices', String(devices), '--minutes', String(minutes)]), { rounds, rate: (x) => x.completed / x.loopSeconds });
    console.log('  arm       generated  completed  dropped  completed/s loop  ×none (median of rounds)  events/request  hit ratio  batch size  edge utilization  split share  local share');
    for (const arm of c.arms) {
      const m = (g: (x: Run) => number) => paired.median(arm.name, g);
      const x0 = paired.runs.get(arm.name)![0];
      console.log(
        `  ${arm.name.padEnd(8)}  ${fmt(m((x) => x.generated)).padStart(9)}  ${fmt(m((x) => x.completed)).padStart(9)}  ${fmt(m((x) => x.dropped)).padStart(7)}  ${fmt(m((x) => x.completed / x.loopSeconds)).padStart(16)}  ${fmt(paired.ratio(arm.name), 2).padStart(24)}  ${fmt(m((x) => x.events / x.completed), 2).padStart(14)}  ${fmt(x0.hitRatio, 3).padStart(9)}  ${fmt(x0.batchSize, 2).padStart(10)}  ${fmt(x0.edgeUtilization, 3).padStart(16)}  ${fmt(x0.splitShare, 3).padStart(11)}  ${fmt(x0.localShare, 3).padStart(11)}`,
      );
    }
    const rate = (x: Run) => x.completed / x.loopSeconds;
    console.log(`  per round ×none: ${c.arms.map((a) => `${a.name} ${paired.ratios.get(a.name)!.map((x) => fmt(x, 2)).join(' ')}`).join('; ')}`);
    if (c.judged !== undefined) console.log(`  ${c.judged} ÷ none, mean of the rounds' ratios: ${targetText(paired.ratios.get(c.judged)!, 0.5, 'at least', 2)}`);
    for (const a of c.arms.filter((x) => x.adapt !== undefined)) {
      // The arm it adapts (the same overrides): their rates paired round by round.
      const twin = c.arms.find((x) => x !== a && x.adapt === undefined && x.set === a.set)!;
      const r = paired.runs.get(twin.name)!.map((x, i) => rate(x) / rate(paired.runs.get(a.name)![i]));
      console.log(`  ${twin.name} ÷ ${a.name}, per round: ${r.map((x) => fmt(x, 2)).join(' ')} (median ${fmt(median(r), 2)})`);
    }
    // The profile too in a process of its own (no other arm's code compiled beside it).
    const arm = c.arms.find((a) => a.name === c.profiled)!;
    const p = runChild<Record<string, number>>(fileURLToPath(import.meta.url), arm.name, ['--case', c.name, '--devices', String(devices), '--minutes', String(minutes), '--profile']);
    const share = (name: string) => `${fmt(100 * p[name], 1)} %`;
    console.log(
      `  per-request decisions in "${arm.name}" (sampling profile, ${fmt(p.loopSamples)} samples of the loop): ${DECISIONS.map((d) => `${d.name} ${share(d.name)}`).join(', ')}; together ${share('together')} (${CONTEXT.map((d) => `${d.name} ${share(d.name)}`).join(', ')})`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/latency-aware.ts [--devices N] [--minutes M] [--rounds R] [--case one-layer|layers]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1; default 10000 devices, 30 minutes, 3 rounds, both cases)';
  // --child ARM and --profile are this file's own: one arm's run in a process of its own (measure.ts runChild).
  const a = benchFlags('bench/latency-aware.ts', usage, ['--devices', '--minutes', '--rounds', '--case', '--child'], ['--profile']);
  const only = a.oneOf('--case', LATENCY_AWARE_CASES.map((x) => x.name));
  const child = a.given.get('--child');
  if (child !== undefined) {
    // One arm's run, in this process alone (measure.ts runChild): its figures as one JSON line.
    const c = LATENCY_AWARE_CASES.find((x) => x.name === only);
    const arm = c?.arms.find((x) => x.name === child) ?? a.fail(`--child expects an arm of --case ${only ?? '(none given)'}, got "${child}"`);
    const devices = a.devices() ?? 1e4;
    const minutes = a.minutes() ?? 30;
    if (a.has('--profile')) {
      // The arm under the sampling profiler: its loop's samples and the groups' shares of them.
      const p = await profileArm(c!, arm, devices, minutes);
      console.log(JSON.stringify({ loopSamples: p.loopSamples, ...Object.fromEntries(p.shares) }));
    } else console.log(JSON.stringify(runArm(c!, arm, devices, minutes)));
  } else await main(a.devices(), a.minutes(), a.whole('--rounds'), only);
}
