import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollectedWarnings, afterRunNotes, afterRunWarnings, warnScenario } from '../cli/warnings.ts';
import { runFigures } from '../metrics/compare.ts';
import { codeIdentity } from '../report/code-identity.ts';
import { simulate } from '../metrics/simulate.ts';
import { summarize, type TableName } from '../metrics/summary.ts';
import { usesLpPlacement } from '../scenario/compare-arms.ts';
import { writeRows } from '../report/csv.ts';
import { buildWorldSpec } from '../scenario/build.ts';
import { type Catalog, loadCatalog } from '../scenario/catalog.ts';
import { InputError } from '../scenario/errors.ts';
import { loadScenario } from '../scenario/load.ts';
import { dataDigest } from './data-files.ts';
import { canonicalJson } from './run-id.ts';
import { type RunTask, sweepWording } from './plan.ts';
import { RESULT_FILE, type RunRecord, recordJson, strictError, writeRunFolder } from './store.ts';

/** A run failed under --strict: its message is the whole error (strictError), file included. */
class StrictFailure extends Error {}

/**
 * One run of a sweep, in a worker thread of the pool (sweep/pool.ts; piscina calls the default
 * export). The same pipeline as `edelear run`: loadScenario with the run's overrides →
 * buildWorldSpec → simulate → summarize, then runFigures; the run's folder gets its tables
 * (requests, nodes, links, run, latency, compression .csv, as `run` names them), scenario.json
 * (the validated scenario its id hashes) and result.json last, written through a partial folder
 * (sweep/store.ts). A run that fails answers with its error instead; it never throws.
 *
 * The worker checks warnings as `edelear compare` does an arm's (cli/warnings.ts, the checks
 * every command shares): those of its scenario that the base scenario does not have are its own;
 * under --strict they fail the run before it starts.
 */

/** A run to execute, with where and how. */
export interface WorkerTask extends RunTask {
  /** The base scenario file. */
  readonly scenarioFile: string;
  /** The sweep's results folder. */
  readonly out: string;
  readonly strict: boolean;
  /** The base scenario's warnings (as formatted): a run's warnings besides these are its own. */
  readonly baseWarnings: readonly string[];
  /** The folder the run's data files must lie in (a queue worker's project folder); anywhere when absent. */
  readonly root?: string;
}

/** What came of a run. */
export type WorkerOutcome =
  | { readonly id: string; readonly ok: true; readonly record: RunRecord }
  /** `final`: trying again gives the same error (warnings under --strict, which the run's scenario and code decide), so a queue does not retry it. */
  | { readonly id: string; readonly ok: false; readonly error: string; readonly final?: true };


let catalog: Catalog | undefined;
let highsLoaded = false;

/** Runs one task in this thread. */
export default async function runTask(task: WorkerTask): Promise<WorkerOutcome> {
  try {
    return { id: task.id, ok: true, record: await execute(task) };
  } catch (e) {
    const error = e instanceof InputError || e instanceof StrictFailure ? sweepWording(e.message.replaceAll('\n', '; ')) : `internal error (a bug in edelear, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    return { id: task.id, ok: false, error, ...(e instanceof StrictFailure ? { final: true as const } : {}) };
  }
}

async function execute(task: WorkerTask): Promise<RunRecord> {
  const loaded = loadScenario(task.scenarioFile, task.overrides, { root: task.root });
  if (canonicalJson(loaded.scenario) !== task.scenarioJson) {
    throw new InputError(task.scenarioFile, [{ path: '', message: `the scenario as this process reads it${task.root === undefined ? '' : ` (a queue worker, in ${task.root})`} is not the one the run was planned with: changed while the sweep ran (start the sweep again)${task.root === undefined ? '' : ", or this worker's copy differs from the submitter's"}` }]);
  }
  if (!highsLoaded && usesLpPlacement(loaded.scenario)) {
    // Large lp programs go to HiGHS, as under `edelear run` (cli/solvers.ts): loaded once per thread.
    const { loadHighs } = await import('../policies/offloading/highs.ts');
    await loadHighs();
    highsLoaded = true;
  }
  catalog ??= loadCatalog();
  const spec = buildWorldSpec(loaded, catalog, task.seed);
  // After the build, whose loader refuses a data file outside a queue worker's folder (its own error, and nothing read).
  if (dataDigest(loaded.scenario, task.scenarioFile, task.root) !== task.data) {
    throw new InputError(task.scenarioFile, [{ path: '', message: `a data file the scenario reads (a trace or empirical CSV) as this process reads it${task.root === undefined ? '' : ` (a queue worker, in ${task.root})`} is not the one the run was planned with: changed while the sweep ran (start the sweep again)${task.root === undefined ? '' : ", or this worker's copy differs from the submitter's"}` }]);
  }
  const before = new CollectedWarnings(task.scenarioFile, false);
  warnScenario(loaded, spec, before, true);
  const base = new Set(task.baseWarnings);
  const own = before.messages.filter((m) => !base.has(m)).map(sweepWording);
  if (task.strict && own.length > 0) throw new StrictFailure(strictError(task.scenarioFile, own));
  const result = simulate(spec);
  const tables = summarize(result, { scenario: loaded.scenario.name, seed: task.seed });
  const figures = runFigures(tables);
  // What the run met (a saturated node, an lp plan that did not fit, nothing completed…) fails it too under --strict, as under `edelear run`.
  const met = [...afterRunWarnings(result, task.scenarioFile).values()].map(sweepWording);
  if (task.strict && met.length > 0) throw new StrictFailure(strictError(task.scenarioFile, met));
  const notes = [...afterRunNotes(result).values()].map(sweepWording);
  const record: RunRecord = {
    id: task.id,
    seed: task.seed,
    scenario: loaded.scenario.name,
    overrides: task.overrides,
    figures,
    ...(result.world.stopped === undefined ? {} : { stopped: result.world.stopped }),
    warnings: [...own, ...met],
    scenarioWarnings: own,
    ...(notes.length > 0 ? { notes } : {}),
    events: result.world.sim.eventsProcessed,
    simulationSeconds: result.wallSeconds,
    code: codeIdentity(),
  };
  writeRunFolder(task.out, task.id, (folder) => {
    for (const name of ['requests', 'nodes', 'links', 'run', 'latency'] as const satisfies readonly TableName[]) {
      writeRows(join(folder, `${name}.csv`), tables[name], tables.columns[name]);
    }
    if (tables.compression) writeRows(join(folder, 'compression.csv'), tables.compression.rows, tables.compression.columns);
    writeFileSync(join(folder, 'scenario.json'), `${task.scenarioJson}\n`);
    writeFileSync(join(folder, RESULT_FILE), recordJson(record));
  });
  return record;
}
