import type { AccuracyProfile } from '../policies/compression/accuracy-profile.ts';
import { estimateAccuracy } from '../policies/compression/accuracy.ts';
import { type ExecutionTarget, wantedPrecision } from '../policies/compression/execution.ts';
import type { CompressionDecision, CompressionPolicy } from '../policies/compression/policy.ts';
import { compressionPolicy } from '../policies/compression/registry.ts';
import { FP32, INT8, type CompressionVariant } from '../policies/compression/variant.ts';
import type { DnnModel, Precision } from '../world/model.ts';
import { declaredExecution, type Execution } from '../world/workload.ts';
import type { ScenarioModelCompression } from './schema.ts';

/**
 * The compression decision point at build time: for each workload and each node that may run
 * it, the execution record the world runs (`Execution`: FLOPs, precision, resident weights,
 * activations, top-1). A compression policy (`policies.compression` or the workload's own)
 * decides per (workload, node entry): nodes expanded from one scenario entry have the same
 * throughput, slots, memory and kernels, so one decision serves all of them, and instances
 * whose candidates are alike share one array of records — the cost grows with workloads ×
 * node entries, not with devices. Without a policy (or with `none` at a precision other than
 * fp32) the model runs as declared, uncompressed at the workload's precision, with its published
 * top-1 where there is one. A deadline is met when one request's compute on one slot is within
 * it: transfers and queueing are the placement's and the run's to measure.
 */

/** A warning found while deciding: where in the scenario, and what. */
export interface ExecutionWarning {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** What the planner needs of one workload. */
export interface ExecutionWorkload {
  readonly name: string;
  readonly model: DnnModel;
  readonly precision: Precision;
  /** Latency objective, s (Infinity: none); a variant meets it when one request's compute does. */
  readonly deadline: number;
  /** Bytes of one request's input, held at the node while it computes (with its activations, beside the weights). */
  readonly inputBytes?: number;
  /** The workload's compression setting (its own or policies.compression); undefined: the model as declared. */
  readonly settings?: ScenarioModelCompression;
  /** Where the setting is written (warnings and errors point there). */
  readonly settingsPath: readonly PropertyKey[];
  /** Where the workload's precision is written. */
  readonly precisionPath: readonly PropertyKey[];
}

/** Reports a problem at a path of the scenario; never returns. */
export type Fail = (path: readonly PropertyKey[], message: string) => never;

/** A decision and the execution record made from it. */
interface Decided {
  readonly execution: Execution;
  readonly decision: CompressionDecision;
  readonly target: ExecutionTarget;
}

/** Decides the executions of every workload on the nodes, once per (workload, node entry). */
export class ExecutionPlanner {
  /** Warnings by path and what they say, in the order found, each with the (workload, nodes) pairs it concerns. */
  private readonly found = new Map<string, { readonly path: readonly PropertyKey[]; readonly body: string; readonly where: Map<string, string[]> }>();
  private readonly decisions = new Map<string, Decided>();

  constructor(
    private readonly accuracy: ReadonlyMap<string, AccuracyProfile>,
    /** The scenario entry each node was expanded from. */
    readonly entryOf: ArrayLike<number>,
    /** What the decision needs of the nodes of an entry (named after them: "cam-1 … cam-8"). */
    private readonly targetOf: (entry: number) => ExecutionTarget,
    readonly fail: Fail,
  ) {}

  /** The executions of one workload. */
  forWorkload(w: ExecutionWorkload): WorkloadExecutions {
    return new WorkloadExecutions(this, w);
  }

  /** Records what a warning says of a workload on a node; the same words at the same path are one warning naming every pair. */
  private warn(path: readonly PropertyKey[], workload: string, node: string, body: string): void {
    const key = `${path.join('\u0000')}\u0001${body}`;
    let w = this.found.get(key);
    if (w === undefined) this.found.set(key, (w = { path, body, where: new Map() }));
    const nodes = w.where.get(workload) ?? [];
    if (!nodes.includes(node)) nodes.push(node);
    w.where.set(workload, nodes);
  }

  /** The warnings in the order found, each once: "workload a on dev-1, edge and cloud; workload b on edge: …" (the paper scenario said one thing 12 times). */
  get warnings(): ExecutionWarning[] {
    const list = (xs: readonly string[]) => (xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
    return [...this.found.values()].map(({ path, body, where }) => ({
      path,
      message: `${[...where].map(([workload, nodes]) => `workload ${workload} on ${list(nodes)}`).join('; ')}: ${body}`,
    }));
  }

  /** The model as declared on any node, with its published top-1 at fp32 or int8 where the accuracy data has one. */
  declared(model: DnnModel, precision: Precision): Execution {
    const profile = this.accuracy.get(model.name);
    const variant = precision === 'fp32' ? FP32 : precision === 'int8' ? INT8 : undefined;
    const estimate = profile && variant ? estimateAccuracy(profile, variant) : undefined;
    if (!estimate || estimate.top1 === undefined) return declaredExecution(model, precision);
    return declaredExecution(model, precision, estimate.top1 / 100, estimate.basis);
  }

  /**
   * A policy's decision for a workload on the nodes of an entry, memoized by (model, deadline,
   * setting, entry), with its warnings for the workload. Cost of a decision: the policy's
   * (O(candidates × (layers + accuracy points²)) for edelear).
   */
  decided(w: ExecutionWorkload, policy: CompressionPolicy, settingsKey: string, entry: number): Execution {
    const key = `${w.model.name}\u0000${w.deadline}\u0000${w.inputBytes ?? 0}\u0000${settingsKey}\u0000${entry}`;
    let known = this.decisions.get(key);
    if (!known) {
      known = this.decide(w, policy, entry);
      this.decisions.set(key, known);
    }
    this.warnAbout(w, known);
    return known.execution;
  }

  private decide(w: ExecutionWorkload, policy: CompressionPolicy, entry: number): Decided {
    const settings = w.settings!;
    const target = this.targetOf(entry);
    let d: CompressionDecision;
    try {
      d = policy.decide({ model: w.model, target, deadline: w.deadline, inputBytes: w.inputBytes, candidates: settings.candidates, accuracy: this.accuracy.get(w.model.name) });
    } catch (e) {
      return this.fail(w.settingsPath, `${(e as Error).message}; expected candidates that ${target.name} can compute (it has ${precisions(target)} throughput)`);
    }
    const dep = d.deployment;
    if (!dep) {
      return this.fail(
        w.settingsPath,
        `expected a variant that ${target.name} can compute, but ${settings.policy} chose ${d.variant.name}, which needs ${USABLE[wantedPrecision(d.variant)]} throughput, and ${target.name} has ${precisions(target)} only`,
      );
    }
    const execution: Execution = {
      variant: d.variant.name,
      flops: dep.flops,
      precision: dep.precision,
      weightBytes: dep.weightBytes,
      activationBytes: dep.activationBytes,
      weights: weightsKey(w.model, d.variant, dep.precision),
      top1: d.accuracy.top1 === undefined ? NaN : d.accuracy.top1 / 100,
      accuracyBasis: d.accuracy.basis,
      choice: {
        policy: d.policy,
        nodes: target.name,
        storedBytes: dep.compressed.bytes,
        computeSeconds: dep.computeSeconds,
        fitsMemory: dep.fitsMemory,
        meetsDeadline: dep.meetsDeadline,
        sources: d.accuracy.sources,
        reason: d.reason,
        ...(dep.note ? { note: dep.note } : {}),
      },
    };
    return { execution, decision: d, target };
  }

  /**
   * Warnings of a chosen variant, for the workload it serves: an accuracy that is combined,
   * extrapolated or unknown (a compressed variant of a model without published figures), a
   * precision the node lacks, and EDeLeaR finding no candidate that fits, meets the deadline and
   * has a supported top-1 (its fallback).
   */
  private warnAbout(w: ExecutionWorkload, { execution: e, decision: d, target }: Decided): void {
    const warn = (body: string) => this.warn(w.settingsPath, w.name, target.name, body);
    const compressed = d.variant.pruning || d.variant.channels || d.variant.sharing || d.variant.quantization;
    if (!this.accuracy.has(w.model.name)) {
      if (compressed) {
        warn(
          `${w.model.name} has no accuracy profile (an fp32 top-1 in its zoo file, points in data/accuracy; a scenario's own model has none): the top-1 of ${e.variant} is unknown and accuracy_top1 is blank`,
        );
      }
    } else {
      for (const m of d.accuracy.warnings) warn(m);
    }
    const dep = d.deployment!;
    if (dep.note) warn(dep.note);
    const trusted = d.accuracy.top1 !== undefined && (w.settings!.extrapolate || d.accuracy.basis !== 'extrapolated');
    if (w.settings!.policy === 'edelear' && !(d.feasible && trusted)) {
      const misses = [
        ...(dep.fitsMemory ? [] : [`needs ${dep.memoryBytes} B of memory (the nodes have ${target.memory} B)`]),
        ...(dep.meetsDeadline ? [] : [`computes a request in ${round(dep.computeSeconds)} s, beyond the ${w.deadline} s deadline`]),
      ];
      warn(`${d.reason}: it runs ${e.variant}${misses.length > 0 ? `, which ${misses.join(' and ')}` : ''}`);
    }
  }
}

/** The executions of one workload: per candidate node, and as arrays parallel to an instance's candidates. */
export class WorkloadExecutions {
  private readonly policy: CompressionPolicy | undefined;
  private readonly settingsKey: string;
  private declaredRecord: Execution | undefined;
  /** Decisions by node entry. */
  private readonly byEntry: Execution[] = [];
  /** Arrays of one record, by node entry (the declared record's at 0). */
  private readonly single: (readonly Execution[])[] = [];
  private readonly arrays = new Map<string, readonly Execution[]>();

  constructor(
    private readonly planner: ExecutionPlanner,
    private readonly w: ExecutionWorkload,
  ) {
    const s = w.settings;
    // `none` is the model as declared, at whatever precision the workload gives it.
    const chooses = s !== undefined && !(s.policy === 'none' && w.precision !== 'fp32');
    if (chooses && w.precision !== 'fp32') {
      planner.fail(w.precisionPath, `expected precision fp32 (the default) with compression policy ${s.policy}: the variant chosen for each node sets the precision; got ${w.precision}`);
    }
    this.policy = chooses ? compressionPolicy(s.policy, { allowExtrapolation: s.extrapolate }) : undefined;
    this.settingsKey = chooses ? JSON.stringify(s) : '';
  }

  /** Whether the model runs as declared: no compression policy, or `none` at a precision other than fp32. */
  get asDeclared(): boolean {
    return this.policy === undefined;
  }

  /** How the workload's model runs on node k. */
  at(k: number): Execution {
    if (!this.policy) return (this.declaredRecord ??= this.planner.declared(this.w.model, this.w.precision));
    const entry = this.planner.entryOf[k];
    return (this.byEntry[entry] ??= this.planner.decided(this.w, this.policy, this.settingsKey, entry));
  }

  /** The executions of an instance whose candidates are `nodes`, shared with every instance whose candidates are alike. */
  forCandidates(nodes: readonly number[]): readonly Execution[] {
    const entryOf = this.planner.entryOf;
    const declared = !this.policy;
    if (nodes.length === 1) {
      const slot = declared ? 0 : entryOf[nodes[0]];
      return (this.single[slot] ??= [this.at(nodes[0])]);
    }
    const key = declared ? String(nodes.length) : nodes.map((k) => entryOf[k]).join(',');
    let a = this.arrays.get(key);
    if (!a) this.arrays.set(key, (a = nodes.map((k) => this.at(k))));
    return a;
  }
}

/**
 * What identifies a variant's weights on a node: the dense model at a precision is one copy
 * whichever way it was asked for (as declared, or the `none` and `fp32` choices); any other
 * variant is its own copy (its operations, not its name).
 */
function weightsKey(model: DnnModel, v: CompressionVariant, precision: Precision): string {
  const dense = !v.channels && !v.pruning && !v.sharing && !v.quantization;
  if (dense) return `${model.name}/${precision}`;
  const { channels, pruning, sharing, quantization } = v;
  return `${model.name}/${JSON.stringify({ channels, pruning, sharing, quantization })}/${precision}`;
}

/** The precisions a variant can run in, by the precision it wants (execution.ts: the next wider one where the node lacks it). */
const USABLE: Record<Precision, string> = { int8: 'int8, fp16 or fp32', fp16: 'fp16 or fp32', fp32: 'fp32' };

function precisions(t: ExecutionTarget): string {
  return Object.keys(t.throughput).join(', ') || 'no';
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
