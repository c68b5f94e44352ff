import { availableParallelism } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/cli/sweep.ts';

/*
 * `edelear sweep`: the summary over replications from the runs' own files; byte-identical
 * summary.csv with 1 and 2 workers; a failing point reported with its run ids and exit 4; a
 * sweep killed with SIGKILL and started again runs only what is missing and writes the summary
 * of an uninterrupted sweep.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT = join(ROOT, 'scenarios/default.yaml');
const dir = mkdtempSync(join(tmpdir(), 'edelear-sweep-'));
const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });

function sweepFile(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `scenario: ${JSON.stringify(DEFAULT)}\n${text}`);
  return file;
}

type Rows = Record<string, string>[];
const csv = (file: string): Rows => parse(readFileSync(file, 'utf8'), { columns: true }) as Rows;

/** Runs the command in this process (its worker threads run the compiled worker when dist/ is fresh, else the sources through tsx: sweep/pool.ts). */
async function sweep(file: string, out: string, workers: number): Promise<void> {
  await sweepCommand(file, { workers, out, quiet: true, strict: false, charts: false }); // charts: drawn by the CLI sweep below
  process.exitCode = undefined;
}

describe('edelear sweep', () => {
  // 2 rates × 2 arms × 3 seeds = 12 runs of 30 simulated seconds.
  const small = sweepFile('small', 'replications: 3\nparameters:\n  workloads[0].arrivals.poisson: [2/s, 6/s]\n  duration: [30 s]\npolicies: [all-local]\nmetrics: [latency_mean_s, energy_per_request_J]\n');

  it('writes one row per (point, arm) in file order, its mean and Student-t 95% CI from its runs; identical with 1 and 2 workers', async () => {
    const one = join(dir, 'one');
    const two = join(dir, 'two');
    await sweep(small, one, 1);
    await sweep(small, two, 2);
    const text = readFileSync(join(one, 'summary.csv'), 'utf8');
    expect(readFileSync(join(two, 'summary.csv'), 'utf8')).toBe(text);
    const rows = csv(join(one, 'summary.csv'));
    expect(Object.keys(rows[0])).toEqual([
      'workloads[0].arrivals.poisson', 'duration', 'policy', 'replications', 'incomplete', 'warned',
      'latency_mean_s_mean', 'latency_mean_s_ci95_low', 'latency_mean_s_ci95_high', 'latency_mean_s_n',
      'energy_per_request_J_mean', 'energy_per_request_J_ci95_low', 'energy_per_request_J_ci95_high', 'energy_per_request_J_n',
    ]);
    expect(rows.map((r) => [r['workloads[0].arrivals.poisson'], r.policy, r.replications])).toEqual([
      ['2/s', 'as-written', '3'], ['2/s', 'all-local', '3'], ['6/s', 'as-written', '3'], ['6/s', 'all-local', '3'],
    ]); // default.yaml places by `nearest`, none of EDeLeaR's policies: its rows are not labelled EDeLeaR
    // Recomputed from each run's own requests.csv (its "(all)" row), with t(0.975, 2) = 4.302652729911275 (tables of Student's t).
    const runs = csv(join(one, 'runs.csv'));
    for (const row of rows) {
      const mine = runs.filter((r) => r.policy === row.policy && r['workloads[0].arrivals.poisson'] === row['workloads[0].arrivals.poisson']);
      expect(mine.map((r) => r.seed)).toEqual(['1', '2', '3']);
      const values = mine.map((r) => Number(csv(join(one, 'runs', r.run_id, 'requests.csv')).find((q) => q.workload === '(all)')!.latency_mean_s));
      const mean = (values[0] + values[1] + values[2]) / 3;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
      const half = (4.302652729911275 * sd) / Math.sqrt(3);
      expect(Number(row.latency_mean_s_mean)).toBeCloseTo(mean, 14);
      expect(Number(row.latency_mean_s_ci95_low)).toBeCloseTo(mean - half, 9);
      expect(Number(row.latency_mean_s_ci95_high)).toBeCloseTo(mean + half, 9);
      expect(row.latency_mean_s_n).toBe('3');
    }
    // The arms differ (all-local computes on the cameras), and so do the rates: the rows are not copies.
    expect(new Set(rows.map((r) => r.latency_mean_s_mean)).size).toBe(4);
    // Each run folder holds the scenario its id hashes.
    const scenario = JSON.parse(readFileSync(join(one, 'runs', runs[0].run_id, 'scenario.json'), 'utf8')) as { duration: number; workloads: { arrivals: { poisson: number } }[] };
    expect(scenario.duration).toBe(30);
    expect(scenario.workloads[0].arrivals.poisson).toBe(2);
    expect(readFileSync(join(one, 'failures.csv'), 'utf8')).toBe('workloads[0].arrivals.poisson,duration,policy,seed,run_id,error\n');
  });

  it('reports a failing point with its run ids and error, runs the others, and exits 4', () => {
    const file = sweepFile('failing', 'replications: 2\nparameters:\n  workloads[0].arrivals.poisson: [2/s, 3 apples]\n  duration: [30 s]\n');
    const out = join(dir, 'failing');
    const r = edelear(['sweep', file, '--out', out, '--workers', '2', '--quiet']);
    expect(r.status).toBe(4);
    const failures = csv(join(out, 'failures.csv'));
    expect(failures.map((f) => [f['workloads[0].arrivals.poisson'], f.policy, f.seed])).toEqual([['3 apples', 'as-written', '1'], ['3 apples', 'as-written', '2']]);
    for (const f of failures) {
      expect(f.run_id).toMatch(/^[0-9a-f]{16}$/);
      expect(f.error).toMatch(/workloads\[0\]\.arrivals\.poisson/);
    }
    expect(r.stderr).toContain('2 of 4 runs did not finish');
    const summary = csv(join(out, 'summary.csv'));
    expect(summary.map((s) => [s['workloads[0].arrivals.poisson'], s.replications])).toEqual([['2/s', '2'], ['3 apples', '0']]);
  });

  it('leaves runs stopped early out of summary.csv\'s estimates and counts them in its column incomplete (their figures cover only the time to the stop), exit 3', () => {
    // test/fixtures/good/overloaded.yaml: M/M/1 with μ = 1/s; at λ = 2/s the queue grows about 1 a second, past 50 in flight by t ≈ 50 s.
    const file = join(dir, 'over.yaml');
    writeFileSync(file, `scenario: ${JSON.stringify(join(ROOT, 'test/fixtures/good/overloaded.yaml'))}\nreplications: 2\nparameters:\n  workloads[0].arrivals.poisson: [0.5/s, 2/s]\n  duration: [300 s]\n  limits.requestsInFlight: [50]\nmetrics: [latency_mean_s]\n`);
    const out = join(dir, 'over');
    const r = edelear(['sweep', file, '--out', out, '--workers', '1', '--no-charts', '--quiet']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('summary.csv counts them in its column incomplete and leaves them out of its means and intervals');
    const runs = csv(join(out, 'runs.csv'));
    expect(runs.map((x) => [x['workloads[0].arrivals.poisson'], x.status])).toEqual([['0.5/s', 'done'], ['0.5/s', 'done'], ['2/s', 'incomplete'], ['2/s', 'incomplete']]);
    const summary = csv(join(out, 'summary.csv'));
    expect(summary.map((x) => [x['workloads[0].arrivals.poisson'], x.replications, x.incomplete, x.latency_mean_s_mean === ''])).toEqual([['0.5/s', '2', '0', false], ['2/s', '0', '2', true]]);
    const done = runs.filter((x) => x.status === 'done').map((x) => Number(x.latency_mean_s));
    expect(Number(summary[0].latency_mean_s_mean)).toBeCloseTo((done[0] + done[1]) / 2, 12);
  });

  it('a folder swept again holds no chart or report.html of the previous sweep that this one does not write', () => {
    const out = join(dir, 'again');
    const first = sweepFile('again-1', 'replications: 2\nparameters:\n  workloads[0].arrivals.poisson: [2/s, 4/s, 6/s]\n  duration: [20 s]\nmetrics: [latency_mean_s]\n');
    expect(edelear(['sweep', first, '--out', out, '--workers', '1', '--quiet']).status).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.svg')).length).toBeGreaterThan(0);
    expect(edelear(['report', out, '--quiet']).status).toBe(0);
    expect(readdirSync(out)).toContain('report.html');
    const second = sweepFile('again-2', 'replications: 2\nparameters:\n  workloads[0].arrivals.poisson: [2/s, 4/s]\n  duration: [20 s]\nmetrics: [latency_mean_s]\n');
    expect(edelear(['sweep', second, '--out', out, '--workers', '1', '--no-charts', '--quiet']).status).toBe(0);
    // Before, the first sweep's charts (drawn with 6/s) and its report.html stayed, and `report` showed them as this sweep's.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: string[] };
    expect(manifest.files.sort()).toEqual(['failures.csv', 'manifest.json', 'runs.csv', 'summary.csv']);
    expect(readdirSync(out).sort()).toEqual(['failures.csv', 'manifest.json', 'runs', 'runs.csv', 'summary.csv']);
  });

  it('refuses a bad sweep file with its path and line, exit 2, no stack trace', () => {
    const file = sweepFile('bad', 'replications: 2\npolicies: [nearest-cloud]\n');
    const r = edelear(['sweep', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${file.replaceAll('.', '\\.')}:3: policies\\[0\\]: no arm named "nearest-cloud"; expected one of: as-written, all-local, nearest-edge`));
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('a parameter no point\'s scenario takes (a misspelt path) is a mistake in the sweep file: exit 2 at its parameters, no folder made', () => {
    const file = sweepFile('misspelt', 'replications: 2\nparameters:\n  duraton: [10 s]\n');
    const out = join(dir, 'misspelt-out');
    const r = edelear(['sweep', file, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${file.replaceAll('.', '\\.')}:\\d+: parameters: expected values the base scenario takes, but no point's scenario loads, so no run can be made; the first point's: .*duraton: unknown key "duraton" \\(did you mean "duration"\\?\\).*\\(from this sweep's parameters\\)\\n$`));
    expect(existsSync(out)).toBe(false);
  });

  it('refuses more worker threads than 4 × the cores (each holds its own modules: 1000 took 14 GB), exit 2, before starting any', () => {
    const most = 4 * availableParallelism();
    for (const [flag, command] of [['--workers', ['sweep', 'scenarios/sweeps/default-load.yaml']], ['--concurrency', ['worker', '--queue', 'redis://127.0.0.1:1']]] as const) {
      const r = edelear([...command, flag, String(most + 1)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`error: option '${flag} <n>' argument '${most + 1}' is invalid. expected at most ${most} (4 × this machine's ${availableParallelism()} core${availableParallelism() === 1 ? '' : 's'}), got "${most + 1}": a run is CPU-bound, threads beyond the cores run no faster, and each holds its own modules and catalog (≈ 14 MB each)\n`);
    }
  });

  it('killed with SIGKILL mid-way and started again, runs only the missing runs and writes the uninterrupted summary', async () => {
    // 2 rates × 2 arms × 4 seeds = 16 runs (killed after 4: what is left is what the resumed sweep runs).
    const file = sweepFile('killed', 'replications: 4\nparameters:\n  workloads[0].arrivals.poisson: [2/s, 6/s]\n  duration: [40 s]\npolicies: [all-cloud]\n');
    const out = join(dir, 'killed');
    const finished = () => (existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).filter((e) => !e.startsWith('.')) : []);
    const child = spawn(process.execPath, ['bin/edelear.js', 'sweep', file, '--out', out, '--workers', '2', '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    while (finished().length < 4) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    const before = finished();
    expect(before.length).toBeLessThan(16); // killed mid-way, not after the end
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);
    const times = new Map(before.map((id) => [id, statSync(join(out, 'runs', id, 'result.json')).mtimeMs]));
    const again = edelear(['sweep', file, '--out', out, '--workers', '2']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${before.length} runs already done (kept), ${16 - before.length} run now, 0 of them failed`);
    for (const [id, t] of times) expect(statSync(join(out, 'runs', id, 'result.json')).mtimeMs).toBe(t); // not run again
    expect(readdirSync(join(out, 'runs')).filter((e) => e.startsWith('.'))).toEqual([]);
    expect(finished()).toHaveLength(16);
    // The CLI draws the sweep's charts (report/chart-files.ts sweepCharts): each as Vega-Lite, SVG and PNG.
    const charts = readdirSync(out).filter((f) => f.endsWith('.vl.json'));
    expect(charts.length).toBeGreaterThan(0);
    for (const c of charts) for (const ext of ['.svg', '.png']) expect(statSync(join(out, c.replace('.vl.json', ext))).size).toBeGreaterThan(0);
    const rows = csv(join(out, 'summary.csv'));
    expect(rows.map((r) => `${r['workloads[0].arrivals.poisson']} ${r.policy} ${r.replications}`)).toEqual(
      ['2/s', '6/s'].flatMap((rate) => [`${rate} as-written 4`, `${rate} all-cloud 4`]),
    );
    const whole = join(dir, 'uninterrupted');
    await sweep(file, whole, 2);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe(readFileSync(join(whole, 'summary.csv'), 'utf8'));
  });
});
