import { createRequire } from 'node:module';
import type { Model, SolveResult, SolverAPI } from 'javascript-lp-solver';
import { type LinearProgram, type LpResult, isInteger, noSolution, objectiveAt, timeLimitReached } from './linear-program.ts';

let solverModule: SolverAPI | undefined;

/** javascript-lp-solver, loaded on first use (14 ms; CommonJS, so synchronously). */
function jsLpSolver(): SolverAPI {
  return (solverModule ??= createRequire(import.meta.url)('javascript-lp-solver') as SolverAPI);
}

/**
 * Solves a linear program with javascript-lp-solver 1.0 (J. Wolcott et al.; a dense-tableau
 * simplex, branch and cut for integer variables). Its JSON model has no variable bounds, so a
 * finite bound other than x ≥ 0 becomes a constraint row of its own, and a negative lower bound
 * makes the variable unrestricted. Cost: the tableau is (rows + bound rows) × (variables + slacks)
 * doubles, every pivot touches all of it — fine for small programs (see {@link SOLVER_THRESHOLD}),
 * quadratic in memory for large ones (5,000 × 20 took 26 s and 15 GB). The objective reported is
 * recomputed from the values, offset included. `timeLimit` (seconds) is the model's `timeout`
 * (milliseconds; the README's "maximum solve time"): it bounds branch and bound, which then
 * returns its best plan so far without saying it stopped early, so an integer solve that lasted
 * the limit ends in `error` ("time limit of … reached"). A continuous solve is one simplex, which
 * the option does not bound.
 */
export function solveWithJsLpSolver(lp: LinearProgram, timeLimit = Infinity): LpResult {
  const constraints: Model['constraints'] = {};
  const variables: Model['variables'] = {};
  const ints: Record<string, 1> = {};
  const unrestricted: Record<string, 1> = {};
  lp.variables.forEach((v, j) => {
    const name = `x${j}`;
    const coefficients: Record<string, number> = { z: v.cost };
    variables[name] = coefficients;
    if (v.integer) ints[name] = 1;
    if (v.lower < 0) unrestricted[name] = 1;
    if (v.lower !== 0 && Number.isFinite(v.lower)) {
      constraints[`l${j}`] = { min: v.lower };
      coefficients[`l${j}`] = 1;
    }
    if (Number.isFinite(v.upper)) {
      constraints[`u${j}`] = { max: v.upper };
      coefficients[`u${j}`] = 1;
    }
  });
  lp.constraints.forEach((c, i) => {
    const name = `c${i}`;
    constraints[name] = c.relation === '<=' ? { max: c.rhs } : c.relation === '>=' ? { min: c.rhs } : { equal: c.rhs };
    for (let t = 0; t < c.indices.length; t++) variables[`x${c.indices[t]}`][name] = c.coefficients[t];
  });
  const limited = timeLimit < Infinity;
  const timeout = Math.max(1, Math.round(timeLimit * 1000)); // ms, as the library takes it
  const model: Model = { optimize: 'z', opType: lp.sense, constraints, variables, ints, unrestricted, ...(limited ? { timeout } : {}) };
  let r: SolveResult;
  const t0 = performance.now();
  try {
    r = jsLpSolver().Solve(model) as SolveResult;
  } catch (e) {
    return noSolution(lp, 'error', 'javascript-lp-solver', (e as Error).message);
  }
  // The library stops branch and bound once Date.now() reaches its start's Date.now() + timeout:
  // whole milliseconds, so up to 1 ms of real time before the limit. Compared with the limit
  // itself, 233 of 300 solves that a 50 ms limit had stopped (test/policies/offloading-solvers's
  // problem, warm, 2026-11-27) read under 50 ms here and were called optimal; with the millisecond
  // allowed, none. A solve ending within that millisecond may have been stopped, so it is not
  // called optimal.
  if (limited && isInteger(lp) && performance.now() - t0 >= timeout - 1) return timeLimitReached(lp, 'javascript-lp-solver', timeLimit);
  if (!r.feasible) return noSolution(lp, 'infeasible', 'javascript-lp-solver');
  if (r.bounded === false) return noSolution(lp, 'unbounded', 'javascript-lp-solver');
  const values = new Float64Array(lp.variables.length);
  for (let j = 0; j < values.length; j++) {
    const x = r[`x${j}`];
    values[j] = typeof x === 'number' ? x : 0; // variables at 0 are left out of the result
  }
  return { status: 'optimal', objective: objectiveAt(lp, values), values, solver: 'javascript-lp-solver' };
}
