import { EventKind } from '../events.ts';
import { BatchingScheduler } from './batching.ts';
import { FcfsScheduler } from './fcfs.ts';
import { PartitionedScheduler } from './partitioned.ts';
import { ProcessorSharingScheduler } from './processor-sharing.ts';
import type { NodeScheduler, SchedulerHost } from './scheduler.ts';

/**
 * The node schedulers of a world: one of each kind in use, each serving its nodes, with their
 * completion events registered on the simulator.
 */
export class NodeSchedulers {
  /** The scheduler of each node. */
  readonly of: NodeScheduler[] = [];
  /** The partitioned scheduler, when a node uses one (its shares can change during the run). */
  readonly partitioned: PartitionedScheduler | undefined;

  /** The batching scheduler, when a node uses one (its batch counts are reported). */
  readonly batching: BatchingScheduler | undefined;

  /** The first-come-first-served scheduler, when a node uses one (its completions are the world's commonest event but two). */
  readonly fcfs: FcfsScheduler | undefined;

  /** `warmup`: batches formed before it are left out of the batch counts. */
  constructor(host: SchedulerHost, tenants: number, warmup = 0) {
    const nodes = host.meters.nodes;
    if (nodes.some((n) => n.scheduler === 'partitioned')) {
      const shares = new Float64Array(nodes.length * tenants);
      nodes.forEach((n, k) => {
        if (n.shares && n.shares.length !== tenants) throw new Error(`node ${n.name}: expected ${tenants} tenant shares, got ${n.shares.length}`);
        shares.set(n.shares ?? Array.from({ length: tenants }, () => 1 / tenants), k * tenants);
      });
      this.partitioned = new PartitionedScheduler(host, tenants, shares);
      host.sim.on(EventKind.TenantDone, (q, t) => this.partitioned!.onEvent(q, t));
    }
    if (nodes.some((n) => n.scheduler === 'batching')) {
      const batching = (this.batching = new BatchingScheduler(host, tenants, warmup));
      host.sim.on(EventKind.BatchDone, (id, t) => batching.onEvent(id, t));
      host.sim.on(EventKind.BatchTimer, (q, t) => batching.onTimer(q, t));
    }
    let fcfs: FcfsScheduler | undefined;
    let sharing: ProcessorSharingScheduler | undefined;
    for (const node of nodes) {
      if (node.scheduler === 'processor-sharing') this.of.push((sharing ??= new ProcessorSharingScheduler(host)));
      else if (node.scheduler === 'partitioned') this.of.push(this.partitioned!);
      else if (node.scheduler === 'batching') this.of.push(this.batching!);
      else this.of.push((fcfs ??= new FcfsScheduler(host)));
    }
    this.fcfs = fcfs;
    if (fcfs) host.sim.on(EventKind.FcfsDone, (job, t) => fcfs.onEvent(job, t));
    if (sharing) host.sim.on(EventKind.SharingDone, (k, t) => sharing.onEvent(k, t));
  }
}
