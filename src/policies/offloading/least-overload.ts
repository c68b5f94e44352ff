import { OWN_DEVICE, type OffloadingProblem, formulate, optionUpper } from './formulation.ts';
import type { LinearProgram, LpConstraint, LpResult, LpVariable } from './linear-program.ts';

/**
 * Slack on the least excess, relative and absolute, when the second solve holds the program to
 * it: the first solve's optimum comes back rounded (javascript-lp-solver's values carry about 7
 * digits) and may sit below what the second can reach, which would make it infeasible.
 */
export const EXCESS_SLACK = 1e-6;

/** A plan that overloads as little as it can: the values per option (as {@link formulate}'s `first` numbers them) and the least excess. */
export interface LeastOverloadResult {
  readonly result: LpResult;
  readonly first: Int32Array;
  /** The least excess s*: the utilization every loaded node is offered above what it may take (0 when the program fits). */
  readonly excess: number;
}

/**
 * The plan for a program that does not fit its nodes (the last of the planner's relaxations, in
 * place of a greedy guess): the one that overloads the worst node least, and among those the
 * cheapest in the program's objective. Every class is placed in full; the budgets and battery rows
 * are dropped (they made no plan possible already). With one more variable s ≥ 0, the excess, each
 * shared node's capacity row reads Σ λ·load·v − s ≤ capacity_k, each (node, tenant) row likewise,
 * and each class's own-device bound becomes the row λ·load_own·v_own − members·s ≤
 * λ·load_own·ownCapacity (the members' devices' mean excess; exact for a class of one member):
 *
 *   1. minimize s: s* is the least utilization by which the busiest node must exceed what it may
 *      take (every node's capacity raised by the same amount, so the excess is spread, never
 *      piled on one node);
 *   2. minimize the program's objective with s ≤ s* · (1 + {@link EXCESS_SLACK}) + {@link EXCESS_SLACK}.
 *
 * LP mode only (the planner's integer mode keeps its greedy fallback): for a class of several
 * members the own-device row bounds their mean excess, which is each member's when the class's
 * split is common, as in LP mode; with whole members, those kept home would carry it all.
 * Both programs are solved with `solveLp` (the planner's solver, chosen by size). The result's
 * values are per option; the own-device option's may exceed the class's ownCapacity by the
 * excess. Undefined results are the solver's failures (status not optimal). Cost: two solves of a
 * program the size of the whole one, plus a row per class with an own-device option.
 */
export function leastOverload(p: OffloadingProblem, solveLp: (lp: LinearProgram) => LpResult): LeastOverloadResult {
  // The program without budgets, batteries or own-device bounds (those become rows below).
  const ownCapacity = p.classes.map((c) => {
    const own = c.nodes.indexOf(OWN_DEVICE);
    return own < 0 ? 0 : optionUpper(p, c, own);
  });
  const open: OffloadingProblem = {
    ...p,
    energyBudget: Infinity,
    privacyBudget: Infinity,
    classes: p.classes.map((c) => ({ ...c, energyCap: undefined, ownCapacity: c.members })),
  };
  const f = formulate(open);
  const s = f.lp.variables.length;
  const shared = new Set<number>([...f.capacityRow].filter((r) => r >= 0));
  for (const r of f.tenantRow.values()) shared.add(r);
  const constraints: LpConstraint[] = f.lp.constraints.map((row, r) => (shared.has(r) ? { ...row, indices: [...row.indices, s], coefficients: [...row.coefficients, -1] } : row));
  open.classes.forEach((c, ci) => {
    const own = c.nodes.indexOf(OWN_DEVICE);
    if (own < 0) return;
    const perMember = c.rate * c.load[own];
    if (!(perMember > 0) || !Number.isFinite(perMember)) return;
    constraints.push({ name: `own devices ${ci}`, indices: [f.first[ci] + own, s], coefficients: [perMember, -c.members], relation: '<=', rhs: perMember * ownCapacity[ci] });
  });
  const excessVariable = (upper: number, cost: number): LpVariable => ({ name: 'excess', lower: 0, upper, cost, integer: false });
  const first: LinearProgram = {
    sense: 'min',
    variables: [...f.lp.variables.map((v) => ({ ...v, cost: 0 })), excessVariable(Infinity, 1)],
    constraints,
  };
  const one = solveLp(first);
  if (one.status !== 'optimal') return { result: one, first: f.first, excess: NaN };
  const excess = Math.max(0, one.values[s]);
  const second: LinearProgram = {
    ...f.lp,
    variables: [...f.lp.variables, excessVariable(excess * (1 + EXCESS_SLACK) + EXCESS_SLACK, 0)],
    constraints,
  };
  const two = solveLp(second);
  return { result: two.status === 'optimal' ? two : one, first: f.first, excess };
}
