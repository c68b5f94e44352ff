/** A full-duplex link between two nodes, in SI units. */
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
  /** Radio energy charged to the sending node, J/bit. */
  readonly txEnergyPerBit: number;
  /** Radio energy charged to the receiving node, J/bit. */
  readonly rxEnergyPerBit: number;
}

/** Directed link index: link i traversed from a to b is 2i, from b to a is 2i + 1. */
export function directedLink(link: number, fromA: boolean): number {
  return 2 * link + (fromA ? 0 : 1);
}
