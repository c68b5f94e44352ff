import type { LinkSpec } from './link.ts';
import type { NodeSpec } from './node.ts';

/**
 * An analytic link delay model: a link under it does not queue its transfers (they do not contend,
 * whatever their number); each transfer takes a delay computed from a formula when it starts, or is
 * dropped (`link-congested`) when the formula says so.
 *
 * The one model, `edgecloudsim-mm1`, is EdgeCloudSim's MM1Queue AS CODED (CagataySonmez/EdgeCloudSim,
 * src/edu/boun/edgecloudsim/network/MM1Queue.java at tag v4.0 = 0d253030b2161f377b9ae5ec259c8245d9769cbc):
 *
 *   delay = 1 / (μ − λ·n) + propagation,  μ = (bandwidth / 8) / meanSize,  λ = 1 / meanInterarrival
 *
 * (calculateMM1, lines 153–166: Bps = Kbps·1000/8, μ = Bps / (KB·1000), λ = 1/PoissonMean, result =
 * 1/(μ − λ·deviceCount) + propagationDelay), where n is the number of devices at the transfer's place
 * when it starts (getDeviceCount, lines 137–151: every mobile device whose location equals the access
 * point's, the sender included), and the transfer fails when the result exceeds 5 s (line 165 returns
 * −1) or is not positive (the callers in edge_client/DefaultMobileDeviceManager.java @ v4.0 schedule
 * a transfer only `if (delay > 0)`, lines 195, 214 for uploads and 78, 100 for downloads; MM1Queue
 * lines 77, 111 likewise for a cloud path's WLAN and WAN parts). As coded, an unstable queue
 * (μ ≤ λ·n) reads a negative or infinite first term: it fails when the result is ≤ 0 or > 5 s, which
 * without propagation is every unstable case; with propagation p, a queue so far past saturation that
 * λ·n − μ ≥ 1/p reads a delay in [0, p) and, when positive, passes — EdgeCloudSim's behaviour,
 * kept. An upload that fails is REJECTED_DUE_TO_BANDWIDTH, a download FAILED_DUE_TO_BANDWIDTH
 * (DefaultMobileDeviceManager lines 204, 221 and 94, 116); both count as failed tasks in SimLogger
 * (utils/SimLogger.java @ v4.0 lines 830–831): in edelear such a transfer is dropped as
 * `link-congested` (the link could not carry it), the reason both map to.
 *
 * Upload and download differ only in the mean size (MM1Queue lines 168–198: avgTaskInputSize up,
 * avgTaskOutputSize down): here meanSize[0] is for the direction from the link's first end `a` to
 * its second `b`, meanSize[1] for the way back. n is the number of devices linked now to the link's
 * access point (moves keep it current: {@link AnalyticDelays.moved}, O(1) per move); a transfer
 * costs O(1). Bytes are still counted on the link (each transfer's bytes at the bandwidth as busy
 * time), so its utilization is the load offered and may exceed 1: nothing queues.
 */
export interface AnalyticDelaySpec {
  readonly model: 'edgecloudsim-mm1';
  /** Mean transfer size μ is computed from, bytes: [a → b, b → a]. */
  readonly meanSize: readonly [number, number];
  /** Mean time between one device's transfers (1/λ), s. */
  readonly meanInterarrival: number;
  /** Longest delay allowed; a transfer whose delay exceeds it is dropped, s (EdgeCloudSim: 5 s). */
  readonly maxDelay: number;
  /** The node whose attached devices are n (the access point of the place the link serves). */
  readonly accessPoint: number;
}

/**
 * EdgeCloudSim's MM1Queue.calculateMM1 before its cut-off: 1 / (μ − λ·n) + propagation, with
 * μ = bandwidth / 8 / meanSize (transfers per second) and λ = 1 / meanInterarrival; s.
 */
export function mm1Delay(bandwidth: number, meanSize: number, meanInterarrival: number, propagation: number, n: number): number {
  return mm1(bandwidth / 8 / meanSize, 1 / meanInterarrival, propagation, n);
}

/** calculateMM1 from μ and λ themselves (what {@link AnalyticDelays} keeps per directed link). */
function mm1(mu: number, lambda: number, propagation: number, n: number): number {
  return 1 / (mu - lambda * n) + propagation;
}

/** Whether EdgeCloudSim lets a transfer of this computed delay through: 0 < delay ≤ maxDelay. */
export function mm1Passes(delay: number, maxDelay: number): boolean {
  return delay > 0 && delay <= maxDelay;
}

/**
 * The access point of each link under an analytic model (`of(j)` for link j): the end that a device
 * is linked to, or else the one node, linked to either end, that a device is linked to (a WAN link
 * from a place's edge server to the cloud serves the place whose access point is linked to that
 * edge server). `of` returns a sentence saying what was expected when there is none or more than
 * one. O(links) once, then O(degree of the ends) per link.
 */
export function linkAccessPoints(links: readonly LinkSpec[], nodes: readonly NodeSpec[]): (j: number) => number | string {
  const isDevice = (k: number) => nodes[k].kind === 'device';
  const neighbours: number[][] = nodes.map(() => []);
  for (const l of links) {
    neighbours[l.a].push(l.b);
    neighbours[l.b].push(l.a);
  }
  const accessPoint = (k: number) => !isDevice(k) && neighbours[k].some(isDevice);
  return (j) => {
    const { a, b } = links[j];
    const at = `${nodes[a].name} — ${nodes[b].name}`;
    const ends = [a, b].filter(accessPoint);
    if (ends.length === 1) return ends[0];
    if (ends.length === 2) return `expected one end of ${at} to be an access point (a node devices are linked to), to count the devices n of the formula; both are`;
    const near = [...new Set([...neighbours[a], ...neighbours[b]].filter(accessPoint))];
    if (near.length === 1) return near[0];
    return near.length === 0
      ? `expected an access point (a node devices are linked to) at ${at} or linked to one of its ends, to count the devices n of the formula; found none`
      : `expected one access point (a node devices are linked to) at ${at} or linked to its ends, to count the devices n of the formula; found several: ${near.map((k) => nodes[k].name).join(', ')}`;
  };
}

/** The links under an analytic delay model, and the devices attached to each node now. */
export class AnalyticDelays {
  /** Devices linked to each node now. */
  readonly attached: Int32Array;
  /** Per directed link (2i: a → b, 2i + 1: b → a): μ, λ, propagation, cut-off; NaN μ where the link is not analytic. */
  private readonly mu: Float64Array;
  private readonly lambda: Float64Array;
  private readonly propagation: Float64Array;
  private readonly maxDelay: Float64Array;
  private readonly accessPoint: Int32Array;

  constructor(specs: readonly LinkSpec[], nodes: readonly NodeSpec[]) {
    const dl = 2 * specs.length;
    this.attached = new Int32Array(nodes.length);
    this.mu = new Float64Array(dl).fill(NaN);
    this.lambda = new Float64Array(dl);
    this.propagation = new Float64Array(dl);
    this.maxDelay = new Float64Array(dl);
    this.accessPoint = new Int32Array(dl).fill(-1);
    specs.forEach((l, i) => {
      const da = nodes[l.a].kind === 'device';
      const db = nodes[l.b].kind === 'device';
      if (da && !db) this.attached[l.b]++;
      else if (db && !da) this.attached[l.a]++;
      const m = l.analytic;
      if (m === undefined) return;
      for (const d of [2 * i, 2 * i + 1]) {
        this.mu[d] = l.bandwidth / 8 / m.meanSize[d & 1];
        this.lambda[d] = 1 / m.meanInterarrival;
        this.propagation[d] = l.delay;
        this.maxDelay[d] = m.maxDelay;
        this.accessPoint[d] = m.accessPoint;
      }
    });
  }

  /** Whether any link is analytic. */
  static any(specs: readonly LinkSpec[]): boolean {
    return specs.some((l) => l.analytic !== undefined);
  }

  /** Delay of a transfer starting now on analytic directed link d (MM1Queue as coded), or NaN when it fails. */
  delay(d: number): number {
    const delay = mm1(this.mu[d], this.lambda[d], this.propagation[d], this.attached[this.accessPoint[d]]);
    return mm1Passes(delay, this.maxDelay[d]) ? delay : NaN;
  }

  /**
   * Device link i moved from node `from` to node `to` (mobility). When link i is itself analytic,
   * its access point, the end it left, becomes the end it joined.
   */
  moved(i: number, from: number, to: number): void {
    this.attached[from]--;
    this.attached[to]++;
    if (this.accessPoint[2 * i] === from) this.accessPoint[2 * i] = this.accessPoint[2 * i + 1] = to;
  }
}
