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
  /**
   * The most mean device energy per request the members' batteries allow, J: the least over the
   * members of {@link batteryEnergyPerRequest} — a row Σ_k energy_k · v_k ≤ members · energyCap.
   * The planner gives every member of such a class the class's split (own device included, bounded
   * by the member that can keep the least), so each member's mean is the class's. Omitted (or
   * Infinity): no battery row.
   */
  readonly energyCap?: number;
  /** The members' tenant on partitioned nodes (their workload's group), for {@link OffloadingProblem.tenantCapacity}. */
  readonly tenant?: number;
  /**
   * Per member whose own device keeps less than all its requests (the others keep every one
   * already), the utilization of its device it could still take before it keeps them all:
   * (rate − keep) × load. What a plan that overloads may add there ({@link leastOverload});
   * empty: none may. Default: every member, without bound.
   */
  readonly ownHeadrooms?: Float64Array;
}

/**
 * The offloading decision as a program (the paper's eq. 4, made concrete): per class c and
 * option k, v[c][k] = how many members' worth of the class's requests go to k.
 *
 *   minimize  Σ_c Σ_k ω_c · (a·latency + b·energy + e·exposure)[c][k] · v[c][k]   (a mean per request)
 *   s.t.      Σ_k v[c][k] = members_c                                    (all of each class is served)
 *             Σ_c λ_c · load[c][k] · v[c][k] ≤ capacity_k ≤ utilization   (each shared node's compute)
 *             Σ_{c of tenant t} λ_c · load[c][k] · v[c][k] ≤ tenantCapacity(k, t)   (a tenant's share of a partitioned node)
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
  /**
   * What tenant t may take of node k (a partitioned node whose shares the allocation keeps:
   * share × the cap), in the node's utilization; undefined: no row of its own (the tenant shares
   * the node's capacity row only). Asked once per (node, tenant) some option loads.
   */
  readonly tenantCapacity?: (node: number, tenant: number) => number | undefined;
  /** Mean energy per request the devices may spend, J (Infinity: no budget). */
  readonly energyBudget: number;
  /** Mean private bytes per request that may leave the devices, B (Infinity: no budget). */
  readonly privacyBudget: number;
  readonly objective: LinearObjective;
  readonly integer: boolean;
}

/** A program written from a problem (or from some of its options), and where each option's variable is. */
export interface Formulation {
  readonly lp: LinearProgram;
  /** Options of class c are o = first[c] … first[c + 1] − 1 (the problem's options in a row, in order, whether written or not). */
  readonly first: Int32Array;
  /** Option of each variable; undefined when every option was written (variable j is option j). */
  readonly column?: Int32Array;
  /** Row of each shared node's capacity constraint (−1: none). */
  readonly capacityRow: Int32Array;
  /** Row of the energy budget and of the privacy budget (−1: no such budget). */
  readonly energyRow: number;
  readonly privacyRow: number;
  /** Row of each class's battery limit (−1: none; see {@link OffloadingClass.energyCap}). */
  readonly batteryRow: Int32Array;
  /** Row of each (node, tenant) limit, keyed node × {@link tenantKeys} + tenant (absent: none). */
  readonly tenantRow: ReadonlyMap<number, number>;
  /** Tenants in the keys of {@link tenantRow}: 1 + the largest tenant of a class. */
  readonly tenantKeys: number;
}

/** The row of the (node, tenant) limit option k of class c is in, or −1. */
export function tenantRowOf(f: Formulation, c: OffloadingClass, node: number): number {
  return c.tenant === undefined ? -1 : (f.tenantRow.get(node * f.tenantKeys + c.tenant) ?? -1);
}

/** Each class's weight ω_c in the objective: λ_c / Σ members·λ (each request weighs the same), or 1 / Σ members with no traffic at all. */
export function classWeights(p: OffloadingProblem): Float64Array {
  let totalRate = 0;
  let totalMembers = 0;
  for (const c of p.classes) {
    totalRate += c.members * c.rate;
    totalMembers += c.members;
  }
  return Float64Array.from(p.classes, (c) => (totalRate > 0 ? c.rate / totalRate : 1 / totalMembers));
}

/** The objective coefficient of option k of class c (weight w): w · (a·latency + b·energy + e·exposure). */
export function optionCost(p: OffloadingProblem, c: OffloadingClass, k: number, w: number): number {
  const weights = p.objective.weights;
  return w * (weights.latency * c.latency[k] + weights.energy * c.energy[k] + weights.exposure * c.exposure[k]);
}

/** The upper bound of option k of class c: the members, or on their own devices what those can keep. */
export function optionUpper(p: OffloadingProblem, c: OffloadingClass, k: number): number {
  if (c.nodes[k] !== OWN_DEVICE) return c.members;
  const perMember = c.rate * c.load[k];
  return c.ownCapacity ?? (p.integer ? (perMember <= p.utilization ? c.members : 0) : perMember > 0 ? c.members * Math.min(1, p.utilization / perMember) : c.members);
}

/**
 * Writes the program of an offloading problem: one variable per (class, option) — or per option
 * marked in `include` (1: written; the others are held at 0, for column generation) — one
 * equality per class (rows 0 … classes − 1), a capacity row per shared node that some written
 * option uses (in node order), a row per finite budget, and a battery row per class with an
 * {@link OffloadingClass.energyCap}. Cost O(Σ options + nodes).
 */
export function formulate(p: OffloadingProblem, include?: Uint8Array): Formulation {
  const weights = classWeights(p);
  const variables: LpVariable[] = [];
  const constraints: LpConstraint[] = [];
  const first = new Int32Array(p.classes.length + 1);
  const firstVariable = new Int32Array(p.classes.length + 1);
  const column: number[] = [];
  // Capacity rows of the nodes some written option uses (a world has far more nodes than a program uses: its devices).
  const rowOf = new Int32Array(p.nodeCount).fill(-1);
  const capacity: { node: number; indices: number[]; coefficients: number[] }[] = [];
  const energy = { indices: [] as number[], coefficients: [] as number[] };
  const exposure = { indices: [] as number[], coefficients: [] as number[] };
  const integer = p.integer;
  const tenantKeys = 1 + p.classes.reduce((m, c) => Math.max(m, c.tenant ?? -1), -1);
  const tenantRows = new Map<number, { rhs: number; indices: number[]; coefficients: number[] } | null>();
  for (let ci = 0; ci < p.classes.length; ci++) {
    const c = p.classes[ci];
    const w = weights[ci];
    const all: number[] = [];
    const ones: number[] = [];
    first[ci + 1] = first[ci] + c.nodes.length;
    for (let k = 0; k < c.nodes.length; k++) {
      if (include !== undefined && include[first[ci] + k] !== 1) continue;
      const j = variables.length;
      const perMember = c.rate * c.load[k];
      const node = c.nodes[k];
      if (node !== OWN_DEVICE && perMember !== 0) {
        if (rowOf[node] < 0) {
          rowOf[node] = capacity.length;
          capacity.push({ node, indices: [], coefficients: [] });
        }
        const row = capacity[rowOf[node]];
        row.indices.push(j);
        row.coefficients.push(perMember);
        if (c.tenant !== undefined && p.tenantCapacity) {
          const key = node * tenantKeys + c.tenant;
          let t = tenantRows.get(key);
          if (t === undefined) {
            const rhs = p.tenantCapacity(node, c.tenant);
            tenantRows.set(key, (t = rhs === undefined ? null : { rhs, indices: [], coefficients: [] }));
          }
          if (t) {
            t.indices.push(j);
            t.coefficients.push(perMember);
          }
        }
      }
      variables.push({ lower: 0, upper: optionUpper(p, c, k), cost: optionCost(p, c, k, w), integer });
      column.push(first[ci] + k);
      all.push(j);
      ones.push(1);
      if (c.energy[k] !== 0) {
        energy.indices.push(j);
        energy.coefficients.push(w * c.energy[k]);
      }
      if (c.exposure[k] !== 0) {
        exposure.indices.push(j);
        exposure.coefficients.push(w * c.exposure[k]);
      }
    }
    constraints.push({ name: `serve ${ci}`, indices: all, coefficients: ones, relation: '=', rhs: c.members });
    firstVariable[ci + 1] = variables.length;
  }
  const capacityRow = new Int32Array(p.nodeCount).fill(-1);
  capacity.sort((x, y) => x.node - y.node);
  for (const { node: k, indices, coefficients } of capacity) {
    capacityRow[k] = constraints.length;
    constraints.push({ name: `capacity ${k}`, indices, coefficients, relation: '<=', rhs: p.capacity?.[k] ?? p.utilization });
  }
  const tenantRow = new Map<number, number>();
  for (const [key, t] of [...tenantRows].sort((x, y) => x[0] - y[0])) {
    if (!t) continue;
    tenantRow.set(key, constraints.length);
    constraints.push({ name: `tenant ${key % tenantKeys} at ${Math.floor(key / tenantKeys)}`, indices: t.indices, coefficients: t.coefficients, relation: '<=', rhs: t.rhs });
  }
  let energyRow = -1;
  let privacyRow = -1;
  if (Number.isFinite(p.energyBudget)) {
    energyRow = constraints.length;
    constraints.push({ name: 'energy budget', ...energy, relation: '<=', rhs: p.energyBudget });
  }
  if (Number.isFinite(p.privacyBudget)) {
    privacyRow = constraints.length;
    constraints.push({ name: 'privacy budget', ...exposure, relation: '<=', rhs: p.privacyBudget });
  }
  const batteryRow = new Int32Array(p.classes.length).fill(-1);
  p.classes.forEach((c, ci) => {
    if (c.energyCap === undefined || !(c.energyCap < Infinity)) return;
    const indices: number[] = [];
    const coefficients: number[] = [];
    for (let v = firstVariable[ci]; v < firstVariable[ci + 1]; v++) {
      const k = column[v] - first[ci];
      if (c.energy[k] === 0) continue;
      indices.push(v);
      coefficients.push(c.energy[k]);
    }
    batteryRow[ci] = constraints.length;
    constraints.push({ name: `battery ${ci}`, indices, coefficients, relation: '<=', rhs: c.members * c.energyCap });
  });
  const lp: LinearProgram = { sense: 'min', variables, constraints, offset: p.objective.constant };
  return { lp, first, ...(include === undefined ? {} : { column: Int32Array.from(column) }), capacityRow, energyRow, privacyRow, batteryRow, tenantRow, tenantKeys };
}

/** Where each class's options start in a row of all options: first[c] … first[c + 1] − 1 (as {@link formulate} numbers them). */
export function optionOffsets(p: OffloadingProblem): Int32Array {
  const first = new Int32Array(p.classes.length + 1);
  p.classes.forEach((c, ci) => (first[ci + 1] = first[ci] + c.nodes.length));
  return first;
}

/**
 * The size of the whole program {@link formulate} would write, without writing it: a variable
 * per option; a row per class, per shared node some option loads, per finite budget.
 */
export function programSizeOf(p: OffloadingProblem): { variables: number; constraints: number } {
  const loaded = new Set<number>();
  const tenants = new Set<string>();
  let variables = 0;
  for (const c of p.classes) {
    variables += c.nodes.length;
    for (let k = 0; k < c.nodes.length; k++) {
      if (c.nodes[k] === OWN_DEVICE || c.rate * c.load[k] === 0) continue;
      loaded.add(c.nodes[k]);
      if (c.tenant !== undefined && p.tenantCapacity?.(c.nodes[k], c.tenant) !== undefined) tenants.add(`${c.nodes[k]}/${c.tenant}`);
    }
  }
  const budgets = (Number.isFinite(p.energyBudget) ? 1 : 0) + (Number.isFinite(p.privacyBudget) ? 1 : 0) + p.classes.filter((c) => c.energyCap !== undefined && c.energyCap < Infinity).length;
  return { variables, constraints: p.classes.length + loaded.size + tenants.size + budgets };
}

/** Options per class a column-generation solve starts from (besides the members' own devices): its cheapest in the objective. */
export const STARTING_OPTIONS = 3;

/**
 * The options a column-generation solve of the program starts from (1: in, over the options in a
 * row as {@link Formulation.first} numbers them): per class its {@link STARTING_OPTIONS} cheapest
 * in the objective and its own-device option (which needs no shared capacity, so the start is
 * feasible whenever the members' own devices can keep what the cheap options' nodes cannot).
 * Pricing adds whatever else the optimum needs. Cost O(Σ options · log).
 */
export function startingColumns(p: OffloadingProblem, count = STARTING_OPTIONS): Uint8Array {
  const first = optionOffsets(p);
  const inSet = new Uint8Array(first[p.classes.length]);
  const weights = classWeights(p);
  const best = new Int32Array(count);
  const bestCost = new Float64Array(count);
  p.classes.forEach((c, ci) => {
    const from = first[ci];
    // The `count` cheapest by insertion into a short sorted list (ties: the earlier option).
    let kept = 0;
    for (let k = 0; k < c.nodes.length; k++) {
      if (c.nodes[k] === OWN_DEVICE) inSet[from + k] = 1;
      const cost = optionCost(p, c, k, weights[ci]);
      if (kept === count && cost >= bestCost[count - 1]) continue;
      let at = kept < count ? kept++ : count - 1;
      while (at > 0 && bestCost[at - 1] > cost) {
        bestCost[at] = bestCost[at - 1];
        best[at] = best[at - 1];
        at--;
      }
      bestCost[at] = cost;
      best[at] = k;
    }
    for (let t = 0; t < kept; t++) inSet[from + best[t]] = 1;
  });
  return inSet;
}
