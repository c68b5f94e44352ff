/**
 * Reading ahead (world/warm.ts) against not reading ahead (`WorldSpec.readAhead: false`), paired in
 * this process (bench/measure.ts `pairedRounds`: the arms alternate, `--rounds` times; medians and the
 * median of the per-round ratios). Both arms run the same spec and give the same figures (checked
 * here: the same requests completed); the rate is completed requests per second of the event loop.
 *
 * Cases, at N devices (default 10^4, 30 simulated minutes):
 *   scale    scenarios/bench/scale.yaml (bench/scale.ts's)
 *   layers   scenarios/bench/scale-layers.yaml with Zipf inputs, caches on every node, batching on
 *            the edges and partitioning: bench/latency-aware.ts's `on` arm
 *
 *   npx tsx bench/read-ahead.ts [--devices N] [--minutes M] [--rounds R] [--case scale|layers]
 */
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';
import type { WorldSpec } from '../src/world/world.ts';
import { LATENCY_AWARE_CASES, layersOverrides } from './latency-aware.ts';
import { benchFlags, fmt, median, pairedRounds } from './measure.ts';
import { scaleOverrides } from './scale.ts';

interface Case {
  readonly name: string;
  readonly spec: (devices: number, minutes: number) => WorldSpec;
}

const layersOn = LATENCY_AWARE_CASES.find((c) => c.name === 'layers')!.arms.find((a) => a.name === 'on')!.set;

const CASES: readonly Case[] = [
  { name: 'scale', spec: (n, m) => buildWorldSpec(loadScenario('scenarios/bench/scale.yaml', scaleOverrides(n, m)), loadCatalog()) },
  { name: 'layers', spec: (n, m) => buildWorldSpec(loadScenario('scenarios/bench/scale-layers.yaml', [...layersOverrides(n, m), ...layersOn]), loadCatalog()) },
];

interface Run {
  readonly completed: number;
  readonly loopSeconds: number;
  readonly warmed: number;
}

export function main(devices = 1e4, minutes = 30, rounds = 5, only?: string): void {
  for (const c of CASES) {
    if (only !== undefined && c.name !== only) continue;
    const spec = c.spec(devices, minutes);
    const arms = [
      { name: 'off', spec: { ...spec, readAhead: false } },
      { name: 'on', spec },
    ];
    const runArm = (arm: (typeof arms)[number]): Run => {
      const result = simulate(arm.spec);
      return { completed: result.world.completedCount, loopSeconds: result.wallSeconds, warmed: result.world.warmer.warmed };
    };
    const paired = pairedRounds(arms, runArm, { rounds, rate: (r) => r.completed / r.loopSeconds });
    const off = paired.runs.get('off')!;
    const on = paired.runs.get('on')!;
    if (on.some((r) => r.completed !== off[0].completed) || off.some((r) => r.completed !== off[0].completed)) throw new Error(`${c.name}: the arms completed different requests`);
    console.log(`Reading ahead, case ${c.name} (${fmt(devices)} devices, ${minutes} simulated minutes, ${rounds} alternating rounds, in-process)`);
    console.log(`  completed ${fmt(off[0].completed)} requests in every run; arrivals read ahead for: ${fmt(on[0].warmed)}`);
    for (const [name, runs] of paired.runs) console.log(`  ${name.padEnd(4)} ${fmt(median(runs.map((r) => r.completed / r.loopSeconds))).padStart(10)} completed/s of loop (median)`);
    console.log(`  on ÷ off, per round: ${paired.ratios.get('on')!.map((x) => x.toFixed(2)).join(' ')} (median ${paired.ratio('on').toFixed(3)})`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/read-ahead.ts [--devices N] [--minutes M] [--rounds R] [--case scale|layers]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1; default 10000 devices, 30 minutes, 5 rounds, both cases)';
  const a = benchFlags('bench/read-ahead.ts', usage, ['--devices', '--minutes', '--rounds', '--case']);
  main(a.devices(), a.minutes(), a.whole('--rounds'), a.oneOf('--case', CASES.map((c) => c.name)));
}
