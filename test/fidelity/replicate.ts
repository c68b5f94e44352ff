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

/** Runs a scenario file once per seed (1…n), with optional `--set` overrides, and returns each run's tables. */
export function replicate(file: string, n: number, overrides: readonly string[] = []): RunTables[] {
  const loaded = loadScenario(file, overrides);
  const catalog = loadCatalog();
  return Array.from({ length: n }, (_, i) => {
    const spec = buildWorldSpec(loaded, catalog, i + 1);
    return summarize(simulate(spec), { scenario: loaded.scenario.name, seed: i + 1 });
  });
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
