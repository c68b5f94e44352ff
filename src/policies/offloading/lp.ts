import { candidateResolver } from '../placement/candidates.ts';
import type { CandidateSet, PlacementError, PlacementPolicy } from '../placement/placement.ts';
import { type OffloadingDemand, pairFigures } from './demand.ts';
import { unplaceable } from './diagnosis.ts';
import { parseObjective } from './objective.ts';
import { INTEGER_TIME_LIMIT, type LpSettings, OffloadingPlanner } from './planner.ts';
import type { SolverName } from './solver.ts';

/** The `lp` placement's options as a scenario gives them, in SI units. */
export interface LpOptions {
  /** What to minimize: `latency`, `energy`, `exposure` or a linear mathjs expression over them. */
  readonly objective: string;
  /** Most utilization the plan may give a node, in (0, 1]. */
  readonly utilization: number;
  /** Mean energy per request the devices may spend, J. */
  readonly energyBudget?: number;
  /** Mean private bytes per request that may leave the devices, B (the paper's P). */
  readonly privacyBudget?: number;
  /** Binary placement: each instance on one node. */
  readonly integer: boolean;
  readonly solver: 'auto' | SolverName;
  /** Privacy level of this workload's data (nodes other than the device need trust ≥ it). */
  readonly privacy: number;
  /** Private bytes per request (the paper's D_i); the input size when omitted. */
  readonly privateData?: number;
  /** Seconds a solve may take before its tick falls back (when omitted: {@link INTEGER_TIME_LIMIT} for integer solves, none for LPs; not a scenario key). */
  readonly timeLimit?: number;
}

/** Defaults of {@link LpOptions} (the scenario schema states the same). */
export const LP_DEFAULTS = { objective: 'latency', utilization: 0.8, integer: false, solver: 'auto', privacy: 0 } as const;

/** What the lp placement knows of the workload it places (from the scenario builder). */
export type LpWorkload = Omit<OffloadingDemand, 'privacy' | 'privateBytes'>;

/**
 * The offloading programs of one scenario build: workloads whose lp settings (objective,
 * utilization, budgets, integrality, solver) are equal are solved together as one program (one
 * {@link OffloadingPlanner}), so they share the nodes' capacity; the usual case — one
 * `policies.placement` for every workload — is one program.
 */
export class LpPrograms {
  private readonly planners = new Map<string, OffloadingPlanner>();
  /**
   * The utilization each node is declared to be offered by the workloads no lp program places
   * (their mean rates, split evenly over their candidates: world/offered-load.ts), set by the
   * scenario builder once every workload is placed: the programs' first solve counts it.
   */
  outside: Float64Array | undefined;
  /** Whether the partitioned nodes' shares stay as they start (the allocation does not re-allocate), set by the scenario builder: each tenant's share is then a capacity row of the programs. */
  fixedShares = false;

  /**
   * `warn` is told each planner warning as it is given; without it they are only kept ({@link messages}, {@link lpWarnings}), never printed.
   * `replans`: whether the plans are solved again at ticks (`policies.interval`), for the warnings' words.
   */
  constructor(
    private readonly warn?: (message: string) => void,
    private readonly replans = true,
  ) {}

  /** The planner of these settings (made on first use; the objective is parsed then, and a bad one throws). */
  planner(options: LpOptions): OffloadingPlanner {
    const key = JSON.stringify([options.objective.trim(), options.utilization, options.energyBudget, options.privacyBudget, options.integer, options.solver, options.timeLimit]);
    let p = this.planners.get(key);
    if (!p) {
      const settings: LpSettings = {
        objective: parseObjective(options.objective),
        utilization: options.utilization,
        energyBudget: options.energyBudget ?? Infinity,
        privacyBudget: options.privacyBudget ?? Infinity,
        integer: options.integer,
        solver: options.solver,
        timeLimit: options.timeLimit,
      };
      this.planners.set(key, (p = new OffloadingPlanner(settings, this.warn, { planners: () => this.all, outside: () => this.outside, replans: this.replans, fixedShares: () => this.fixedShares })));
    }
    return p;
  }

  /** Every planner made, in order. */
  get all(): readonly OffloadingPlanner[] {
    return [...this.planners.values()];
  }

  /** The warnings of every planner, in order. */
  get messages(): string[] {
    return this.all.flatMap((p) => p.messages);
  }
}

/**
 * The warnings the lp programs among a run's placement policies gave, each once, keyed by
 * program (in the order the policies list them) and kind — so the runs of one configuration on
 * other seeds give the same keys (`edelear compare` says each once per arm). Cost O(policies).
 */
export function lpWarnings(policies: readonly object[]): Map<string, string> {
  return keyedByProgram(policies, (planner) => planner.warnings);
}

/** The notes the lp programs gave inside the warm-up ({@link OffloadingPlanner.warmupNotes}), keyed as {@link lpWarnings}. */
export function lpWarmupNotes(policies: readonly object[]): Map<string, string> {
  return keyedByProgram(policies, (planner) => planner.warmupNotes);
}

function keyedByProgram(policies: readonly object[], kept: (planner: OffloadingPlanner) => ReadonlyMap<string, string>): Map<string, string> {
  const planners = [...new Set(policies.flatMap((p) => ('planner' in p && p.planner instanceof OffloadingPlanner ? [p.planner] : [])))];
  const out = new Map<string, string>();
  planners.forEach((planner, i) => {
    for (const [kind, message] of kept(planner)) out.set(`${i}/${kind}`, message);
  });
  return out;
}

/** The lp placement policy, with the planner it shares with the other workloads of its program (its solve statistics and warnings). */
export interface LpPlacementPolicy extends PlacementPolicy {
  readonly planner: OffloadingPlanner;
}

/**
 * EDeLeaR's task offloading as a linear program (the paper's §III.C, eq. 4): the fractions
 * x[i][j] of each workload instance's requests served by each candidate node minimize the
 * objective (default: mean latency) subject to each node's compute capacity under a utilization
 * cap, the energy budget Σ x·E ≤ E_budget, privacy (no node whose trust is below the workload's
 * privacy level; the paper's Σ x·D ≤ P) and deadlines (no pair whose estimated latency exceeds
 * it). Solved when the run starts from declared rates and, with `policies.interval`, again at
 * every tick from the measured view (rates, failures, queues, utilization from outside the
 * program); between solves a request's choice is an O(1) draw from its instance's weights. An
 * instance that no plan could ever place — no candidate that may hold its data, or none of those
 * that could meet its deadline even unloaded — is refused when the policy is built
 * ({@link unplaceable}: a {@link PlacementError} at `lp.privacy` or the workload's `deadline`).
 * Algorithm and cost: {@link OffloadingPlanner}.
 * The baselines the paper compares with are placement policies of their own: all local
 * (`local`), all nearest edge (`nearest: edge`), all cloud (`nearest: cloud` or `fixed`),
 * greedy least-loaded (`least-loaded`), random (`random`), round-robin (`round-robin`).
 */
export function lpPlacement(among: CandidateSet, options: LpOptions, workload: LpWorkload, programs: LpPrograms, context: { interval: boolean }): LpPlacementPolicy {
  const planner = programs.planner(options);
  const slot = planner.join();
  const demand: OffloadingDemand = { ...workload, privacy: options.privacy, privateBytes: options.privateData };
  const resolve = candidateResolver(among);
  return {
    name: 'lp',
    planner,
    replans: context.interval,
    candidates(view, request) {
      const nodes = resolve(view, request);
      const figures = pairFigures(view, demand, request.device, request.inputBytes, nodes);
      const refused = unplaceable(view.nodes, demand, request.device, figures);
      if (refused) throw refused;
      planner.register(slot, demand, request.device, figures, request.inputBytes, view);
      return nodes;
    },
    plan(view, table, instances) {
      planner.plan(slot, view, table, instances);
    },
    choose: () => 0,
  };
}
