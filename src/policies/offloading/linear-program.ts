/**
 * A linear program in a plain form, shared by the solvers: variables with bounds, a cost and an
 * optional integrality; linear constraints (≤, ≥, =) as sparse rows; minimize or maximize. The
 * offloading formulation writes it, each solver translates it to its own input.
 */

/** A decision variable: lower ≤ x ≤ upper (upper may be Infinity), its objective coefficient, and whether it must be an integer. */
export interface LpVariable {
  readonly name?: string;
  readonly lower: number;
  readonly upper: number;
  readonly cost: number;
  /** An integer variable (with bounds [0, 1]: binary). */
  readonly integer?: boolean;
}

/** How a constraint's left-hand side relates to its right-hand side. */
export type Relation = '<=' | '>=' | '=';

/** Σ coefficients[t] · x[indices[t]]  relation  rhs (each variable at most once). */
export interface LpConstraint {
  readonly name?: string;
  readonly indices: readonly number[];
  readonly coefficients: readonly number[];
  readonly relation: Relation;
  readonly rhs: number;
}

/** Minimize (or maximize) Σ cost·x + offset subject to the constraints and the variables' bounds. */
export interface LinearProgram {
  readonly sense: 'min' | 'max';
  readonly variables: readonly LpVariable[];
  readonly constraints: readonly LpConstraint[];
  /** A constant added to the objective (does not change the optimum). */
  readonly offset?: number;
}

/** What a solve found. `infeasible` and `unbounded` are proved by the solver; `error` is anything else (a limit, a failure). */
export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'error';

/** The solvers edelear has. */
export type SolverName = 'javascript-lp-solver' | 'highs';

/** The outcome of a solve: status, objective (offset included; NaN unless optimal) and a value per variable (zeros unless optimal). */
export interface LpResult {
  readonly status: LpStatus;
  readonly objective: number;
  readonly values: Float64Array;
  readonly solver: SolverName;
  /** Why a solve ended in `error` (or a note from the solver). */
  readonly message?: string;
  /**
   * The dual value of each constraint at an optimal LP solution (HiGHS only; absent for a MIP or
   * from javascript-lp-solver): the reduced cost of variable j is cost_j − Σ_i a_ij · rowDuals_i.
   */
  readonly rowDuals?: Float64Array;
}

/** Whether any variable of the program is integer (a MIP). */
export function isInteger(lp: LinearProgram): boolean {
  return lp.variables.some((v) => v.integer === true);
}

/** Non-zero coefficients of the constraint matrix. */
export function nonZeros(lp: LinearProgram): number {
  let n = 0;
  for (const c of lp.constraints) n += c.indices.length;
  return n;
}

/** A result without a solution (infeasible, unbounded, error). */
export function noSolution(lp: LinearProgram, status: Exclude<LpStatus, 'optimal'>, solver: SolverName, message?: string): LpResult {
  return { status, objective: NaN, values: new Float64Array(lp.variables.length), solver, message };
}

/** A solve stopped at its time limit (status `error`: no plan known to be optimal). */
export function timeLimitReached(lp: LinearProgram, solver: SolverName, seconds: number): LpResult {
  return noSolution(lp, 'error', solver, `time limit of ${+seconds.toPrecision(3)} s reached`);
}

/**
 * The largest violation of the program's bounds, constraints and integrality by `values`
 * (0 when they satisfy all of them), each row's violation relative to max(1, |rhs|). Cost
 * O(variables + non-zeros).
 */
export function violation(lp: LinearProgram, values: ArrayLike<number>): number {
  let worst = 0;
  lp.variables.forEach((v, j) => {
    const x = values[j];
    worst = Math.max(worst, v.lower - x, x - v.upper, v.integer ? Math.abs(x - Math.round(x)) : 0);
  });
  for (const c of lp.constraints) {
    let lhs = 0;
    for (let t = 0; t < c.indices.length; t++) lhs += c.coefficients[t] * values[c.indices[t]];
    const scale = Math.max(1, Math.abs(c.rhs));
    const over = (lhs - c.rhs) / scale;
    worst = Math.max(worst, c.relation === '<=' ? over : c.relation === '>=' ? -over : Math.abs(over));
  }
  return worst;
}

/** The objective of the program at `values` (offset included). */
export function objectiveAt(lp: LinearProgram, values: ArrayLike<number>): number {
  let z = lp.offset ?? 0;
  lp.variables.forEach((v, j) => (z += v.cost * values[j]));
  return z;
}
