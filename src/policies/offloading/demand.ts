import type { Precision } from '../../world/model.ts';
import { slotSeconds } from '../../world/node.ts';
import type { PlacementView } from '../placement/placement.ts';

/** What the offloading program needs to know of a workload (one per scenario workload; its instances differ by device). */
export interface OffloadingDemand {
  /** The workload's name, for messages. */
  readonly name: string;
  /** Work of one request, FLOP, and its precision, as declared. */
  readonly flops: number;
  readonly precision: Precision;
  /** How a request runs on node k when a compression policy chose a variant per node (its FLOPs and precision); absent: as declared. */
  readonly executionAt?: (k: number) => { readonly flops: number; readonly precision: Precision };
  /** Result returned to the device, bytes. */
  readonly resultBytes: number;
  /** Latency objective, s (Infinity: none). */
  readonly deadline: number;
  /** Declared mean arrival rate of each instance, 1/s (used until the view has measured one). */
  readonly rate: number;
  /** Privacy level of the workload's data: only the device itself and nodes whose trust is at least this may compute it. */
  readonly privacy: number;
  /** Private bytes a request exposes when it leaves its device (the paper's D_i), B; undefined: its input. */
  readonly privateBytes?: number;
  /** The workload's tenant on partitioned nodes (its group index); undefined: none known. */
  readonly tenant?: number;
}

/**
 * The fixed figures of an (instance, candidate) pair, from the topology and the node specs
 * (a request that crosses no loaded link and waits for no slot). Parallel arrays, one entry per
 * candidate in the instance's candidate order.
 */
export interface PairFigures {
  /** The candidate node of each entry. */
  readonly nodes: Int32Array;
  /** Input to the node and result back over the least-latency route: Σ (delay + 8·bytes / bandwidth) each way, s. */
  readonly transfer: Float64Array;
  /** Compute time on one slot of the node, s. */
  readonly compute: Float64Array;
  /** Energy the issuing device spends per request: dynamic compute energy when local, radio (tx of the input, rx of the result on its first link) when not, J. */
  readonly deviceEnergy: Float64Array;
  /** Share of the whole node one request takes for a second: FLOP / node throughput at the precision, s. */
  readonly load: Float64Array;
  /** Private bytes sent off the device: 0 when local, the private bytes otherwise, B. */
  readonly exposure: Float64Array;
  /** Whether the candidate may hold the data: the device itself, or a node whose trust ≥ the privacy level. */
  readonly trusted: Uint8Array;
}

/**
 * The {@link PairFigures} of one instance over its candidates. Routes come from the topology's
 * least-latency search for the input size (as the world routes requests); the result returns
 * over the same links. `attachedTo` (mobility): the access point the device — a leaf, one link —
 * is attached to now, −1 for the links as declared; its route is then its link and the route from
 * that access point, as the world routes a moved device's requests (world/routes.ts). Cost: one
 * route per candidate.
 */
export function pairFigures(view: PlacementView, demand: OffloadingDemand, device: number, inputBytes: number, candidates: ArrayLike<number>, attachedTo = -1): PairFigures {
  const n = candidates.length;
  const f = {
    nodes: Int32Array.from(candidates),
    transfer: new Float64Array(n),
    compute: new Float64Array(n),
    deviceEnergy: new Float64Array(n),
    load: new Float64Array(n),
    exposure: new Float64Array(n),
    trusted: new Uint8Array(n),
  };
  const links = view.topology.links;
  const privateBytes = demand.privateBytes ?? inputBytes;
  const up = attachedTo < 0 ? -1 : view.topology.leafLink(device);
  if (attachedTo >= 0 && up < 0) throw new Error(`pairFigures: device ${device} is attached to ${attachedTo} but is not a leaf`);
  const route: number[] = [];
  for (let c = 0; c < n; c++) {
    const k = f.nodes[c];
    const node = view.nodes[k];
    const { flops, precision } = demand.executionAt?.(k) ?? demand;
    const throughput = node.throughput[precision];
    f.compute[c] = slotSeconds(node, flops, precision) ?? Infinity;
    f.load[c] = throughput === undefined ? Infinity : flops / throughput;
    if (k === device) {
      f.deviceEnergy[c] = ((node.power.busy - node.power.idle) / node.slots) * f.compute[c];
      f.trusted[c] = 1;
      continue;
    }
    f.trusted[c] = node.trust >= demand.privacy ? 1 : 0;
    f.exposure[c] = privateBytes;
    const reached = up < 0 ? view.topology.routeLinks(device, k, inputBytes, route) : view.topology.routeLinks(attachedTo, k, inputBytes, route);
    if (!reached) {
      f.transfer[c] = Infinity;
      continue;
    }
    if (up >= 0) route.unshift(up);
    let t = 0;
    for (const d of route) {
      const l = links[d >> 1];
      t += 2 * l.delay + (8 * (inputBytes + demand.resultBytes)) / l.bandwidth;
    }
    f.transfer[c] = t;
    const first = links[route[0] >> 1];
    f.deviceEnergy[c] = 8 * (inputBytes * first.txEnergyPerBit + demand.resultBytes * first.rxEnergyPerBit);
  }
  return f;
}
