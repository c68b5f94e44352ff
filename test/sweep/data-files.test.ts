import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { dataDigest } from '../../src/sweep/data-files.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { canonicalJson, runIdOfJson } from '../../src/sweep/run-id.ts';
import { loadSweep } from '../../src/sweep/schema.ts';
import runTask from '../../src/sweep/worker.ts';

// Two folders, each with the same scenario reading arrivals.csv and a sweep of it; the CSVs differ.
// The run id hashed the scenario, which names the file, not what is in it: the two sweeps made the
// same ids, and a queue (which keeps done runs for days, whatever --out) gave the second the
// first's results (a review found throughput 61.2/s for both, where the second's is 9.3/s).
const root = mkdtempSync(join(tmpdir(), 'edelear-data-'));
const minimal = readFileSync('test/fixtures/bad/47-trace-non-numeric.yaml', 'utf8').replace('47-trace-non-numeric.csv', 'arrivals.csv');
function folder(name: string, csv: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'arrivals.csv'), csv);
  writeFileSync(join(dir, 'base.yaml'), minimal);
  writeFileSync(join(dir, 's.yaml'), 'scenario: base.yaml\nreplications: 2\nparameters:\n  duration: [8 s]\n');
  return join(dir, 's.yaml');
}
const ids = (sweep: string) => [...planSweep(loadSweep(sweep), loadCatalog(), 1).tasks.keys()];

describe("a run's identity includes the data files its scenario reads", () => {
  it('two sweeps whose trace files differ, at the same path, make different runs; equal contents make the same', () => {
    const a = ids(folder('a', 't\n0.5\n1.5\n2.5\n'));
    const b = ids(folder('b', 't\n0.5\n4.5\n'));
    const c = ids(folder('c', 't\n0.5\n1.5\n2.5\n'));
    expect(a).toHaveLength(2);
    expect(b.filter((id) => a.includes(id))).toEqual([]);
    expect(c).toEqual(a);
  });

  it('a scenario that reads no data file keeps the id it had (sha256 of { scenario, seed })', () => {
    const loaded = loadScenario('test/fixtures/good/minimal.yaml');
    expect(dataDigest(loaded.scenario, loaded.file)).toBeUndefined();
    const sweep = join(root, 'plain.yaml');
    writeFileSync(sweep, `scenario: ${join(process.cwd(), 'test/fixtures/good/minimal.yaml')}\nreplications: 1\nparameters:\n  duration: [10 s]\n`);
    const json = canonicalJson(loadScenario('test/fixtures/good/minimal.yaml', ['duration="10 s"']).scenario);
    expect(ids(sweep)).toEqual([runIdOfJson(json, 1)]);
  });

  it('a run whose data file changed after planning fails, saying so, rather than run on other data', async () => {
    const sweep = folder('d', 't\n0.5\n1.5\n');
    const plan = planSweep(loadSweep(sweep), loadCatalog(), 1);
    const [task] = plan.tasks.values();
    writeFileSync(join(root, 'd', 'arrivals.csv'), 't\n0.5\n2.5\n');
    const out = mkdtempSync(join(tmpdir(), 'edelear-data-out-'));
    const outcome = await runTask({ ...task, scenarioFile: join(root, 'd', 'base.yaml'), out, strict: false, baseWarnings: [] });
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error).toMatch(/a data file the scenario reads \(a trace or empirical CSV\) as this process reads it is not the one the run was planned with: changed while the sweep ran/);
  });
});

describe('the data digest of a queue worker', () => {
  it('opens no file outside its folder, nor one that is not a regular file (a job could confirm a file elsewhere, or hang a worker on a FIFO)', () => {
    const inside = join(root, 'w');
    mkdirSync(inside);
    writeFileSync(join(inside, 'ok.csv'), 't\n1\n');
    mkdirSync(join(inside, 'sub'));
    const scenario = { workloads: [{ arrivals: { trace: { file: 'ok.csv' } } }, { arrivals: { trace: { file: '/etc/hostname' } } }, { arrivals: { trace: { file: 'sub' } } }] };
    const digest = JSON.parse(dataDigest(scenario, join(inside, 's.yaml'), inside)!) as Record<string, string>;
    expect(digest['/etc/hostname']).toBe('outside');
    expect(digest.sub).toBe('unreadable'); // a folder: not a regular file, never read
    expect(digest['ok.csv']).toMatch(/^[0-9a-f]{64}$/);
  });
});
