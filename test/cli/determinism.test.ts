import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CSV = ['requests.csv', 'nodes.csv', 'links.csv', 'run.csv'];

/**
 * `edelear run scenarios/default.yaml` into a new folder. Without charts: nothing here reads them,
 * and drawing them doubled each run's time (≈ 1.2 CPU-s of 2.1; test/report/html-browser.test.ts
 * draws a run's charts through the CLI).
 */
function run(args: string[]): string {
  const out = mkdtempSync(join(tmpdir(), 'edelear-'));
  const r = spawnSync(process.execPath, ['bin/edelear.js', 'run', 'scenarios/default.yaml', '--out', out, '--quiet', '--no-charts', ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

describe('determinism', () => {
  it('the same scenario and seed give byte-identical CSV files; another seed changes them', () => {
    const a = run(['--seed', '5']);
    const b = run(['--seed', '5']);
    const c = run(['--seed', '6']);
    for (const f of CSV) {
      expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    }
    expect(readFileSync(join(a, 'requests.csv'), 'utf8')).not.toBe(readFileSync(join(c, 'requests.csv'), 'utf8'));
    // The cameras only send (scenarios/default.yaml places every request on the edge): their compute
    // energy is exactly 0, written "0", not the residue of subtracting idle and radio from a total.
    const nodes = readFileSync(join(a, 'nodes.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => nodes[0].indexOf(name);
    const cams = nodes.filter((r) => r[col('node')].startsWith('cam-'));
    expect(cams).toHaveLength(6);
    for (const cam of cams) {
      expect(cam[col('served')]).toBe('0');
      expect(cam[col('energy_compute_J')]).toBe('0');
      expect(cam[col('utilization_ratio')]).toBe('0');
    }
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(manifest.seed).toBe(5);
    // The file's own SHA-256 (what sha256sum gives), and none with overrides when there are none.
    expect(manifest.scenario.sha256).toBe(createHash('sha256').update(readFileSync(join(ROOT, 'scenarios/default.yaml'))).digest('hex'));
    expect(manifest.scenario.sha256WithOverrides).toBeUndefined();
    expect(manifest.dependencies.yaml).toMatch(/^2\./);
    // Where the wall seconds went: the phases in order, the loop's being simulationSeconds, together within the whole.
    const phases = manifest.phaseSeconds as Record<string, number>;
    expect(Object.keys(phases)).toEqual(['startup', 'load', 'build', 'checks', 'world', 'loop', 'summaries', 'files']);
    for (const v of Object.values(phases)) expect(v).toBeGreaterThan(0);
    expect(phases.loop).toBe(manifest.simulationSeconds);
    expect(phases.load + phases.build).toBeLessThanOrEqual(manifest.buildSeconds + 1e-9);
    const sum = Object.values(phases).reduce((x, y) => x + y, 0);
    expect(sum).toBeLessThanOrEqual(manifest.wallSeconds);
  });

  it('with --set, the manifest keeps the file\'s own SHA-256 and adds that of the text with its overrides (it gave only the latter, under the file\'s name)', () => {
    const text = readFileSync(join(ROOT, 'scenarios/default.yaml'));
    const manifest = JSON.parse(readFileSync(join(run(['--set', 'duration=20 s', '--set', 'warmup=2 s']), 'manifest.json'), 'utf8'));
    expect(manifest.scenario.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(manifest.scenario.overrides).toEqual(['duration=20 s', 'warmup=2 s']);
    expect(manifest.scenario.sha256WithOverrides).toBe(createHash('sha256').update(text).update('\n--set duration=20 s').update('\n--set warmup=2 s').digest('hex'));
  });

  it('a trace run writes one row per request with the same summaries as a run without it', () => {
    const a = run(['--trace']);
    const b = run([]);
    expect(readFileSync(join(a, 'requests.csv'), 'utf8')).toBe(readFileSync(join(b, 'requests.csv'), 'utf8'));
    const trace = readFileSync(join(a, 'trace.csv'), 'utf8').trim().split('\n');
    const runCsv = readFileSync(join(a, 'run.csv'), 'utf8').trim().split('\n');
    const cols = runCsv[0].split(',');
    const values = runCsv[1].split(',');
    const measured = Number(values[cols.indexOf('completed')]) + Number(values[cols.indexOf('dropped')]);
    expect(trace.length - 1).toBe(measured);
  });
});
