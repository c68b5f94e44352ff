import { OWN_DEVICE, type OffloadingProblem, classWeights, formulate, optionCost, optionUpper, startingColumns, tenantRowOf } from './formulation.ts';
import { type WarmStart, solveWithHighs } from './highs.ts';
import { type LpResult, noSolution, objectiveAt, timeLimitReached } from './linear-program.ts';

/** Rounds of pricing before a column-generation solve gives up and solves the whole program. */
export const MAX_PRICING_ROUNDS = 50;

/**
 * An option enters when its reduced cost is below −(this × the largest |cost| of the program): a
 * relative tolerance, because the program's costs are per-request means weighted by each class's
 * share of the traffic (of the order of 1e-6 at 10^4 instances), far below any absolute tolerance.
 */
export const PRICING_TOLERANCE = 1e-9;

/** What a column-generation solve found: values per option (in a row, as {@link formulate}'s `first` numbers them). */
export interface ColumnGenerationResult extends LpResult {
  /** Restricted programs solved (1: the starting options were enough). */
  readonly rounds: number;
  /** Variables of the last program solved (every option when it fell back to the whole program). */
  readonly columns: number;
  /** Constraints of the last program solved. */
  readonly rows: number;
  /** Whether it solved the whole program instead (the restricted one was infeasible, or pricing did not settle). */
  readonly whole: boolean;
}

/**
 * Solves the LP of an offloading problem by column generation (Gilmore & Gomory 1961; Desrosiers
 * & Lübbecke, "A primer in column generation", 2005) with HiGHS: the program is written over a
 * set of options only ({@link startingColumns}: each class's few cheapest and its own device; the
 * others held at 0, their lower bound), solved, and every option left out is priced with the
 * restricted optimum's duals — reduced cost d = cost − y_serve(c) − rate·load·y_capacity(node) −
 * ω·energy·y_energy − ω·exposure·y_privacy − energy·y_battery(c) (a row the restricted program lacks has dual 0: no
 * written option uses it, so it is slack) — and those with d < 0 ({@link PRICING_TOLERANCE})
 * join the set for the next round. When none prices out, the restricted optimum is optimal for
 * the whole program (its duals are feasible for every option: LP duality), so the answer is the
 * whole program's optimum, not an approximation. When the restricted program is infeasible or
 * pricing has not settled after {@link MAX_PRICING_ROUNDS} rounds, the whole program is solved.
 *
 * It pays where few options are used at the optimum: at 10^4 instances behind 100 edge servers
 * the program has 100 classes × 101 options and 100 options non-zero at its optimum; restricted,
 * it is a few hundred. Cost per round O(Σ options) to price and O(options written) to write, plus
 * the restricted solve. LP only (integer mode has no duals); HiGHS must be loaded. `warm` keeps
 * the first round's basis between solves (its program has the same shape while the classes do).
 */
export function solveByColumns(p: OffloadingProblem, timeLimit = Infinity, warm?: WarmStart): ColumnGenerationResult {
  const inSet = startingColumns(p);
  const total = inSet.length;
  const weights = classWeights(p);
  let largest = 0;
  p.classes.forEach((c, ci) => {
    for (let k = 0; k < c.nodes.length; k++) largest = Math.max(largest, Math.abs(optionCost(p, c, k, weights[ci])));
  });
  const tolerance = PRICING_TOLERANCE * largest;
  const started = performance.now();
  const left = (): number => timeLimit - (performance.now() - started) / 1000;
  let rounds = 0;
  for (let round = 1; round <= MAX_PRICING_ROUNDS; round++) {
    const f = formulate(p, inSet);
    if (left() <= 0) return { ...timeLimitReached(f.lp, 'highs', timeLimit), values: new Float64Array(total), rounds, columns: f.lp.variables.length, rows: f.lp.constraints.length, whole: false };
    rounds = round;
    // The first round's program has the same shape from one solve to the next while the classes stay: warm-started.
    const r = solveWithHighs(f.lp, round === 1 ? warm : undefined, left());
    if (r.status === 'infeasible' || (r.status === 'optimal' && r.rowDuals === undefined)) break;
    const size = { rounds: round, columns: f.lp.variables.length, rows: f.lp.constraints.length, whole: false };
    if (r.status !== 'optimal') return { ...noSolution(f.lp, r.status, 'highs', r.message), values: new Float64Array(total), ...size };
    const y = r.rowDuals!;
    let entered = 0;
    p.classes.forEach((c, ci) => {
      const from = f.first[ci];
      const w = weights[ci];
      for (let k = 0; k < c.nodes.length; k++) {
        if (inSet[from + k] === 1) continue;
        let d = optionCost(p, c, k, w) - y[ci];
        const node = c.nodes[k];
        const perMember = c.rate * c.load[k];
        if (node !== OWN_DEVICE && perMember !== 0 && f.capacityRow[node] >= 0) d -= perMember * y[f.capacityRow[node]];
        if (node !== OWN_DEVICE && perMember !== 0) {
          const t = tenantRowOf(f, c, node);
          if (t >= 0) d -= perMember * y[t];
        }
        if (f.energyRow >= 0) d -= w * c.energy[k] * y[f.energyRow];
        if (f.privacyRow >= 0) d -= w * c.exposure[k] * y[f.privacyRow];
        if (f.batteryRow[ci] >= 0) d -= c.energy[k] * y[f.batteryRow[ci]];
        if (d < -tolerance && optionUpper(p, c, k) > 0) {
          inSet[from + k] = 1;
          entered++;
        }
      }
    });
    if (entered === 0) {
      const values = new Float64Array(total);
      f.column!.forEach((o, j) => (values[o] = r.values[j]));
      return { status: 'optimal', objective: objectiveAt(f.lp, r.values), values, solver: 'highs', ...size };
    }
  }
  const whole = formulate(p);
  const size = { rounds: rounds + 1, columns: whole.lp.variables.length, rows: whole.lp.constraints.length, whole: true };
  if (left() <= 0) return { ...timeLimitReached(whole.lp, 'highs', timeLimit), ...size };
  return { ...solveWithHighs(whole.lp, undefined, left()), ...size };
}
