import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  claimRows,
  COLLABORATION_CLAIM,
  compressionRows,
  EDELEAR_PAPER,
  estimate,
  type FederatedOutcome,
  verdict,
} from '../../src/cli/federated.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIO = 'scenarios/federated.yaml';

/** The 0.975 quantile of Student's t: ν = 1 → 12.7062, ν = 2 → 4.3027 (any t table). */
const T975 = { 1: 12.7062, 2: 4.3027 } as const;

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true });
}

function run(args: string[]): string {
  const out = mkdtempSync(join(tmpdir(), 'edelear-fl-'));
  const r = spawnSync(process.execPath, ['bin/edelear.js', 'run', SCENARIO, ...args, '--out', out, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

/** Outcomes of one split over seeds with the given final and local-only accuracies (the row functions read nothing else). */
function outcomes(split: string, compression: string, finals: readonly number[], localOnly: readonly number[], centralized: readonly number[]): FederatedOutcome[] {
  return finals.map((accuracy, i) => ({
    split,
    compression,
    seed: 1 + i,
    rounds: [{ round: 1, aggregated: 1 } as FederatedOutcome['rounds'][number]], // one round that aggregated (a run with none learned nothing: not judged)
    energy: [],
    accuracy,
    localOnly: { mean: localOnly[i], worst: localOnly[i] - 0.1 },
    centralized: centralized[i],
    trainingSeconds: 0,
  }));
}

describe('claims judged over seeds (pure)', () => {
  it('a claim holds when its whole 95% interval clears the threshold, does not hold when it lies below, is inconclusive when it straddles', () => {
    // Margins 0.06, 0.07, 0.08: mean 0.07, sd 0.01, half-width t(0.975, 2) · 0.01 / √3 = 0.02484 → [0.0452, 0.0948] ∋ 0.05.
    const straddling = estimate([0.06, 0.07, 0.08]);
    expect(straddling.halfWidth).toBeCloseTo((T975[2] * 0.01) / Math.sqrt(3), 4);
    expect(verdict(straddling, 0.05)).toBe('inconclusive');
    expect(verdict(estimate([0.09, 0.1, 0.11]), 0.05)).toBe('holds'); // [0.075, 0.125]
    expect(verdict(estimate([0.01, 0.02, 0.03]), 0.05)).toBe('does not hold'); // [−0.005, 0.045]
    // One seed has no interval: it cannot decide, however far the value is from the threshold.
    const one = estimate([0.5]);
    expect([one.mean, one.n, one.low]).toEqual([0.5, 1, NaN]);
    expect(verdict(one, 0.05)).toBe('inconclusive');
  });

  it('claims.csv rows: the paired margin over seeds, its interval and verdict, the gap to centralized beside it, the paper as source', () => {
    const finals = [0.92, 0.93, 0.925];
    const local = [0.89, 0.895, 0.9];
    const central = [0.96, 0.955, 0.965];
    const [row] = claimRows('s', outcomes('iid', 'none', finals, local, central));
    const margins = finals.map((f, i) => f - local[i]); // 0.03, 0.035, 0.025
    const half = (T975[2] * sd(margins)) / Math.sqrt(3);
    expect(row.n).toBe(3);
    expect(row.seeds).toBe('1..3');
    expect(row.margin_fraction_mean).toBeCloseTo(mean(margins), 12);
    expect(row.margin_fraction_ci95_low).toBeCloseTo(mean(margins) - half, 4);
    expect(row.margin_fraction_ci95_high).toBeCloseTo(mean(margins) + half, 4);
    expect(row.verdict).toBe('does not hold'); // 0.03 ± 0.0124: wholly below 0.05 (0.04 ± 0.0124 would straddle it)
    expect(row.gap_to_centralized_fraction_mean).toBeCloseTo(mean(central.map((c, i) => c - finals[i])), 12);
    expect(row.centralized_mean).toBeCloseTo(mean(central), 12);
    expect(row.threshold_fraction).toBe(COLLABORATION_CLAIM.threshold);
    expect(row.source).toBe(EDELEAR_PAPER);
    expect(EDELEAR_PAPER).toContain('M. Farooq and M. H. Khan, "EDeLeaR: Edge-based Deep Learning with Resource Awareness');
  });

  it('a margin equal in every seed (an interval of no width) is inconclusive, said so, not a certain "holds"', () => {
    // Margins 0.06 and 0.06 (0.96 − 0.9 and 0.91 − 0.85, to rounding): mean 0.06 above 0.05, width 0.
    const [row] = claimRows('s', outcomes('iid', 'none', [0.96, 0.91], [0.9, 0.85], [0.97, 0.97]));
    expect(row.margin_fraction_ci95_low).toBeCloseTo(0.06, 12);
    expect(row.margin_fraction_ci95_high).toBeCloseTo(0.06, 12);
    expect(row.verdict).toBe('inconclusive');
    expect(row.measured).toContain('no spread: every seed gave the same margin');
    // With any spread the usual rule: 0.06 and 0.0601 give 0.06005 ± t(0.975, 1)·0.0000707/√2 = [0.0594, 0.0607], wholly above 0.05.
    expect(claimRows('s', outcomes('iid', 'none', [0.96, 0.9101], [0.9, 0.85], [0.97, 0.97]))[0].verdict).toBe('holds');
  });

  it('fl_compression.csv rows: accuracy change paired by seed against the first compression, with its interval', () => {
    const none = outcomes('iid', 'none', [0.9, 0.92, 0.91], [NaN, NaN, NaN], [NaN, NaN, NaN]);
    // Seed by seed 0.004, 0.002, 0.003 above the reference: an interval above 0 although the finals overlap.
    const q8 = outcomes('iid', 'quantize(8 bits)', [0.904, 0.922, 0.913], [NaN, NaN, NaN], [NaN, NaN, NaN]);
    const rows = compressionRows('s', [...none, ...q8], 1000);
    expect(rows.map((r) => [r.compression, r.reference, r.accuracy_change])).toEqual([
      ['none', 'none', 'reference'],
      ['quantize(8 bits)', 'none', 'higher'],
    ]);
    // Every seed two test digits of 1,000 above: an interval of no width, said as it is rather than judged "higher".
    // (102/1000 − 100/1000 and 922/1000 − 920/1000 differ in their last bits: the width is rounding, not spread.)
    const low = outcomes('iid', 'none', [0.1, 0.92, 0.91], [NaN, NaN, NaN], [NaN, NaN, NaN]);
    const q2 = outcomes('iid', 'quantize(2 bits)', [0.102, 0.922, 0.912], [NaN, NaN, NaN], [NaN, NaN, NaN]);
    expect(0.102 - 0.1).not.toBe(0.922 - 0.92);
    const alike = compressionRows('s', [...low, ...q2], 1000)[1];
    expect(alike.accuracy_change_fraction_ci95_low).toBeCloseTo(0.002, 12);
    expect(alike.accuracy_change_fraction_ci95_high).toBeCloseTo(0.002, 12);
    expect(alike.accuracy_change).toBe('no spread: every seed gave the same change (the measure moves in steps of 0.001); more seeds needed');
    expect(rows[1].accuracy_change_fraction_mean).toBeCloseTo(0.003, 12);
    expect(rows[1].accuracy_change_fraction_ci95_low).toBeCloseTo(0.003 - (T975[2] * 0.001) / Math.sqrt(3), 4);
    expect(rows[1].final_accuracy_mean).toBeCloseTo(0.913, 12);
  });

  it('learning.replications must be a whole number of at least 1: 0 is an error naming its path', () => {
    const load = () => loadScenario(join(ROOT, SCENARIO), ['learning.replications=0']);
    expect(load).toThrow(InputError);
    expect(load).toThrow(/learning\.replications/);
    expect(loadScenario(join(ROOT, SCENARIO), []).scenario.learning?.replications).toBe(5);
  });
});

/**
 * Test accuracy the global model must reach after each of the two rounds (chance is 0.1).
 * Measured over seeds 1–10 (`--seed s --set learning.rounds=2`), mean ± sd of test_accuracy:
 *   iid:            round 1 0.788 ± 0.012 (min 0.768), round 2 0.852 ± 0.005 (min 0.844)
 *   dirichlet(0.1): round 1 0.500 ± 0.052 (min 0.413), round 2 0.635 ± 0.046 (min 0.563)
 * Each bound is about the mean − 4 sd: a model that learns less than that in two rounds is
 * broken, not unlucky.
 */
const MIN_ACCURACY: Record<string, number> = {
  'iid#1': 0.74,
  'iid#2': 0.83,
  'dirichlet(0.1)#1': 0.29,
  'dirichlet(0.1)#2': 0.45,
};

/** Small settings: two rounds, two seeds, two of the scenario's three splits, and one compression beside its own. */
const SMALL = [
  ...['learning.rounds=2', 'learning.replications=2', 'learning.compare=[iid, { dirichlet: 0.1 }]', 'learning.compareCompression=[none, { quantize: { bits: 8 } }]'].flatMap((s) => ['--set', s]),
];
const RUNS = [
  ...['iid', 'dirichlet(0.1)'].flatMap((split) => ['1', '2'].map((seed) => `${seed}|${split}|none`)),
  ...['1', '2'].map((seed) => `${seed}|iid|quantize(8 bits, stochastic, per tensor)`),
];
const runKey = (r: Record<string, string>) => `${r.seed}|${r.split}|${r.compression}`;

describe('edelear run scenarios/federated.yaml (2 rounds, 2 seeds)', () => {
  let a: string;
  beforeAll(() => {
    a = run([...SMALL, '--no-charts']); // the federated charts are checked in test/report/charts.test.ts
  });

  it('every per-run file covers all runs (seed, split, compression); empty tables are a header alone', () => {
    for (const f of ['nodes.csv', 'links.csv', 'run.csv', 'fl_rounds.csv', 'fl_energy.csv']) {
      expect(new Set(csv(join(a, f)).map(runKey)), f).toEqual(new Set(RUNS));
    }
    expect(csv(join(a, 'run.csv'))).toHaveLength(RUNS.length);
    expect(csv(join(a, 'nodes.csv'))).toHaveLength(RUNS.length * 13);
    // No inference workload: requests.csv and latency.csv hold their header and nothing else.
    for (const f of ['requests.csv', 'latency.csv']) {
      const lines = readFileSync(join(a, f), 'utf8').split('\n');
      expect(lines, f).toHaveLength(2);
      expect(lines[0].startsWith('scenario,seed,split,compression,workload,'), f).toBe(true);
      expect(lines[1], f).toBe('');
    }
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(manifest.runs).toBe(RUNS.length);
    expect(manifest.trainingSeconds).toBeGreaterThan(0);
    expect(manifest.wallSeconds).toBeGreaterThan(manifest.trainingSeconds + manifest.simulationSeconds);
  });

  it('fl_rounds.csv and fl_energy.csv join 1:1 on (seed, split, compression, round), rounds from 1', () => {
    const rounds = csv(join(a, 'fl_rounds.csv'));
    const energy = csv(join(a, 'fl_energy.csv'));
    const key = (r: Record<string, string>) => `${runKey(r)}|${r.round}`;
    expect(new Set(energy.map(key))).toEqual(new Set(rounds.map(key)));
    expect(rounds.filter((r) => r.seed === '1' && r.split === 'iid' && r.compression === 'none').map((r) => r.round)).toEqual(['1', '2']);
    for (const r of rounds) {
      const parts = energy.filter((e) => key(e) === key(r));
      expect(parts, key(r)).toHaveLength(11); // the server + 10 clients
      expect(parts.reduce((s, e) => s + Number(e.energy_J), 0)).toBeCloseTo(Number(r.energy_total_J), 6);
      expect(Number(r.clients_selected)).toBe(10);
      // Every selected client either reported, was late (the second farm Pi behind the 1 Mbit/s link) or failed.
      expect(Number(r.clients_completed) + Number(r.clients_dropped_late) + Number(r.clients_dropped_failed)).toBe(10);
      if (r.compression === 'none') expect(Number(r.test_accuracy), key(r)).toBeGreaterThan(MIN_ACCURACY[`${r.split}#${r.round}`]);
    }
  });

  it('fl_baselines.csv and claims.csv give the mean over seeds of fl_replications.csv, its t interval and n; the verdict follows the interval', () => {
    const seeds = csv(join(a, 'fl_replications.csv'));
    const baselines = csv(join(a, 'fl_baselines.csv'));
    const claims = csv(join(a, 'claims.csv'));
    expect(claims.map((c) => c.split)).toEqual(['iid', 'dirichlet(0.1)']);
    const column: Record<string, string> = {
      federated: 'federated_accuracy',
      'local-only (mean over clients)': 'local_only_mean_accuracy',
      'local-only (worst client)': 'local_only_worst_accuracy',
      centralized: 'centralized_accuracy',
    };
    expect(baselines).toHaveLength(2 * 4);
    for (const b of baselines) {
      const values = seeds.filter((s) => s.split === b.split).map((s) => Number(s[column[b.training]]));
      expect(values).toHaveLength(2);
      expect(b.n).toBe('2');
      expect(Number(b.accuracy_mean)).toBeCloseTo(mean(values), 12);
      // Student t over the 2 seeds, cut to [0, 1] (an accuracy lies there).
      const half = (T975[1] * sd(values)) / Math.sqrt(2);
      expect(Number(b.accuracy_ci95_high)).toBeCloseTo(Math.min(1, mean(values) + half), 4);
      expect(Number(b.accuracy_ci95_low)).toBeCloseTo(Math.max(0, mean(values) - half), 4);
    }
    for (const c of claims) {
      const margins = seeds.filter((s) => s.split === c.split).map((s) => Number(s.margin_fraction));
      expect(Number(c.margin_fraction_mean)).toBeCloseTo(mean(margins), 12);
      const [low, high] = [Number(c.margin_fraction_ci95_low), Number(c.margin_fraction_ci95_high)];
      expect(c.verdict).toBe(low >= 0.05 ? 'holds' : high < 0.05 ? 'does not hold' : 'inconclusive');
      expect(Number(c.gap_to_centralized_fraction_mean)).toBeCloseTo(mean(seeds.filter((s) => s.split === c.split).map((s) => Number(s.gap_to_centralized_fraction))), 12);
      expect(c.source).toBe(EDELEAR_PAPER);
    }
  });

  it('fl_compression.csv: the accuracy change is the mean over seeds of the paired final-round differences in fl_rounds.csv', () => {
    const rounds = csv(join(a, 'fl_rounds.csv'));
    const final = (seed: string, compression: string) => Number(rounds.find((r) => r.seed === seed && r.split === 'iid' && r.compression === compression && r.round === '2')!.test_accuracy);
    const rows = csv(join(a, 'fl_compression.csv'));
    expect(rows.map((r) => r.compression)).toEqual(['none', 'quantize(8 bits, stochastic, per tensor)']);
    const q = 'quantize(8 bits, stochastic, per tensor)';
    const changes = ['1', '2'].map((s) => final(s, q) - final(s, 'none'));
    expect(Number(rows[1].accuracy_change_fraction_mean)).toBeCloseTo(mean(changes), 12);
    expect(Number(rows[1].final_accuracy_mean)).toBeCloseTo(mean(['1', '2'].map((s) => final(s, q))), 12);
    expect(rows[1].n).toBe('2');
  });

  it('replication r is the run of seed + r: --seed 2 with one replication gives the second seed\'s rows byte for byte', () => {
    const one = ['learning.replications=1', 'learning.compare=[]', 'learning.compareCompression=[]'].flatMap((s) => ['--set', s]);
    const b = run(['--seed', '2', ...SMALL, ...one, '--no-charts']);
    for (const f of ['fl_rounds.csv', 'fl_energy.csv', 'fl_replications.csv', 'nodes.csv', 'links.csv']) {
      const lines = (dir: string) => readFileSync(join(dir, f), 'utf8').split('\n');
      const seed2 = lines(a).filter((l) => l.startsWith('federated,2,iid,none,'));
      expect(seed2.length, f).toBeGreaterThan(0);
      expect(lines(b).slice(1, -1), f).toEqual(seed2);
    }
  });
});

describe('a federated study whose global model learned nothing, or too little', () => {
  it('rounds that aggregate no update: aggregated 0, baselines at the same (no) training, a warning and an inconclusive claim (helper-82: "does not hold", −44 points, against fully trained baselines)', () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-fl-none-'));
    const set = ['learning.rounds=2', 'learning.replications=2', 'learning.roundDeadline=1 ms', 'learning.compare=[]', 'learning.compareCompression=[]'].flatMap((s) => ['--set', s]);
    const r = spawnSync(process.execPath, ['bin/edelear.js', 'run', SCENARIO, ...set, '--out', out, '--quiet', '--no-charts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: the global model took 0 of the 2 rounds asked: 2 rounds aggregated no update .*trained as many rounds' epochs \(0 × E\).*\(in 2 of 2 runs; the first: split iid, compression none, seed 1\)$/m);
    for (const row of csv(join(out, 'fl_rounds.csv'))) expect([row.clients_completed, row.aggregated]).toEqual(['0', '0']);
    const reps = csv(join(out, 'fl_replications.csv'));
    expect(reps.map((x) => [x.rounds_completed, x.rounds_aggregated])).toEqual([['2', '0'], ['2', '0']]);
    // The untrained model, the same initial weights for all three on a seed.
    for (const x of reps) expect(Number(x.local_only_mean_accuracy)).toBeCloseTo(Number(x.federated_accuracy), 12);
    const [claim] = csv(join(out, 'claims.csv'));
    expect(claim.verdict).toBe('inconclusive');
    expect(claim.measured).toContain('2 of 2 runs aggregated no round');
  });

  it('a start at or after the run’s end is refused, exit 2 (helper-82: it ran 0 rounds in silence)', () => {
    const r = spawnSync(process.execPath, ['bin/edelear.js', 'validate', SCENARIO, '--set', 'learning.start=30 min'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/learning\.start: expected a start before the run's end at 1800 s \(no round could run\), got 1800 s/);
  });
});

describe('learning.clients matching more than devices', () => {
  it('warns when the pattern matches the server or nodes that are no devices (helper-82: `clients: "*"` made the gateways and the server clients, unsaid); the scenario as written does not', () => {
    const validate = (set: string[]) => spawnSync(process.execPath, ['bin/edelear.js', 'validate', SCENARIO, ...set.flatMap((s) => ['--set', s])], { cwd: ROOT, encoding: 'utf8' });
    expect(validate([]).stderr).toBe('');
    const all = validate(['learning.clients="*"']);
    expect(all.status).toBe(0);
    expect(all.stderr).toMatch(/learning\.clients: "\*" matches the server edge too: it trains on a share of the digits as a client besides aggregating/);
    expect(all.stderr).toMatch(/learning\.clients: "\*" matches nodes that are no devices: gw \(gateway\), ruralgw \(gateway\); each holds a share/);
  });
});
