import { RandomStreams, type Rng } from '../../src/core/random.ts';
import { OWN_DEVICE, type OffloadingClass, type OffloadingProblem } from '../../src/policies/offloading/formulation.ts';
import { parseObjective } from '../../src/policies/offloading/objective.ts';

/** How a random offloading problem is drawn. */
export interface RandomProblemOptions {
  /** Workload classes (each with `members` instances). */
  readonly workloads: number;
  /** Shared nodes (gateways, edge servers, cloud). */
  readonly nodes: number;
  readonly members?: number;
  readonly integer?: boolean;
  /** Share of the shared nodes each class may use (the rest ruled out by privacy or deadline). */
  readonly density?: number;
  /** Offered load on the shared nodes relative to their utilization cap, on average. */
  readonly pressure?: number;
  readonly objective?: string;
  readonly budgets?: boolean;
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

/**
 * A random offloading problem for tests and benchmarks: each class may run on its own device
 * (slow, costly in energy, private) or on some of the shared nodes (fast, radio energy, its data
 * exposed); rates 1–10/s; node loads drawn so the shared nodes are offered about `pressure`
 * times their cap (so capacity rows bind) and the own devices fit most members.
 */
export function randomProblem(seed: number, o: RandomProblemOptions): OffloadingProblem {
  const rng = new RandomStreams(seed).stream('policy', 'lp-instances');
  const members = o.members ?? 1;
  const density = o.density ?? 0.7;
  const utilization = 0.8;
  const pressure = o.pressure ?? 0.7;
  // Node speed factors: a request takes `base / speed[k]` of node k for a second.
  const speed = Array.from({ length: o.nodes }, () => uniform(rng, 0.5, 2));
  const meanRate = 5.5;
  const base = (pressure * utilization * o.nodes) / (o.workloads * members * meanRate * density);
  const classes: OffloadingClass[] = [];
  for (let c = 0; c < o.workloads; c++) {
    const rate = uniform(rng, 1, 10);
    const nodes = [OWN_DEVICE];
    for (let k = 0; k < o.nodes; k++) if (rng() < density) nodes.push(k);
    const n = nodes.length;
    const cls: OffloadingClass = {
      members,
      rate,
      nodes: Int32Array.from(nodes),
      latency: Float64Array.from(nodes, (k) => (k === OWN_DEVICE ? uniform(rng, 0.05, 0.4) : uniform(rng, 0.01, 0.15))),
      energy: Float64Array.from(nodes, (k) => (k === OWN_DEVICE ? uniform(rng, 0.5, 3) : uniform(rng, 0.05, 0.6))),
      exposure: Float64Array.from(nodes, (k) => (k === OWN_DEVICE ? 0 : uniform(rng, 1e4, 2e5))),
      load: Float64Array.from(nodes, (k) => (k === OWN_DEVICE ? uniform(rng, 0.02, 0.12) : (base / speed[k]) * uniform(rng, 0.5, 1.5))),
    };
    if (n === 0) throw new Error('unreachable');
    classes.push(cls);
  }
  const meanEnergy = classes.reduce((s, c) => s + c.energy.reduce((a, x) => a + x, 0) / c.energy.length, 0) / classes.length;
  const meanExposure = classes.reduce((s, c) => s + c.exposure.reduce((a, x) => a + x, 0) / c.exposure.length, 0) / classes.length;
  return {
    classes,
    nodeCount: o.nodes,
    utilization,
    energyBudget: o.budgets === false ? Infinity : meanEnergy * uniform(rng, 0.8, 1.5),
    privacyBudget: o.budgets === false ? Infinity : meanExposure * uniform(rng, 0.8, 1.5),
    objective: parseObjective(o.objective ?? 'latency'),
    integer: o.integer ?? false,
  };
}
