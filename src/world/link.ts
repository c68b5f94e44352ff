import type { AnalyticDelaySpec } from './analytic-link.ts';

/**
 * A full-duplex link between two nodes, in SI units. Directed link 2i is link i traversed
 * from a to b, 2i + 1 from b to a.
 */
export interface LinkSpec {
  /** Node indices of the two ends. */
  readonly a: number;
  readonly b: number;
  /** Bit/s in each direction. */
  readonly bandwidth: number;
  /** Propagation delay, s. */
  readonly delay: number;
  /** Longest a transfer may wait for the link before it is dropped (a finite buffer), s; Infinity when unbounded. */
  readonly maxWait?: number;
  /** An analytic delay model (world/analytic-link.ts): transfers do not queue, each takes the model's delay; none: a FIFO link. */
  readonly analytic?: AnalyticDelaySpec;
  /** Radio energy charged to the sending node, J/bit. */
  readonly txEnergyPerBit: number;
  /** Radio energy charged to the receiving node, J/bit. */
  readonly rxEnergyPerBit: number;
}
