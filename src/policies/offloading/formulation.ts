import type { LinearProgram, LpConstraint, LpVariable } from './linear-program.ts';
import type { LinearObjective } from './objective.ts';

/** Marks an option that runs on each member's own device (the device differs from member to member; its capacity is per member). */
export const OWN_DEVICE = -1;

/**
 * A class of workload instances that the program treats alike: its members have the same
 * options with the same figures and differ at most in their arrival rates and in what their own
 * devices can take. The program over classes is exact: every per-member plan gives the class's
 * totals (requests per second per option) a plan over the class satisfies, and every plan over
 * the class is the totals of a per-member plan with the same objective and constraints — on a
 * shared node only the class's total counts; on the members' own devices, member m can keep up to
 * min(λ_m, U_m / load) requests per second, so the class can keep their sum, {@link ownCapacity}
 * (the planner splits it over the members in proportion to what each can keep). Options are the
 * admissible (instance, node) pairs only: privacy, deadline and failures have already ruled the
 * others out.
 */
export interface OffloadingClass {
  /** Number of members (instances). */
  readonly members: number;
  /** Mean arrival rate of a member, 1/s: the class offers members × rate requests per second. */
  readonly rate: number;
  /**
   * The bound of the {@link OWN_DEVICE} option, in members' worth of the class's requests: what
   * the members' own devices can keep together under their caps, Σ_m min(λ_m, U_m / load) / rate;
   * in integer mode, how many members their own device can take whole (λ_m · load ≤ U_m). When
   * omitted, every member at the class's rate under the cap `utilization`: members ·
   * min(1, utilization / (rate · load)) (integer: members when one fits, else 0).
   */
  readonly ownCapacity?: number;
  /** Node of each option: a node index, or {@link OWN_DEVICE}. */
  readonly nodes: Int32Array;
  /** Estimated latency of a request per option, s. */
  readonly latency: Float64Array;
  /** Energy the issuing device spends per request per option, J. */
  readonly energy: Float64Array;
  /** Private bytes sent off the device per request per option, B. */
  readonly exposure: Float64Array;
  /** Share of the node's whole compute one request per second takes, per option, s. */
  readonly load: Float64Array;
}

/**
 * The offloading decision as a program (the paper's eq. 4, made concrete): per class c and
 * option k, v[c][k] = how many members' worth of the class's requests go to k.
 *
 *   minimize  Σ_c Σ_k ω_c · (a·latency + b·energy + e·exposure)[c][k] · v[c][k]   (a mean per request)
 *   s.t.      Σ_k v[c][k] = members_c                                    (all of each class is served)
 *             Σ_c λ_c · load[c][k] · v[c][k] ≤ capacity_k ≤ utilization   (each shared node's compute)
 *             v[c][own] ≤ ownCapacity_c                                   (the members' own devices)
 *             Σ ω · energy · v ≤ energyBudget,  Σ ω · exposure · v ≤ privacyBudget  (means per request)
 *
 * with ω_c = λ_c / Σ_c members_c·λ_c (each request weighs the same; with no traffic at all, each
 * instance weighs the same). In integer mode v is integer (members are placed whole: binary
 * placement per instance), and ownCapacity counts the members whose own device takes them whole.
 */
export interface OffloadingProblem {
  readonly classes: readonly OffloadingClass[];
  readonly nodeCount: number;
  /** Most utilization allowed on each node, in (0, 1]. */
  readonly utilization: number;
  /** What each shared node may take now, when less than the cap (a backlog to work off); `utilization` when omitted. */
  readonly capacity?: Float64Array;
  /** Mean energy per request the devices may spend, J (Infinity: no budget). */
  readonly energyBudget: number;
  /** Mean private bytes per request that may leave the devices, B (Infinity: no budget). */
  readonly privacyBudget: number;
  readonly objective: LinearObjective;
  readonly integer: boolean;
}

/** A program written from a problem, with where each class's variables start. */
export interface Formulation {
  readonly lp: LinearProgram;
  /** Variables of class c: first[c] … first[c + 1] − 1, one per option in order. */
  readonly first: Int32Array;
  /** Row of each shared node's capacity constraint (−1: none). */
  readonly capacityRow: Int32Array;
}

/**
 * Writes the program of an offloading problem. Cost O(Σ options): one variable per (class,
 * option), one equality per class, a capacity row per shared node that some option uses, and a
 * row per finite budget.
 */
export function formulate(p: OffloadingProblem): Formulation {
  const totalRate = p.classes.reduce((s, c) => s + c.members * c.rate, 0);
  const totalMembers = p.classes.reduce((s, c) => s + c.members, 0);
  const weightOf = (c: OffloadingClass): number => (totalRate > 0 ? c.rate / totalRate : 1 / totalMembers);
  const { latency: a, energy: b, exposure: e } = p.objective.weights;
  const variables: LpVariable[] = [];
  const constraints: LpConstraint[] = [];
  const first = new Int32Array(p.classes.length + 1);
  const capacity: { indices: number[]; coefficients: number[] }[] = Array.from({ length: p.nodeCount }, () => ({ indices: [], coefficients: [] }));
  const energy = { indices: [] as number[], coefficients: [] as number[] };
  const exposure = { indices: [] as number[], coefficients: [] as number[] };
  p.classes.forEach((c, ci) => {
    const w = weightOf(c);
    const all: number[] = [];
    for (let k = 0; k < c.nodes.length; k++) {
      const j = variables.length;
      let upper = c.members;
      if (c.nodes[k] === OWN_DEVICE) {
        const perMember = c.rate * c.load[k];
        upper = c.ownCapacity ?? (p.integer ? (perMember <= p.utilization ? c.members : 0) : perMember > 0 ? c.members * Math.min(1, p.utilization / perMember) : c.members);
      } else if (c.rate * c.load[k] !== 0) {
        capacity[c.nodes[k]].indices.push(j);
        capacity[c.nodes[k]].coefficients.push(c.rate * c.load[k]);
      }
      variables.push({ lower: 0, upper, cost: w * (a * c.latency[k] + b * c.energy[k] + e * c.exposure[k]), integer: p.integer });
      all.push(j);
      if (c.energy[k] !== 0) {
        energy.indices.push(j);
        energy.coefficients.push(w * c.energy[k]);
      }
      if (c.exposure[k] !== 0) {
        exposure.indices.push(j);
        exposure.coefficients.push(w * c.exposure[k]);
      }
    }
    constraints.push({ name: `serve ${ci}`, indices: all, coefficients: all.map(() => 1), relation: '=', rhs: c.members });
    first[ci + 1] = variables.length;
  });
  const capacityRow = new Int32Array(p.nodeCount).fill(-1);
  capacity.forEach((row, k) => {
    if (row.indices.length === 0) return;
    capacityRow[k] = constraints.length;
    constraints.push({ name: `capacity ${k}`, ...row, relation: '<=', rhs: p.capacity?.[k] ?? p.utilization });
  });
  if (Number.isFinite(p.energyBudget)) constraints.push({ name: 'energy budget', ...energy, relation: '<=', rhs: p.energyBudget });
  if (Number.isFinite(p.privacyBudget)) constraints.push({ name: 'privacy budget', ...exposure, relation: '<=', rhs: p.privacyBudget });
  return { lp: { sense: 'min', variables, constraints, offset: p.objective.constant }, first, capacityRow };
}
