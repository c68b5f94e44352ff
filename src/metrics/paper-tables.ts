import { EDELEAR_PAPER } from './claims.ts';
import { estimate, estimateColumns } from './confidence.ts';
import type { PlanAverages } from './plan-sampler.ts';
import type { Row, RunTables } from './summary.ts';

/**
 * The EDeLeaR paper's Tables 2, 3, 4 and 5 computed from a comparison's runs: the allocation of
 * partitioned nodes per tenant (Table 2), the offloading plan per device and node with the
 * program's inputs (Table 3), network latency, parallelization, caching efficiency and batch size
 * per device (Table 4), and accuracy, latency, energy and utilization per device (Table 5),
 * each a mean over the seeds with its Student-t 95% interval. Every figure is ours — computed by
 * the simulation from the scenario — never the paper's; the paper's tables are what they are
 * laid out after. The scenario's static figures come as plain data ({@link PaperContext}, made
 * by cli/paper.ts from the scenario, its catalog and the reference arm's world), each run as a
 * {@link PaperRun} (its summary tables, the plans it had in force, its solver counts).
 */

/** A node as the tables describe it. */
export interface PaperNode {
  readonly name: string;
  readonly kind: string;
  readonly trust: number;
  /** fp32 throughput, FLOP/s (NaN when the node has none). */
  readonly fp32: number;
}

/**
 * The offloading inputs of one workload instance as the program was given them (its pair
 * figures, parallel to the instance's candidates), and the program's settings.
 */
export interface PaperLpInputs {
  /** Input there and result back over the least-latency route, s. */
  readonly transfer: ArrayLike<number>;
  /** Compute on one slot, s. */
  readonly compute: ArrayLike<number>;
  /** The program's latency estimate: transfer + compute with the M/D/1 wait at the utilization cap, s. */
  readonly latency: ArrayLike<number>;
  /** Energy the issuing device spends per request, J. */
  readonly deviceEnergy: ArrayLike<number>;
  /** Share of the node one request per second takes, s. */
  readonly load: ArrayLike<number>;
  /** 1 where the node may hold the data (own device, or trust ≥ the privacy level). */
  readonly trusted: ArrayLike<number>;
  /** Utilization cap of the program. */
  readonly utilization: number;
  /** Mean device energy per request the program allows, J (Infinity: none). */
  readonly energyBudget: number;
  /** Mean private bytes per request the program lets leave the devices (Infinity: none). */
  readonly privacyBudget: number;
}

/** A scenario workload (a workload group of the world) as the tables describe it. */
export interface PaperWorkload {
  readonly name: string;
  readonly group: number;
  /** The world's instances of it (one per issuing device). */
  readonly instances: readonly number[];
  /** Its devices in words ("dev-1", "cam-1 … cam-8"). */
  readonly devices: string;
  /** FLOPs of one request of the model as declared (fp32, uncompressed). */
  readonly flops: number;
  /** Declared mean arrival rate of one instance, 1/s (NaN when not in closed form). */
  readonly declaredRate: number;
  /**
   * The reference compute unit the scenario's shares are expressed in, FLOP/s: the fp32
   * throughput of the cited profile of its first device (NaN without a profile). A device whose
   * compute is overridden to a share of its profile then has that share as its capacity.
   */
  readonly reference: number;
  /** The privacy level the scenario (as written: EDeLeaR's arm) declares for its data in the lp placement; NaN when it declares none. */
  readonly privacy: number;
  /** Offloading inputs per instance (same order as `instances`) when the lp placement places it. */
  readonly lp?: readonly PaperLpInputs[];
  /** Its devices' latency-aware settings (Table 4); absent in contexts made before Table 4. */
  readonly latencyAware?: PaperLatencyAware;
}

/** What Table 4 describes of a workload's devices, as the scenario sets it (the first device's, when they differ). */
export interface PaperLatencyAware {
  /** Names of its issuing devices. */
  readonly deviceNames: readonly string[];
  /** Propagation delays of the first device's links, s (distinct values, ascending), and the nodes they reach. */
  readonly linkDelays: readonly number[];
  readonly linkPeers: readonly string[];
  /** The device's `parallel` flag as written (undefined: the scenario does not say). */
  readonly parallel?: boolean;
  /** The partitioning policy that decides its splits (undefined: none in the scenario). */
  readonly partitioning?: string;
  /** Its device's result cache (undefined: none). */
  readonly cache?: { readonly policy: string; readonly capacity: string };
  /** Its device's batcher (undefined: the device does not batch). */
  readonly batcher?: { readonly policy: string; readonly max: number };
}

/** Lookups and hits of one cache over a run's window. */
export interface PaperCacheCounts {
  readonly lookups: number;
  readonly hits: number;
}

/** Batches formed and the requests in them at one node over a run's window. */
export interface PaperBatchCounts {
  readonly batches: number;
  readonly requests: number;
}

/** What the tables know of a scenario, the same in every run. */
export interface PaperContext {
  readonly scenario: string;
  readonly nodes: readonly PaperNode[];
  readonly workloads: readonly PaperWorkload[];
  /** Candidate nodes of instance i: candidates[start[i] … start[i + 1]) (the placement of the reference arm). */
  readonly candidates: Int32Array;
  readonly start: Int32Array;
  /** Issuing device of each instance. */
  readonly device: Int32Array;
  /** Declared shares per partitioned node (index) and tenant (workload groups, then processes). */
  readonly declaredShares: ReadonlyMap<number, readonly number[]>;
}

/** What a comparison keeps of one run for the tables. */
export interface PaperRun {
  readonly seed: number;
  /** The run's placement: candidate nodes of instance i are candidates[start[i] … start[i + 1]) (an arm may place differently from the reference). */
  readonly candidates: Int32Array;
  readonly start: Int32Array;
  /** The run's requests.csv rows by workload, and its nodes.csv rows by node name. */
  readonly requests: ReadonlyMap<string, Row>;
  readonly nodes: ReadonlyMap<string, Row>;
  /** The plans in force, averaged over the window (absent when not sampled). */
  readonly plans?: PlanAverages;
  /** Offloading solves in the run, and how many fell back (no feasible plan). */
  readonly solves: number;
  readonly fallbacks: number;
  /** Per node name, its result cache's lookups and hits over the window (nodes with a cache). */
  readonly caches?: ReadonlyMap<string, PaperCacheCounts>;
  /** Per node name, the batches its batcher formed over the window (batching nodes). */
  readonly batches?: ReadonlyMap<string, PaperBatchCounts>;
}

/** The record of one run: what the tables read of its summary, plans, solver counts, and its caches and batchers. */
export function paperRun(
  seed: number,
  placement: { readonly candidates: Int32Array; readonly start: Int32Array },
  tables: RunTables,
  plans: PlanAverages | undefined,
  solver: { solves: number; fallbacks: number },
  latencyAware: { caches?: ReadonlyMap<string, PaperCacheCounts>; batches?: ReadonlyMap<string, PaperBatchCounts> } = {},
): PaperRun {
  return {
    seed,
    candidates: placement.candidates,
    start: placement.start,
    requests: new Map(tables.requests.map((r) => [String(r.workload), r])),
    nodes: new Map(tables.nodes.map((r) => [String(r.node), r])),
    ...(plans ? { plans } : {}),
    solves: solver.solves,
    fallbacks: solver.fallbacks,
    ...(latencyAware.caches ? { caches: latencyAware.caches } : {}),
    ...(latencyAware.batches ? { batches: latencyAware.batches } : {}),
  };
}

/** A cell as a number ('' and absent: NaN). */
function num(row: Row | undefined, column: string): number {
  const v = row?.[column];
  return v === undefined || v === '' ? NaN : Number(v);
}

/** The mean of finite values (NaN when none). */
function meanOf(values: readonly number[]): number {
  return estimate(values).mean;
}

/** Columns NAME_mean, NAME_ci95_low, NAME_ci95_high. */
function estimated(name: string): string[] {
  return [`${name}_mean`, `${name}_ci95_low`, `${name}_ci95_high`];
}

// ----- Table 2: allocation -----

/** The columns of table2.csv. */
export const TABLE2_COLUMNS = [
  'scenario',
  'seeds',
  'node',
  'allocation_policy',
  'tenant',
  'devices',
  'n',
  'declared_share',
  'demand_share_of_reference',
  'device_capacity_share_of_reference',
  ...estimated('offered_share'),
  ...estimated('allocated_share'),
  'allocated_flop_per_s_mean',
  'allocated_share_of_reference_mean',
  'ticks_mean',
  'source',
] as const;

const TABLE2_SOURCE =
  "computed by the simulation (EDeLeaR arm), laid out after the paper's Table 2; offered and allocated shares are fractions of the partitioned node's compute: offered = the work the tenant submitted over each monitoring interval / (interval × slots), averaged over the ticks in the measurement window; allocated = the share in force, time-weighted over the window; *_of_reference = in units of the workload's reference unit (its device's profile fp32 throughput); " +
  EDELEAR_PAPER;

/**
 * table2.csv: per partitioned node and tenant (a workload, or processes when they hold a share),
 * the declared share, the workload's demand and its device's capacity in reference units, and —
 * over the seeds — the demand the allocation measured and the share it allocated (mean and 95%
 * interval), with the allocated compute in FLOP/s and in reference units. Empty without
 * partitioned nodes under an allocation policy.
 */
export function table2Rows(ctx: PaperContext, runs: readonly PaperRun[], seeds: string): Row[] {
  const first = runs.find((r) => r.plans?.allocation)?.plans?.allocation;
  if (!first) return [];
  const rows: Row[] = [];
  const t = first.tenants;
  // The nodes each workload's instances may use (one pass over the candidates).
  const usable = ctx.workloads.map((w) => new Set(w.instances.flatMap((i) => candidatesOf(ctx, i))));
  first.nodes.forEach((k, j) => {
    const node = ctx.nodes[k];
    const declared = ctx.declaredShares.get(k) ?? [];
    for (let x = 0; x < t; x++) {
      const shares = runs.map((r) => r.plans?.allocation?.shares[j * t + x] ?? NaN);
      const offered = runs.map((r) => r.plans?.allocation?.offered[j * t + x] ?? NaN);
      const g = ctx.workloads.findIndex((v) => v.group === x);
      const w = g < 0 ? undefined : ctx.workloads[g];
      const uses = w ? usable[g].has(k) : (declared[x] ?? 0) > 0 || shares.some((s) => s > 0);
      if (!uses) continue;
      const share = estimate(shares);
      const deviceCapacity = w ? ctx.nodes[ctx.device[w.instances[0]]].fp32 : NaN;
      rows.push({
        scenario: ctx.scenario,
        seeds,
        node: node.name,
        allocation_policy: first.policy,
        tenant: w?.name ?? 'processes',
        devices: w?.devices ?? '',
        n: share.n,
        declared_share: declared[x] ?? '',
        demand_share_of_reference: w ? (w.declaredRate * w.flops) / w.reference : '',
        device_capacity_share_of_reference: w ? deviceCapacity / w.reference : '',
        ...estimateColumns('offered_share', estimate(offered)),
        ...estimateColumns('allocated_share', share),
        allocated_flop_per_s_mean: share.mean * node.fp32,
        allocated_share_of_reference_mean: w ? (share.mean * node.fp32) / w.reference : '',
        ticks_mean: meanOf(runs.map((r) => r.plans?.allocation?.ticks ?? NaN)),
        source: TABLE2_SOURCE,
      });
    }
  });
  return rows;
}

/** Candidate nodes of instance i. */
function candidatesOf(ctx: PaperContext, i: number): number[] {
  return Array.from(ctx.candidates.subarray(ctx.start[i], ctx.start[i + 1]));
}

// ----- Table 3: offloading -----

/** The columns of table3.csv. */
export const TABLE3_COLUMNS = [
  'scenario',
  'seeds',
  'workload',
  'devices',
  'instances',
  'node',
  'node_kind',
  'node_trust',
  'privacy_level',
  'trusted',
  'n',
  ...estimated('fraction'),
  'lp_transfer_s',
  'lp_compute_s',
  'lp_latency_estimate_s',
  'lp_device_energy_J',
  'lp_load_s',
  'arrival_rate_per_s',
  'demand_flop_per_s',
  'demand_share_of_reference',
  'device_capacity_flop_per_s',
  'device_capacity_share_of_reference',
  'energy_budget_J',
  'privacy_budget_B',
  'utilization_cap',
  'lp_solves_mean',
  'lp_fallbacks_mean',
  'source',
] as const;

const TABLE3_SOURCE =
  "computed by the simulation (EDeLeaR arm), laid out after the paper's Table 3: fraction = the share of the device's requests the offloading plan in force sent to the node, time-weighted over the measurement window (the LP's x[i][j]; at ticks where the program had no feasible plan, the fallback's: see lp_fallbacks_mean); lp_* = the program's inputs for the pair (transfer both ways, compute on one slot, estimated latency with the M/D/1 wait at the cap, device energy per request, node share per request/s); energy_budget_J = the program's one budget, a mean device energy per request over all its requests; " +
  EDELEAR_PAPER;

/**
 * table3.csv: per workload placed by the lp policy and candidate node (the issuing device named
 * as such), the mean over the seeds of the share of its requests the plan sent there, with the
 * program's inputs: the pair's figures, the workload's rate and demand, its device's capacity (in
 * FLOP/s and in reference units), privacy level and node trust, the budgets and cap, and the
 * solves and fallbacks per run. A workload with several instances gives their mean per node
 * (the issuing device as "own device"); its pair figures are its first instance's.
 */
export function table3Rows(ctx: PaperContext, runs: readonly PaperRun[], seeds: string): Row[] {
  const rows: Row[] = [];
  for (const w of ctx.workloads) {
    if (!w.lp) continue;
    const single = w.instances.length === 1;
    const keyOf = (i: number, k: number) => (k === ctx.device[i] ? (single ? k : -1) : k);
    // Node keys in the first instance's candidate order (then any other instance's), each once.
    const keys = new Set<number>();
    for (const i of w.instances) for (const k of candidatesOf(ctx, i)) keys.add(keyOf(i, k));
    // Per run, the mean over the instances of each key's share: one pass over the candidates.
    const sums = runs.map((r) => {
      const sum = new Map<number, number>();
      if (!r.plans) return undefined;
      for (const i of w.instances) {
        for (let c = ctx.start[i]; c < ctx.start[i + 1]; c++) {
          const key = keyOf(i, ctx.candidates[c]);
          sum.set(key, (sum.get(key) ?? 0) + r.plans.placement[c] / w.instances.length);
        }
      }
      return sum;
    });
    const first = w.instances[0];
    const lp0 = w.lp[0];
    const device = ctx.nodes[ctx.device[first]];
    for (const key of keys) {
      const fractions = sums.map((sum) => (sum ? (sum.get(key) ?? 0) : NaN));
      const k = key === -1 ? ctx.device[first] : key;
      const c = candidatesOf(ctx, first).indexOf(k);
      const f = lp0;
      const node = ctx.nodes[k];
      const own = k === ctx.device[first];
      rows.push({
        scenario: ctx.scenario,
        seeds,
        workload: w.name,
        devices: w.devices,
        instances: w.instances.length,
        node: key === -1 ? 'own device' : own ? `${node.name} (own device)` : node.name,
        node_kind: node.kind,
        node_trust: own ? '' : node.trust,
        privacy_level: Number.isNaN(w.privacy) ? '' : w.privacy,
        trusted: c < 0 ? '' : f.trusted[c] === 1 ? 'yes' : 'no',
        n: estimate(fractions).n,
        ...estimateColumns('fraction', estimate(fractions)),
        lp_transfer_s: c < 0 ? '' : f.transfer[c],
        lp_compute_s: c < 0 ? '' : f.compute[c],
        lp_latency_estimate_s: c < 0 ? '' : f.latency[c],
        lp_device_energy_J: c < 0 ? '' : f.deviceEnergy[c],
        lp_load_s: c < 0 ? '' : f.load[c],
        arrival_rate_per_s: w.declaredRate,
        demand_flop_per_s: w.declaredRate * w.flops,
        demand_share_of_reference: (w.declaredRate * w.flops) / w.reference,
        device_capacity_flop_per_s: device.fp32,
        device_capacity_share_of_reference: device.fp32 / w.reference,
        energy_budget_J: Number.isFinite(lp0.energyBudget) ? lp0.energyBudget : '',
        privacy_budget_B: Number.isFinite(lp0.privacyBudget) ? lp0.privacyBudget : '',
        utilization_cap: lp0.utilization,
        lp_solves_mean: meanOf(runs.map((r) => r.solves)),
        lp_fallbacks_mean: meanOf(runs.map((r) => r.fallbacks)),
        source: TABLE3_SOURCE,
      });
    }
  }
  return rows;
}

// ----- Table 4: latency-aware inference per device -----

/** The columns of table4.csv. */
export const TABLE4_COLUMNS = [
  'scenario',
  'seeds',
  'workload',
  'devices',
  'network_latency_s',
  'network_links_to',
  'parallelization',
  'partitioning_policy',
  'cache_policy',
  'cache_capacity',
  'n',
  ...estimated('caching_efficiency'),
  'caching_efficiency_n',
  'cache_lookups_mean',
  ...estimated('served_from_cache_share'),
  'batching_policy',
  'max_batch_size',
  ...estimated('batch_size'),
  'batch_size_n',
  'batches_mean',
  'source',
] as const;

const TABLE4_SOURCE =
  "computed by the simulation (EDeLeaR arm), laid out after the paper's Table 4 (whose own values are illustrative); network_latency_s = the propagation delay of the device's links as the scenario sets them (one-way; a request offloaded crosses them twice); parallelization = the device's `parallel` flag (disabled when false; no model is split where partitioning_policy is blank); caching_efficiency = hits / lookups of the device's own result cache over the measurement window (blank: the device has no cache); served_from_cache_share = completed_from_cache / completed of its requests (any cache on their way); batch_size = requests / batches its own batcher formed over the window (blank: the device does not batch) — the mean over seeds with its Student-t 95% interval; " +
  EDELEAR_PAPER;

/**
 * table4.csv: per workload (its issuing devices), the paper's Table 4 from the runs of the
 * EDeLeaR arm — the devices' network latency and parallelization as set, and, measured over the
 * seeds (mean and 95% interval), the caching efficiency of their caches (the paper's figure is a
 * result: hits / lookups, never a setting), the share of their requests a cache served, and the
 * mean size of the batches their batchers formed. Several devices of one workload are pooled
 * (their hits over their lookups, their requests over their batches).
 */
export function table4Rows(ctx: PaperContext, runs: readonly PaperRun[], seeds: string): Row[] {
  return ctx.workloads.map((w) => {
    const la = w.latencyAware;
    const names = la?.deviceNames ?? [];
    const pooled = <T>(map: ReadonlyMap<string, T> | undefined, value: (t: T) => [number, number]) => {
      let num = 0;
      let den = 0;
      for (const d of names) {
        const t = map?.get(d);
        if (!t) continue;
        const [a, b] = value(t);
        num += a;
        den += b;
      }
      return den > 0 ? num / den : NaN;
    };
    const efficiency = estimate(runs.map((r) => (la?.cache ? pooled(r.caches, (c) => [c.hits, c.lookups]) : NaN)));
    const lookups = runs.map((r) => (la?.cache ? names.reduce((a, d) => a + (r.caches?.get(d)?.lookups ?? 0), 0) : NaN));
    const served = estimate(
      runs.map((r) => {
        const row = r.requests.get(w.name);
        return num(row, 'completed_from_cache') / num(row, 'completed');
      }),
    );
    const batch = estimate(runs.map((r) => (la?.batcher ? pooled(r.batches, (b) => [b.requests, b.batches]) : NaN)));
    const batches = runs.map((r) => (la?.batcher ? names.reduce((a, d) => a + (r.batches?.get(d)?.batches ?? 0), 0) : NaN));
    return {
      scenario: ctx.scenario,
      seeds,
      workload: w.name,
      devices: w.devices,
      network_latency_s: la ? la.linkDelays.join(' ') : '',
      network_links_to: la ? la.linkPeers.join(' ') : '',
      parallelization: la ? (la.parallel === false ? 'disabled' : 'enabled') : '',
      partitioning_policy: la?.partitioning ?? '',
      cache_policy: la?.cache?.policy ?? '',
      cache_capacity: la?.cache?.capacity ?? '',
      n: runs.length,
      ...estimateColumns('caching_efficiency', efficiency),
      // Seeds with a figure: one whose cache saw no lookup (or batcher formed no batch) has none, and n counts every seed.
      caching_efficiency_n: la?.cache ? efficiency.n : '',
      cache_lookups_mean: la?.cache ? meanOf(lookups) : '',
      ...estimateColumns('served_from_cache_share', served),
      batching_policy: la?.batcher?.policy ?? '',
      max_batch_size: la?.batcher?.max ?? '',
      ...estimateColumns('batch_size', batch),
      batch_size_n: la?.batcher ? batch.n : '',
      batches_mean: la?.batcher ? meanOf(batches) : '',
      source: TABLE4_SOURCE,
    };
  });
}

// ----- Table 5: per device, per arm -----

/** The columns of table5.csv. */
export const TABLE5_COLUMNS = [
  'scenario',
  'seeds',
  'arm',
  'role',
  'same_as',
  'workload',
  'devices',
  'n',
  ...estimated('accuracy_top1'),
  ...estimated('latency_mean_s'),
  ...estimated('energy_per_request_J'),
  ...estimated('device_energy_J'),
  ...estimated('device_utilization_ratio'),
  'untrusted_share_mean',
  'source',
] as const;

const TABLE5_SOURCE =
  "computed by the simulation, laid out after the paper's Table 5 (whose own values are illustrative): per arm and workload (its issuing devices), accuracy_top1 = mean top-1 of the model variants that served its completed requests (a fraction, from the cited accuracy profiles), latency_mean_s and energy_per_request_J (energy of every request born, per request born) from requests.csv, device_energy_J and device_utilization_ratio = the issuing devices' energy and utilization over the measurement window (nodes.csv, mean over its devices); untrusted_share_mean = the share of its requests the plans in force give to nodes whose trust is below the privacy level the scenario as written declares for it — the plans' expectation: random or round-robin placement gives each candidate its 1/n, and the requests it actually sent vary around that; a policy asked at each request (least-loaded or join-shortest-queue without policies.interval) has no plan, and its share is that of the requests born in the window it sent there (blank when the workload declares no privacy level); " +
  EDELEAR_PAPER;

/** One arm's runs (seed order) for Table 5. */
export interface PaperArm {
  readonly arm: string;
  readonly role: string;
  readonly sameAs?: string;
  readonly runs: readonly PaperRun[];
}

/** The share of instance i's requests the plan in force in run r (or, asked at each request, the policy) sent to nodes that may not hold its data (trust below its privacy level; its own device always may); NaN when not sampled. */
function untrustedShare(ctx: PaperContext, r: PaperRun, i: number, privacy: number): number {
  if (!r.plans) return NaN;
  let sum = 0;
  for (let c = r.start[i]; c < r.start[i + 1]; c++) {
    const k = r.candidates[c];
    if (k !== ctx.device[i] && ctx.nodes[k].trust < privacy) sum += r.plans.placement[c];
  }
  return sum;
}

/**
 * table5.csv: per arm and workload, over the seeds, the accuracy, mean latency and energy per
 * request of its requests, its devices' energy and utilization (mean and 95% interval each), and
 * the share of its requests placed where its privacy level forbids (the baselines do not read
 * privacy levels; EDeLeaR's lp placement does). An arm's candidates may differ from the
 * reference's (another placement): each run's plans are read against its own placement.
 */
export function table5Rows(ctx: PaperContext, arms: readonly PaperArm[], seeds: string): Row[] {
  return arms.flatMap((a) =>
    ctx.workloads.map((w) => {
      const devices = [...new Set(w.instances.map((i) => ctx.nodes[ctx.device[i]].name))];
      const deviceMean = (r: PaperRun, column: string) => meanOf(devices.map((d) => num(r.nodes.get(d), column)));
      const untrusted = a.runs.map((r) => (Number.isNaN(w.privacy) ? NaN : meanOf(w.instances.map((i) => untrustedShare(ctx, r, i, w.privacy)))));
      const latency = estimate(a.runs.map((r) => num(r.requests.get(w.name), 'latency_mean_s')));
      return {
        scenario: ctx.scenario,
        seeds,
        arm: a.arm,
        role: a.role,
        same_as: a.sameAs ?? '',
        workload: w.name,
        devices: w.devices,
        n: latency.n,
        ...estimateColumns('accuracy_top1', estimate(a.runs.map((r) => num(r.requests.get(w.name), 'accuracy_top1')))),
        ...estimateColumns('latency_mean_s', latency),
        ...estimateColumns('energy_per_request_J', estimate(a.runs.map((r) => num(r.requests.get(w.name), 'energy_per_generated_J')))),
        ...estimateColumns('device_energy_J', estimate(a.runs.map((r) => deviceMean(r, 'energy_J')))),
        ...estimateColumns('device_utilization_ratio', estimate(a.runs.map((r) => deviceMean(r, 'utilization_ratio')))),
        untrusted_share_mean: untrusted.some(Number.isFinite) ? meanOf(untrusted) : '',
        source: TABLE5_SOURCE,
      };
    }),
  );
}

/**
 * The share of all requests an arm's plans (or, asked at each request, its policy: the requests it
 * placed) sent to nodes below their data's privacy level, over the workloads that declare one
 * (weighted by their declared rates) and the arm's runs (mean); NaN when none declares one or no
 * request was placed.
 */
export function untrustedShareOfArm(ctx: PaperContext, runs: readonly PaperRun[]): number {
  const perRun = runs.map((r) => {
    let sum = 0;
    let weight = 0;
    for (const w of ctx.workloads) {
      if (Number.isNaN(w.privacy)) continue;
      for (const i of w.instances) {
        sum += w.declaredRate * untrustedShare(ctx, r, i, w.privacy);
        weight += w.declaredRate;
      }
    }
    return weight > 0 ? sum / weight : NaN;
  });
  return meanOf(perRun);
}
