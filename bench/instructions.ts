/**
 * Work per completed request, counted rather than timed: instructions, data references and
 * simulated cache misses of the event loop, from cachegrind (valgrind's cache simulator; Debian
 * package `valgrind`). On this shared 2-core host the loop's rate moves by ±10–15 % between runs of
 * the same code (docs/design.md, Speed), so a change worth a few percent cannot be seen in wall
 * time within a session. These counts repeat: V8 runs with `--predictable --predictable-gc-schedule
 * --random-seed=1 --single-threaded` (no background compiler or collector threads, whose timing would
 * move what the main thread executes and touches) under `setarch -R` (no address randomization,
 * which would move which lines collide in the simulated caches). Three repeats of `scale` at 10^4
 * read 13,650, 13,621 and 13,613 instructions a request (0.3 % apart), 24.07–24.53 last-level
 * misses (2 %), 239–276 L1 data misses (15 %); with addresses randomized the misses moved by 8 %.
 * Not always that close: on 2026-11-28 the same build read 12,567 and 13,359 instructions (19.7 and
 * 22.7 misses) an hour apart, and the floor's unchanged loop 6,580 and 7,122 — count both sides of a
 * comparison in the same sitting, and more than once.
 * That is one build and one case. Between cases, or builds, the compiler's own choices move the
 * instructions too: `layers` with Zipf input keys drawn (and nothing else) read 13,829, below
 * `layers` without them at 14,893 and 15,004 — so a difference under ≈ 8 % in instructions says
 * little by itself; the misses, and large differences, are what these counts tell.
 *
 * What is counted is the loop alone: each case runs twice, T1 and T2 simulated seconds (same
 * seed, so the second run repeats the first and goes on), and the difference of the two runs'
 * counts is divided by the difference of their completed requests — start-up, the build and
 * the files written cancel. Caches are simulated with a fixed geometry (32 KiB 8-way L1s, a
 * last level of `--ll` MiB, 16-way, 64-byte lines; default 1 MiB, this host's L2 per core), so the
 * figures do not depend on what cachegrind detects. Misses are counted, not their cost:
 * reading ahead (world/warm.ts) moves misses earlier without removing them, so it shows here as
 * no gain; a layout that touches fewer lines per request shows as fewer misses.
 *
 * Cases (N devices, default 10^4):
 *   scale        scenarios/bench/scale.yaml (bench/scale.ts)
 *   floor        bench/floor.ts's loop of scale.yaml's model, written for it alone: what the model
 *                itself costs, beside `scale` (`--case scale --case floor`); `--from` must be above
 *                scale.yaml's warm-up (60 s)
 *   floor-kernel the floor on edelear's kernel (`bench/floor.ts --kernel simulator`): core/simulator.ts's
 *                queue and dispatch under the floor's world, beside `floor` (the same events in the same order)
 *   layers       scenarios/bench/scale-layers.yaml as written (bench/latency-aware.ts's `none`)
 *   layers-on    the same with partitioning, caching and batching on (bench/latency-aware.ts's `on`)
 *   layers-inputs, layers-device-caches, layers-ap-edge-caches, layers-batching, layers-partitioning
 *                `on`'s parts one at a time (the caches with the Zipf input keys they look up)
 *
 * `--functions N` counts with callgrind instead and lists, per case, the N functions that execute
 * the most instructions per completed request of the loop (the same difference of two runs, per
 * function; bench/callgrind-functions.ts charges V8's generated code to its JavaScript function
 * through node's `--perf-basic-prof` map; addresses V8 freed and gave to later code are charged to
 * every function that held them, together, named `A | B (addresses reused)`, since callgrind sums
 * an address over the whole run; the two runs lay their code out apart, so the list ends with how
 * much of the difference lies at such addresses, and says the table is not reliable when that is
 * 1 % or more). Instructions only, unless `--misses`. What V8 inlined
 * counts in the function it was inlined into, so the list also shows the compiler's choices — a
 * change that moves a call into or out of a caller shows as instructions moving between them.
 * `--misses` (with `--functions N`) has callgrind simulate the caches as cachegrind does here and
 * lists the N functions with the most last-level misses per completed request, each with its
 * instructions: where the lines a request waits for are touched. A miss is charged to the
 * function that touched the line first since it left the cache — a read ahead (world/warm.ts)
 * takes the misses of the reads it spares.
 *
 * `--branches` adds the branches cachegrind's predictor simulation (`--branch-sim=yes`: a 2-bit
 * counter per conditional branch, a last-target table for indirect ones, far simpler than a real
 * processor's) got wrong, per completed request: only the ratio between cases means anything.
 * With `--functions N` it lists the N functions with the most of them instead (callgrind's same
 * simulation), each with its instructions.
 *
 * Each case takes minutes under valgrind (≈ 50× slower than native), so it is not part of
 * `npm run bench`.
 *
 *   npx tsx bench/instructions.ts [--case NAME]… [--devices N] [--from T1] [--to T2] [--ll MiB] [--functions N] [--misses | --branches]   (default: scale and layers-on)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLOOR_WARMUP, type FloorKernel, type FloorRun } from './floor.ts';
import { costsByFunction, perRequestByFunction, reusedOf, sumOf } from './callgrind-functions.ts';
import { LATENCY_AWARE_CASES, layersOverrides } from './latency-aware.ts';
import { requestCounts, scaleOverrides } from './scale.ts';
import { assertFreshBuild } from './startup.ts';
import { benchFlags, fmt } from './measure.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A case: what node runs for one run of `seconds` simulated seconds at N devices (its script and
 * arguments, outputs in `out`), and how many requests that run completed after the warm-up.
 */
interface Case {
  readonly name: string;
  readonly command: (devices: number, seconds: number, out: string) => string[];
  readonly completed: (out: string, stdout: string) => number;
}

/** `edelear run` of a scenario with these overrides for N devices (the duration set per run); completed requests from its requests.csv. */
const cliCase = (name: string, scenario: string, sets: (devices: number) => string[]): Case => ({
  name,
  command: (devices, seconds, out) => ['bin/edelear.js', 'run', scenario, ...[...sets(devices), `duration=${seconds}`].flatMap((s) => ['--set', s]), '--no-charts', '--quiet', '--out', out],
  completed: (out) => requestCounts(join(out, 'requests.csv')).completed,
});

/**
 * bench/floor.ts's loop of scale.yaml's model, written for it alone (`--once`: one run, its figures
 * as JSON): what the model itself costs, counted the same way, beside `scale`. The loop is
 * TypeScript run through tsx; its transpiling happens before the loop and cancels in the difference.
 */
const floorCase = (name: string, kernel: FloorKernel): Case => ({
  name,
  command: (devices, seconds) => ['--import', 'tsx', 'bench/floor.ts', '--once', '--kernel', kernel, '--devices', String(devices), '--minutes', String(seconds / 60)],
  completed: (_, stdout) => (JSON.parse(stdout.trim().split('\n').pop()!) as FloorRun).measured,
});

const layersOn = LATENCY_AWARE_CASES.find((c) => c.name === 'layers')!.arms.find((a) => a.name === 'on')!.set;
/** The overrides without their duration (each run sets its own). */
const noDuration = (sets: string[]) => sets.filter((s) => !s.startsWith('duration='));

/** The `on` arm's overrides that start with one of these (each component of `on` alone). */
const onPart = (...prefixes: string[]) => {
  const part = layersOn.filter((s) => prefixes.some((p) => s.startsWith(p)));
  if (part.length !== prefixes.length) throw new Error(`bench/latency-aware.ts's \`on\` arm no longer sets ${prefixes.join(', ')}`);
  return part;
};
const INPUTS = 'workloads[0].inputs=';
const layersWith = (name: string, parts: string[]): Case => cliCase(name, 'scenarios/bench/scale-layers.yaml', (n) => [...noDuration(layersOverrides(n, 1)), ...parts]);

const CASES: readonly Case[] = [
  cliCase('scale', 'scenarios/bench/scale.yaml', (n) => noDuration(scaleOverrides(n, 1))),
  floorCase('floor', 'heap'),
  floorCase('floor-kernel', 'simulator'),
  layersWith('layers', []),
  layersWith('layers-on', [...layersOn]),
  // `on`'s components one at a time (each cache needs the inputs' keys).
  layersWith('layers-inputs', onPart(INPUTS)),
  layersWith('layers-device-caches', onPart(INPUTS, 'nodes[0].cache=', 'nodes[1].cache=')),
  layersWith('layers-ap-edge-caches', onPart(INPUTS, 'nodes[2].cache=', 'nodes[3].cache=')),
  layersWith('layers-batching', onPart('nodes[3].scheduler=')),
  layersWith('layers-partitioning', onPart('policies=')),
];

/** Cachegrind's counts of one run, and the requests it completed. */
interface Counts {
  readonly instructions: number;
  readonly dataRefs: number;
  readonly d1Misses: number;
  readonly llMisses: number;
  /** Conditional and indirect branches cachegrind's predictor missed (NaN without `--branches`). */
  readonly mispredicts: number;
  readonly completed: number;
}

/**
 * Runs the case for `seconds` simulated seconds under `setarch -R valgrind <tool options>` with V8
 * made repeatable (and `nodeFlags` added), its outputs in `dir/out`; returns the child's pid
 * (setarch and valgrind exec into node, so it is node's; its perf map is named by it) and the
 * requests it completed after the warm-up. setarch -R: no address randomization, so simulated
 * caches see the same addresses each run.
 */
function underValgrind(c: Case, devices: number, seconds: number, dir: string, tool: readonly string[], nodeFlags: readonly string[] = []): { pid: number; completed: number } {
  const out = join(dir, 'out');
  const args = ['valgrind', ...tool, process.execPath, ...nodeFlags, '--predictable', '--predictable-gc-schedule', '--random-seed=1', '--single-threaded', ...c.command(devices, seconds, out)];
  const r = spawnSync('setarch', ['-R', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    rmSync(`/tmp/perf-${r.pid}.map`, { force: true }); // a perf map node wrote before it failed
    throw new Error(`setarch -R ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-800)}`);
  }
  return { pid: r.pid, completed: c.completed(out, r.stdout) };
}

/** The counts of one run of the case for `seconds` simulated seconds. */
function counted(c: Case, devices: number, seconds: number, llMiB: number, branches: boolean): Counts {
  const dir = mkdtempSync(join(tmpdir(), 'edelear-instructions-'));
  try {
    const outFile = join(dir, 'cachegrind.out');
    const run = underValgrind(c, devices, seconds, dir, ['--tool=cachegrind', '--cache-sim=yes', ...(branches ? ['--branch-sim=yes'] : []), ...cacheGeometry(llMiB), `--cachegrind-out-file=${outFile}`]);
    const text = readFileSync(outFile, 'utf8');
    const events = /^events: (.*)$/m.exec(text)?.[1].trim().split(/\s+/);
    const summary = /^summary: (.*)$/m.exec(text)?.[1].trim().split(/\s+/).map(Number);
    if (events === undefined || summary === undefined) throw new Error(`${outFile}: no events or summary line`);
    const get = (name: string) => {
      const k = events.indexOf(name);
      if (k < 0) throw new Error(`${outFile}: no ${name} count (events: ${events.join(' ')})`);
      return summary[k];
    };
    return {
      instructions: get('Ir'),
      dataRefs: get('Dr') + get('Dw'),
      d1Misses: get('D1mr') + get('D1mw'),
      llMisses: get('DLmr') + get('DLmw') + get('ILmr'),
      mispredicts: branches ? get('Bcm') + get('Bim') : NaN,
      completed: run.completed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The cache geometry simulated (see the header): 32 KiB 8-way L1s, an `llMiB` MiB 16-way last level, 64-byte lines. */
const cacheGeometry = (llMiB: number) => ['--I1=32768,8,64', '--D1=32768,8,64', `--LL=${llMiB * 1048576},16,64`];

/** What a per-function count is: its events in callgrind's names. */
const INSTRUCTIONS = ['Ir'];
const LL_MISSES = ['ILmr', 'DLmr', 'DLmw'];
const MISPREDICTS = ['Bcm', 'Bim'];

/** What a per-function table is ranked by besides instructions: last-level misses (of a last level of `llMiB` MiB) or mispredicted branches. */
type Ranking = { readonly by: 'misses'; readonly llMiB: number } | { readonly by: 'branches' };

/**
 * Instructions — and with a `ranking`, last-level misses or mispredicted branches — by function of
 * one run of the case for `seconds` simulated seconds (callgrind), and the requests it completed.
 */
function countedByFunction(c: Case, devices: number, seconds: number, ranking?: Ranking): { instructions: Map<string, number>; ranked?: Map<string, number>; completed: number } {
  const dir = mkdtempSync(join(tmpdir(), 'edelear-functions-'));
  let map = '';
  try {
    const outFile = join(dir, 'callgrind.out');
    const simulated = ranking === undefined ? [] : ranking.by === 'misses' ? ['--cache-sim=yes', ...cacheGeometry(ranking.llMiB)] : ['--branch-sim=yes'];
    const tool = ['--tool=callgrind', ...simulated, '--dump-instr=yes', '--compress-pos=no', '--compress-strings=no', `--callgrind-out-file=${outFile}`];
    // setarch and valgrind exec into node: its perf map is named by this child's pid.
    const run = underValgrind(c, devices, seconds, dir, tool, ['--perf-basic-prof']);
    map = `/tmp/perf-${run.pid}.map`;
    if (!existsSync(map)) throw new Error(`node wrote no perf map at ${map} (--perf-basic-prof)`);
    const costs = costsByFunction(outFile, map);
    return {
      instructions: sumOf(costs, INSTRUCTIONS),
      ranked: ranking === undefined ? undefined : sumOf(costs, ranking.by === 'misses' ? LL_MISSES : MISPREDICTS),
      completed: run.completed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (map !== '') rmSync(map, { force: true });
  }
}

/**
 * Prints the `top` functions by instructions per completed request of the loop (the longer run
 * less the shorter's) — or, with a `ranking`, by last-level misses or mispredicted branches per
 * completed request, with their instructions beside them.
 */
function printByFunction(c: Case, devices: number, from: number, to: number, top: number, ranking?: Ranking): void {
  const a = countedByFunction(c, devices, from, ranking);
  const b = countedByFunction(c, devices, to, ranking);
  const n = b.completed - a.completed;
  if (!(n > 0)) throw new Error(`${c.name}: the ${to} s run completed no more requests than the ${from} s one (${b.completed} against ${a.completed})`);
  const instructions = perRequestByFunction(b.instructions, a.instructions, n);
  const totalInstructions = instructions.reduce((s, r) => s + r.count, 0);
  if (a.ranked === undefined || b.ranked === undefined || ranking === undefined) {
    console.log(`  ${c.name}: ${fmt(totalInstructions, 0)} instructions per completed request (${fmt(n, 0)} requests); the ${top} largest functions:`);
    for (const r of instructions.slice(0, top)) console.log(`    ${fmt(r.count, 0).padStart(7)}  ${fmt((100 * r.count) / totalInstructions, 1).padStart(5)} %  ${r.name}`);
    reusedNote(reusedOf(instructions), totalInstructions, 'instructions', 0);
    return;
  }
  const ranked = perRequestByFunction(b.ranked, a.ranked, n);
  const total = ranked.reduce((s, r) => s + r.count, 0);
  const instructionsOf = new Map(instructions.map((r) => [r.name, r.count]));
  const [what, column, digits] = ranking.by === 'misses' ? ['last-level misses', 'misses', 2] : ['mispredicted branches', 'mispredicted', 1];
  console.log(`  ${c.name}: ${fmt(total, digits)} ${what} and ${fmt(totalInstructions, 0)} instructions per completed request (${fmt(n, 0)} requests); the ${top} functions with the most ${what}:`);
  console.log(`    ${column.padStart(12)}  ${'share'.padStart(7)}  ${'instructions'.padStart(12)}  function`);
  for (const r of ranked.slice(0, top)) console.log(`    ${fmt(r.count, digits).padStart(12)}  ${fmt((100 * r.count) / total, 1).padStart(5)} %  ${fmt(instructionsOf.get(r.name) ?? 0, 0).padStart(12)}  ${r.name}`);
  reusedNote(reusedOf(ranked), total, what, digits);
}

/**
 * Says how much of a per-function difference lies at addresses V8 reused for later code. The two
 * runs lay their code out apart, so an address can be one function's alone in one run and shared
 * with later code in the other: its function's figure then takes the longer run's count less
 * nothing, or the joint name's is negative — the table is only as good as this share is small.
 */
function reusedNote(reused: { count: number; pieces: number }, total: number, what: string, digits: number): void {
  const share = (100 * reused.count) / total;
  console.log(`    at addresses V8 reused for later code (each such piece charged to its functions together): ${fmt(reused.count, digits)} ${what} per request (${fmt(share, 1)} %) in ${reused.pieces} pieces`);
  if (Math.abs(share) >= 1) console.log(`    NOT RELIABLE by function: the two runs reused different addresses, so a function's figure above may hold (or lack) what a joint piece lacks (or holds)`);
}


/** Per completed request of the loop: the counts of the longer run less the shorter's, over the requests between. */
interface PerRequest {
  readonly requests: number;
  readonly instructions: number;
  readonly dataRefs: number;
  readonly d1Misses: number;
  readonly llMisses: number;
  readonly mispredicts: number;
}

function perRequest(c: Case, devices: number, from: number, to: number, llMiB: number, branches: boolean): PerRequest {
  const a = counted(c, devices, from, llMiB, branches);
  const b = counted(c, devices, to, llMiB, branches);
  const n = b.completed - a.completed;
  if (!(n > 0)) throw new Error(`${c.name}: the ${to} s run completed no more requests than the ${from} s one (${b.completed} against ${a.completed})`);
  return {
    requests: n,
    instructions: (b.instructions - a.instructions) / n,
    dataRefs: (b.dataRefs - a.dataRefs) / n,
    d1Misses: (b.d1Misses - a.d1Misses) / n,
    llMisses: (b.llMisses - a.llMisses) / n,
    mispredicts: (b.mispredicts - a.mispredicts) / n,
  };
}

export function main(names: readonly string[], devices: number, from: number, to: number, llMiB: number, functions = 0, misses = false, branches = false): void {
  assertFreshBuild();
  if (spawnSync('valgrind', ['--version']).error !== undefined) throw new Error('needs valgrind (Debian package "valgrind")');
  if (spawnSync('setarch', ['-R', 'true']).status !== 0) throw new Error('needs setarch -R (util-linux) to run without address randomization');
  const unknown = unknownCases(names);
  if (unknown !== undefined) throw new Error(unknown);
  if (functions > 0) {
    const what = misses ? `Last-level misses (${llMiB} MiB) and instructions` : branches ? 'Mispredicted branches (callgrind --branch-sim=yes) and instructions' : 'Instructions';
    const ranking: Ranking | undefined = misses ? { by: 'misses', llMiB } : branches ? { by: 'branches' } : undefined;
    console.log(`${what} per completed request of the loop, by function (callgrind, setarch -R node --perf-basic-prof --predictable --predictable-gc-schedule --random-seed=1 --single-threaded; ${devices} devices; runs of ${from} s and ${to} s simulated)`);
    for (const name of names) printByFunction(CASES.find((x) => x.name === name)!, devices, from, to, functions, ranking);
    return;
  }
  console.log(`Work per completed request of the loop (cachegrind, setarch -R node --predictable --predictable-gc-schedule --random-seed=1 --single-threaded; ${fmt(devices, 0)} devices; runs of ${from} s and ${to} s simulated; last level ${llMiB} MiB)`);
  const mispredicts = branches ? ' mispredicted' : '';
  console.log(`  ${'case'.padEnd(22)}  requests  instructions  data refs  D1 misses  LL misses${mispredicts}  ×first (instructions, LL misses${branches ? ', mispredicted' : ''})`);
  let first: PerRequest | undefined;
  for (const name of names) {
    const c = CASES.find((x) => x.name === name)!;
    const r = perRequest(c, devices, from, to, llMiB, branches);
    first ??= r;
    const x = first === r ? '' : `${fmt(r.instructions / first.instructions, 2)}, ${fmt(r.llMisses / first.llMisses, 2)}${branches ? `, ${fmt(r.mispredicts / first.mispredicts, 2)}` : ''}`;
    const m = branches ? ` ${fmt(r.mispredicts, 1).padStart(12)}` : '';
    console.log(`  ${name.padEnd(22)} ${fmt(r.requests, 0).padStart(9)} ${fmt(r.instructions, 0).padStart(13)} ${fmt(r.dataRefs, 0).padStart(10)} ${fmt(r.d1Misses, 1).padStart(10)} ${fmt(r.llMisses, 2).padStart(10)}${m}  ${x}`);
  }
}

/** What is wrong with these case names (undefined: nothing). */
function unknownCases(names: readonly string[]): string | undefined {
  const unknown = names.filter((n) => !CASES.some((c) => c.name === n));
  return unknown.length === 0 ? undefined : `--case ${unknown.join(', ')}: expected one of ${CASES.map((c) => c.name).join(', ')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/instructions.ts [--case NAME]… [--devices N] [--from T1] [--to T2] [--ll MiB] [--functions N] [--misses | --branches]   (default: scale and layers-on at 10000 devices, 120 to 240 s, a 1 MiB last level; see the header of bench/instructions.ts)';
  const a = benchFlags('bench/instructions.ts', usage, ['--case', '--devices', '--from', '--to', '--ll', '--functions'], ['--misses', '--branches'], ['--case']);
  const cases = a.all('--case');
  const unknown = unknownCases(cases);
  if (unknown !== undefined) a.fail(unknown);
  const devices = a.devices() ?? 1e4;
  const from = a.above('--from', 0, 'simulated seconds') ?? 120;
  const to = a.above('--to', 0, 'simulated seconds') ?? 240;
  if (cases.some((c) => c.startsWith('floor')) && !(from > FLOOR_WARMUP)) {
    a.fail(`--case floor (and floor-kernel) needs --from above scale.yaml's ${FLOOR_WARMUP} s warm-up (the floor counts requests born after it), got ${from}`);
  }
  if (!(to > from)) a.fail(`--to (${to}) must be above --from (${from})`);
  const functions = a.whole('--functions') ?? 0;
  const misses = a.has('--misses');
  if (misses && functions === 0) a.fail('--misses lists functions by their misses: give --functions N too');
  const branches = a.has('--branches');
  if (branches && misses) a.fail('--functions ranks by --misses or by --branches, not both');
  main(cases.length > 0 ? cases : ['scale', 'layers-on'], devices, from, to, a.above('--ll', 0, 'MiB') ?? 1, functions, misses, branches);
}
