import { highsLoaded, solveWithHighs, type WarmStart } from './highs.ts';
import { solveWithJsLpSolver } from './js-lp-solver.ts';
import type { LinearProgram, LpResult, SolverName } from './linear-program.ts';
import { noSolution } from './linear-program.ts';

export type { LinearProgram, LpConstraint, LpResult, LpStatus, LpVariable, Relation, SolverName } from './linear-program.ts';
export { loadHighs, highsLoaded, WarmStart } from './highs.ts';

/**
 * Size of a program as the solvers feel it: variables × constraints, the cells of
 * javascript-lp-solver's dense tableau (each pivot touches every one). HiGHS works on the
 * sparse rows, so its time grows far more slowly with this figure.
 */
export function programSize(lp: LinearProgram): number {
  return lp.variables.length * lp.constraints.length;
}

/**
 * Programs up to this {@link programSize} go to javascript-lp-solver, larger ones to HiGHS.
 * Measured by `bench/lp.ts` (random offloading programs, medians of 21 solves, 2026-11-26):
 * javascript-lp-solver wins below ≈ 7,000 cells (0.02–0.7 ms against HiGHS's 0.5–1 ms: no
 * WebAssembly model to build, copy in and free), the two cross between 7,300 and 13,500
 * (≈ 1 ms each), and above it the dense tableau grows quadratically (24,862 cells: 8.2 ms
 * against 1.9 ms; 1,000 × 10: 9 s against 0.09 s). Programs over classes are mostly far below it.
 */
export const SOLVER_THRESHOLD = 10_000;

/**
 * Above this size javascript-lp-solver is not tried at all: its dense tableau would take
 * minutes and gigabytes (5,000 workloads × 20 nodes, 75,000 × 5,000, took 26 s and 15 GB); the
 * solve ends in `error` instead (the planner falls back). 1,000 × 10 (8,000 × 1,000) is under it.
 */
export const JS_LP_SOLVER_LIMIT = 50_000_000;

/** How to solve: which solver (`auto`: by size), a warm start kept between solves of one shape (HiGHS LPs), and how long a solve may take. */
export interface SolveOptions {
  readonly solver?: 'auto' | SolverName;
  readonly warm?: WarmStart;
  /** Seconds a solve may take (HiGHS `time_limit`, javascript-lp-solver `timeout` on branch and bound); past it the solve ends in `error`. None when omitted. */
  readonly timeLimit?: number;
}

/** The solver `auto` picks for a program: HiGHS above {@link SOLVER_THRESHOLD} when it is loaded, else javascript-lp-solver. */
export function chooseSolver(lp: LinearProgram): SolverName {
  return programSize(lp) > SOLVER_THRESHOLD && highsLoaded() ? 'highs' : 'javascript-lp-solver';
}

/**
 * Solves a linear (or mixed-integer) program synchronously with the solver chosen by size
 * ({@link chooseSolver}) or named. HiGHS must have been loaded ({@link loadHighs}) for it to be
 * used; a solve never throws: problems come back as status `error` with a message.
 */
export function solve(lp: LinearProgram, options: SolveOptions = {}): LpResult {
  const solver = options.solver === undefined || options.solver === 'auto' ? chooseSolver(lp) : options.solver;
  if (solver === 'highs') return solveWithHighs(lp, options.warm, options.timeLimit);
  if (programSize(lp) > JS_LP_SOLVER_LIMIT) {
    return noSolution(lp, 'error', 'javascript-lp-solver', `the program (${lp.variables.length} variables × ${lp.constraints.length} constraints) is too large for javascript-lp-solver; await loadHighs() before the run so HiGHS solves it`);
  }
  return solveWithJsLpSolver(lp, options.timeLimit);
}
