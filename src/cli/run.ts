import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../metrics/simulate.ts';
import { summarize } from '../metrics/summary.ts';
import { writeRows, writeStream } from '../report/csv.ts';
import { gitCommit, type Manifest, scenarioHash, versions } from '../report/manifest.ts';
import { buildWorldSpec } from '../scenario/build.ts';
import { loadCatalog } from '../scenario/catalog.ts';
import { loadScenario } from '../scenario/load.ts';
import { count, joules, percent, seconds, table } from './format.ts';

/** Options of `edelear run`. */
export interface RunCommandOptions {
  readonly seed?: number;
  readonly set: readonly string[];
  readonly out?: string;
  readonly trace: boolean;
  readonly quiet: boolean;
}

const TRACE_COLUMNS = ['request', 'workload', 'device', 'node', 'born_s', 'end_s', 'outcome', 'latency_s', 'node_wait_s', 'link_wait_s', 'transfer_s', 'compute_s', 'energy_J', 'input_key'];

/** `edelear run FILE`: simulates a scenario and writes its CSV files and manifest. */
export async function runCommand(file: string, options: RunCommandOptions): Promise<void> {
  const loaded = loadScenario(file, options.set);
  const spec = buildWorldSpec(loaded, loadCatalog(), options.seed);
  const result = simulate(spec, { trace: options.trace });
  const scenario = loaded.scenario;
  const tables = summarize(result, { scenario: scenario.name, seed: spec.seed });
  const out = options.out ?? join('results', scenario.name);
  mkdirSync(out, { recursive: true });
  const files = ['requests.csv', 'nodes.csv', 'links.csv', 'run.csv'];
  writeRows(join(out, 'requests.csv'), tables.requests);
  writeRows(join(out, 'nodes.csv'), tables.nodes);
  writeRows(join(out, 'links.csv'), tables.links);
  writeRows(join(out, 'run.csv'), tables.run);
  if (result.metrics.trace) {
    await writeStream(join(out, 'trace.csv'), TRACE_COLUMNS, result.metrics.trace);
    files.push('trace.csv');
  }
  const { version, dependencies } = versions();
  const manifest: Manifest = {
    tool: 'edelear',
    version,
    gitCommit: gitCommit(),
    scenario: { file, sha256: scenarioHash(readFileSync(file, 'utf8'), options.set), overrides: options.set },
    seed: spec.seed,
    node: process.version,
    dependencies,
    wallSeconds: result.wallSeconds,
    eventsProcessed: result.world.sim.eventsProcessed,
    requestsPerWallSecond: result.world.generatedCount / result.wallSeconds,
    files: [...files, 'manifest.json'],
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!options.quiet) printSummary(result, tables, out, file);
}

function printSummary(result: ReturnType<typeof simulate>, tables: ReturnType<typeof summarize>, out: string, file: string): void {
  const { world } = result;
  const spec = world.spec;
  const run = tables.run[0];
  const log = (s = '') => process.stdout.write(`${s}\n`);
  log(`edelear run ${file} (seed ${spec.seed})`);
  log(
    `  ${seconds(spec.duration)} simulated${spec.warmup > 0 ? ` (statistics after ${seconds(spec.warmup)} of warm-up)` : ''}: ` +
      `${count(world.generatedCount)} requests generated, ${count(world.completedCount)} completed, ` +
      `${count(world.droppedCount)} dropped, ${count(world.inFlight)} in flight — conservation ${run.conservation_holds === 'yes' ? 'holds' : 'BROKEN'}`,
  );
  log();
  log(
    table(
      ['workload', 'completed', 'throughput', 'mean', 'p50', 'p95', 'p99', 'deadline met', 'energy/req'],
      tables.requests.map((r) => [
        String(r.workload),
        count(Number(r.completed)),
        `${Number(r.throughput_per_s).toFixed(1)}/s`,
        seconds(Number(r.latency_mean_s)),
        seconds(Number(r.latency_p50_s)),
        seconds(Number(r.latency_p95_s)),
        seconds(Number(r.latency_p99_s)),
        percent(Number(r.deadline_met_ratio)),
        joules(Number(r.energy_per_request_mean_J)),
      ]),
    ),
  );
  log();
  const shown = tables.nodes.length > 12 ? tables.nodes.filter((n) => Number(n.served) > 0).slice(0, 12) : tables.nodes;
  log(
    table(
      ['node', 'kind', 'served', 'utilization', 'mean queue', 'energy', 'mean power'],
      shown.map((n) => [
        String(n.node),
        String(n.kind),
        count(Number(n.served)),
        percent(Number(n.utilization)),
        Number(n.queue_length_mean).toFixed(2),
        joules(Number(n.energy_J)),
        `${Number(n.power_mean_W).toFixed(2)} W`,
      ]),
    ),
  );
  if (shown.length < tables.nodes.length) log(`  … ${tables.nodes.length - shown.length} more nodes in nodes.csv`);
  log();
  log(`  ${count(world.sim.eventsProcessed)} events in ${result.wallSeconds.toFixed(2)} s wall (${count(world.generatedCount / result.wallSeconds)} requests/s)`);
  log(`  results: ${out}/ (${['requests', 'nodes', 'links', 'run'].map((f) => `${f}.csv`).join(', ')}${result.metrics.trace ? ', trace.csv' : ''}, manifest.json)`);
}
