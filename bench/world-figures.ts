/** Figures the scale benchmarks read from a finished world: edge utilization and batches formed. */
import type { World, WorldSpec } from '../src/world/world.ts';

/** Busy slot time ÷ slot time of the edge servers over the measurement window (after warm-up). */
export function edgeUtilization(spec: WorldSpec, w: World): number {
  let busy = 0;
  let slotTime = 0;
  spec.nodes.forEach((n, k) => {
    if (n.kind !== 'edge') return;
    busy += w.meters.totals(k).busyArea - w.meters.totalsAtWarmup(k).busyArea;
    slotTime += n.slots * (spec.duration - spec.warmup);
  });
  return busy / slotTime;
}

/** Batches formed by every batcher and the requests in them. */
export function batchTotals(w: World): { batches: number; requests: number } {
  let batches = 0;
  let requests = 0;
  for (const c of w.batchCounts()) c.bySize.forEach((n, b) => ((batches += n), (requests += n * b)));
  return { batches, requests };
}
