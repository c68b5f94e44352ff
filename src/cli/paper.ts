import { type CompressionStudyRow, runCompressionStudy, type StudyTraining } from '../learning/compression-study.ts';
import { type ClaimContext, exact, LATENCY_CLAIM, NOT_RUN_MARK, type LatencyBaselineKind, type LatencyPair, latencyClaimRows, latencyRowKind, SIZE_CLAIM, type SizeEvidence, sizeClaimRows, type SizeSubject } from '../metrics/claims.ts';
import { type Estimate, estimate } from '../metrics/confidence.ts';
import {
  type PaperArm,
  type PaperBatchCounts,
  type PaperCacheCounts,
  type PaperContext,
  type PaperLatencyAware,
  type PaperLpInputs,
  type PaperRun,
  paperRun,
  table2Rows,
  table3Rows,
  table4Rows,
  table5Rows,
  untrustedShareOfArm,
} from '../metrics/paper-tables.ts';
import { pipeliningRows, type PipeliningInput } from '../metrics/pipelining.ts';
import { PlanSampler } from '../metrics/plan-sampler.ts';
import type { RunResult } from '../metrics/simulate.ts';
import type { Row, RunTables } from '../metrics/summary.ts';
import { estimateAccuracy } from '../policies/compression/accuracy.ts';
import { compressModel } from '../policies/compression/model-size.ts';
import { table1 } from '../policies/compression/table1.ts';
import { type CompressionVariant, FP32, INT8, type MagnitudePruning, type UniformQuantization } from '../policies/compression/variant.ts';
import type { LpPlacementPolicy } from '../policies/offloading/lp.ts';
import type { OffloadingPlanner } from '../policies/offloading/planner.ts';
import { estimatedLatency } from '../policies/offloading/view.ts';
import { seedLabel } from '../report/fl-charts.ts';
import { writePaperFiles } from '../report/paper-tables.ts';
import type { Catalog } from '../scenario/catalog.ts';
import { type Arm, DECISION_POINTS, type SkippedArm, EDELEAR_ARM, usesEdelearCompression, usesEdelearPolicy, usesLpPlacement } from '../scenario/compare-arms.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { DEFAULT_COMPRESSION_CANDIDATES, type Scenario } from '../scenario/schema.ts';
import { ResultCaches } from '../world/caches.ts';
import type { DnnModel } from '../world/model.ts';
import { meanArrivalRate } from '../world/offered-load.ts';
import type { World, WorldSpec } from '../world/world.ts';

/*
 * The EDeLeaR paper's tables and claims from `edelear compare` (cli/ because it joins the
 * scenario, the runs, real training and the report): compare hands each run to a
 * {@link PaperCollector}, which reads the plans in force (metrics/plan-sampler.ts) and keeps a
 * small record of the run (with its caches' and batchers' counts); after the comparison it
 * computes Tables 1, 2, 3, 4 and 5, runs the measured compression study, judges claims 1 and 2,
 * and writes table1.csv, table2.csv, table3.csv, table4.csv, table5.csv, compression_study.csv,
 * pipelining.csv (model parallelization, computed: metrics/pipelining.ts) and claims.csv
 * (report/paper-tables.ts).
 *
 * When: compare writes them when the scenario as written uses one of EDeLeaR's own policies (the
 * lp placement, the edelear allocation, the edelear compression, an edelear cache or adaptive
 * batching; `--no-paper-tables` skips them) — the paper's tables describe EDeLeaR's decisions.
 * Each table is written when the scenario has what it shows: Table 1 and claim 1 (with the
 * measured study) when EDeLeaR chooses compression variants, Table 2 when an allocation policy
 * shares a partitioned node, Table 3 when the lp placement decides, Table 4 when a device issuing
 * requests has a result cache or a batcher, Table 5, pipelining.csv and claim 2 always.
 */

/** Whether `edelear compare` writes the paper's tables for a scenario: it uses one of EDeLeaR's own policies. */
export function wantsPaperTables(s: Scenario): boolean {
  return usesEdelearPolicy(s);
}

/** Training of the measured compression study: the zoo MLP as test/learning/mlp.test.ts trains it (5 epochs of mini-batch SGD, batch 32, lr 0.1). */
export const STUDY_TRAINING: StudyTraining = { epochs: 5, batchSize: 32, lr: 0.1 };

const csr = (sparsity: number): MagnitudePruning => ({ sparsity, format: 'csr' });

/**
 * The variants the measured study compresses the MLP by: fp32, int8 (weights and activations),
 * magnitude pruning to 50, 75 and 90 % stored in CSR, each with int8, and the paper's weight
 * sharing with 16 shared values (4-bit indices), alone and with int8.
 */
export const STUDY_VARIANTS: readonly CompressionVariant[] = [
  FP32,
  INT8,
  { name: 'p50', pruning: csr(0.5) },
  { name: 'p75', pruning: csr(0.75) },
  { name: 'p90', pruning: csr(0.9) },
  { name: 'p50-int8', pruning: csr(0.5), quantization: { levels: 256 } },
  { name: 'p75-int8', pruning: csr(0.75), quantization: { levels: 256 } },
  { name: 'p90-int8', pruning: csr(0.9), quantization: { levels: 256 } },
  { name: 's16', sharing: { clusters: 16 } },
  { name: 's16-int8', sharing: { clusters: 16 }, quantization: { levels: 256 } },
];

/** Table 1's pruning and quantization when EDeLeaR deployed no pruned variant: the lightest default pruning (50 %, CSR) and 8 bits. */
export const TABLE1_DEFAULT = { pruning: csr(0.5), quantization: { levels: 256 } as UniformQuantization };

/** What compare tells a run's observer: the world before it runs, and the run with its tables after. */
export interface RunObserver {
  attach(world: World): void;
  finish(result: RunResult, tables: RunTables): void;
  /** Events the observer added to the run (left out of its event count). */
  readonly events: number;
}

/** The planners of a world spec's lp placements, each once. */
export function plannersOf(spec: WorldSpec): OffloadingPlanner[] {
  const planners = new Set<OffloadingPlanner>();
  for (const p of spec.placement.policies) {
    const planner = (p as Partial<LpPlacementPolicy>).planner;
    if (planner) planners.add(planner);
  }
  return [...planners];
}

/** Options of {@link PaperCollector}. */
export interface PaperOptions {
  /** Training of the measured compression study (default {@link STUDY_TRAINING}). */
  readonly study?: StudyTraining;
}

/** Collects what the paper's tables need from a comparison's runs, then computes and writes them. */
export class PaperCollector {
  private readonly runs = new Map<string, PaperRun[]>();
  private context: PaperContext | undefined;
  /** compression.csv rows of the reference arm's first run (what EDeLeaR deployed). */
  private deployed: readonly Row[] | undefined;
  /** pipelining.csv rows, from the reference arm's world spec. */
  private pipelining: Row[] | undefined;

  constructor(
    private readonly loaded: LoadedScenario,
    private readonly catalog: Catalog,
    private readonly options: PaperOptions = {},
  ) {}

  /** The observer of one run of an arm. */
  observe(arm: Arm, seed: number): RunObserver {
    const sampler = new PlanSampler();
    return {
      attach: (world) => sampler.attach(world),
      finish: (result, tables) => {
        const spec = result.world.spec;
        const planners = plannersOf(spec);
        const record = paperRun(
          seed,
          spec.placement,
          tables,
          sampler.finish(result.world.end),
          {
            solves: planners.reduce((a, p) => a + p.stats.solves, 0),
            fallbacks: planners.reduce((a, p) => a + p.stats.fallbacks, 0),
          },
          latencyAwareCounts(result.world),
        );
        let list = this.runs.get(arm.name);
        if (!list) this.runs.set(arm.name, (list = []));
        list.push(record);
        if (arm.role === 'reference' && !this.context) {
          this.context = paperContext(this.loaded.scenario, spec, this.catalog);
          this.deployed = tables.compression?.rows;
          this.pipelining = pipeliningRows(pipeliningInput(this.loaded.scenario, spec));
        }
      },
      get events() {
        return sampler.events;
      },
    };
  }

  /**
   * Computes the tables and claims of a finished comparison and writes them into `out`;
   * returns the files written. `outcomes` are the comparison's arms in order (the reference
   * first), each with its runs' latency means per seed.
   */
  write(
    out: string,
    seeds: readonly number[],
    outcomes: readonly { arm: Arm; sameAs?: string; latency: readonly number[] }[],
    /** Arms of the scenario the comparison did not run (skipped under --strict, left out by --arms), with why: their whole baselines are named in claim 2's rows over all of them. */
    skipped: readonly SkippedArm[] = [],
  ): PaperFiles {
    const ctx = this.context;
    if (!ctx) throw new Error('no run of the reference arm was observed');
    const label = seedLabel(seeds);
    const claimContext: ClaimContext = { scenario: ctx.scenario, seeds: label };
    const reference = this.runs.get(EDELEAR_ARM) ?? [];
    const arms: PaperArm[] = outcomes.map((o) => ({ arm: o.arm.name, role: o.arm.role, ...(o.sameAs ? { sameAs: o.sameAs } : {}), runs: this.runs.get(o.sameAs ?? o.arm.name) ?? [] }));
    const s = this.loaded.scenario;
    const tables: PaperTables = {
      table2: s.nodes.some((n) => typeof n.scheduler === 'object' && 'partitioned' in n.scheduler) && s.policies.allocation !== 'none' ? table2Rows(ctx, reference, label) : undefined,
      table3: usesLpPlacement(s) ? table3Rows(ctx, reference, label) : undefined,
      table4: ctx.workloads.some((w) => w.latencyAware?.cache || w.latencyAware?.batcher) ? table4Rows(ctx, reference, label) : undefined,
      table5: table5Rows(ctx, arms, label),
    };
    // Claim 2: EDeLeaR against each whole baseline system (no EDeLeaR component) — what the claim
    // is judged on —, then against each component baseline of the two decision points the claim
    // names, placement and allocation (EDeLeaR with one of them replaced: which component the
    // difference comes from). Compression, caching and batching baselines are in compare.csv.
    const claimed = new Map(DECISION_POINTS.filter((p) => p.point === 'placement' || p.point === 'allocation').flatMap((p) => p.baselines.map((b) => [b.name, p.point] as const)));
    const edelear = outcomes[0].latency;
    const edelearUntrusted = untrustedShareOfArm(ctx, reference);
    const pairOf = (o: (typeof outcomes)[number], description: string): LatencyPair => {
      const runs = this.runs.get(o.sameAs ?? o.arm.name) ?? [];
      const untrusted = untrustedShareOfArm(ctx, runs);
      // A policy asked at each request has no plan: its share is of the requests it placed.
      const asked = runs.some((r) => r.plans?.measured.includes(1));
      const sent = asked ? `it sent ${percent(untrusted)} of the requests (as placed, asked at each request)` : `its plans send ${percent(untrusted)} of the requests (in expectation)`;
      const notes = [
        ...(o.sameAs ? [`the same configuration as ${o.sameAs}: its runs`] : []),
        ...(untrusted > 0 && Number.isFinite(edelearUntrusted) ? [`${sent} to nodes below their data's privacy level; EDeLeaR's ${percent(edelearUntrusted)}`] : []),
      ];
      return { arm: o.arm.name, description, baseline: o.latency, edelear, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
    };
    const whole = outcomes.filter((o) => o.arm.role === 'whole-baseline').map((o) => pairOf(o, o.arm.description));
    const components = outcomes.flatMap((o) => {
      const point = claimed.get(o.arm.name);
      return o.arm.role === 'baseline' && point ? [pairOf(o, `${point} baseline, ${o.arm.description}; EDeLeaR's other components kept`)] : [];
    });
    const wholeNotRun = skipped.filter((a) => a.role === 'whole-baseline').map((a) => `${a.name} (${a.reason})`);
    const claims = [...latencyClaimRows(claimContext, whole, 'whole', wholeNotRun), ...latencyClaimRows(claimContext, components, 'component')];
    let study: StudyRun[] | undefined;
    let table1Rows: Row[] | undefined;
    if (usesEdelearCompression(s)) {
      // The model of each workload, by the name compression.csv gives it.
      const modelOf = new Map(s.workloads.flatMap((w, g) => {
        const m = this.catalog.models.get(w.model);
        return m ? [[ctx.workloads[g].name, m] as const] : [];
      }));
      const models = [...new Set(modelOf.values())];
      const deployed = this.deployed ?? [];
      const candidates = compressionCandidates(s);
      table1Rows = models.flatMap((m) => paperTable1(m, deployed.filter((r) => modelOf.get(String(r.workload)) === m), candidates));
      const training = this.options.study ?? STUDY_TRAINING;
      // The measured study on each seed of the comparison: real training of the zoo MLP on MNIST digits.
      study = seeds.map((seed) => ({ seed, rows: runCompressionStudy(seed, training, STUDY_VARIANTS) }));
      const subjects = [
        ...models.map((m) => candidateSubject(m, this.catalog, candidates)),
        deployedSubject(deployed, modelOf, this.catalog),
        studySubject(study, training),
      ];
      claims.unshift(...sizeClaimRows(claimContext, subjects));
    }
    const files = writePaperFiles(out, { ...tables, table1: table1Rows, study, claims, ...(this.pipelining ? { pipelining: this.pipelining } : {}) });
    return { files, claims };
  }
}

/** The measured study on one seed: its variants. */
export interface StudyRun {
  readonly seed: number;
  readonly rows: readonly CompressionStudyRow[];
}

/** Tables 2, 3, 4 and 5 (undefined: not written for this scenario). */
interface PaperTables {
  readonly table2?: Row[];
  readonly table3?: Row[];
  readonly table4?: Row[];
  readonly table5: Row[];
}

/** A run's result caches (lookups and hits per node) and batchers (batches and requests per node), over its window. */
export function latencyAwareCounts(world: World): { caches?: Map<string, PaperCacheCounts>; batches?: Map<string, PaperBatchCounts> } {
  const names = world.spec.nodes;
  const out: { caches?: Map<string, PaperCacheCounts>; batches?: Map<string, PaperBatchCounts> } = {};
  if (world.spec.cache instanceof ResultCaches) {
    out.caches = new Map(world.spec.cache.stats().map((c) => [names[c.node].name, { lookups: c.lookups, hits: c.hits }]));
  }
  const counts = world.batchCounts();
  if (counts.length > 0) {
    out.batches = new Map(
      counts.map((c) => {
        let batches = 0;
        let requests = 0;
        c.bySize.forEach((n, b) => {
          batches += n;
          requests += n * b;
        });
        return [names[c.node].name, { batches, requests }];
      }),
    );
  }
  return out;
}

/** Table 4's settings of a workload's devices, from the scenario entry of its first device (links from the world spec). */
function latencyAwareOf(s: Scenario, spec: WorldSpec, entryOf: readonly number[], devices: readonly number[]): PaperLatencyAware {
  const k = devices[0];
  const entry = s.nodes[entryOf[k]];
  const links = spec.links.filter((l) => l.a === k || l.b === k);
  const batcher = typeof entry.scheduler === 'object' && 'batching' in entry.scheduler ? entry.scheduler.batching : undefined;
  // The node's flag and the scenario's policy of model partitioning.
  const parallel = entry.parallel;
  const partitioning = s.policies.partitioning;
  return {
    deviceNames: [...new Set(devices.map((d) => spec.nodes[d].name))],
    linkDelays: [...new Set(links.map((l) => l.delay))].sort((a, b) => a - b),
    linkPeers: links.map((l) => spec.nodes[l.a === k ? l.b : l.a].name),
    ...(typeof parallel === 'boolean' ? { parallel } : {}),
    ...(partitioning === undefined ? {} : { partitioning: `${partitioning.policy} (${typeof partitioning.objective === 'string' ? partitioning.objective : `${partitioning.objective.latency}·s + ${partitioning.objective.energy}·J`})` }),
    ...(entry.cache ? { cache: { policy: entry.cache.policy, capacity: entry.cache.capacity.unit === 'entries' ? `${entry.cache.capacity.value} entries` : `${entry.cache.capacity.value} B` } } : {}),
    ...(batcher ? { batcher: { policy: batcher.policy, max: batcher.max ?? 1 } } : {}),
  };
}

/** What {@link PaperCollector.write} wrote: the files, and the claims (for the console). */
export interface PaperFiles {
  readonly files: string[];
  readonly claims: readonly Row[];
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The compression candidates the scenario's policy chooses among (policies.compression's, else a workload's, else the defaults). */
function compressionCandidates(s: Scenario): readonly CompressionVariant[] {
  const setting = s.policies.compression ?? s.workloads.find((w) => w.compression)?.compression;
  return setting?.candidates ?? DEFAULT_COMPRESSION_CANDIDATES;
}

/**
 * The scenario as the tables describe it, from the reference arm's world spec (its first run):
 * nodes, workloads with their instances, declared rates, reference units (each workload's first
 * device's profile fp32 throughput), privacy levels (the lp placement's), the offloading program's
 * inputs per instance, and the declared shares of partitioned nodes.
 */
export function paperContext(s: Scenario, spec: WorldSpec, catalog: Catalog): PaperContext {
  // The scenario entry of each node: entries expand in order, `count` nodes each.
  const profileOf: (string | undefined)[] = [];
  const entryOf: number[] = [];
  s.nodes.forEach((entry, e) => {
    for (let c = 0; c < entry.count; c++) {
      profileOf.push(entry.profile);
      entryOf.push(e);
    }
  });
  const reference = (k: number) => {
    const p = profileOf[k] === undefined ? undefined : catalog.profiles.get(profileOf[k]!);
    return p?.compute.fp32 ?? NaN;
  };
  const nodes = spec.nodes.map((n) => ({ name: n.name, kind: n.kind, trust: n.trust, fp32: n.throughput.fp32 ?? NaN }));
  const device = Int32Array.from(spec.workloads, (w) => w.device);
  const workloads = s.workloads.map((sw, g) => {
    const instances: number[] = [];
    spec.workloads.forEach((w, i) => w.group === g && instances.push(i));
    const first = spec.workloads[instances[0]];
    const names = instances.map((i) => spec.nodes[device[i]].name);
    const placement = sw.placement ?? s.policies.placement;
    const privacy = typeof placement === 'object' && 'lp' in placement ? placement.lp.privacy : NaN;
    const policy = spec.placement.policies[spec.placement.policyOf[instances[0]]] as Partial<LpPlacementPolicy>;
    const lp = policy.planner ? instances.map((i) => lpInputs(spec, policy.planner!, i)) : undefined;
    return {
      name: first?.name ?? sw.name ?? `#${g}`,
      group: g,
      instances,
      devices: names.length === 1 ? names[0] : `${names[0]} … ${names[names.length - 1]} (${names.length})`,
      flops: first?.model.flops ?? NaN,
      declaredRate: first ? meanArrivalRate(first.arrivals, spec.duration) : NaN,
      reference: first ? reference(first.device) : NaN,
      privacy,
      ...(lp && lp.every((x) => x) ? { lp: lp as PaperLpInputs[] } : {}),
      ...(instances.length > 0 ? { latencyAware: latencyAwareOf(s, spec, entryOf, instances.map((i) => device[i])) } : {}),
    };
  });
  const declaredShares = new Map<number, readonly number[]>();
  spec.nodes.forEach((n, k) => n.shares && declaredShares.set(k, n.shares));
  return { scenario: s.name, nodes, workloads, candidates: spec.placement.candidates, start: spec.placement.start, device, declaredShares };
}

/**
 * What pipelining.csv is computed from, as the reference arm's world has it: its nodes and links,
 * each node's `parallel` flag (its scenario entry's), and per scenario workload its first
 * instance's device, model, and the variant and precision it runs at on that device (the
 * execution a compression policy chose for the own-device candidate; else the model as declared).
 */
export function pipeliningInput(s: Scenario, spec: WorldSpec): PipeliningInput {
  const parallel: boolean[] = [];
  s.nodes.forEach((entry) => {
    for (let c = 0; c < entry.count; c++) parallel.push(entry.parallel !== false);
  });
  const workloads = s.workloads.flatMap((_, g) => {
    const i = spec.workloads.findIndex((w) => w.group === g);
    if (i < 0) return [];
    const w = spec.workloads[i];
    const { candidates, start } = spec.placement;
    let own = -1;
    for (let c = start[i]; c < start[i + 1]; c++) if (candidates[c] === w.device) own = c - start[i];
    const execution = own >= 0 ? w.execution?.[own] : undefined;
    return [
      {
        name: w.name,
        device: w.device,
        model: w.model,
        precision: execution?.precision ?? w.precision,
        variant: execution?.variant ?? w.precision,
        variantFlops: execution?.flops ?? w.model.flops,
        inputBytes: w.inputBytes,
      },
    ];
  });
  return { scenario: s.name, nodes: spec.nodes, parallel, links: spec.links, workloads };
}

/** The offloading program's inputs for instance i, with its latency estimate per candidate. */
function lpInputs(spec: WorldSpec, planner: OffloadingPlanner, i: number): PaperLpInputs | undefined {
  const f = planner.figuresOf(i);
  if (!f) return undefined;
  const u = planner.settings.utilization;
  return {
    transfer: f.transfer,
    compute: f.compute,
    latency: Float64Array.from(f.nodes, (k, c) => estimatedLatency(spec.nodes[k].slots, u, f.transfer[c], f.compute[c])),
    deviceEnergy: f.deviceEnergy,
    load: f.load,
    trusted: f.trusted,
    utilization: u,
    energyBudget: planner.settings.energyBudget,
    privacyBudget: planner.settings.privacyBudget,
  };
}

// ----- Table 1 -----

/** A cell as a number ('' and absent: NaN). */
function num(row: Row, column: string): number {
  const v = row[column];
  return v === undefined || v === '' ? NaN : Number(v);
}

/**
 * The paper's Table 1 for one model: per layer with parameters, its size original (fp32),
 * pruned, and pruned then quantized, MB. The pruning and quantization are those of the most
 * pruned variant EDeLeaR deployed of this model (its definition among `candidates`), else
 * {@link TABLE1_DEFAULT}.
 */
export function paperTable1(model: DnnModel, deployed: readonly Row[], candidates: readonly CompressionVariant[] = DEFAULT_COMPRESSION_CANDIDATES): Row[] {
  const chosen = deployed
    .filter((r) => r.variant !== undefined)
    .map((r) => candidates.find((v) => v.name === r.variant))
    .filter((v): v is CompressionVariant => v?.pruning !== undefined)
    .sort((a, b) => b.pruning!.sparsity - a.pruning!.sparsity)[0];
  const pruning = chosen?.pruning ?? TABLE1_DEFAULT.pruning;
  const quantization = chosen?.quantization ?? TABLE1_DEFAULT.quantization;
  const how = chosen ? `as EDeLeaR deployed it (${chosen.name})` : 'EDeLeaR deployed no pruned variant: the lightest default pruning and 8 bits';
  return table1(model, pruning, quantization).map((r) => ({
    model: model.name,
    ...r,
    pruning: `${pruning.sparsity * 100}% magnitude, ${pruning.format}`,
    quantization: `${quantization.levels} levels`,
    note: how,
  }));
}

// ----- claim 1 subjects -----

/** The change of a top-1 in percentage points against the reference, as a fraction estimate (no interval for a figure outside published points). */
function citedChange(changePoints: number | undefined, trusted: boolean): Estimate {
  if (changePoints === undefined) return exact(NaN);
  const x = changePoints / 100;
  return trusted ? exact(x) : { mean: x, halfWidth: NaN, low: NaN, high: NaN, n: 1 };
}

/** Claim 1 on a zoo model: each candidate's stored size (zoo arithmetic) and cited top-1 change (published, interpolated or combined; extrapolated ones have no interval). */
export function candidateSubject(model: DnnModel, catalog: Catalog, candidates: readonly CompressionVariant[]): SizeSubject {
  const profile = catalog.accuracy.get(model.name);
  const referenceBytes = compressModel(model, FP32).bytes;
  const variants = candidates
    .filter((v) => v.name !== FP32.name)
    .map((v): SizeEvidence => {
      const bytes = compressModel(model, v).bytes;
      const est = profile ? estimateAccuracy(profile, v) : undefined;
      const trusted = est !== undefined && (est.basis === 'published' || est.basis === 'interpolated' || est.basis === 'combined');
      return {
        variant: v.name,
        bytes,
        referenceBytes,
        reduction: exact(1 - bytes / referenceBytes),
        top1: est?.top1 === undefined ? NaN : est.top1 / 100,
        referenceTop1: profile ? profile.reference.top1 / 100 : NaN,
        change: citedChange(est?.change, trusted),
        basis: `stored size computed from the zoo file's layers (policies/compression/model-size.ts); top-1 ${est?.basis ?? 'unknown'} from data/accuracy${est && est.sources.length > 0 ? ` (${est.sources.join('; ')})` : ''}`,
      };
    });
  return { subject: `${model.name} under the scenario's compression candidates`, variants };
}

/** Claim 1 on what EDeLeaR deployed in the EDeLeaR arm (its compression.csv rows): each variant chosen, against its model's fp32. */
export function deployedSubject(rows: readonly Row[], modelOf: ReadonlyMap<string, DnnModel>, catalog: Catalog): SizeSubject {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const m = modelOf.get(String(r.workload));
    if (!m) continue;
    const key = `${m.name}\u0000${r.variant}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const variants = [...byKey.values()].map((group): SizeEvidence => {
    const r = group[0];
    const m = modelOf.get(String(r.workload))!;
    const referenceBytes = compressModel(m, FP32).bytes;
    const bytes = num(r, 'stored_bytes');
    const profile = catalog.accuracy.get(m.name);
    const referenceTop1 = profile ? profile.reference.top1 / 100 : NaN;
    const top1 = num(r, 'accuracy_top1');
    const basis = String(r.accuracy_basis ?? '');
    const trusted = basis === 'published' || basis === 'interpolated' || basis === 'combined';
    const change = top1 - referenceTop1;
    return {
      variant: oneModel(modelOf) ? String(r.variant) : `${m.name} ${r.variant}`,
      bytes,
      referenceBytes,
      reduction: exact(1 - bytes / referenceBytes),
      top1,
      referenceTop1,
      change: trusted ? exact(change) : { mean: change, halfWidth: NaN, low: NaN, high: NaN, n: 1 },
      basis: `deployed by EDeLeaR's compression in the EDeLeaR arm on ${group.map((x) => `${x.workload} at ${x.nodes}`).join(', ')} (compression.csv of its runs); top-1 ${basis || 'unknown'}`,
    };
  });
  return { subject: 'what EDeLeaR deployed in this scenario', variants };
}

/** Whether the workloads run one model (variants then need no model name). */
function oneModel(modelOf: ReadonlyMap<string, DnnModel>): boolean {
  return new Set(modelOf.values()).size <= 1;
}

/** Claim 1 on the measured study: per variant, the stored size and the held-out accuracy change against fp32, paired by seed. */
export function studySubject(study: readonly StudyRun[], training: StudyTraining): SizeSubject {
  const names = study[0]?.rows.map((r) => r.variant).filter((n) => n !== FP32.name) ?? [];
  const variants = names.map((name): SizeEvidence => {
    const pairs = study.map(({ rows }) => ({ v: rows.find((r) => r.variant === name)!, f: rows.find((r) => r.variant === FP32.name)! }));
    return {
      variant: name,
      bytes: estimate(pairs.map((p) => p.v.bytes)).mean,
      referenceBytes: estimate(pairs.map((p) => p.f.bytes)).mean,
      reduction: estimate(pairs.map((p) => 1 - p.v.bytes / p.f.bytes)),
      top1: estimate(pairs.map((p) => p.v.accuracy)).mean,
      referenceTop1: estimate(pairs.map((p) => p.f.accuracy)).mean,
      change: estimate(pairs.map((p) => p.v.accuracy - p.f.accuracy)),
      basis: `measured: the zoo MLP 784-128-10 trained on the mnist package's digits (${training.epochs} epochs of SGD, batch ${training.batchSize}, lr ${training.lr}) on each seed, its weights compressed for real and the decoded weights evaluated on held-out digits (compression_study.csv)`,
    };
  });
  return { subject: 'the MLP 784-128-10 on MNIST, measured', variants };
}

/** A fraction as a signed percentage with one decimal. */
function signedPercent(x: unknown): string {
  const v = Number(x);
  if (x === '' || !Number.isFinite(v)) return '–';
  return `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}%`;
}

/** A fraction as signed percentage points with two decimals (an accuracy change). */
function signedPoints(x: unknown): string {
  const v = Number(x);
  if (x === '' || !Number.isFinite(v)) return '–';
  return `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;
}

/** A margin with its interval, as percentages (or percentage points). */
function marginText(r: Row, format: (x: unknown) => string = signedPercent): string {
  const low = r.margin_fraction_ci95_low;
  const ci = low === '' || !Number.isFinite(Number(low)) ? '' : ` [${format(low)}, ${format(r.margin_fraction_ci95_high)}]`;
  return `${format(r.margin_fraction_mean)}${ci}`;
}

/** The arm a claim 2 row is measured against: its `baseline` cell up to the first ": " (an arm name has no spaces). */
function armOf(r: Row): string {
  return /^(\S+?): /.exec(String(r.baseline))?.[1] ?? String(r.baseline);
}

/**
 * The console's account of claims.csv: per claim 1 subject its verdict and the variant it rests
 * on; for claim 2 the verdict against the whole baseline systems with each one's reduction and
 * interval and the mean over them, then the component baselines apart (not the claim's verdict).
 */
export function claimsReport(claims: readonly Row[]): string[] {
  const lines = ['', `  the paper's claims (claims.csv; 95% intervals over the seeds; ${EDELEAR_PAPER_SHORT})`];
  for (let i = 0; i + 2 < claims.length && claims[i].claim === SIZE_CLAIM.claim; i += 3) {
    const [size, accuracy, claim] = [claims[i], claims[i + 1], claims[i + 2]];
    const subject = String(size.baseline).replace(/^the uncompressed fp32 model \((.*)\)$/, '$1');
    lines.push(`  1 "${SIZE_CLAIM.claim}" on ${subject}: ${claim.verdict} — ${size.compression}: size reduction ${marginText(size)} (threshold 70%), top-1 change ${marginText(accuracy, signedPoints)} points (threshold −1)`);
  }
  const latency = claims.flatMap((r) => {
    const k = latencyRowKind(r);
    return k ? [{ r, ...k }] : [];
  });
  const of = (kind: LatencyBaselineKind) => latency.filter((x) => x.kind === kind);
  const whole = of('whole');
  const component = of('component');
  const find = (rows: typeof latency, row: 'every' | 'mean') => rows.find((x) => x.row === row)?.r;
  const each = (rows: typeof latency) => rows.filter((x) => x.row === 'each').map(({ r }) => `      ${armOf(r).padEnd(26)} ${marginText(r).padEnd(26)} ${r.verdict}`);
  if (whole.length > 0) {
    const every = find(whole, 'every');
    lines.push(
      `  2 "${LATENCY_CLAIM.claim}": ${every?.verdict ?? 'inconclusive'} against every whole baseline system (no EDeLeaR component: a placement baseline with allocation none, compression none, no result cache, batching none and partitioning all-remote, where the scenario has them); reduction 1 − EDeLeaR / baseline (threshold 40%):`,
      ...each(whole),
    );
    const mean = find(whole, 'mean');
    if (mean) lines.push(`      ${'mean over them'.padEnd(26)} ${marginText(mean).padEnd(26)} ${mean.verdict} (paired by seed)`);
    const notRun = every ? String(every.baseline).split(NOT_RUN_MARK)[1] : undefined;
    if (notRun !== undefined) lines.push(`      not run, so "against every" and the mean are not judged on them (at best inconclusive): ${notRun}`);
  }
  if (component.length > 0) {
    const every = find(component, 'every');
    lines.push(
      whole.length > 0
        ? `    against component baselines (EDeLeaR with one decision point replaced, its other components kept; not claim 2's verdict): ${every?.verdict ?? 'inconclusive'} against all`
        : `  2 "${LATENCY_CLAIM.claim}": no whole baseline system ran; against component baselines (EDeLeaR with one decision point replaced, its other components kept): ${every?.verdict ?? 'inconclusive'} against all; reduction 1 − EDeLeaR / baseline (threshold 40%):`,
      ...each(component),
    );
  }
  return lines;
}

/** The paper, shortly, for the console. */
const EDELEAR_PAPER_SHORT = 'Farooq and Khan, EDeLeaR, 2024';
