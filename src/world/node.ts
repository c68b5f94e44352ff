import type { Precision } from './model.ts';
import type { BatchingSpec } from './schedulers/batching.ts';
import type { SchedulerName } from './schedulers/scheduler.ts';

/** Tiers a node can belong to. */
export const NODE_KINDS = ['device', 'gateway', 'edge', 'cloud'] as const;
/** One of {@link NODE_KINDS}. */
export type NodeKind = (typeof NODE_KINDS)[number];

/** A node as the world needs it, in SI units (built from a scenario). */
export interface NodeSpec {
  readonly name: string;
  readonly kind: NodeKind;
  /** Total effective throughput per precision, FLOP/s; a missing precision cannot run. */
  readonly throughput: Partial<Record<Precision, number>>;
  /** Requests computed at once; each slot gets throughput / slots. */
  readonly slots: number;
  /** Requests that may wait for a slot; an arrival finding this many waiting is dropped (admission control). */
  readonly queueLimit?: number;
  /** Memory available for weights, inputs and activations, bytes. */
  readonly memory: number;
  /** Power at zero and at full utilization, W (linear in between). */
  readonly power: { readonly idle: number; readonly busy: number };
  /** Battery capacity, J; the node stops for good when it is empty. */
  readonly battery?: number;
  /** Trust (privacy) level in [0, 1]. */
  readonly trust: number;
  /** How the node's compute is shared among the jobs at it (default fcfs). */
  readonly scheduler?: SchedulerName;
  /** Under `batching`: the node's dynamic batcher (max batch size, preferred sizes, queue delay, batch cost, policy). */
  readonly batching?: BatchingSpec;
  /** Under `partitioned`: each tenant's share of the compute (workload groups in order, then processes), Σ ≤ 1. */
  readonly shares?: readonly number[];
  /** Exponential failures: mean time between failures and mean time to repair, s. */
  readonly failures?: { readonly mtbf: number; readonly mttr: number };
  /** Its kernels skip pruned weights (FLOPs fall with sparsity) and read them in their stored format; absent = dense kernels. */
  readonly sparseKernels?: boolean;
}

/**
 * Energy of a node, J: idle power while up, plus the dynamic power of each busy slot
 * ((busy − idle) / slots per slot, so power is linear in utilization), plus radio energy.
 */
export function nodeEnergy(node: NodeSpec, upTime: number, busySlotSeconds: number, radioJ: number): number {
  return node.power.idle * upTime + ((node.power.busy - node.power.idle) / node.slots) * busySlotSeconds + radioJ;
}

/** Seconds one slot of `node` takes to compute `flops` at a precision (throughput / slots per slot); undefined when it cannot. */
export function slotSeconds(node: NodeSpec, flops: number, precision: Precision): number | undefined {
  const throughput = node.throughput[precision];
  return throughput === undefined ? undefined : flops / (throughput / node.slots);
}
