import type { Cell } from './plan.ts';
import type { Sweep } from './schema.ts';
import type { RunRecord } from './store.ts';
import { parameterCell } from './summary.ts';

/**
 * What a sweep's runs warned of (and noted), for the console and warnings.txt: each kind once, with
 * the runs that gave it named by their point, arm and seed (helper-79, helper-80: "(in 3 runs)"
 * named none, so an overloaded point could not be told from the others). A kind is the message, except
 * a saturated node or link, whose figures differ run to run: those are one kind per node or link,
 * said in the first run's words. At most {@link NAMED} runs are named, then how many more (runs.csv's
 * `warnings` column marks them all).
 */
export function runWarningLines(sweep: Sweep, cells: readonly Cell[], finished: ReadonlyMap<string, RunRecord>, which: 'warnings' | 'notes'): string[] {
  const kinds = new Map<string, { message: string; runs: string[] }>();
  const seen = new Set<string>();
  // In the sweep file's order (points, arms, seeds), not the order the runs finished in; a run two cells share, once.
  for (const cell of cells) {
    for (const run of cell.runs) {
      const record = finished.get(run.id);
      if (!record || seen.has(run.id)) continue;
      seen.add(run.id);
      for (const message of (which === 'warnings' ? record.warnings : record.notes) ?? []) {
        const key = kindOf(message);
        const k = kinds.get(key) ?? { message, runs: [] };
        k.runs.push(runLabel(sweep, cell, run.seed));
        kinds.set(key, k);
      }
    }
  }
  return [...kinds.values()].map(({ message, runs }) => {
    const shown = runs.length > NAMED ? runs.slice(0, NAMED - 1) : runs;
    const more = runs.length > shown.length ? `; and ${runs.length - shown.length} more` : '';
    return `${message} (in ${runs.length} run${runs.length === 1 ? '' : 's'}: ${shown.join('; ')}${more})`;
  });
}

/** How many runs a line names at most (when there are more, one fewer and "and N more"). */
const NAMED = 4;

/** A run in words: its point's values by path, its arm and seed. */
function runLabel(sweep: Sweep, cell: Cell, seed: number): string {
  const point = sweep.points[cell.point];
  const values = sweep.parameters.flatMap((p, i) => (point[i] === undefined ? [] : [`${p}=${parameterCell(point[i])}`]));
  return [...values, `policy ${cell.policy}`, `seed ${seed}`].join(', ');
}

/**
 * A warning's kind, so runs that differ only in figures count as one (helper-83): a saturated node,
 * link or tenant partition by its name; an outcome ("no request completed: of 1,204 generated, …")
 * by its words before the colon; "and N more nodes/links with ρ from … to …" by what it counts; else
 * the message.
 */
function kindOf(message: string): string {
  const named = /^(node|link) \S+ was saturated: |^node \S+ partition of tenant \S+ was saturated: /.exec(message)?.[0];
  if (named !== undefined) return named;
  const outcome = /^(no request completed|every request was dropped|no request was generated)\b/.exec(message)?.[0];
  if (outcome !== undefined) return outcome;
  const more = /^and \d+ more (saturated )?(nodes|links)\b/.exec(message);
  return more ? `and more ${more[1] ?? ''}${more[2]}` : message;
}
