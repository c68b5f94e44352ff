import type { Distribution } from '../core/distributions.ts';
import type { StreamBank } from '../core/random.ts';
import type { WorkloadSpec } from './workload.ts';

/** Fields of an instance's record kept here, from the table's offset in the bank's record. */
const DEVICE = 0;
const GROUP = 1;
const RESULT_BYTES = 2;
const INPUTS_LAW = 3;
const SERVICE_LAW = 4;
/** Numbers per instance this table keeps in the bank's record. */
export const INSTANCE_FIELDS = 5;

/**
 * What a request's life reads of its workload instance — its device, its workload's index
 * (group), its result's bytes, and which laws draw its input keys and compute-time factor — kept
 * in the record of the instance's arrival stream (a {@link StreamBank}), which its birth reads
 * anyway. A {@link WorkloadSpec} is an object of a dozen fields, lines apart from its neighbours;
 * at 10^4 devices each device's requests come seconds apart, so reading it at a request's birth
 * missed the cache. Dense arrays per field would not do: a line of 8 instances' figures is read
 * less than once a simulated second there, and is gone by then (stop 33).
 */
export class InstanceTable {
  /** The distinct laws of the instances' input keys and compute-time factors (each object once). */
  readonly laws: readonly Distribution[];
  private readonly data: Float64Array;
  private readonly stride: number;

  /** `bank`: the instances' arrival streams, with {@link INSTANCE_FIELDS} numbers from `offset` in each record for this table. */
  constructor(workloads: readonly WorkloadSpec[], bank: StreamBank, private readonly offset: number) {
    this.data = bank.data;
    this.stride = bank.stride;
    const laws: Distribution[] = [];
    const index = new Map<Distribution, number>();
    const lawOf = (d: Distribution | undefined): number => {
      if (d === undefined) return -1;
      let j = index.get(d);
      if (j === undefined) {
        j = laws.push(d) - 1;
        index.set(d, j);
      }
      return j;
    };
    for (let i = 0; i < workloads.length; i++) {
      const wl = workloads[i];
      const o = i * this.stride + offset;
      this.data[o + DEVICE] = wl.device;
      this.data[o + GROUP] = wl.group;
      this.data[o + RESULT_BYTES] = wl.resultBytes;
      this.data[o + INPUTS_LAW] = lawOf(wl.inputs);
      this.data[o + SERVICE_LAW] = lawOf(wl.serviceVariability);
    }
    this.laws = laws;
  }

  /** Node index of instance i's device. */
  device(i: number): number {
    return this.data[i * this.stride + this.offset + DEVICE];
  }

  /** Index of instance i's scenario workload. */
  group(i: number): number {
    return this.data[i * this.stride + this.offset + GROUP];
  }

  /** Result bytes instance i's requests return to the device. */
  resultBytes(i: number): number {
    return this.data[i * this.stride + this.offset + RESULT_BYTES];
  }

  /** Index in {@link laws} of instance i's input-key law; −1: none (every input distinct). */
  inputsLaw(i: number): number {
    return this.data[i * this.stride + this.offset + INPUTS_LAW];
  }

  /** Index in {@link laws} of instance i's compute-time factor's law; −1: none (deterministic). */
  serviceLaw(i: number): number {
    return this.data[i * this.stride + this.offset + SERVICE_LAW];
  }
}
