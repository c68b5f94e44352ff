import type { BatchSizer } from '../../world/schedulers/batching.ts';

/**
 * The batching decision point: how large a batching node's batches may be, per node and
 * workload. The world's run-time interface ({@link BatchSizer}: the bound before the first
 * batch, and the bound after each batch from its size and compute time against the latency
 * objective); the rest of Triton's dynamic batcher — preferred sizes, the maximum queue delay, the
 * batch cost t(b) — is the scheduler's (`world/schedulers/batching.ts`). One file per policy,
 * a registry by name (`registry.ts`), selected by `nodes[i].scheduler.batching.policy`.
 */
export type BatchingPolicy = BatchSizer;
