import { nodeEnergy } from '../world/node.ts';
import type { Execution, WorkloadSpec } from '../world/workload.ts';
import { DROP_REASONS } from '../world/world.ts';
import type { RequestStats } from './collectors.ts';
import type { RunResult } from './simulate.ts';
import { busyShare } from './busy-share.ts';

/** A row of a summary table: column name (with its unit) → value. */
export type Row = Record<string, string | number>;

/** The tables of one run, each a list of rows with the same columns. */
export interface RunTables {
  /** One row per workload and one for all requests. */
  readonly requests: Row[];
  /** One row per node. */
  readonly nodes: Row[];
  /** One row per directed link that carried traffic or exists. */
  readonly links: Row[];
  /** One row: counts, conservation and throughput of the whole run. */
  readonly run: Row[];
  /** The latency distribution: one row per workload (and all) and quantile, from the quantile sketch. */
  readonly latency: Row[];
  /** Each table's columns, so an empty table is still written with its header. */
  readonly columns: Readonly<Record<TableName, readonly string[]>>;
  /** compression.csv: the variant each workload runs on each group of nodes (when a compression policy chose them). */
  readonly compression?: { readonly rows: Row[]; readonly columns: readonly string[] };
}

/** The tables of {@link RunTables}, each written as NAME.csv. */
export type TableName = 'requests' | 'nodes' | 'links' | 'run' | 'latency';

/** Quantiles written to latency.csv: every percentile, plus the 99.9th. */
export const LATENCY_QUANTILES: readonly number[] = [...Array.from({ length: 99 }, (_, i) => (i + 1) / 100), 0.999];

/** Summarizes a run over its measurement window [warm-up, end] (end: the duration, or when the run was stopped). */
export function summarize(result: RunResult, labels: { scenario: string; seed: number }): RunTables {
  const { world, metrics } = result;
  const spec = world.spec;
  const end = world.end;
  // Empty (0) when the run was stopped during warm-up: every rate is then NaN, not negative.
  const window = Math.max(0, end - spec.warmup);
  const base = { scenario: labels.scenario, seed: labels.seed };

  const requestRow = (workload: string, s: RequestStats): Row => {
    const row: Row = {
      ...base,
      workload,
      generated: s.generated,
      completed: s.completed,
      dropped: s.droppedTotal,
    };
    for (const r of DROP_REASONS) row[`dropped_${r.replace('-', '_')}`] = s.dropped[r];
    Object.assign(row, {
      throughput_per_s: s.completed / window,
      latency_mean_s: s.latency.count > 0 ? s.latency.mean : NaN,
      latency_sd_s: s.latency.sd,
      latency_p50_s: s.latencySketch.quantile(0.5),
      latency_p95_s: s.latencySketch.quantile(0.95),
      latency_p99_s: s.latencySketch.quantile(0.99),
      latency_max_s: s.latency.count > 0 ? s.latency.max : NaN,
      node_wait_mean_s: mean(s.nodeWait.count, s.nodeWait.mean),
      link_wait_mean_s: mean(s.linkWait.count, s.linkWait.mean),
      transfer_mean_s: mean(s.transfer.count, s.transfer.mean),
      compute_mean_s: mean(s.compute.count, s.compute.mean),
      // A policy that drops more must not look better: a drop (or a request still in flight at the end) is a miss.
      deadline_met_of_generated: s.generated > 0 ? s.deadlineMet / s.generated : NaN,
      deadline_met_of_completed: s.completed > 0 ? s.deadlineMet / s.completed : NaN,
      // Energy spent on every request born in the window (dropped ones too, up to their loss) per request born.
      energy_per_generated_J: s.generated > 0 ? (s.energy.sum + s.droppedEnergy) / s.generated : NaN,
      energy_per_completed_mean_J: mean(s.energy.count, s.energy.mean),
      // Mean top-1 of the variants that served the completed requests (blank when one of them is unknown).
      accuracy_top1: Number.isNaN(s.accuracy) ? '' : s.accuracy,
      // Completed requests whose result a cache served (no compute; caches.csv has the caches' figures).
      completed_from_cache: s.fromCache,
    });
    return row;
  };
  const requests = metrics.byWorkload.map((s, g) => requestRow(workloadName(result, g), s));
  const allRow = requestRow('(all)', metrics.all);
  // Without inference workloads the (all) row would hold only zeros and blanks: the table is left empty.
  if (spec.workloads.length > 0) requests.push(allRow);

  const nodes = spec.nodes.map((node, k): Row => {
    const t = world.meters.totals(k);
    const w = world.meters.totalsAtWarmup(k);
    const busy = t.busyArea - w.busyArea;
    const up = t.upTime - w.upTime;
    const idleJ = nodeEnergy(node, up, 0, 0);
    const txJ = t.radioTx - w.radioTx;
    const rxJ = t.radioRx - w.radioRx;
    // Each part from its own integral, not as the total less the others: a node that never
    // computed has exactly 0 J of compute energy, not the float residue of a subtraction.
    const dynamicJ = nodeEnergy(node, 0, busy, 0);
    const energy = nodeEnergy(node, up, busy, txJ + rxJ);
    // Object literals with every key written out (not spread from `base`): a row then has a fixed
    // shape and about a third of the memory, which matters for a million nodes' rows.
    return {
      scenario: labels.scenario,
      seed: labels.seed,
      node: node.name,
      kind: node.kind,
      slots: node.slots,
      served: t.served - w.served,
      utilization_ratio: busyShare(busy, node.slots * window),
      queue_length_mean: (t.queueArea - w.queueArea) / window,
      up_time_s: up,
      energy_J: energy,
      energy_idle_J: idleJ,
      energy_compute_J: dynamicJ,
      energy_radio_tx_J: txJ,
      energy_radio_rx_J: rxJ,
      power_mean_W: energy / window,
      memory_peak_bytes: world.meters.memoryPeak(k),
      battery_empty_at_s: Number.isFinite(world.batteries.emptyAt[k]) ? world.batteries.emptyAt[k] : '',
    };
  });

  const linkRow = (from: string, to: string, bandwidth: number, delay: number, bytes: number, utilization: number): Row => ({
    scenario: labels.scenario,
    seed: labels.seed,
    from,
    to,
    bandwidth_bit_per_s: bandwidth,
    delay_s: delay,
    bytes,
    utilization_ratio: utilization,
  });
  const links: Row[] = [];
  spec.links.forEach((l, i) => {
    for (const dir of [0, 1]) {
      const d = 2 * i + dir;
      const [from, to] = dir === 0 ? [l.a, l.b] : [l.b, l.a];
      links.push(
        linkRow(
          spec.nodes[from].name,
          spec.nodes[to].name,
          l.bandwidth,
          l.delay,
          // Busy time × bandwidth / 8, to the millibyte (the float product is not an exact integer).
          Math.round(world.links.bytesSinceWarmup(d, end) * 1000) / 1000,
          (world.linkBusyUntil(d, end) - world.links.busyAtWarmup(d)) / window,
        ),
      );
    }
  });

  const all = metrics.all;
  const run: Row[] = [
    {
      ...base,
      duration_s: spec.duration,
      end_s: end,
      complete: world.stopped === undefined ? 'yes' : 'no',
      warmup_s: spec.warmup,
      nodes: spec.nodes.length,
      links: spec.links.length,
      workload_instances: spec.workloads.length,
      generated_total: world.generatedCount,
      completed_total: world.completedCount,
      dropped_total: world.droppedCount,
      in_flight_at_end: world.inFlight,
      conservation_holds: world.generatedCount === world.completedCount + world.droppedCount + world.inFlightByEvents() ? 'yes' : 'no',
      generated: all.generated,
      completed: all.completed,
      dropped: all.droppedTotal,
      throughput_per_s: all.completed / window,
      events: world.sim.eventsProcessed,
    },
  ];
  const latencyRow = (workload: string, quantile: number, latency: number): Row => ({ ...base, workload, quantile, latency_s: latency });
  const latency: Row[] = [];
  const sketches = [...metrics.byWorkload.map((s, g) => [workloadName(result, g), s] as const), ['(all)', metrics.all] as const];
  for (const [workload, s] of sketches) {
    if (s.completed === 0) continue;
    for (const q of LATENCY_QUANTILES) latency.push(latencyRow(workload, q, s.latencySketch.quantile(q)));
  }
  const columns = {
    requests: Object.keys(allRow),
    nodes: Object.keys(nodes[0] ?? {}),
    links: Object.keys(linkRow('', '', 0, 0, 0, 0)),
    run: Object.keys(run[0]),
    latency: Object.keys(latencyRow('', 0, 0)),
  };
  const compression = compressionRows(spec.workloads, base);
  return { requests, nodes, links, run, latency, columns, ...(compression ? { compression } : {}) };
}

/** The columns of compression.csv. */
export const COMPRESSION_COLUMNS = [
  'scenario',
  'seed',
  'workload',
  'policy',
  'nodes',
  'instance_node_pairs',
  'variant',
  'precision',
  'stored_bytes',
  'weight_bytes',
  'activation_bytes',
  'flops',
  'compute_s',
  'fits_memory',
  'meets_deadline',
  'accuracy_top1',
  'accuracy_basis',
  'accuracy_sources',
  'reason',
  'note',
] as const;

/**
 * compression.csv: one row per workload and compression decision (a variant chosen for a group
 * of alike nodes — one scenario entry), with how many (instance, node) pairs run it; undefined
 * when no compression policy chose (the models run as declared). Cost O(instances), one map
 * look-up per instance (instances alike share their executions).
 */
export function compressionRows(workloads: readonly WorkloadSpec[], base: { scenario: string; seed: number }): { rows: Row[]; columns: readonly string[] } | undefined {
  if (!workloads.some((w) => w.execution?.some((e) => e.choice))) return undefined;
  const groups: Map<readonly Execution[], number>[] = [];
  const names: string[] = [];
  for (const w of workloads) {
    if (!w.execution) continue;
    const arrays = (groups[w.group] ??= new Map());
    names[w.group] = w.name;
    arrays.set(w.execution, (arrays.get(w.execution) ?? 0) + 1);
  }
  const rows: Row[] = [];
  groups.forEach((arrays, g) => {
    const pairs = new Map<Execution, number>();
    for (const [runs, instances] of arrays) for (const e of runs) if (e.choice) pairs.set(e, (pairs.get(e) ?? 0) + instances);
    for (const [e, n] of pairs) {
      const c = e.choice!;
      rows.push({
        ...base,
        workload: names[g],
        policy: c.policy,
        nodes: c.nodes,
        instance_node_pairs: n,
        variant: e.variant,
        precision: e.precision,
        stored_bytes: c.storedBytes,
        weight_bytes: e.weightBytes,
        activation_bytes: e.activationBytes,
        flops: e.flops,
        compute_s: c.computeSeconds,
        fits_memory: c.fitsMemory ? 'yes' : 'no',
        meets_deadline: c.meetsDeadline ? 'yes' : 'no',
        accuracy_top1: Number.isNaN(e.top1) ? '' : e.top1,
        accuracy_basis: e.accuracyBasis,
        accuracy_sources: c.sources.join('; '),
        reason: c.reason,
        note: c.note ?? '',
      });
    }
  });
  return { rows, columns: COMPRESSION_COLUMNS };
}

function workloadName(result: RunResult, group: number): string {
  return result.world.spec.workloads.find((w) => w.group === group)?.name ?? `#${group}`;
}

function mean(count: number, value: number): number {
  return count > 0 ? value : NaN;
}
