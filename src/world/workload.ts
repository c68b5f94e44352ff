import type { Distribution } from '../core/distributions.ts';
import type { StreamBank } from '../core/random.ts';
import type { DnnModel, Precision } from './model.ts';

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
    /** The instances' `arrivals` streams, made with {@link ARRIVAL_FIELDS} extra numbers each. */
    private readonly bank: StreamBank,
  ) {
    this.mmppState = new Uint8Array(specs.length);
    this.tracePos = new Int32Array(specs.length);
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
