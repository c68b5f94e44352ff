import type { PlacementTable } from '../../world/placement.ts';
import { type RegisteredInstance, type StaticClasses, staticClasses } from './classes.ts';
import type { OffloadingDemand, PairFigures } from './demand.ts';
import { infeasibility, noOptionReason } from './diagnosis.ts';
import { type OffloadingClass, type OffloadingProblem, formulate } from './formulation.ts';
import type { LinearObjective } from './objective.ts';
import { type SolverName, SOLVER_THRESHOLD, WarmStart, chooseSolver, highsLoaded, programSize, solve } from './solver.ts';
import { type OffloadingView, estimatedLatency, residualCapacity } from './view.ts';

/** The settings one offloading program is solved with (shared by the workloads solved together). */
export interface LpSettings {
  readonly objective: LinearObjective;
  /** Most utilization the plan may give a node, in (0, 1]. */
  readonly utilization: number;
  /** Mean device energy per request, J (Infinity: none). */
  readonly energyBudget: number;
  /** Mean private bytes per request sent off the devices, B (Infinity: none). */
  readonly privacyBudget: number;
  /** Binary placement: each instance on one node (a MIP) instead of fractions. */
  readonly integer: boolean;
  readonly solver: 'auto' | SolverName;
}

/** What the planner's solves cost and gave (for benchmarks and reports). */
export interface PlannerStats {
  solves: number;
  /** Wall seconds in formulating and solving, in all and per solve. */
  seconds: number;
  readonly times: number[];
  /** Solves whose plan was the fallback (infeasible, error, or an instance with no admissible candidate). */
  fallbacks: number;
  last?: { status: string; solver: SolverName; variables: number; constraints: number; classes: number; seconds: number };
}

/** A plan to install for one instance: a candidate index (≥ 0), or −1 with weights. */
interface Installed {
  choice: Int32Array;
  weights: (Float64Array | undefined)[];
}

/**
 * The offloading program behind one or more `lp` placement policies: every instance they place
 * is a row of one linear program, re-solved from the measured view once per tick (the first
 * policy asked at a tick solves; the others install from the same solution), so workloads that
 * share nodes share their capacity. Instances are grouped into classes ({@link staticClasses},
 * refined at each tick by whether the own device is up, and in integer mode by rate) and the
 * program is written over classes ({@link formulate}). An instance's plan is `setWeights` with the
 * LP's fractions (`setSingle` when one candidate takes everything, or in integer mode). When the
 * program is infeasible or a solve fails, each instance goes to its least-loaded admissible
 * candidate (the fallback), and a warning says why — once per planner; the run never stops for it.
 * Cost per tick: O(Σ candidates) to group and install, plus the solve of a program of
 * Σ_classes options.
 */
export class OffloadingPlanner {
  /** Warnings given (each also passed to `warn`). */
  readonly messages: string[] = [];
  readonly stats: PlannerStats = { solves: 0, seconds: 0, times: [], fallbacks: 0 };
  private readonly instances: RegisteredInstance[] = [];
  /** Planner instances of each joined policy, in the order the world lists that policy's instances. */
  private readonly members: number[][] = [];
  /** World instance index of each planner instance (−1 until its policy first plans). */
  private readonly global: number[] = [];
  private classes: StaticClasses | undefined;
  private solvedFor: OffloadingView | undefined;
  private solvedAt = NaN;
  /** Simulated time of the last solve (the interval a backlog is worked off over is the time since). */
  private previousSolve = NaN;
  private installed: Installed = { choice: new Int32Array(0), weights: [] };
  private readonly warm = new WarmStart();
  private readonly warnedOf = new Set<string>();

  constructor(
    readonly settings: LpSettings,
    private readonly warn: (message: string) => void = (m) => process.stderr.write(`warning: ${m}\n`),
  ) {}

  /** A policy joins the program; returns its slot (for {@link register} and {@link plan}). */
  join(): number {
    this.members.push([]);
    return this.members.length - 1;
  }

  /** Adds an instance of the policy in `slot` (called once per instance, in the world's instance order, as the scenario builder asks for candidates). */
  register(slot: number, demand: OffloadingDemand, device: number, figures: PairFigures): void {
    this.members[slot].push(this.instances.length);
    this.instances.push({ demand, device, figures });
    this.global.push(-1);
    this.classes = undefined;
  }

  /** Installs the plans of the policy's instances, solving first when the view or the time is new. */
  plan(slot: number, view: OffloadingView, table: PlacementTable, instances: Int32Array): void {
    const mine = this.members[slot];
    if (mine.length !== instances.length) {
      throw new Error(`lp placement: ${mine.length} instances were registered through candidates(), but the world places ${instances.length} with this policy`);
    }
    mine.forEach((p, k) => {
      const i = instances[k];
      if (table.count(i) !== this.instances[p].figures.nodes.length) throw new Error(`lp placement: instance ${i} has ${table.count(i)} candidates in the table, ${this.instances[p].figures.nodes.length} registered`);
      this.global[p] = i;
    });
    if (view !== this.solvedFor || view.now !== this.solvedAt) {
      if (view !== this.solvedFor) this.previousSolve = NaN; // another run: no backlog interval yet
      this.solvedFor = view;
      this.solvedAt = view.now;
      this.solveAt(view);
    }
    const { choice, weights } = this.installed;
    mine.forEach((p, k) => {
      const c = choice[p];
      if (c >= 0) table.setSingle(instances[k], c);
      else table.setWeights(instances[k], weights[p]!);
    });
  }

  /** Warns once per kind of problem (the message names the first occurrence). */
  private warnOnce(kind: string, message: string): void {
    if (this.warnedOf.has(kind)) return;
    this.warnedOf.add(kind);
    this.messages.push(message);
    this.warn(message);
  }

  private solveAt(view: OffloadingView): void {
    const t0 = performance.now();
    const s = this.settings;
    const xs = this.instances;
    const statics = (this.classes ??= staticClasses(xs));
    const installed: Installed = { choice: new Int32Array(xs.length).fill(-1), weights: new Array(xs.length) };
    this.installed = installed;
    // Dynamic classes: static class × own device up (× rate, in integer mode, so counts are exact).
    const rate = new Float64Array(xs.length);
    const groups = new Map<string | number, number[]>();
    xs.forEach((x, p) => {
      const g = this.global[p];
      const r = g >= 0 ? view.arrivalRate(g) : NaN;
      rate[p] = r === r ? r : x.demand.rate;
      const up = view.isUp(x.device) ? 1 : 0;
      const key = s.integer ? `${statics.classOf[p]}/${up}/${rate[p]}` : statics.classOf[p] * 2 + up;
      let m = groups.get(key);
      if (!m) groups.set(key, (m = []));
      m.push(p);
    });
    const classes: OffloadingClass[] = [];
    const classMembers: number[][] = [];
    const optionCandidate: Int32Array[] = [];
    let problem: string | undefined;
    for (const m of groups.values()) {
      const p0 = m[0];
      const x = xs[p0];
      const f = x.figures;
      const roles = statics.roles[p0];
      const latency = Float64Array.from(f.nodes, (k, c) => estimatedLatency(view.nodes[k].slots, s.utilization, f.transfer[c], f.compute[c]));
      const admissible = (c: number): boolean => f.trusted[c] === 1 && view.isUp(f.nodes[c]) && latency[c] <= x.demand.deadline && Number.isFinite(latency[c] + f.load[c]);
      const options = [...f.nodes.keys()].filter(admissible);
      if (options.length === 0) {
        // Every candidate down: those requests are lost wherever they go; the rest is planned.
        if (f.nodes.every((k) => !view.isUp(k))) {
          for (const p of m) installed.choice[p] = 0;
          continue;
        }
        problem ??= noOptionReason(view, x, latency);
        continue;
      }
      let sum = 0;
      let peak = 0;
      for (const p of m) {
        sum += rate[p];
        peak = Math.max(peak, rate[p]);
      }
      const pick = (a: ArrayLike<number>): Float64Array => Float64Array.from(options, (c) => a[c]);
      classes.push({
        members: m.length,
        rate: sum / m.length,
        peakRate: peak,
        nodes: Int32Array.from(options, (c) => roles[c]),
        latency: pick(latency),
        energy: pick(f.deviceEnergy),
        exposure: pick(f.exposure),
        load: pick(f.load),
      });
      classMembers.push(m);
      optionCandidate.push(Int32Array.from(options));
    }
    const program: OffloadingProblem = {
      classes,
      nodeCount: view.nodes.length,
      utilization: s.utilization,
      capacity: this.capacities(view, classes, view.now - this.previousSolve),
      energyBudget: s.energyBudget,
      privacyBudget: s.privacyBudget,
      objective: s.objective,
      integer: s.integer,
    };
    this.previousSolve = view.now;
    const stats = this.stats;
    stats.solves++;
    if (problem === undefined && classes.length > 0) {
      const f = formulate(program);
      if (s.solver === 'auto' && programSize(f.lp) > SOLVER_THRESHOLD && !highsLoaded()) {
        this.warnOnce('no-highs', `lp placement: HiGHS is not loaded, so javascript-lp-solver solves a program of ${f.lp.variables.length} variables × ${f.lp.constraints.length} constraints (slow for large ones); await loadHighs() before the run`);
      }
      const r = solve(f.lp, { solver: s.solver === 'auto' ? chooseSolver(f.lp) : s.solver, warm: this.warm });
      const seconds = (performance.now() - t0) / 1000;
      stats.last = { status: r.status, solver: r.solver, variables: f.lp.variables.length, constraints: f.lp.constraints.length, classes: classes.length, seconds };
      if (r.status === 'optimal') {
        classes.forEach((c, ci) => this.installClass(c, classMembers[ci], optionCandidate[ci], r.values.subarray(f.first[ci], f.first[ci + 1])));
        stats.seconds += seconds;
        stats.times.push(seconds);
        return;
      }
      problem = r.status === 'infeasible' ? infeasibility(program) : `the ${r.solver} solve ended in ${r.status}${r.message ? ` (${r.message})` : ''}`;
    }
    if (problem !== undefined) {
      stats.fallbacks++;
      this.warnOnce('fallback', `lp placement: no offloading plan at t = ${view.now.toFixed(3)} s: ${problem}; each instance goes to its least-loaded admissible candidate until a solve succeeds (said once)`);
      xs.forEach((x, p) => {
        if (installed.choice[p] < 0) installed.choice[p] = leastLoadedAdmissible(view, x);
      });
    }
    const seconds = (performance.now() - t0) / 1000;
    stats.seconds += seconds;
    stats.times.push(seconds);
  }

  /** Each shared node's {@link residualCapacity} over the interval since the last solve, its work the mean compute time of the options on it. */
  private capacities(view: OffloadingView, classes: readonly OffloadingClass[], interval: number): Float64Array {
    const n = view.nodes.length;
    const work = new Float64Array(n);
    const count = new Float64Array(n);
    for (const c of classes) {
      for (let o = 0; o < c.nodes.length; o++) {
        const k = c.nodes[o];
        if (k < 0) continue;
        // load × throughput / slots = the compute time of one slot (load is the whole node's share).
        work[k] += (c.load[o] * view.nodes[k].slots);
        count[k]++;
      }
    }
    return Float64Array.from(work, (w, k) => (count[k] > 0 ? residualCapacity(view, k, this.settings.utilization, w / count[k], interval) : this.settings.utilization));
  }

  /** One class's solution as the plans of its members: common weights (LP) or whole members per option (integer). */
  private installClass(c: OffloadingClass, members: number[], candidate: Int32Array, v: Float64Array): void {
    const { choice, weights } = this.installed;
    const n = this.instances[members[0]].figures.nodes.length;
    if (this.settings.integer) {
      const counts = Array.from(v, (x) => Math.max(0, Math.round(x)));
      let o = 0;
      for (const p of members) {
        while (o < counts.length - 1 && counts[o] <= 0) o++;
        counts[o]--;
        choice[p] = candidate[o];
      }
      return;
    }
    let best = 0;
    for (let o = 1; o < v.length; o++) if (v[o] > v[best]) best = o;
    if (v[best] >= c.members * (1 - 1e-9)) {
      for (const p of members) choice[p] = candidate[best];
      return;
    }
    const w = new Float64Array(n);
    for (let o = 0; o < v.length; o++) w[candidate[o]] = Math.max(0, v[o]) / c.members;
    for (const p of members) weights[p] = w;
  }

  /** How many instances the program places, and how many classes it had at the last solve. */
  get size(): { instances: number; classes: number } {
    return { instances: this.instances.length, classes: this.stats.last?.classes ?? 0 };
  }
}

/**
 * The fallback plan of an instance: the up candidate with the fewest jobs per slot among those
 * that may hold its data and could meet its deadline unloaded (transfer + compute); failing that, among those up;
 * failing that, its first candidate. Cost O(candidates).
 */
export function leastLoadedAdmissible(view: OffloadingView, x: RegisteredInstance): number {
  const f = x.figures;
  let best = -1;
  let bestScore = Infinity;
  for (let c = 0; c < f.nodes.length; c++) {
    const k = f.nodes[c];
    if (!view.isUp(k)) continue;
    const fits = f.trusted[c] === 1 && f.transfer[c] + f.compute[c] <= x.demand.deadline;
    // Admissible candidates first (score below 1e9), then the others; fewest jobs per slot within each.
    const score = (fits ? 0 : 1e9) + view.jobs(k) / view.nodes[k].slots;
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best < 0 ? 0 : best;
}

