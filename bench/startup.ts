/**
 * Start-up of the installed CLI (bin/edelear.js running the compiled dist/), measured against
 * `node -e 0` in the same run, alternating (baseline, command, baseline, command, …) so that
 * drift on the machine hits both alike; each command's figure is the median over the rounds of
 * its wall time, and its ratio the median of the per-round ratios to the baseline beside it.
 * Targets (issue 7, on the 2-core machine): `edelear --help` ≤ 3× `node -e 0`; `edelear validate
 * scenarios/default.yaml` under 0.5 s; `edelear run scenarios/default.yaml --no-charts` under
 * 1.5 s in total; resident memory before a scenario is built under 80 MB (the peak RSS of
 * `--help`, which loads everything a command starts with, and of `validate` beside it). Each
 * target is judged over the rounds (bench/measure.ts `targetVerdict`: the 95 % interval of the
 * mean of the per-round ratios, or of the seconds — holds, does not hold or inconclusive).
 *
 *   npx tsx bench/startup.ts [--rounds N] [--against DIR]
 *
 * Needs a build (`npm run build`); it refuses to time a stale one (src/ newer than dist/).
 * `--against DIR` also times DIR/bin/edelear.js (another checkout or a copy of an older build,
 * with its own dist/, package.json, data/ and scenarios/) in each round beside this one, the two in
 * alternating order, and reports the median of the per-round ratios this / DIR.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { staleBuild } from '../bin/build-state.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Verdict } from '../src/metrics/confidence.ts';
import { benchFlags, median, targetVerdict } from './measure.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One timed command: its arguments to `node`, and its target (a ratio to `node -e 0`, or seconds). */
interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly target: { readonly ratio: number } | { readonly seconds: number };
}

/** What the benchmark measured for one command. */
export interface StartupRow {
  readonly name: string;
  readonly medianSeconds: number;
  readonly medianRatio: number;
  readonly peakRssMiB: number;
  readonly target: string;
  /** The target judged over the rounds (bench/measure.ts `targetVerdict`: the 95 % interval of their mean). */
  readonly verdict: Verdict;
  /** With `--against DIR`: the median over the rounds of this build's time over DIR's. */
  readonly medianRatioToOther?: number;
  readonly otherMedianSeconds?: number;
}

/** Wall seconds and peak RSS (MiB) of `node ARGS`, run from the repository root (or `cwd`); throws if it fails. */
function timeNode(args: readonly string[], cwd = ROOT): { seconds: number; rssMiB: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const kib = Number(r.stderr.trim().split('\n').pop());
  return { seconds, rssMiB: kib / 1024 };
}

/** Throws when dist/ is missing or older than a source file (timing it would mislead). */
export function assertFreshBuild(): void {
  const stale = staleBuild();
  if (stale !== undefined) throw new Error(`${stale}: run \`npm run build\` first`);
}

export function main(rounds = 7, against?: string): StartupRow[] {
  assertFreshBuild();
  if (!existsSync('/usr/bin/time')) throw new Error('needs /usr/bin/time (Debian package "time") for peak RSS');
  if (against !== undefined && !existsSync(join(against, 'bin/edelear.js'))) throw new Error(`--against ${against}: expected a folder with bin/edelear.js (a checkout or a copy of a build)`);
  const out = mkdtempSync(join(tmpdir(), 'edelear-startup-'));
  const cases: Case[] = [
    { name: 'edelear --help', args: ['bin/edelear.js', '--help'], target: { ratio: 3 } },
    { name: 'edelear validate scenarios/default.yaml', args: ['bin/edelear.js', 'validate', 'scenarios/default.yaml'], target: { seconds: 0.5 } },
    { name: 'edelear run scenarios/default.yaml --no-charts', args: ['bin/edelear.js', 'run', 'scenarios/default.yaml', '--no-charts', '--quiet', '--out', out], target: { seconds: 1.5 } },
  ];
  const baseline: number[] = [];
  const seconds = cases.map(() => [] as number[]);
  const ratios = cases.map(() => [] as number[]);
  const rss = cases.map(() => 0);
  const other = cases.map(() => [] as number[]);
  const toOther = cases.map(() => [] as number[]);
  try {
    timeNode(['-e', '0']); // warm the file cache once
    for (let round = 0; round < rounds; round++) {
      cases.forEach((c, j) => {
        const base = timeNode(['-e', '0']).seconds;
        // With --against, the two builds run in turn, which one first alternating by round.
        const before = against !== undefined && round % 2 === 1 ? timeNode(c.args, against).seconds : undefined;
        const run = timeNode(c.args);
        const theirs = before ?? (against !== undefined ? timeNode(c.args, against).seconds : undefined);
        baseline.push(base);
        seconds[j].push(run.seconds);
        ratios[j].push(run.seconds / base);
        rss[j] = Math.max(rss[j], run.rssMiB);
        if (theirs !== undefined) {
          other[j].push(theirs);
          toOther[j].push(run.seconds / theirs);
        }
      });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const rows = cases.map((c, j): StartupRow => {
    const s = median(seconds[j]);
    const r = median(ratios[j]);
    const { verdict } = 'ratio' in c.target ? targetVerdict(ratios[j], c.target.ratio, 'at most') : targetVerdict(seconds[j], c.target.seconds, 'at most');
    const vs = against === undefined ? {} : { medianRatioToOther: median(toOther[j]), otherMedianSeconds: median(other[j]) };
    return { name: c.name, medianSeconds: s, medianRatio: r, peakRssMiB: rss[j], target: 'ratio' in c.target ? `≤ ${c.target.ratio}× node -e 0` : `< ${c.target.seconds} s`, verdict, ...vs };
  });
  console.log(`Start-up of the compiled CLI (${rounds} rounds, each command paired with a \`node -e 0\` run beside it; median ${(median(baseline) * 1000).toFixed(0)} ms for \`node -e 0\`)`);
  console.log('  command                                            median s   × node -e 0   peak RSS   target              verdict (95 % interval of the rounds\' mean)');
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(50)} ${r.medianSeconds.toFixed(3).padStart(8)}   ${r.medianRatio.toFixed(2).padStart(11)}   ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(8)}   ${r.target.padEnd(18)}  ${r.verdict}`);
  }
  if (against !== undefined) {
    console.log(`Against ${against} (run beside this build in every round, alternating which first): median of the per-round ratios this / that`);
    for (const r of rows) console.log(`  ${r.name.padEnd(50)} ${r.otherMedianSeconds?.toFixed(3).padStart(8)} s there   × ${r.medianRatioToOther?.toFixed(3)}`);
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/startup.ts [--rounds R] [--against DIR]   (R ≥ 1, default 7; DIR a checkout or a copy of a build, its dist/ built)';
  const a = benchFlags('bench/startup.ts', usage, ['--rounds', '--against']);
  const against = a.given.get('--against');
  if (against !== undefined && !existsSync(join(against, 'bin/edelear.js'))) a.fail(`--against expects a folder with bin/edelear.js (a checkout or a copy of a build), got "${against}"`);
  main(a.whole('--rounds'), against);
}
