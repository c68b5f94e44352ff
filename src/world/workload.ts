import type { Distribution } from '../core/distributions.ts';
import type { StreamBank } from '../core/random.ts';
import { BYTES_PER_ELEMENT, type DnnModel, type Precision } from './model.ts';
import { int32Array } from '../core/typed-arrays.ts';

/** How requests of a workload arrive on each of its devices. */
export type ArrivalSpec =
  | { readonly kind: 'poisson'; readonly rate: number }
  | { readonly kind: 'periodic'; readonly period: number; readonly offset: number }
  /** Two-state Markov-modulated Poisson process: rates and mean sojourn times per state. */
  | { readonly kind: 'mmpp'; readonly rates: readonly [number, number]; readonly sojourn: readonly [number, number] }
  /** Arrival times read from a trace, seconds from the start of the run, non-decreasing. */
  | { readonly kind: 'trace'; readonly times: Float64Array }
  /** Renewal process: i.i.d. inter-arrival times. */
  | { readonly kind: 'renewal'; readonly interarrival: Distribution };

/** A workload as the world needs it: one per (scenario workload, device). */
export interface WorkloadSpec {
  /** Name of the scenario workload this instance belongs to. */
  readonly name: string;
  /** Index of the scenario workload (instances of one workload share it). */
  readonly group: number;
  /** Node index of the device that issues the requests. */
  readonly device: number;
  readonly model: DnnModel;
  readonly precision: Precision;
  readonly arrivals: ArrivalSpec;
  /** Input payload sent to the executing node, bytes. */
  readonly inputBytes: number;
  /** Result returned to the device, bytes. */
  readonly resultBytes: number;
  /** Latency objective, s (Infinity when none). */
  readonly deadline: number;
  /** Popularity of input keys (ranks 0…catalog−1), undefined when every input is distinct. */
  readonly inputs?: Distribution;
  /**
   * Variability of compute time around its FLOP-derived mean: each request's compute time
   * is FLOPs / throughput × a draw of this mean-1 multiplier; undefined = deterministic.
   */
  readonly serviceVariability?: Distribution;
  /**
   * How the model runs at each candidate node, parallel to the instance's candidates in the
   * placement (`candidates[start[i] + c]` runs `execution[c]`): the variant a compression policy
   * chose for that node, or the model as declared. Instances alike share one array. Absent: the
   * model as declared (`model` at `precision`, uncompressed) everywhere.
   */
  readonly execution?: readonly Execution[];
}

/** How a top-1 accuracy was obtained (see policies/compression/accuracy.ts), from most to least trustworthy. */
export type AccuracyBasis = 'published' | 'interpolated' | 'combined' | 'extrapolated' | 'unknown';

/**
 * How a workload's model executes on one node: the work, precision and memory of one request
 * and the weights resident on the node, and the top-1 accuracy of what is computed. Plain
 * numbers, decided when the world is built (scenario/compression.ts).
 */
export interface Execution {
  /** The variant run ("fp32", "int8", "p75-int8", …). */
  readonly variant: string;
  /** FLOPs of one request (sparse FLOPs where the node's kernels skip pruned weights). */
  readonly flops: number;
  /** Precision computed in (the node's throughput at it times each request). */
  readonly precision: Precision;
  /** Bytes of the weights resident on the node while it may run the model. */
  readonly weightBytes: number;
  /** Peak live activation of one input at the precision used, bytes (reserved per request beside its input). */
  readonly activationBytes: number;
  /** Identity of the resident weights (model and variant): a node holds one copy however many instances use it. */
  readonly weights: string;
  /** Top-1 accuracy of the variant, a fraction (NaN when no published figure supports one). */
  readonly top1: number;
  readonly accuracyBasis: AccuracyBasis;
  /** What a compression policy decided and why; absent when the model runs as declared (no compression policy). */
  readonly choice?: ExecutionChoice;
}

/** A compression policy's decision behind an {@link Execution}, for compression.csv. */
export interface ExecutionChoice {
  /** The policy that chose (edelear, none, int8, max). */
  readonly policy: string;
  /** The nodes it was decided for, in words ("cam-1 … cam-8"): nodes alike share one decision. */
  readonly nodes: string;
  /** Stored size of the variant, bytes (what is shipped to the node). */
  readonly storedBytes: number;
  /** Compute time of one request on one slot, s. */
  readonly computeSeconds: number;
  /** Weights and one input's activations fit the node's memory. */
  readonly fitsMemory: boolean;
  /** The compute time is within the workload's deadline. */
  readonly meetsDeadline: boolean;
  /** Sources of the accuracy figures used. */
  readonly sources: readonly string[];
  /** Why the policy chose it. */
  readonly reason: string;
  /** Why the precision differs from the variant's own, when it does. */
  readonly note?: string;
}

/**
 * The model as declared on a node, uncompressed at `precision` (what a world without compression
 * policies runs); `top1` is given by the caller where a published figure supports it.
 */
export function declaredExecution(model: DnnModel, precision: Precision, top1 = NaN, accuracyBasis: AccuracyBasis = 'unknown'): Execution {
  return {
    variant: precision,
    flops: model.flops,
    precision,
    weightBytes: model.weightBytes(precision),
    activationBytes: model.peakActivationBytes * (BYTES_PER_ELEMENT[precision] / 4),
    weights: `${model.name}/${precision}`,
    top1,
    accuracyBasis,
  };
}

/** How instance `wl` runs at its c-th candidate (c counted from 0): its execution record, or the model as declared. */
export function executionAt(wl: WorkloadSpec, c: number): Execution {
  return wl.execution?.[c] ?? declaredExecution(wl.model, wl.precision);
}

/** Fields an arrival process keeps beside its stream's generator state (see {@link StreamBank}). */
const KIND = 4;
const RATE = 5;
/** Numbers per instance beyond the generator state. */
export const ARRIVAL_FIELDS = 2;
const POISSON = 0;
const OTHER = 1;

/**
 * Per-instance arrival generator. A Poisson process — the common case — reads one record per
 * arrival: its stream's state and its rate side by side in the instances' {@link StreamBank};
 * the other processes keep their little state (MMPP phase, trace position) in typed arrays
 * indexed by instance.
 */
export class ArrivalGenerator {
  private readonly mmppState: Uint8Array;
  private readonly tracePos: Int32Array;

  constructor(
    private readonly specs: readonly ArrivalSpec[],
    /** The instances' `arrivals` streams, made with {@link ARRIVAL_FIELDS} extra numbers first in each record (world/instances.ts keeps more after them). */
    private readonly bank: StreamBank,
  ) {
    this.mmppState = new Uint8Array(specs.length);
    this.tracePos = int32Array(specs.length);
    specs.forEach((s, i) => {
      const o = i * bank.stride;
      bank.data[o + KIND] = s.kind === 'poisson' ? POISSON : OTHER;
      bank.data[o + RATE] = s.kind === 'poisson' ? s.rate : NaN;
    });
  }

  /** Time of instance i's first arrival (Infinity when none). */
  first(i: number): number {
    const s = this.specs[i];
    if (s.kind === 'periodic') return s.offset;
    if (s.kind === 'mmpp') {
      // Start in the stationary distribution of the phase process.
      const p0 = s.sojourn[0] / (s.sojourn[0] + s.sojourn[1]);
      this.mmppState[i] = this.bank.next(i) < p0 ? 0 : 1;
    }
    return this.next(i, 0);
  }

  /** Time of instance i's next arrival after one at `now` (Infinity when the process ends). */
  next(i: number, now: number): number {
    const bank = this.bank;
    const o = i * bank.stride;
    if (bank.data[o + KIND] === POISSON) return now - Math.log(1 - bank.next(i)) / bank.data[o + RATE];
    return this.nextOther(i, now);
  }

  /** Reads instance i's stream record as its next draw will; changes nothing. */
  touch(i: number): number {
    const o = i * this.bank.stride;
    return this.bank.data[o] + this.bank.data[o + this.bank.stride - 1]; // both ends: the record spans lines (what lies between, the instance's fields and streams, their own touches read)
  }

  private nextOther(i: number, now: number): number {
    const s = this.specs[i];
    switch (s.kind) {
      case 'poisson':
        return now - Math.log(1 - this.bank.next(i)) / s.rate;
      case 'periodic':
        return now + s.period;
      case 'mmpp': {
        // Competing exponentials: the next arrival in this phase or a phase switch.
        const bank = this.bank;
        let t = now;
        let st = this.mmppState[i];
        for (;;) {
          const lambda = s.rates[st];
          const sigma = 1 / s.sojourn[st];
          t += -Math.log(1 - bank.next(i)) / (lambda + sigma);
          if (bank.next(i) * (lambda + sigma) < lambda) break;
          st ^= 1;
        }
        this.mmppState[i] = st;
        return t;
      }
      case 'renewal':
        return now + s.interarrival.sample(this.bank.at(i)); // drawn at once: the bank's shared draw
      case 'trace': {
        const p = this.tracePos[i]++;
        return p < s.times.length ? s.times[p] : Infinity;
      }
    }
  }
}
