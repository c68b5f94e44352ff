/**
 * The whole `edelear compare scenarios/paper-edelear.yaml` (the CLI from dist/, 5 seeds, every
 * arm, the paper's tables, the measured compression study and claims.csv), timed end to end, with
 * in the same run: the comparison without the paper's outputs (`--no-paper-tables`) and one
 * `edelear run` of the scenario (one arm, one seed) as the baseline. Medians over alternating
 * rounds; the target is the whole comparison well under a minute.
 *
 *   npx tsx bench/compare.ts [--rounds R]
 *
 * Needs a fresh build (`npm run build`) and /usr/bin/time (Debian package "time").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFlags, fmt, median, timed } from './measure.ts';
import { assertFreshBuild } from './startup.ts';

const SCENARIO = 'scenarios/paper-edelear.yaml';

/** What one timed command took, and what its manifest says. */
interface Timing {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly runs: number;
  readonly simulationSeconds: number;
}

function time(args: readonly string[]): Timing {
  const out = mkdtempSync(join(tmpdir(), 'edelear-bench-compare-'));
  try {
    const { seconds, rssMiB } = timed(process.execPath, ['bin/edelear.js', ...args, '--no-charts', '--quiet', '--out', out]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { runs: number; simulationSeconds: number };
    return { seconds, rssMiB, runs: manifest.runs, simulationSeconds: manifest.simulationSeconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function main(rounds = 3): void {
  assertFreshBuild();
  const cases = [
    { name: `edelear compare ${SCENARIO}`, args: ['compare', SCENARIO] },
    { name: '  … --no-paper-tables', args: ['compare', SCENARIO, '--no-paper-tables'] },
    { name: `edelear run ${SCENARIO} (baseline)`, args: ['run', SCENARIO] },
  ];
  const timings = cases.map(() => [] as Timing[]);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
    for (const j of order) timings[j].push(time(cases[j].args));
  }
  console.log(`The paper's comparison (${SCENARIO}; the CLI from dist/; medians of ${rounds} alternating rounds)`);
  console.log('  command                                                   wall s  ×run  runs  loop s  peak RSS');
  const run = median(timings[2].map((t) => t.seconds));
  cases.forEach((c, j) => {
    const ts = timings[j];
    const s = median(ts.map((t) => t.seconds));
    console.log(`  ${c.name.padEnd(56)}  ${fmt(s, 2).padStart(6)}  ${fmt(s / run, 1).padStart(4)}  ${String(ts[0].runs).padStart(4)}  ${fmt(median(ts.map((t) => t.simulationSeconds)), 2).padStart(6)}  ${`${fmt(median(ts.map((t) => t.rssMiB)), 0)} MiB`.padStart(8)}`);
  });
  const whole = median(timings[0].map((t) => t.seconds));
  const bare = median(timings[1].map((t) => t.seconds));
  console.log(`  the paper's outputs (tables, the measured study on 5 seeds, claims): ${fmt(whole - bare, 1)} s of the ${fmt(whole, 1)} s; the whole comparison ${whole < 60 ? 'is' : 'is NOT'} under a minute`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/compare.ts [--rounds R]   (R ≥ 1, default 3)';
  main(benchFlags('bench/compare.ts', usage, ['--rounds']).whole('--rounds'));
}
