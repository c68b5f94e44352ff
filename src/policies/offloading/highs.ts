import type { Basis, Highs, ModelData } from 'highs';
import { type LinearProgram, type LpResult, type LpStatus, isInteger, noSolution, nonZeros, objectiveAt, timeLimitReached } from './linear-program.ts';

type Loader = () => Promise<Highs>;

let runtime: Highs | undefined;
let loading: Promise<Highs> | undefined;

/**
 * Loads HiGHS (the `highs` package: HiGHS 1.15 compiled to WebAssembly; Huangfu & Hall 2018)
 * once per process. Loading is asynchronous (≈ 0.1–0.2 s: the module is compiled); every solve
 * after it is synchronous. Call it before a run whose programs may be large: a run is
 * synchronous, so a load started during it would not finish before it ends.
 */
export async function loadHighs(): Promise<void> {
  if (runtime) return;
  // The package's types describe its CommonJS build (the loader at `.default` of the default
  // export); the ES module Node loads exports the loader itself. Accept either.
  loading ??= import('highs').then((m) => {
    const d = m.default as unknown;
    return (typeof d === 'function' ? (d as Loader) : (d as { default: Loader }).default)();
  });
  runtime = await loading;
}

/** Whether {@link loadHighs} has finished: HiGHS can solve synchronously. */
export function highsLoaded(): boolean {
  return runtime !== undefined;
}

/**
 * What a caller keeps between solves of programs of one shape (the same variables and rows,
 * other coefficients): the last optimal simplex basis, handed to HiGHS as a warm start when the
 * next program has the same dimensions.
 */
export class WarmStart {
  basis: Basis | undefined;
  /** Solves that started from a kept basis. */
  warmSolves = 0;
}

/**
 * Solves a linear or mixed-integer program with HiGHS: dual simplex for an LP (from the warm
 * start's basis when the dimensions match), branch and cut for a MIP. The program goes to HiGHS
 * as sparse rows (CSR), so memory is O(variables + non-zeros). Returns `error` when HiGHS is not
 * loaded ({@link loadHighs}). An "infeasible or unbounded" answer from presolve is settled by a
 * second solve without presolve. The objective reported is recomputed from the values. A solve
 * still running after `timeLimit` seconds (HiGHS's `time_limit`, over both solves) ends in `error`
 * ("time limit of … reached"), even when branch and cut had found an integer plan: it is not
 * known to be optimal.
 */
export function solveWithHighs(lp: LinearProgram, warm?: WarmStart, timeLimit = Infinity): LpResult {
  const h = runtime;
  if (!h) return noSolution(lp, 'error', 'highs', 'HiGHS is not loaded: await loadHighs() before solving');
  const n = lp.variables.length;
  const m = lp.constraints.length;
  if (n === 0) return { status: m === 0 || lp.constraints.every((c) => satisfiedAtZero(c.relation, c.rhs)) ? 'optimal' : 'infeasible', objective: lp.offset ?? 0, values: new Float64Array(0), solver: 'highs' };
  const starts = new Int32Array(m + 1);
  const indices = new Int32Array(nonZeros(lp));
  const values = new Float64Array(indices.length);
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  let k = 0;
  lp.constraints.forEach((c, i) => {
    for (let t = 0; t < c.indices.length; t++, k++) {
      indices[k] = c.indices[t];
      values[k] = c.coefficients[t];
    }
    starts[i + 1] = k;
    rowLower[i] = c.relation === '<=' ? -Infinity : c.rhs;
    rowUpper[i] = c.relation === '>=' ? Infinity : c.rhs;
  });
  const mip = isInteger(lp);
  const data: ModelData = {
    numCols: n,
    numRows: m,
    sense: lp.sense === 'min' ? h.constants.objectiveSense.minimize : h.constants.objectiveSense.maximize,
    colCost: Float64Array.from(lp.variables, (v) => v.cost),
    colLower: Float64Array.from(lp.variables, (v) => v.lower),
    colUpper: Float64Array.from(lp.variables, (v) => v.upper),
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows: m, numCols: n, starts, indices, values },
    ...(mip ? { integrality: Int32Array.from(lp.variables, (v) => (v.integer ? h.constants.variableType.integer : h.constants.variableType.continuous)) } : {}),
  };
  const model = h.createModel(data);
  try {
    model.options.set({ output_flag: false, ...(timeLimit < Infinity ? { time_limit: timeLimit } : {}) });
    if (!mip && warm?.basis && warm.basis.colStatus.length === n && warm.basis.rowStatus.length === m) {
      try {
        model.setBasis(warm.basis);
        warm.warmSolves++;
      } catch {
        // A basis HiGHS rejects (singular for the new coefficients): solve cold.
      }
    }
    let status = model.run().modelStatus;
    if (status === h.constants.modelStatus.unboundedOrInfeasible) {
      model.options.set({ presolve: 'off' });
      status = model.run().modelStatus;
    }
    const s = h.constants.modelStatus;
    if (status === s.timeLimit) return timeLimitReached(lp, 'highs', timeLimit);
    const outcome: LpStatus | undefined = status === s.optimal ? 'optimal' : status === s.infeasible ? 'infeasible' : status === s.unbounded ? 'unbounded' : undefined;
    if (outcome === undefined) return noSolution(lp, 'error', 'highs', `HiGHS ended with model status ${Object.entries(s).find(([, v]) => v === status)?.[0] ?? status}`);
    if (outcome !== 'optimal') return noSolution(lp, outcome, 'highs');
    const solution = model.getSolution();
    const x = solution.colValue;
    if (warm && !mip) warm.basis = model.getBasis();
    return { status: 'optimal', objective: objectiveAt(lp, x), values: x, solver: 'highs', ...(mip ? {} : { rowDuals: solution.rowDual }) };
  } catch (e) {
    return noSolution(lp, 'error', 'highs', (e as Error).message);
  } finally {
    model.dispose();
  }
}

function satisfiedAtZero(relation: string, rhs: number): boolean {
  return relation === '<=' ? 0 <= rhs : relation === '>=' ? 0 >= rhs : rhs === 0;
}
