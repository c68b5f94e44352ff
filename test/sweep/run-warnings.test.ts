import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/sweep/plan.ts';
import { runWarningLines } from '../../src/sweep/run-warnings.ts';
import type { Sweep } from '../../src/sweep/schema.ts';
import type { RunRecord } from '../../src/sweep/store.ts';

// Two points × one arm × 3 seeds; the 12/s point's runs saturate the node (figures that differ run to run).
const sweep = { parameters: ['workloads[0].arrivals.poisson'], points: [['2/s'], ['12/s']] } as unknown as Sweep;
const cells: Cell[] = [0, 1].map((point) => ({ point, policy: 'as-written', runs: [7, 8, 9].map((seed) => ({ id: `${point}-${seed}`, seed, overrides: [] })) }));
const record = (id: string, warnings: string[], notes?: string[]): RunRecord =>
  ({ id, seed: 0, scenario: 's', overrides: [], figures: {}, warnings, ...(notes ? { notes } : {}), events: 0, simulationSeconds: 0, code: 'c' }) as RunRecord;

describe("a sweep's run warnings", () => {
  it('are said once per kind, naming each run by point, arm and seed in the sweep order; a saturated node is one kind whatever its figures', () => {
    // Finished in another order than the file's.
    const finished = new Map([
      ['1-9', record('1-9', ['node sensor was saturated: busy 100.0 %, grew by 236', 'lp placement: x'])],
      ['0-7', record('0-7', [])],
      ['1-7', record('1-7', ['node sensor was saturated: busy 99.9 %, grew by 212'], ['the batteries of 1 …'])],
      ['1-8', record('1-8', ['node sensor was saturated: busy 100.0 %, grew by 250'])],
      ['other', record('other', ['not of this sweep'])],
    ]);
    expect(runWarningLines(sweep, cells, finished, 'warnings')).toEqual([
      'node sensor was saturated: busy 99.9 %, grew by 212 (in 3 runs: workloads[0].arrivals.poisson=12/s, policy as-written, seed 7; workloads[0].arrivals.poisson=12/s, policy as-written, seed 8; workloads[0].arrivals.poisson=12/s, policy as-written, seed 9)',
      'lp placement: x (in 1 run: workloads[0].arrivals.poisson=12/s, policy as-written, seed 9)',
    ]);
    expect(runWarningLines(sweep, cells, finished, 'notes')).toEqual(['the batteries of 1 … (in 1 run: workloads[0].arrivals.poisson=12/s, policy as-written, seed 7)']);
  });

  it('counts runs that differ only in figures as one kind: an outcome, "and N more links" (helper-83)', () => {
    const finished = new Map([
      ['0-7', record('0-7', ['no request completed: of 12 generated, 0 dropped and 12 still in flight at the end', 'and 3 more links with ρ from 1.1 to 1.3'])],
      ['0-8', record('0-8', ['no request completed: of 15 generated, 0 dropped and 15 still in flight at the end', 'and 4 more links with ρ from 1.0 to 1.2'])],
    ]);
    expect(runWarningLines(sweep, cells, finished, 'warnings')).toEqual([
      'no request completed: of 12 generated, 0 dropped and 12 still in flight at the end (in 2 runs: workloads[0].arrivals.poisson=2/s, policy as-written, seed 7; workloads[0].arrivals.poisson=2/s, policy as-written, seed 8)',
      'and 3 more links with ρ from 1.1 to 1.3 (in 2 runs: workloads[0].arrivals.poisson=2/s, policy as-written, seed 7; workloads[0].arrivals.poisson=2/s, policy as-written, seed 8)',
    ]);
  });

  it('names at most 4 runs: beyond, the first 3 and how many more', () => {
    const finished = new Map(cells.flatMap((c) => c.runs).map((r) => [r.id, record(r.id, ['w'])]));
    const [line] = runWarningLines(sweep, cells, finished, 'warnings');
    expect(line).toBe('w (in 6 runs: workloads[0].arrivals.poisson=2/s, policy as-written, seed 7; workloads[0].arrivals.poisson=2/s, policy as-written, seed 8; workloads[0].arrivals.poisson=2/s, policy as-written, seed 9; and 3 more)');
  });
});
