import { fileURLToPath } from 'node:url';
import { confidenceInterval, type Estimate } from '../../src/metrics/confidence.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { type RunTables, summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

/** Path of a scenario under scenarios/validation/. */
export function validationScenario(name: string): string {
  return fileURLToPath(new URL(`../../scenarios/validation/${name}.yaml`, import.meta.url));
}

/** The runs made so far in this test file, per scenario file and overrides: seed k's run depends on nothing else. */
const made = new Map<string, RunTables[]>();

/**
 * Runs a scenario file once per seed (1…n), with optional `--set` overrides, and returns each run's
 * tables. A run depends only on (file, overrides, seed), so tests of one file share them: a second
 * call with the same file and overrides reuses the seeds already run and runs only the missing ones
 * (the same tables, byte for byte, as running them again).
 */
export function replicate(file: string, n: number, overrides: readonly string[] = []): RunTables[] {
  const key = JSON.stringify([file, overrides]);
  const runs = made.get(key) ?? [];
  made.set(key, runs);
  if (runs.length < n) {
    const loaded = loadScenario(file, overrides);
    const catalog = loadCatalog();
    for (let seed = runs.length + 1; seed <= n; seed++) runs.push(summarize(simulate(buildWorldSpec(loaded, catalog, seed)), { scenario: loaded.scenario.name, seed }));
  }
  return runs.slice(0, n);
}

/** The 95% confidence interval of one metric over replications. */
export function estimate(runs: RunTables[], pick: (t: RunTables) => number): Estimate {
  return confidenceInterval(runs.map(pick));
}

/** The requests.csv row of a workload. */
export function workloadRow(t: RunTables, name: string): Record<string, string | number> {
  const row = t.requests.find((r) => r.workload === name);
  if (!row) throw new Error(`no workload ${name}`);
  return row;
}

/** The `(all)` row of requests.csv. */
export function allRequests(t: RunTables): Record<string, string | number> {
  return t.requests[t.requests.length - 1];
}
