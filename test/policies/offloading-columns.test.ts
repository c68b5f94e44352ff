import { beforeAll, describe, expect, it } from 'vitest';
import { solveByColumns } from '../../src/policies/offloading/column-generation.ts';
import { formulate, OWN_DEVICE, startingColumns } from '../../src/policies/offloading/formulation.ts';
import { violation } from '../../src/policies/offloading/linear-program.ts';
import { loadHighs, solve } from '../../src/policies/offloading/solver.ts';
import { randomProblem } from './offloading-instances.ts';

/** Agreement of optima, relative (the figure for the two solvers), and constraint slack (HiGHS's feasibility tolerance is 1e-7). */
const AGREE = 1e-6;
const SLACK = 1e-6;

/**
 * Column generation solves the offloading LP over a few options per class and prices the rest
 * with the duals; it must give the whole program's optimum (LP duality), which HiGHS solving the
 * whole program gives independently here.
 */
describe('column generation on the offloading program', () => {
  beforeAll(loadHighs);

  it('reaches the whole program’s optimum on 60 random programs (capacities and budgets binding), each plan feasible for the whole program', () => {
    let optimal = 0;
    let priced = 0;
    for (let seed = 1; seed <= 60; seed++) {
      // Many shared nodes per class (so the start leaves most out) and pressure above 1 on some (capacity rows bind).
      const p = randomProblem(seed, { workloads: 10 + (seed % 40), nodes: 8 + (seed % 25), members: 1 + (seed % 4), density: 0.9, pressure: 0.5 + (seed % 7) * 0.2, objective: ['latency', 'energy', 'latency + 0.2 * energy', 'latency + exposure / 1e6'][seed % 4], budgets: seed % 3 !== 0 });
      const whole = formulate(p);
      const reference = solve(whole.lp, { solver: 'highs' });
      const cg = solveByColumns(p);
      expect(cg.status, `seed ${seed}`).toBe(reference.status);
      if (reference.status !== 'optimal') continue;
      optimal++;
      if (cg.rounds > 1) priced++;
      expect(Math.abs(cg.objective - reference.objective), `seed ${seed}: ${cg.objective} vs ${reference.objective}`).toBeLessThanOrEqual(AGREE * Math.max(1e-300, Math.abs(reference.objective)));
      // Its values are per option in the whole program's order: they satisfy the whole program.
      expect(violation(whole.lp, cg.values), `seed ${seed}`).toBeLessThanOrEqual(SLACK);
    }
    expect(optimal).toBeGreaterThanOrEqual(40);
    // The starting options were not enough on some: pricing really added columns there.
    expect(priced).toBeGreaterThanOrEqual(5);
  });

  it('prices the rows of tenants’ shares on partitioned nodes too: the whole program’s optimum on 30 random programs', () => {
    let optimal = 0;
    let binding = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const base = randomProblem(100 + seed, { workloads: 12 + (seed % 20), nodes: 8 + (seed % 12), density: 0.9, pressure: 0.6 + (seed % 5) * 0.2, budgets: seed % 2 === 0 });
      // Three tenants; every other node partitioned with shares 0.2, 0.3, 0.5 of the cap.
      const p = { ...base, classes: base.classes.map((c, i) => ({ ...c, tenant: i % 3 })), tenantCapacity: (k: number, t: number) => (k % 2 === 0 ? [0.2, 0.3, 0.5][t] * base.utilization : undefined) };
      const whole = formulate(p);
      expect(whole.tenantRow.size).toBeGreaterThan(0);
      const reference = solve(whole.lp, { solver: 'highs' });
      const cg = solveByColumns(p);
      expect(cg.status, `seed ${seed}`).toBe(reference.status);
      if (reference.status !== 'optimal') continue;
      optimal++;
      expect(Math.abs(cg.objective - reference.objective), `seed ${seed}`).toBeLessThanOrEqual(AGREE * Math.max(1e-300, Math.abs(reference.objective)));
      expect(violation(whole.lp, cg.values), `seed ${seed}`).toBeLessThanOrEqual(SLACK);
      // The tenants' rows changed the optimum: the program without them does better.
      const free = solve(formulate(base).lp, { solver: 'highs' });
      if (free.status === 'optimal' && free.objective < reference.objective * (1 - 1e-6)) binding++;
    }
    expect(optimal).toBeGreaterThanOrEqual(15);
    expect(binding).toBeGreaterThanOrEqual(5);
  });

  it('starts from each class’s three cheapest options and its own device', () => {
    const p = randomProblem(3, { workloads: 5, nodes: 12, density: 1, budgets: false });
    const start = startingColumns(p);
    const f = formulate(p);
    p.classes.forEach((c, ci) => {
      const costs = Array.from(c.nodes, (_, k) => f.lp.variables[f.first[ci] + k].cost);
      const third = [...costs].sort((a, b) => a - b)[2];
      c.nodes.forEach((node, k) => {
        const expected = node === OWN_DEVICE || costs[k] <= third ? 1 : 0;
        expect(start[f.first[ci] + k], `class ${ci} option ${k}`).toBe(expected);
      });
    });
  });

  it('solves the whole program when the start cannot carry the rows (infeasible restricted program)', () => {
    // One class, no own device, shared nodes each able to take a quarter of it: any three options
    // cannot serve it all (capacity), four can.
    const p = {
      classes: [
        {
          members: 1,
          rate: 1,
          nodes: Int32Array.from([0, 1, 2, 3, 4]),
          latency: Float64Array.from([1, 2, 3, 4, 5]),
          energy: new Float64Array(5),
          exposure: new Float64Array(5),
          load: Float64Array.from([3.2, 3.2, 3.2, 3.2, 3.2]),
        },
      ],
      nodeCount: 5,
      utilization: 0.8,
      energyBudget: Infinity,
      privacyBudget: Infinity,
      objective: { text: 'latency', weights: { latency: 1, energy: 0, exposure: 0 }, constant: 0 },
      integer: false,
    };
    const cg = solveByColumns(p);
    expect(cg.status).toBe('optimal');
    expect(cg.whole).toBe(true);
    // Each node takes 0.8 / 3.2 = 1/4 of the class: the four cheapest at 1/4 each → (1 + 2 + 3 + 4) / 4 = 2.5.
    expect(cg.objective).toBeCloseTo(2.5, 9);
  });
});
