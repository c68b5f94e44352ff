import { estimate, estimateColumns } from '../metrics/confidence.ts';
import type { Row } from '../metrics/summary.ts';
import type { Cell } from './plan.ts';
import type { Sweep } from './schema.ts';
import type { RunRecord } from './store.ts';

/**
 * The tables of a sweep, rebuilt from its finished runs (so a resumed sweep's tables are those of
 * an uninterrupted one): summary.csv, one row per (point, arm) in the sweep file's order — the
 * parameter columns named by their scenario paths, `policy`, `replications` (runs finished to their
 * end), `incomplete` (runs stopped early at limits.requestsInFlight: their figures cover only the
 * time up to the stop, so they are left out of the estimates; runs.csv has them), `warned` (of the
 * replications, the runs that met a warning — a saturated node, an lp plan that did not fit —: their
 * figures are in the estimates, but may not be steady-state ones; warnings.txt says what, naming the
 * runs), and per metric
 * NAME_mean, NAME_ci95_low, NAME_ci95_high, the mean and Student-t 95% interval over the
 * replications that have the figure, and NAME_n, how many do (a run where nothing completed has no
 * latency: fewer than `replications`, and the estimate is of the runs that served; metrics/confidence.ts;
 * blank below two); runs.csv, one row per (point, arm,
 * seed) with its run id, status, `warnings` (how many the run met) and figures; failures.csv, the runs that did not finish and why.
 * Every figure is computed from the runs' records in seed order, so the tables do not depend on
 * the order the workers finished in.
 */

/** A parameter's value as a cell: a number as a number, a string as written, anything else as JSON; blank where the point leaves the scenario's own. */
export function parameterCell(value: unknown): string | number {
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The parameter columns of a cell's point. */
function parameterCells(sweep: Sweep, cell: Cell): Row {
  const row: Row = {};
  const point = sweep.points[cell.point];
  sweep.parameters.forEach((p, i) => {
    row[p] = parameterCell(point[i]);
  });
  return row;
}

/** The columns of summary.csv. */
export function summaryColumns(sweep: Sweep): string[] {
  return [...sweep.parameters, 'policy', 'replications', 'incomplete', 'warned', ...sweep.metrics.flatMap((m) => [`${m}_mean`, `${m}_ci95_low`, `${m}_ci95_high`, `${m}_n`])];
}

/** summary.csv's rows: per cell, its finished replications' estimates. */
export function summaryRows(sweep: Sweep, cells: readonly Cell[], finished: ReadonlyMap<string, RunRecord>): Row[] {
  return cells.map((cell) => {
    const ended = cell.runs.flatMap((r) => {
      const record = r.error === undefined ? finished.get(r.id) : undefined;
      return record ? [record] : [];
    });
    const records = ended.filter((r) => r.stopped === undefined);
    const row: Row = { ...parameterCells(sweep, cell), policy: cell.policy, replications: records.length, incomplete: ended.length - records.length, warned: records.filter((r) => r.warnings.length > 0).length };
    for (const m of sweep.metrics) {
      const e = estimate(records.map((r) => r.figures[m] ?? NaN));
      Object.assign(row, estimateColumns(m, e), { [`${m}_n`]: e.n });
    }
    return row;
  });
}

/** The columns of runs.csv. */
export function runColumns(sweep: Sweep): string[] {
  return [...sweep.parameters, 'policy', 'seed', 'run_id', 'status', 'warnings', ...sweep.metrics];
}

/** runs.csv's rows: per cell and seed, its run's id, status (done, incomplete: stopped early, failed) and figures. */
export function runRows(sweep: Sweep, cells: readonly Cell[], finished: ReadonlyMap<string, RunRecord>): Row[] {
  return cells.flatMap((cell) =>
    cell.runs.map((run) => {
      const record = run.error === undefined ? finished.get(run.id) : undefined;
      const row: Row = { ...parameterCells(sweep, cell), policy: cell.policy, seed: run.seed, run_id: run.id, status: record ? (record.stopped === undefined ? 'done' : 'incomplete') : 'failed', warnings: record ? record.warnings.length : '' };
      for (const m of sweep.metrics) row[m] = record ? (record.figures[m] ?? NaN) : NaN;
      return row;
    }),
  );
}

/** The columns of failures.csv. */
export function failureColumns(sweep: Sweep): string[] {
  return [...sweep.parameters, 'policy', 'seed', 'run_id', 'error'];
}

/** failures.csv's rows: per cell and seed whose run did not finish, the reason (`errors` by run id; a planned error is the run's own). */
export function failureRows(sweep: Sweep, cells: readonly Cell[], finished: ReadonlyMap<string, RunRecord>, errors: ReadonlyMap<string, string>): Row[] {
  return cells.flatMap((cell) =>
    cell.runs.flatMap((run) => {
      if (run.error === undefined && finished.has(run.id)) return [];
      const error = run.error ?? errors.get(run.id) ?? 'not run (the sweep was stopped)';
      return [{ ...parameterCells(sweep, cell), policy: cell.policy, seed: run.seed, run_id: run.id, error }];
    }),
  );
}
