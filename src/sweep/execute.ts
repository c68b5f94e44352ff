import { join } from 'node:path';
import { writeRows } from '../report/csv.ts';
import type { RunTask, SweepPlan } from './plan.ts';
import { codeIdentity } from '../report/code-identity.ts';
import { workerPool } from './pool.ts';
import type { Sweep } from './schema.ts';
import { finishedRun, prepareRunsFolder, type RunRecord, strictOutcome, writeAtomically } from './store.ts';
import { failureColumns, failureRows, runColumns, runRows, summaryColumns, summaryRows } from './summary.ts';
import type { WorkerTask } from './worker.ts';

/**
 * Executes a planned sweep into its results folder: the runs already finished there (a run's
 * folder is complete or absent, sweep/store.ts) are taken as they are; the others go to the
 * worker pool in the plan's order; then summary.csv, runs.csv and failures.csv are rebuilt from
 * every finished run, each written to a temporary name and renamed.
 */

/** Options of {@link executeSweep}. */
export interface ExecuteOptions {
  /** The results folder (made by the caller). */
  readonly out: string;
  readonly workers: number;
  readonly strict: boolean;
  /** The base scenario's warnings, as formatted: a run reports only warnings besides these. */
  readonly baseWarnings: readonly string[];
  /** Told after each run executed now: how many of `total` are done and how many of those failed. */
  readonly progress?: (done: number, total: number, failed: number) => void;
  /** Told each run that fails, as it fails. */
  readonly failure?: (id: string, error: string) => void;
  /**
   * A pool already started (sweep/pool.ts), so that its threads load their modules while the
   * sweep is planned; the caller destroys it. Absent: one of `workers` threads is made for the runs.
   */
  readonly pool?: ReturnType<typeof workerPool>;
}

/** What a sweep did. */
export interface SweepOutcome extends SweepRuns {
  /** The distinct runs the sweep asks for (cells sharing a scenario and seed share one). */
  readonly distinct: number;
  /** Of the runs executed now, those that failed. */
  readonly failed: number;
  /** Runs that cannot be made (their point or arm does not load), per (point, arm, seed). */
  readonly unresolved: number;
  /** Rows of failures.csv (runs of cells that did not finish). */
  readonly failures: number;
  /** The files written in the results folder. */
  readonly files: readonly string[];
}

/** Runs what is missing of the sweep and writes its tables. */
export async function executeSweep(sweep: Sweep, plan: SweepPlan, options: ExecuteOptions): Promise<SweepOutcome> {
  const { out } = options;
  const partialRemoved = prepareRunsFolder(out);
  const found = foundRuns(sweep, plan, out, options);
  const { finished, errors, stale, unreadable, keptFailedStrict } = found;
  const todo: WorkerTask[] = found.todo.map((task) => ({ ...task, scenarioFile: sweep.scenario, out, strict: options.strict, baseWarnings: options.baseWarnings }));
  const alreadyDone = finished.size;
  let done = 0;
  if (todo.length > 0) {
    const pool = options.pool ?? workerPool(Math.min(options.workers, todo.length));
    try {
      await Promise.all(
        todo.map(async (task) => {
          let outcome;
          try {
            outcome = await pool.run(task);
          } catch (e) {
            // The thread itself died (out of memory, a crash in native code): the run failed.
            outcome = { id: task.id, ok: false as const, error: `the worker died: ${e instanceof Error ? e.message : String(e)}` };
          }
          done++;
          if (outcome.ok) finished.set(task.id, outcome.record);
          else {
            errors.set(task.id, outcome.error);
            options.failure?.(task.id, outcome.error);
          }
          options.progress?.(done, todo.length, errors.size - keptFailedStrict);
        }),
      );
    } finally {
      if (!options.pool) await pool.destroy();
    }
  }
  return writeSweepTables(sweep, plan, out, { alreadyDone, executed: todo.length, partialRemoved, stale, unreadable, keptFailedStrict, finished, errors });
}

/**
 * The plan's runs found finished in `out` (sweep/store.ts `finishedRun`: of this code, readable),
 * each judged as --strict would judge it when the sweep has --strict (a run is the same run with or
 * without it): kept, failed with the error the worker would have given, or run again (a record
 * made before its scenario warnings were kept apart); the rest to run. The local and the queued
 * sweep both start here.
 */
export function foundRuns(sweep: Sweep, plan: SweepPlan, out: string, options: { readonly strict: boolean; readonly failure?: (id: string, error: string) => void }) {
  const finished = new Map<string, RunRecord>();
  const errors = new Map<string, string>();
  const todo: RunTask[] = [];
  const code = codeIdentity();
  let stale = 0;
  let unreadable = 0;
  for (const task of plan.tasks.values()) {
    const record = finishedRun(out, task.id, code, () => stale++, () => unreadable++);
    const strict = record && options.strict ? strictOutcome(record, sweep.scenario) : undefined;
    if (record && strict === undefined) finished.set(task.id, record);
    else if (record && strict !== 'rerun') {
      errors.set(task.id, strict!);
      options.failure?.(task.id, strict!);
    } else todo.push(task);
  }
  return { finished, errors, todo, stale, unreadable, keptFailedStrict: errors.size };
}

/** What a sweep did, before its tables are written. */
export interface SweepRuns {
  /** Runs found finished in the results folder and not run again. */
  readonly alreadyDone: number;
  /** Runs executed now. */
  readonly executed: number;
  /** Partial run folders of an earlier, killed sweep that were removed. */
  readonly partialRemoved: number;
  /** Finished runs made by other code (report/code-identity.ts) that were removed and run again. */
  readonly stale: number;
  /** Run folders whose result.json could not be read (cut short, edited by hand) that were removed and run again. */
  readonly unreadable: number;
  /** Runs found done, made without --strict, that fail under it (their scenario warns, or they met a warning running): in `errors`, not run now. */
  readonly keptFailedStrict: number;
  /** Every finished run by id. */
  readonly finished: ReadonlyMap<string, RunRecord>;
  /** The error of each run that failed now, by id. */
  readonly errors: ReadonlyMap<string, string>;
}

/** Writes summary.csv, runs.csv and failures.csv (each to a temporary name, then renamed) and returns the outcome; the local and the queued sweep both end here. */
export function writeSweepTables(sweep: Sweep, plan: SweepPlan, out: string, runs: SweepRuns): SweepOutcome {
  const { finished, errors } = runs;
  const failures = failureRows(sweep, plan.cells, finished, errors);
  writeAtomically(join(out, 'summary.csv'), (path) => writeRows(path, summaryRows(sweep, plan.cells, finished), summaryColumns(sweep)));
  writeAtomically(join(out, 'runs.csv'), (path) => writeRows(path, runRows(sweep, plan.cells, finished), runColumns(sweep)));
  writeAtomically(join(out, 'failures.csv'), (path) => writeRows(path, failures, failureColumns(sweep)));
  return {
    ...runs,
    distinct: plan.tasks.size,
    failed: errors.size - runs.keptFailedStrict,
    unresolved: plan.cells.reduce((a, c) => a + c.runs.filter((r) => r.error !== undefined).length, 0),
    failures: failures.length,
    files: ['summary.csv', 'runs.csv', 'failures.csv'],
  };
}
