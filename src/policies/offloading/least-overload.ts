import { OWN_DEVICE, type OffloadingProblem, formulate, optionUpper } from './formulation.ts';
import type { LinearProgram, LpConstraint, LpResult, LpVariable } from './linear-program.ts';

/**
 * Slack on a figure an earlier solve fixed, relative and absolute, when a later solve holds the
 * program to it: the earlier optimum comes back rounded (javascript-lp-solver's values carry
 * about 7 digits) and may sit below what the later solve can reach, which would make it infeasible.
 */
export const EXCESS_SLACK = 1e-6;

/** A plan that overloads as little as it can: the values per option (as {@link formulate}'s `first` numbers them) and what it leaves. */
export interface LeastOverloadResult {
  /** The last solve that succeeded (its values per option first), or the first solve's failure. */
  readonly result: LpResult;
  readonly first: Int32Array;
  /** The least worst excess s*: the most utilization any loaded node is offered above its room (0 when the program fits). */
  readonly excess: number;
  /** Per class with an own-device option, e_c: the excess each of its growable members' devices takes in the plan, up to its room to grow (0 without one). */
  readonly ownExcess: Float64Array;
  /** Set when a later solve failed and the plan is an earlier one's: what failed. */
  readonly note?: string;
}

/**
 * The plan for a program that does not fit its nodes (the last of the planner's relaxations, in
 * place of a greedy guess): the one whose worst overload is least, then whose overload in all is
 * least, then the cheapest in the program's objective. Every class is placed in full; the energy
 * and privacy budgets are dropped (they made no plan possible already); the battery rows stay
 * (a class's least-energy option always meets its row, so the program stays feasible). Each
 * shared node's capacity row r gets an excess e_r ≥ 0, Σ λ·load·v − e_r ≤ capacity_r, and each
 * (node, tenant) row one in its partition's terms, Σ λ·load·v − σ·e_r ≤ capacity_r (σ the
 * tenant's share: e_r raises the partition's ρ, σ·e_r the node's); each class's own-device bound
 * becomes the row λ·load_own·v_own − Σ_m x_m ≤ λ·load_own·ownCapacity over the members whose own
 * device keeps less than all their requests, x_m ≤ min(e_c, h_m), h_m its room to grow
 * ({@link OffloadingClass.ownHeadrooms}; none: the bound stays) — each member's device takes
 * min(e_c, h_m) above its room, which the planner gives it (keep + e_c / load, at most its rate);
 * every e ≤ s. Up to four solves:
 *
 *   1. minimize s: s* is the least excess the busiest node (or partition, or device) must take;
 *   2. minimize Σ_r σ_r·e_r + Σ_m x_m with s ≤ s*: the least overload in all, so no node is
 *      filled past its room when another could take the load (without it the objective, whose
 *      latencies ignore queueing, piled work onto its fastest node up to room + s*);
 *   2b. minimize the worst excess s2 of the rows the least total left below s* (a forced overload
 *      of one row — a small partition with nowhere else to go — would otherwise let every other row
 *      fill to s* wherever the total is indifferent);
 *   3. minimize the program's objective with s, the total and s2 at their least.
 *
 * A later solve's bounds carry {@link EXCESS_SLACK}. LP mode only (the planner's integer mode
 * keeps its greedy fallback: with whole members, those kept home would carry a class's own-device
 * excess alone). The solves go through `solveLp` (the planner's solver, chosen by size; each may
 * take the program's time limit); when a later one fails, the earlier plan is returned with a note.
 * Cost: three or four solves of a program the size of the whole one (no column generation), plus a
 * variable per capacity row, and per class with growable members a row and a variable per group of
 * alike members.
 */
export function leastOverload(p: OffloadingProblem, solveLp: (lp: LinearProgram) => LpResult): LeastOverloadResult {
  // The program without budgets or own-device bounds (those become rows below).
  const ownCapacity = p.classes.map((c) => {
    const own = c.nodes.indexOf(OWN_DEVICE);
    return own < 0 ? 0 : optionUpper(p, c, own);
  });
  // The growable members' room to grow, grouped by value (members alike share one variable).
  const growable = p.classes.map((c) => {
    const groups = new Map<number, number>();
    if (c.ownHeadrooms === undefined) groups.set(Infinity, c.members);
    else for (const h of c.ownHeadrooms) if (h > 0) groups.set(h, (groups.get(h) ?? 0) + 1);
    return groups;
  });
  // Own devices that can take more lose their bound (it becomes a row); a class whose members all keep every request keeps it.
  const open: OffloadingProblem = { ...p, energyBudget: Infinity, privacyBudget: Infinity, classes: p.classes.map((c, ci) => ({ ...c, ownCapacity: growable[ci].size > 0 ? c.members : ownCapacity[ci] })) };
  const f = formulate(open);
  const options = f.lp.variables.length;
  const s = options;
  const excessRows = new Set<number>([...f.capacityRow].filter((r) => r >= 0));
  for (const r of f.tenantRow.values()) excessRows.add(r);
  // The excess variables: one per capacity row (weight 1 in the total) and tenant row (weight σ); per
  // class with growable members, e_c (weight 0) and one per group of alike members (weight its size).
  const tenantRows = new Set<number>(f.tenantRow.values());
  const excessVariables: { weight: number; upper: number }[] = [];
  const constraints: LpConstraint[] = f.lp.constraints.map((row, r) => {
    if (!excessRows.has(r)) return row;
    const e = s + 1 + excessVariables.length;
    // A tenant's row in its partition's own terms: e above its room raises the partition's ρ by e
    // (the node's share σ = rhs / utilization takes σ·e of the node); a node's row, of the node's.
    // (A tenant without a share, rhs 0, in the node's terms: its partition can take nothing at any ρ.)
    const sigma = tenantRows.has(r) && row.rhs > 0 ? row.rhs / p.utilization : 1;
    excessVariables.push({ weight: sigma, upper: Infinity });
    return { ...row, indices: [...row.indices, e], coefficients: [...row.coefficients, -sigma] };
  });
  const ownVariable = new Int32Array(p.classes.length).fill(-1);
  const bounded: LpConstraint[] = [];
  open.classes.forEach((c, ci) => {
    const own = c.nodes.indexOf(OWN_DEVICE);
    if (own < 0) return;
    const perMember = c.rate * c.load[own];
    const groups = growable[ci];
    if (!(perMember > 0) || !Number.isFinite(perMember) || groups.size === 0) return;
    // e_c, the excess each growable member's device takes, up to its own room to grow: a group of n
    // members of room h takes n · x with x ≤ min(e_c, h).
    const e = s + 1 + excessVariables.length;
    excessVariables.push({ weight: 0, upper: Infinity });
    ownVariable[ci] = e;
    const indices = [f.first[ci] + own];
    const coefficients = [perMember];
    for (const [h, n] of groups) {
      const x = s + 1 + excessVariables.length;
      excessVariables.push({ weight: n, upper: h });
      bounded.push({ name: `own devices ${ci}: a group's excess ≤ e_c`, indices: [x, e], coefficients: [1, -1], relation: '<=', rhs: 0 });
      indices.push(x);
      coefficients.push(-n);
    }
    constraints.push({ name: `own devices ${ci}`, indices, coefficients, relation: '<=', rhs: perMember * ownCapacity[ci] });
  });
  constraints.push(...bounded);
  excessVariables.forEach((_, t) => constraints.push({ name: `excess ${t} ≤ s`, indices: [s + 1 + t, s], coefficients: [1, -1], relation: '<=', rhs: 0 }));
  const total: LpConstraint = { name: 'total excess', indices: excessVariables.map((_, t) => s + 1 + t), coefficients: excessVariables.map((e) => e.weight), relation: '<=', rhs: Infinity };
  /** The second worst excess: over the rows the first level did not hold at s*. */
  const s2 = s + 1 + excessVariables.length;
  const within = (x: number): number => x * (1 + EXCESS_SLACK) + EXCESS_SLACK;
  const program = (cost: (j: number) => number, sUpper: number, totalUpper?: number, second?: { rows: readonly number[]; upper: number }): LinearProgram => ({
    sense: 'min',
    variables: [
      ...f.lp.variables.map((v, j): LpVariable => ({ ...v, cost: cost(j) })),
      { name: 'worst excess', lower: 0, upper: sUpper, cost: cost(s), integer: false },
      ...excessVariables.map((e, t): LpVariable => ({ name: `excess ${t}`, lower: 0, upper: e.upper, cost: cost(s + 1 + t), integer: false })),
      { name: 'second worst excess', lower: 0, upper: second?.upper ?? Infinity, cost: cost(s2), integer: false },
    ],
    constraints: [
      ...constraints,
      ...(totalUpper === undefined ? [] : [{ ...total, rhs: totalUpper }]),
      ...(second === undefined ? [] : second.rows.map((t): LpConstraint => ({ name: `excess ${t} ≤ s2`, indices: [s + 1 + t, s2], coefficients: [1, -1], relation: '<=', rhs: 0 }))),
    ],
    ...(totalUpper === undefined ? {} : { offset: f.lp.offset }),
  });
  const result = (r: LpResult, note?: string): LeastOverloadResult => ({
    result: r,
    first: f.first,
    excess: r.status === 'optimal' ? Math.max(0, r.values[s]) : NaN,
    ownExcess: Float64Array.from(ownVariable, (e) => (e >= 0 && r.status === 'optimal' ? Math.max(0, r.values[e]) : 0)),
    ...(note === undefined ? {} : { note }),
  });
  const worst = solveLp(program((j) => (j === s ? 1 : 0), Infinity));
  if (worst.status !== 'optimal') return result(worst);
  const least = Math.max(0, worst.values[s]);
  const overall = solveLp(program((j) => (j > s && j < s2 ? excessVariables[j - s - 1].weight : 0), within(least)));
  if (overall.status !== 'optimal') return { ...result(worst, `the least total overload was not found (${overall.status})`), excess: least };
  let sum = 0;
  excessVariables.forEach((e, t) => (sum += e.weight * Math.max(0, overall.values[s + 1 + t])));
  // The rows the least total left below s*: their own worst excess, as small as it can be (one
  // forced overload — a small partition with nowhere else to go — would otherwise let every other
  // row fill to s* wherever the total is indifferent).
  const tolerance = EXCESS_SLACK + 1e-4 * least;
  const loose = excessVariables.map((_, t) => t).filter((t) => overall.values[s + 1 + t] < least - tolerance);
  let second: { rows: readonly number[]; upper: number } | undefined;
  let last = overall;
  if (loose.length > 0 && least > tolerance) {
    const level = solveLp(program((j) => (j === s2 ? 1 : 0), within(least), within(sum), { rows: loose, upper: Infinity }));
    if (level.status !== 'optimal') return { ...result(overall, `the second level of the least overload was not found (${level.status})`), excess: least };
    second = { rows: loose, upper: within(Math.max(0, level.values[s2])) };
    last = level;
  }
  const cheapest = solveLp(program((j) => (j < options ? f.lp.variables[j].cost : 0), within(least), within(sum), second));
  if (cheapest.status !== 'optimal') return { ...result(last, `the cheapest such plan was not found (${cheapest.status})`), excess: least };
  return { ...result(cheapest), excess: least };
}
