import type { PlacementTable } from '../../world/placement.ts';
import { ClassIndex, type RegisteredInstance } from './classes.ts';
import type { PlacementView } from '../placement/placement.ts';
import { type OffloadingDemand, type PairFigures, pairFigures } from './demand.ts';
import { infeasibility, noOptionReason } from './diagnosis.ts';
import { solveByColumns } from './column-generation.ts';
import { leastOverload } from './least-overload.ts';
import { OWN_DEVICE, type OffloadingClass, type OffloadingProblem, formulate, optionOffsets, programSizeOf } from './formulation.ts';
import type { LinearObjective } from './objective.ts';
import { type LpResult, type SolverName, SOLVER_THRESHOLD, WarmStart, chooseSolver, highsLoaded, solve } from './solver.ts';
import { EWMA_WEIGHT } from '../../world/view.ts';
import { type OffloadingView, batteryEnergyPerRequest, estimatedLatency, residualCapacity, unplannedUtilization } from './view.ts';

/** Seconds an integer solve may take before its tick falls back (branch and cut can take minutes; LPs, milliseconds to a second, are not limited by default). */
export const INTEGER_TIME_LIMIT = 1;

/**
 * The least rate an instance is planned at, as a share of its declared (mean) rate, once rates are
 * measured: an instance measured idle over the last intervals (its device was down, or its
 * arrivals are sparse) keeps a weight in the objective — with weight 0 its option is whatever the
 * solver leaves — and a small reservation of capacity for when its requests resume.
 */
export const MEASURED_RATE_FLOOR = 0.1;

/**
 * Integer mode groups instances whose measured rates are within one bucket of this ratio (a
 * fixed geometric grid: 1.05^(b−1) < r ≤ 1.05^b), counting each member at the largest rate of
 * its class; exact rates would make each instance a class of its own at every tick.
 */
export const RATE_BUCKET = 1.05;

/**
 * The utilization a plan may give a shared node when none fits under the program's cap: below 1,
 * so every node's queue stays stable, the cap's margin used rather than a plan that overloads a
 * node. Tried only after the budgets are dropped; the least-overload plan takes its room from it too.
 */
export const LOOSE_CAP = 0.99;

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
  /** Seconds a solve may take; past it the tick falls back with a warning (when omitted: {@link INTEGER_TIME_LIMIT} for integer solves, none for LPs). */
  readonly timeLimit?: number;
}

/** What the planner's solves cost and gave (for benchmarks and reports). */
export interface PlannerStats {
  solves: number;
  /** Wall seconds in formulating and solving, in all and per solve. */
  seconds: number;
  readonly times: number[];
  /** Solves whose plan was in part or in all the fallback (infeasible, error, or an instance with no admissible candidate while some candidate was up). */
  fallbacks: number;
  last?: {
    status: string;
    solver: SolverName;
    variables: number;
    constraints: number;
    classes: number;
    seconds: number;
    /** With column generation: columns of the last restricted program, and the rounds of pricing. */
    columns?: number;
    rounds?: number;
  };
}

/**
 * What a planner knows of the scenario beyond its own program (from the {@link LpPrograms} of the
 * build): the other programs (solved one after another at the start, each taking the plans of
 * those before it as traffic from outside), the utilization the workloads not placed by any lp
 * program are declared to offer each node (their mean rates, split evenly over their candidates),
 * and whether the plan is solved again at ticks.
 */
export interface ProgramContext {
  planners(): readonly OffloadingPlanner[];
  outside(): Float64Array | undefined;
  readonly replans: boolean;
  /** Whether the shares of partitioned nodes stay as they start (no allocation re-allocates them): each tenant's share is then a capacity of its own. */
  fixedShares(): boolean;
}

/**
 * A tenant's capacity on a partitioned node whose shares stay: its share × the utilization cap
 * (its partition is a node of that speed for it, whatever the others do); undefined for a node
 * not partitioned. Under an allocation that follows demand the shares move with the plan, so the
 * node's one capacity row stands (a row at today's share would hold the plan to it, and the share
 * to the plan).
 */
function tenantCapacity(view: OffloadingView, utilization: number): (node: number, tenant: number) => number | undefined {
  return (node, tenant) => {
    const share = view.tenantShare!(node, tenant);
    return share === share ? share * utilization : undefined;
  };
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
 * share nodes share their capacity. Instances are grouped into classes ({@link ClassIndex},
 * refined at each tick by whether the own device is up, and in integer mode by rate bucket,
 * {@link RATE_BUCKET}) and the program is written over classes ({@link formulate}; exact in LP
 * mode whatever the members' rates: the class's own-device bound is what its members' devices
 * can keep, split over them in proportion). Rates are the view's measured ones, at least
 * {@link MEASURED_RATE_FLOOR} of the declared rate (the declared rate until measured). A shared
 * node's capacity is the cap less its backlog to work off ({@link residualCapacity}), less the
 * traffic from outside the program, less what instances in the fallback put there; a member's own
 * device's, the cap less its outside traffic. Traffic from outside is estimated per node as the
 * utilization the view measured over the last interval less the program's own planned load at the
 * last solve ({@link unplannedUtilization}), averaged over intervals (an EWMA at the weight of the
 * view's arrival rates, {@link EWMA_WEIGHT}, the first measurement taken whole) and floored at 0:
 * taken raw, the bursts of the program's own requests around its planned rate read as outside
 * traffic about half the time on a node held at its cap (on `paper-edelear.yaml`, seeds 1–6: 6 to
 * 24 of 60 solves fell back instead of 0 or 1, and the mean latency rose by up to 2.9×); averaged,
 * they cancel. Outside traffic there from the first measurement is counted in full at once; for
 * one that starts later the estimate closes 0.3 of the gap at each tick. A device on a battery
 * holds its requests' mean device energy to what lets the battery last to the end of the run, its
 * spare power shared over every instance the program places from it ({@link batteryEnergyPerRequest}):
 * in LP mode a battery row per class (members grouped within 5 % of that figure, none to spare a
 * group of its own; the class held to its members' least, every member taking the class's split);
 * in integer mode, options above it are ruled out. When no option is that frugal the class is held
 * to its least-energy options, with a warning — and when that makes the program infeasible, it is
 * solved again with those classes placed as without a battery. Large LPs are solved by column
 * generation ({@link solveByColumns}: exact). An instance's plan is
 * `setWeights` with the LP's fractions (`setSingle` when one candidate takes everything, or in
 * integer mode).
 * A class with no admissible candidate at a tick falls back alone; when the program is
 * infeasible with budgets, it is solved again without them (within every node's capacity), then up
 * to {@link LOOSE_CAP} of each shared node; when it is infeasible still, the plan that overloads
 * least ({@link leastOverload}; LP mode); when a solve fails (or outlasts `timeLimit`), or an integer
 * program is infeasible, every instance falls back:
 * to the candidate that may hold its data with the fewest jobs per slot, then the least loaded
 * with it there ({@link fallbackCandidate}; never an untrusted one), and a warning says why — once per planner
 * and kind; the run never stops for it. Before anything is measured, traffic from outside the
 * program is what the other workloads are declared to offer and the plans of the programs solved
 * before it ({@link ProgramContext}); a plan that leaves a node at ρ ≥ 1 is warned of. Warnings
 * are kept ({@link messages}, {@link warnings}) and passed to `warn` when given: the command
 * running the world reports them. Cost per tick: O(Σ candidates) to group, install and record
 * the planned load, plus the solve of a program of Σ_classes options.
 */
export class OffloadingPlanner {
  /** Warnings given, by kind (each kind once; each also passed to `warn`). */
  readonly warnings = new Map<string, string>();
  /**
   * What a solve from measured rates inside the warm-up warned of, by kind (each once; each also
   * passed to `warn`), when its plan is solved again at a tick still inside it: notes, not warnings —
   * the figures exclude the time that plan was in force; the same kind from a plan in force after
   * the warm-up is a warning ({@link warnings}).
   */
  readonly warmupNotes = new Map<string, string>();
  /**
   * Whether the solve under way is a {@link warmupNotes} one: after the start (declared rates), its
   * plan replaced at the next tick before the warm-up ends — a plan that would still be in force in
   * the measurement window, or that no tick replaces, is a warning (helper-81).
   */
  private inWarmup = false;
  readonly stats: PlannerStats = { solves: 0, seconds: 0, times: [], fallbacks: 0 };
  private readonly instances: RegisteredInstance[] = [];
  /** Planner instances of each joined policy, in the order the world lists that policy's instances. */
  private readonly members: number[][] = [];
  /** World instance index of each planner instance (−1 until its policy first plans). */
  private readonly global: number[] = [];
  /** Planner instance of each world instance it places (filled as policies first plan). */
  private readonly local = new Map<number, number>();
  private classes: ClassIndex | undefined;
  /** Instances whose figures are for an access point their device moved to (attachedAt ≥ 0). */
  private displaced = 0;
  private solvedFor: OffloadingView | undefined;
  private solvedAt = NaN;
  /** Simulated time of the last solve (the interval a backlog is worked off over is the time since). */
  private previousSolve = NaN;
  private installed: Installed = { choice: new Int32Array(0), weights: [] };
  /** Utilization the installed plan gives each node (the program's own share of what the view measures next). */
  private planned: Float64Array = new Float64Array(0);
  /** Per node, the average over intervals of its measured utilization less the program's planned load (NaN: not measured yet). */
  private unplanned: Float64Array = new Float64Array(0);
  private readonly warm = new WarmStart();
  /** The warm start of column generation's first round (a program of another shape than the whole one). */
  private readonly warmColumns = new WarmStart();

  constructor(
    readonly settings: LpSettings,
    private readonly warn: (message: string) => void = () => {},
    private readonly context: ProgramContext = { planners: () => [], outside: () => undefined, replans: true, fixedShares: () => false },
  ) {}

  /** The utilization this planner's plan gave each node at its last solve for `view` (undefined when it has not solved for that run). */
  plannedIn(view: OffloadingView): Float64Array | undefined {
    return this.solvedFor === view ? this.planned : undefined;
  }

  /** Warnings given, in order. */
  get messages(): string[] {
    return [...this.warnings.values()];
  }

  /** A policy joins the program; returns its slot (for {@link register} and {@link plan}). */
  join(): number {
    this.members.push([]);
    return this.members.length - 1;
  }

  /** Adds an instance of the policy in `slot` (called once per instance, in the world's instance order, as the scenario builder asks for candidates). */
  register(slot: number, demand: OffloadingDemand, device: number, figures: PairFigures, inputBytes: number, view: PlacementView): void {
    this.members[slot].push(this.instances.length);
    this.instances.push({ demand, device, figures, inputBytes, view, attachedAt: -1 });
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
      if (this.global[p] !== i) {
        this.global[p] = i;
        this.local.set(i, p);
      }
    });
    if (view !== this.solvedFor || view.now !== this.solvedAt) {
      if (view !== this.solvedFor) {
        // Another run: no backlog interval, no planned load yet.
        this.previousSolve = NaN;
        this.planned = new Float64Array(0);
        this.unplanned = new Float64Array(0);
      }
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

  /**
   * Mobility: the figures of every instance whose device is attached elsewhere than when they were
   * computed, computed again from its access point now (its link, then the route from there), and
   * that instance put in the class of its new figures ({@link ClassIndex.reclassify}):
   * O(candidates × route length) per moved instance, O(instances) to look when devices move
   * (nothing when none does and none has moved).
   */
  private followMoves(view: OffloadingView): void {
    const at = view.attachment;
    if (at === undefined && this.displaced === 0) return;
    this.instances.forEach((x, p) => {
      const ap = at === undefined ? -1 : at[x.device];
      if (ap === x.attachedAt) return;
      x.figures = pairFigures(x.view, x.demand, x.device, x.inputBytes, x.figures.nodes, ap);
      this.displaced += (ap >= 0 ? 1 : 0) - (x.attachedAt >= 0 ? 1 : 0);
      x.attachedAt = ap;
      this.classes?.reclassify(p);
    });
  }

  /** How long a fallback or a plan warned of lasts: `untilSolve` with `policies.interval`; without it, the whole run. */
  private until(untilSolve: string): string {
    return this.context.replans ? untilSolve : 'for the whole run (no policies.interval: the plan is not solved again)';
  }

  /** Warns once per kind of problem (the message names the first occurrence); inside the warm-up, notes it once per kind ({@link warmupNotes}). */
  private warnOnce(kind: string, message: string): void {
    const kept = this.inWarmup ? this.warmupNotes : this.warnings;
    // A kind warned of already (at the start) is not noted again inside the warm-up.
    if (kept.has(kind) || this.warnings.has(kind)) return;
    kept.set(kind, message);
    this.warn(message);
  }

  private solveAt(view: OffloadingView): void {
    const t0 = performance.now();
    this.inWarmup = this.context.replans && view.now > 0 && view.now + (view.interval ?? Infinity) <= (view.warmup ?? 0);
    const s = this.settings;
    const xs = this.instances;
    this.followMoves(view);
    const statics = (this.classes ??= new ClassIndex(xs));
    const installed: Installed = { choice: new Int32Array(xs.length).fill(-1), weights: new Array(xs.length) };
    this.installed = installed;
    const n = view.nodes.length;
    const other = this.otherTraffic(view);
    // Dynamic classes: static class × own device up (× rate bucket, in integer mode, so counts are whole members).
    const rate = new Float64Array(xs.length);
    const groups: number[][] = [];
    const slot = s.integer ? undefined : new Int32Array(statics.count * 2).fill(-1);
    const byKey = new Map<string, number>();
    /** Requests per second the program's instances on each battery-powered device issue (their spare power is shared by all of them). */
    const onBattery = new Map<number, number>();
    for (let p = 0; p < xs.length; p++) {
      const x = xs[p];
      const g = this.global[p];
      const r = g >= 0 ? view.arrivalRate(g) : NaN;
      rate[p] = r === r ? Math.max(r, MEASURED_RATE_FLOOR * x.demand.rate) : x.demand.rate;
      if (view.nodes[x.device].battery !== undefined) onBattery.set(x.device, (onBattery.get(x.device) ?? 0) + rate[p]);
    }
    /** Mean device energy per request each instance's battery allows (Infinity: none to spare). */
    const cap = new Float64Array(xs.length);
    for (let p = 0; p < xs.length; p++) {
      const x = xs[p];
      const up = view.isUp(x.device) ? 1 : 0;
      const shared = onBattery.get(x.device);
      cap[p] = shared === undefined ? Infinity : batteryEnergyPerRequest(view, x.device, shared);
      let at: number;
      if (cap[p] < Infinity) {
        // On a battery: also by the energy it allows per request (within 5 %; the class takes its members' least); none to spare is a key of its own.
        const key = `${statics.classOf[p]}/${up}/${s.integer ? rateBucket(rate[p]) : ''}/battery ${cap[p] > 0 ? rateBucket(cap[p]) : 'none'}`;
        at = byKey.get(key) ?? -1;
        if (at < 0) byKey.set(key, (at = groups.length));
      } else if (slot) {
        const key = statics.classOf[p] * 2 + up;
        at = slot[key];
        if (at < 0) slot[key] = at = groups.length;
      } else {
        const key = `${statics.classOf[p]}/${up}/${rateBucket(rate[p])}`;
        at = byKey.get(key) ?? -1;
        if (at < 0) byKey.set(key, (at = groups.length));
      }
      if (at === groups.length) groups.push([]);
      groups[at].push(p);
    }
    /** Requests per second each instance's own device can keep under its cap (own-device options). */
    const keep = new Float64Array(xs.length);
    /** Utilization the instances in the fallback give each node. */
    const reserved = new Float64Array(n);
    const classes: OffloadingClass[] = [];
    const classMembers: number[][] = [];
    const optionCandidate: Int32Array[] = [];
    /** Classes whose battery cannot last at any option (their rows are dropped when the program cannot meet them). */
    const clamped: number[] = [];
    let unplaced: string | undefined;
    for (const m of groups) {
      const p0 = m[0];
      const x = xs[p0];
      const f = x.figures;
      const roles = statics.roles[p0];
      const candidates = f.nodes.length;
      const latency = new Float64Array(candidates);
      const admissible: number[] = [];
      for (let c = 0; c < candidates; c++) {
        const k = f.nodes[c];
        const l = estimatedLatency(view.nodes[k].slots, s.utilization, f.transfer[c], f.compute[c]);
        latency[c] = l;
        if (f.trusted[c] === 1 && view.isUp(k) && l <= x.demand.deadline && Number.isFinite(l + f.load[c])) admissible.push(c);
      }
      let options = Int32Array.from(admissible);
      if (options.length === 0) {
        // This class alone falls back; the rest is planned. (Every candidate down: its requests
        // are lost wherever they go — nothing to warn of.)
        if (f.nodes.some((k) => view.isUp(k))) unplaced ??= noOptionReason(view, x, latency);
        for (const p of m) this.fallBack(view, p, rate, reserved, other);
        continue;
      }
      let sum = 0;
      let peak = 0;
      for (const p of m) {
        sum += rate[p];
        peak = Math.max(peak, rate[p]);
      }
      // Integer mode counts each member at the class's largest rate (its bucket's spread, ≤ 5 %).
      const classRate = s.integer ? peak : sum / m.length;
      let energyCap = Infinity;
      for (const p of m) energyCap = Math.min(energyCap, cap[p]);
      let least = Infinity;
      for (const c of options) least = Math.min(least, f.deviceEnergy[c]);
      const lasts = energyCap >= least;
      if (energyCap < Infinity && !lasts) {
        this.warnOnce('battery', `lp placement: at t = ${view.now.toFixed(3)} s, the battery of ${view.nodes[x.device].name} (workload ${x.demand.name}) cannot last to the end of the run (${+view.end.toPrecision(6)} s) at any option; its requests are held to the options that cost the device least energy, or placed as without a battery when those cannot take them (said once)`);
      }
      if (s.integer && energyCap < Infinity) {
        // Whole members: each member's one option must keep it within its battery (or be the least costly).
        const bound = lasts ? energyCap : least;
        options = options.filter((c) => f.deviceEnergy[c] <= bound);
      }
      const own = options.findIndex((c) => roles[c] === OWN_DEVICE);
      let ownCapacity: number | undefined;
      if (own >= 0) {
        const load = f.load[options[own]];
        let kept = 0;
        let leastShare = 1;
        for (const p of m) {
          const cap = Math.max(0, s.utilization - other[xs[p].device]);
          keep[p] = load > 0 ? Math.min(rate[p], cap / load) : rate[p];
          kept += s.integer ? (keep[p] >= rate[p] ? 1 : 0) : keep[p];
          if (rate[p] > 0) leastShare = Math.min(leastShare, keep[p] / rate[p]);
        }
        // With a battery row every member takes the class's split (its own share included: the row bounds each member's mean), so the own device is bounded by the member that can keep the least.
        ownCapacity = s.integer ? kept : energyCap < Infinity ? m.length * leastShare : classRate > 0 ? Math.min(m.length, kept / classRate) : m.length;
      }
      const count = options.length;
      const option = { nodes: new Int32Array(count), latency: new Float64Array(count), energy: new Float64Array(count), exposure: new Float64Array(count), load: new Float64Array(count) };
      for (let o = 0; o < count; o++) {
        const c = options[o];
        option.nodes[o] = roles[c];
        option.latency[o] = latency[c];
        option.energy[o] = f.deviceEnergy[c];
        option.exposure[o] = f.exposure[c];
        option.load[o] = f.load[c];
      }
      // LP: a battery row (one that cannot last is held to its least-energy options: a row at that energy, dropped if the program cannot meet it).
      const row = !s.integer && energyCap < Infinity ? { energyCap: lasts ? energyCap : least } : {};
      if (!s.integer && energyCap < Infinity && !lasts) clamped.push(classes.length);
      // Members whose own device keeps less than all their requests (a battery class takes one split: all of them).
      const ownHeadrooms = own < 0 || s.integer || energyCap < Infinity ? undefined : Float64Array.from(m.filter((p) => keep[p] < rate[p]), (p) => (rate[p] - keep[p]) * f.load[options[own]]);
      classes.push({
        members: m.length,
        rate: classRate,
        ownCapacity,
        ...option,
        ...row,
        ...(x.demand.tenant === undefined ? {} : { tenant: x.demand.tenant }),
        ...(ownHeadrooms === undefined ? {} : { ownHeadrooms }),
      });
      classMembers.push(m);
      optionCandidate.push(options);
    }
    const sinceSolve = view.now - this.previousSolve;
    let program: OffloadingProblem = {
      classes,
      nodeCount: n,
      utilization: s.utilization,
      capacity: this.capacities(view, classes, sinceSolve, other, reserved, s.utilization),
      ...(this.context.fixedShares() && view.tenantShare ? { tenantCapacity: tenantCapacity(view, s.utilization) } : {}),
      energyBudget: s.energyBudget,
      privacyBudget: s.privacyBudget,
      objective: s.objective,
      integer: s.integer,
    };
    this.previousSolve = view.now;
    const stats = this.stats;
    stats.solves++;
    let problem: string | undefined;
    let relaxed = false;
    /** The loosest program tried (what an infeasible outcome is diagnosed on). */
    let loosest: OffloadingProblem | undefined;
    /** Why the least-overload solve gave no plan (a solver failure: it is never infeasible). */
    let leastFailed: string | undefined;
    /** The program without its budgets, every shared node (and tenant's partition) up to `cap`. */
    const withoutBudgetsAt = (cap: number): OffloadingProblem => ({
      ...program,
      energyBudget: Infinity,
      privacyBudget: Infinity,
      utilization: cap,
      capacity: this.capacities(view, classes, sinceSolve, other, reserved, cap),
      ...(program.tenantCapacity ? { tenantCapacity: tenantCapacity(view, cap) } : {}),
    });
    if (classes.length > 0) {
      let { r, first } = this.solveProgram(program, t0);
      if (r.status === 'infeasible' && clamped.length > 0) {
        // Batteries that cannot last held the program infeasible: place their classes as without a battery.
        program = { ...program, classes: classes.map((c, ci) => (clamped.includes(ci) ? { ...c, energyCap: undefined } : c)) };
        ({ r, first } = this.solveProgram(program, t0));
      }
      if (r.status === 'infeasible' && (Number.isFinite(program.energyBudget) || Number.isFinite(program.privacyBudget))) {
        // No plan meets the budgets: one within every node's capacity is still far better than the
        // greedy fallback, which heeds neither the budgets nor the capacity.
        const why = infeasibility(program);
        const withoutBudgets: OffloadingProblem = { ...program, energyBudget: Infinity, privacyBudget: Infinity };
        const again = this.solveProgram(withoutBudgets, t0);
        if (again.r.status === 'optimal') {
          const budgets = [Number.isFinite(program.energyBudget) ? 'energy' : '', Number.isFinite(program.privacyBudget) ? 'privacy' : ''].filter((b) => b !== '');
          const them = budgets.length === 1 ? `its ${budgets[0]} budget` : 'its energy and privacy budgets';
          this.warnOnce('budgets', `lp placement: no plan at t = ${view.now.toFixed(3)} s meets ${them}: ${why}; planned without ${budgets.length === 1 ? 'it' : 'them'}, within every node's capacity, ${this.until(`until a solve meets ${budgets.length === 1 ? 'it' : 'them'}`)} (said once)`);
          relaxed = true;
          program = withoutBudgets;
          ({ r, first } = again);
        }
      }
      if (r.status === 'infeasible' && s.utilization < LOOSE_CAP) {
        // The load does not fit under the cap (measured rates run above the declared ones for an
        // interval): a plan that uses the nodes' margin up to LOOSE_CAP still keeps every shared node
        // below saturation, where the greedy fallback may not.
        // Diagnosed without the budgets: they were dropped already, or there were none.
        const why = infeasibility({ ...program, energyBudget: Infinity, privacyBudget: Infinity });
        const looser = withoutBudgetsAt(LOOSE_CAP);
        const again = this.solveProgram(looser, t0);
        loosest = looser;
        if (again.r.status === 'optimal') {
          const budgets = Number.isFinite(program.energyBudget) || Number.isFinite(program.privacyBudget) ? ' and without its budgets' : '';
          this.warnOnce('cap', `lp placement: no plan at t = ${view.now.toFixed(3)} s fits under the utilization cap ${s.utilization}: ${why}; planned up to ${LOOSE_CAP} of each shared node${budgets}, ${this.until('until a solve fits under the cap')} (said once)`);
          relaxed = true;
          program = looser;
          ({ r, first } = again);
        }
      }
      if (r.status === 'infeasible' && !s.integer) {
        // The load does not fit even so (a backlog to work off, or a burst): the plan that overloads
        // the busiest node least, the excess spread over every node that can take a share of it.
        // LP only: with whole members, the excess of a member kept on its own device is its own, not
        // the class's mean, which the program's rows cannot say without a binary per class.
        const cap = Math.max(s.utilization, LOOSE_CAP);
        loosest = withoutBudgetsAt(cap);
        const why = infeasibility(loosest);
        const least = leastOverload(loosest, (lp) => solve(lp, { solver: s.solver === 'auto' ? chooseSolver(lp) : s.solver, timeLimit: s.timeLimit }));
        const lr = least.result;
        if (lr.status === 'optimal') {
          const note = least.note === undefined ? '' : ` (${least.note}: the first such plan found)`;
          this.warnOnce('overfull', `lp placement: no plan at t = ${view.now.toFixed(3)} s fits: ${why}; planned the plan that overloads least instead, without the budgets: no node offered more than ${+least.excess.toPrecision(3)} of its compute above its room at ${cap} (a tenant's partition: of its share, above its share × ${cap}; a member's own device: above its room at the cap ${s.utilization}), the least overload in all${note}, ${this.until('until a solve fits')} (said once)`);
          relaxed = true;
          program = loosest;
          r = lr;
          first = least.first;
          // Members' own devices may take their class's excess above what they can keep: each member
          // that keeps less than all its requests raised by it (summed over them, the class's own-device row).
          program.classes.forEach((c, ci) => {
            const e = least.ownExcess[ci];
            const own = c.nodes.indexOf(OWN_DEVICE);
            if (!(e > 0) || own < 0) return;
            for (const p of classMembers[ci]) keep[p] = Math.min(rate[p], keep[p] + e / c.load[own]);
          });
        } else {
          leastFailed = `the least-overload solve (${lr.solver}) ended in ${lr.status}${lr.message ? ` (${lr.message})` : ''}`;
        }
      }
      if (r.status === 'optimal') {
        program.classes.forEach((c, ci) => this.installClass(c, classMembers[ci], optionCandidate[ci], r.values.subarray(first[ci], first[ci + 1]), rate, keep));
      } else {
        problem = leastFailed !== undefined ? `${infeasibility(loosest ?? program)}, and ${leastFailed}` : r.status === 'infeasible' ? infeasibility(loosest ?? program) : `the ${r.solver} solve ended in ${r.status}${r.message ? ` (${r.message})` : ''}`;
      }
    }
    if (unplaced !== undefined) {
      this.warnOnce('no-option', `lp placement: at t = ${view.now.toFixed(3)} s, ${unplaced}; its requests go to its trusted candidate with the fewest jobs per slot ${this.until('until an option opens')}, and the rest of the program is solved without them (said once)`);
    }
    if (problem !== undefined) {
      this.warnOnce('fallback', `lp placement: no offloading plan at t = ${view.now.toFixed(3)} s: ${problem}; each instance goes to its trusted candidate with the fewest jobs per slot (among equals, the least loaded with what is placed already) ${this.until('until a solve succeeds')} (said once)`);
      for (const ci of classes.keys()) for (const p of classMembers[ci]) this.fallBack(view, p, rate, reserved, other);
    }
    if (problem !== undefined || unplaced !== undefined || relaxed) stats.fallbacks++;
    this.planned = this.plannedLoad(rate, n);
    this.warnOverload(view, other, rate);
    const seconds = (performance.now() - t0) / 1000;
    stats.seconds += seconds;
    stats.times.push(seconds);
  }

  /** Solves a program with the solver its settings and size choose (column generation for a large LP); records what it cost in the stats. */
  private solveProgram(program: OffloadingProblem, t0: number): { r: LpResult; first: Int32Array } {
    const s = this.settings;
    const stats = this.stats;
    const timeLimit = s.timeLimit ?? (s.integer ? INTEGER_TIME_LIMIT : undefined);
    // Large LPs (HiGHS chosen by size): column generation from each class's cheapest options (exact: see solveByColumns).
    const size = programSizeOf(program);
    const large = size.variables * size.constraints > SOLVER_THRESHOLD;
    if (s.solver === 'auto' && large && highsLoaded() && !s.integer) {
      const cg = solveByColumns(program, timeLimit, this.warmColumns);
      stats.last = { status: cg.status, solver: cg.solver, variables: size.variables, constraints: size.constraints, classes: program.classes.length, seconds: (performance.now() - t0) / 1000, columns: cg.columns, rounds: cg.rounds };
      return { r: cg, first: optionOffsets(program) };
    }
    const f = formulate(program);
    if (s.solver === 'auto' && large && !highsLoaded()) {
      this.warnOnce('no-highs', `lp placement: HiGHS is not loaded, so javascript-lp-solver solves a program of ${f.lp.variables.length} variables × ${f.lp.constraints.length} constraints (slow for large ones); await loadHighs() before the run`);
    }
    const r = solve(f.lp, { solver: s.solver === 'auto' ? chooseSolver(f.lp) : s.solver, warm: this.warm, timeLimit });
    stats.last = { status: r.status, solver: r.solver, variables: f.lp.variables.length, constraints: f.lp.constraints.length, classes: program.classes.length, seconds: (performance.now() - t0) / 1000 };
    return { r, first: f.first };
  }

  /**
   * Puts instance p on its {@link fallbackCandidate} — the fewest jobs per slot, among equals the
   * least utilization it would have with it: traffic from outside the program, the fallback's load
   * placed so far, and the instance's own (so on idle nodes the fallback spreads by speed) —
   * counting its load there as taken; warns
   * (once) when no candidate that may hold its data is up while an untrusted one is, so its
   * requests are dropped as node-down rather than sent where they may not go.
   */
  private fallBack(view: OffloadingView, p: number, rate: Float64Array, reserved: Float64Array, other: Float64Array): void {
    const x = this.instances[p];
    const f = x.figures;
    const c = fallbackCandidate(view, x, (o) => other[f.nodes[o]] + reserved[f.nodes[o]] + rate[p] * f.load[o]);
    this.installed.choice[p] = c;
    const k = f.nodes[c];
    if (view.isUp(k)) {
      if (Number.isFinite(f.load[c])) reserved[k] += rate[p] * f.load[c];
      return;
    }
    const untrusted = [...f.nodes.keys()].filter((o) => f.trusted[o] !== 1 && view.isUp(f.nodes[o]));
    if (untrusted.length === 0 || !view.isUp(x.device)) return;
    const name = (o: number): string => view.nodes[f.nodes[o]].name;
    const down = [...f.nodes.keys()].filter((o) => f.trusted[o] === 1).map(name);
    const refused = untrusted.map((o) => `${name(o)} (trust ${view.nodes[f.nodes[o]].trust} < privacy level ${x.demand.privacy})`);
    this.warnOnce(
      'untrusted-only',
      `lp placement: at t = ${view.now.toFixed(3)} s, workload ${x.demand.name} on ${view.nodes[x.device].name}: no candidate that may hold its data is up (down: ${down.join(', ')}); its requests stay on ${name(c)} and are dropped there as node-down rather than sent to ${refused.join(', ')} (said once)`,
    );
  }

  /**
   * Warns (once) when, after a solve, a node the plan loads is offered as much work as it can do or
   * more: the program's planned load with the traffic from outside it (`other`, as the solve
   * took it). An optimal plan keeps each node under the cap, so this is the fallback's doing (the
   * load does not fit the candidates), or that of programs solved apart (their settings differ). Cost O(nodes).
   */
  private warnOverload(view: OffloadingView, other: Float64Array, rate: Float64Array): void {
    if (this.warnings.has('overload') || (this.inWarmup && this.warmupNotes.has('overload'))) return;
    const grows = this.until('until a solve moves the load');
    const planned = this.planned;
    let worst = -1;
    for (let k = 0; k < planned.length; k++) if (planned[k] > 0 && planned[k] + other[k] >= 1 && (worst < 0 || planned[k] + other[k] > planned[worst] + other[worst])) worst = k;
    if (worst >= 0) {
      const programs = this.context.planners().length;
      const apart = programs > 1 ? `; the ${programs} lp programs of this scenario (lp settings differ between its workloads) are solved one after another, each taking the others' plans as given, not together` : '';
      this.warnOnce(
        'overload',
        `lp placement: at t = ${view.now.toFixed(3)} s, the plan offers node ${view.nodes[worst].name} ρ = ${(planned[worst] + other[worst]).toFixed(3)} ≥ 1 (this program ${planned[worst].toFixed(3)}, traffic from outside it ${other[worst].toFixed(3)}): its queue grows ${grows}${apart} (said once)`,
      );
      return;
    }
    // A tenant's partition at a fixed share: what the plan sends it against its share (the node as a whole may be far from full).
    const shareOf = view.tenantShare;
    if (!this.context.fixedShares() || !shareOf) return;
    const load = new Map<string, { k: number; name: string; share: number; u: number }>();
    const fractions = new Float64Array(64);
    this.instances.forEach((x, p) => {
      if (x.demand.tenant === undefined) return;
      const f = x.figures;
      const out = f.nodes.length <= fractions.length ? fractions : new Float64Array(f.nodes.length);
      this.fractionsOf(p, out);
      for (let c = 0; c < f.nodes.length; c++) {
        const k = f.nodes[c];
        const share = shareOf(k, x.demand.tenant);
        const u = out[c] * rate[p] * f.load[c];
        if (share !== share || !(u > 0)) continue;
        const key = `${k}/${x.demand.tenant}`;
        const e = load.get(key) ?? { k, name: x.demand.name, share, u: 0 };
        e.u += u;
        load.set(key, e);
      }
    });
    let top: { k: number; name: string; share: number; u: number } | undefined;
    for (const e of load.values()) if (e.u >= e.share && (!top || e.u / e.share > top.u / top.share)) top = e;
    if (!top) return;
    this.warnOnce(
      'overload',
      `lp placement: at t = ${view.now.toFixed(3)} s, the plan offers node ${view.nodes[top.k].name} (tenant ${top.name} at its share ${+top.share.toPrecision(4)}) ρ = ${top.share > 0 ? (top.u / top.share).toFixed(3) : '∞'} ≥ 1: its queue grows ${grows} (said once)`,
    );
  }

  /** The share of planner instance p's requests each of its candidates gets under the installed plan, written to `out`. Cost O(candidates). */
  private fractionsOf(p: number, out: Float64Array): void {
    const n = this.instances[p].figures.nodes.length;
    const c = this.installed.choice[p];
    if (c >= 0) {
      out.fill(0, 0, n);
      out[c] = 1;
      return;
    }
    const w = this.installed.weights[p]!;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += w[k];
    for (let k = 0; k < n; k++) out[k] = w[k] / sum;
  }

  /**
   * Each node's utilization by traffic from outside the program, averaged over intervals (see the
   * class). Before a node is measured (the first solve), what is known instead: the utilization the
   * workloads no lp program places are declared to offer it, and the plans the other programs
   * installed for this run before this one solved (a workload of another program, or placed
   * `fixed` on this program's node, was invisible to it until the first tick, and without
   * `policies.interval` for the whole run). Cost O(nodes × programs).
   */
  private otherTraffic(view: OffloadingView): Float64Array {
    const n = view.nodes.length;
    if (this.unplanned.length !== n) this.unplanned = new Float64Array(n).fill(NaN);
    const average = this.unplanned;
    for (let k = 0; k < n; k++) {
      const d = unplannedUtilization(view, k, this.planned[k] ?? 0);
      if (d !== d) continue;
      const a = average[k];
      average[k] = a === a ? a + EWMA_WEIGHT.rate * (d - a) : d;
    }
    const declared = this.context.outside();
    const others = this.context.planners().flatMap((q) => {
      const planned = q === this ? undefined : q.plannedIn(view);
      return planned && planned.length === n ? [planned] : [];
    });
    return Float64Array.from(average, (a, k) => {
      if (a === a) return a > 0 ? a : 0;
      let u = declared?.[k] ?? 0;
      for (const planned of others) u += planned[k];
      return u;
    });
  }

  /**
   * The utilization the installed plans give each node at the rates planned for. Members of a
   * class share one weights array unless their own-device shares differ; they have the same
   * candidates but their own device, so the rates on a shared array are summed first and only the
   * own-device candidate is added member by member. Cost O(instances + Σ candidates of the
   * distinct plans).
   */
  private plannedLoad(rate: Float64Array, n: number): Float64Array {
    const planned = new Float64Array(n);
    const { choice, weights } = this.installed;
    const xs = this.instances;
    const shared = new Map<Float64Array, { rate: number; p: number }>();
    for (let p = 0; p < xs.length; p++) {
      const x = xs[p];
      const f = x.figures;
      const c = choice[p];
      if (c >= 0) {
        const u = rate[p] * f.load[c];
        if (u > 0 && Number.isFinite(u)) planned[f.nodes[c]] += u;
        continue;
      }
      const w = weights[p]!;
      const own = f.nodes.indexOf(x.device);
      if (own >= 0) {
        const u = w[own] * rate[p] * f.load[own];
        if (u > 0 && Number.isFinite(u)) planned[x.device] += u;
      }
      const s = shared.get(w);
      if (s) s.rate += rate[p];
      else shared.set(w, { rate: rate[p], p });
    }
    for (const [w, { rate: r, p }] of shared) {
      const x = xs[p];
      const f = x.figures;
      for (let c = 0; c < w.length; c++) {
        const u = w[c] * r * f.load[c];
        if (u > 0 && Number.isFinite(u) && f.nodes[c] !== x.device) planned[f.nodes[c]] += u;
      }
    }
    return planned;
  }

  /**
   * Each shared node's capacity for the program: its {@link residualCapacity} over the interval
   * since the last solve (its work the mean compute time of the options on it), less the
   * utilization of traffic from outside the program (`other`) and of the instances in the
   * fallback (`reserved`); never below 0.
   */
  private capacities(view: OffloadingView, classes: readonly OffloadingClass[], interval: number, other: Float64Array, reserved: Float64Array, cap: number): Float64Array {
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
    const u = cap;
    return Float64Array.from(work, (w, k) => Math.max(0, (count[k] > 0 ? residualCapacity(view, k, u, w / count[k], interval) : u) - other[k] - reserved[k]));
  }

  /**
   * One class's solution as the plans of its members. Integer mode: whole members per option,
   * the own-device option to members whose own device takes them whole. LP: common weights, except
   * where members differ in what their own device can keep (`keep`, requests per second): the
   * class's own-device share, v_own · rate requests per second, is split in proportion to `keep`
   * (member m keeps θ · keep_m of its λ_m, θ = v_own · rate / Σ keep ≤ 1), and the rest of each
   * member's requests go over the other options in the class's proportions — the members' plans
   * add up to the class's solution, so each node gets what the program planned for it.
   */
  private installClass(c: OffloadingClass, members: number[], candidate: Int32Array, v: Float64Array, rate: Float64Array, keep: Float64Array): void {
    const { choice, weights } = this.installed;
    const n = this.instances[members[0]].figures.nodes.length;
    const own = c.nodes.indexOf(OWN_DEVICE);
    if (this.settings.integer) {
      const counts = Array.from(v, (x) => Math.max(0, Math.round(x)));
      let rest = members;
      if (own >= 0 && counts[own] > 0) {
        for (const p of members.filter((q) => keep[q] >= rate[q]).slice(0, counts[own])) choice[p] = candidate[own];
        rest = members.filter((p) => choice[p] < 0);
        counts[own] = 0;
      }
      let o = 0;
      for (const p of rest) {
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
    const local = own >= 0 ? Math.max(0, v[own]) : 0;
    if (c.energyCap !== undefined && c.energyCap < Infinity) {
      // A battery row bounds each member's mean energy: every member takes the class's split (its own-device bound is the least member's).
      for (const p of members) weights[p] = w;
      return;
    }
    let kept = 0;
    if (local > 0) for (const p of members) kept += keep[p];
    const theta = kept > 0 ? Math.min(1, (local * c.rate) / kept) : 0;
    for (const p of members) {
      const share = local > 0 && rate[p] > 0 && kept > 0 ? Math.min(1, (theta * keep[p]) / rate[p]) : local / c.members;
      if (Math.abs(share - local / c.members) <= 1e-12) {
        weights[p] = w;
        continue;
      }
      if (share >= 1 - 1e-9) {
        choice[p] = candidate[own];
        continue;
      }
      const mine = new Float64Array(n);
      const others = c.members - local;
      for (let o = 0; o < v.length; o++) mine[candidate[o]] = o === own ? share : others > 0 ? ((1 - share) * Math.max(0, v[o])) / others : 0;
      weights[p] = mine;
    }
  }

  /**
   * The plan installed for world instance i at the last solve, as the share of its requests per
   * candidate (its candidates in order, written to `out`; they add up to 1): the LP's fractions
   * x[i][j], one candidate at 1 where the solution (or integer mode, or the fallback) puts all of
   * them there. False, `out` untouched, when this planner does not place i or has not solved yet.
   * Read-only (the paper's Table 3, tests). Cost O(candidates).
   */
  planOf(i: number, out: Float64Array): boolean {
    const p = this.local.get(i);
    if (p === undefined || p >= this.installed.choice.length) return false;
    this.fractionsOf(p, out);
    return true;
  }

  /** The pair figures of world instance i as of the last solve (the program's inputs for it, parallel to its candidates: those it was registered with, computed again after its device moved); undefined when this planner does not place i or has not planned yet. */
  figuresOf(i: number): PairFigures | undefined {
    const p = this.local.get(i);
    return p === undefined ? undefined : this.instances[p].figures;
  }

  /** How many instances the program places, and how many classes it had at the last solve. */
  get size(): { instances: number; classes: number } {
    return { instances: this.instances.length, classes: this.stats.last?.classes ?? 0 };
  }
}

/** The {@link RATE_BUCKET} of a rate: b with 1.05^(b−1) < r ≤ 1.05^b (−Infinity for 0). */
export function rateBucket(r: number): number {
  return r > 0 ? Math.ceil(Math.log(r) / Math.log(RATE_BUCKET) - 1e-9) : -Infinity;
}

/**
 * The fallback plan of an instance, never a candidate that may not hold its data: among the up
 * candidates it has a route to that may hold it (its own device, nodes of trust ≥ its privacy
 * level), those that could meet its deadline unloaded (transfer + compute) first; within those the
 * fewest jobs per slot, then the least `utilization` (candidate index → the utilization the node
 * would have with the instance there: the planner counts what is placed there already and the
 * instance's own load, so on idle nodes — as at the start — a node 3× as fast takes 3× the
 * requests before it looks as loaded). Jobs first: on `paper-edelear.yaml` (a fallback at a tick
 * now and then), utilization first raised the mean latency from 186 to 240 ms (seeds 1–5,
 * 2026-11-29): the jobs queued now say more than utilization averaged over intervals.
 * When none of those is up: its own device if it is a candidate (down too, so its requests are
 * not born), else its first trusted candidate — down, so the world drops its requests there as
 * node-down until the next solve. An instance with no trusted candidate at all is refused when its
 * policy is built ({@link unplaceable}). Cost O(candidates).
 */
export function fallbackCandidate(view: OffloadingView, x: RegisteredInstance, utilization: (c: number) => number = () => 0): number {
  const f = x.figures;
  let best = -1;
  let bestScore = Infinity;
  let bestThen = Infinity;
  let own = -1;
  let firstTrusted = -1;
  for (let c = 0; c < f.nodes.length; c++) {
    if (f.trusted[c] !== 1) continue;
    const k = f.nodes[c];
    if (firstTrusted < 0) firstTrusted = c;
    if (k === x.device) own = c;
    // Down, or no route to it (a device moved behind an access point that reaches it no more): its requests would be lost there.
    if (!view.isUp(k) || !(f.transfer[c] < Infinity)) continue;
    const fits = f.transfer[c] + f.compute[c] <= x.demand.deadline && Number.isFinite(f.load[c]);
    // Candidates that could meet the deadline first; the fewest jobs per slot within each (the
    // congestion now), then the least utilization with the instance there (all idle, as at the
    // start: the load spreads by speed).
    const u = utilization(c);
    const score = (fits ? 0 : 1e9) + view.jobs(k) / view.nodes[k].slots;
    const then = Number.isFinite(u) ? u : Infinity;
    if (score < bestScore - 1e-12 || (Math.abs(score - bestScore) <= 1e-12 && then < bestThen)) {
      bestScore = score;
      bestThen = then;
      best = c;
    }
  }
  if (best >= 0) return best;
  if (own >= 0) return own;
  if (firstTrusted >= 0) return firstTrusted;
  throw new Error(`lp placement: workload ${x.demand.name} has no candidate that may hold its data (its policy should have refused it when built)`);
}
