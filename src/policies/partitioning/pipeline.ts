/**
 * Model parallelization (§III.D: "split the model into sub-models on different devices, run them,
 * synchronize intermediate results") as a pipeline: devices in a chain, device 1 holding the
 * input, each running a contiguous run of layers and sending the tensors live after it to the
 * next over the link between them. A run may be empty — the device relays what it received (an
 * empty first stage sends the input itself: the all-remote split) — and the pipeline may stop
 * before the chain's end, the result staying on its last device. Requests stream through, so the pipeline's
 * throughput is set by its slowest resource — a device's stage or a link's transfer — and the
 * stages are chosen to make that bottleneck as small as possible.
 */
import type { DnnModel, Precision } from '../../world/model.ts';
import { slotSeconds, type NodeSpec } from '../../world/node.ts';
import type { Hop } from './cost.ts';

/** A device of the chain. */
export interface PipelineDevice {
  readonly node: NodeSpec;
  readonly precision: Precision;
  /**
   * Whether it takes part in model parallelization (the paper's Table 4 "parallelization
   * enabled"; default true). The first device with it false runs the whole model itself; a later
   * one ends the chain before it (the pipeline may use only the devices ahead of it).
   */
  readonly parallel?: boolean;
}

/** One stage: layers (from, to] of the model on device `device` (an index into the chain); from = to: a relay. */
export interface PipelineStage {
  readonly device: number;
  readonly from: number;
  readonly to: number;
  /** One request's compute on one slot, s. */
  readonly seconds: number;
  /** The device's time per request under a full pipeline: seconds / slots, s. */
  readonly occupancy: number;
}

/** The live tensors after a stage, sent over link `link` (between devices link and link + 1). */
export interface PipelineTransfer {
  readonly link: number;
  /** Split point: layers done before it. */
  readonly after: number;
  readonly bytes: number;
  /** delay + 8·bytes / bandwidth, s. */
  readonly seconds: number;
  /** The link's busy time per request, 8·bytes / bandwidth, s. */
  readonly occupancy: number;
}

/** A pipeline plan with its figures. */
export interface Pipeline {
  readonly stages: readonly PipelineStage[];
  readonly transfers: readonly PipelineTransfer[];
  /** One request alone: Σ stage seconds + Σ transfer seconds, s (the result stays on the last stage's device). */
  readonly latency: number;
  /** The largest occupancy of a stage or a transfer, s. */
  readonly bottleneck: number;
  /** Requests per second the pipeline sustains: 1 / bottleneck. */
  readonly throughput: number;
}

/** Relative slack under which two bottlenecks count as equal (float sums in different orders). */
const EQUAL = 1e-12;

/** Seconds of layers (a, b] on one slot of a device: 0 for no work, Infinity when it lacks the precision. */
function stageSeconds(model: DnnModel, d: PipelineDevice, a: number, b: number): number {
  const flops = model.cumulativeFlops[b] - model.cumulativeFlops[a];
  if (flops === 0) return 0;
  return slotSeconds(d.node, flops, d.precision) ?? Infinity;
}

/** How many devices of the chain may take a stage (see {@link PipelineDevice.parallel}). */
export function usableDevices(devices: readonly PipelineDevice[]): number {
  if (devices.length === 0) throw new Error('a pipeline needs at least one device');
  if (devices[0].parallel === false) return 1;
  const stop = devices.findIndex((d, i) => i > 0 && d.parallel === false);
  return stop < 0 ? devices.length : stop;
}

/** The figures of a given split of the model over the chain: cuts[j] = layers done after stage j (non-decreasing, last = L). */
export function pipelineOf(model: DnnModel, devices: readonly PipelineDevice[], links: readonly Hop[], cuts: readonly number[]): Pipeline {
  const stages: PipelineStage[] = [];
  const transfers: PipelineTransfer[] = [];
  let latency = 0;
  let bottleneck = 0;
  let a = 0;
  cuts.forEach((b, j) => {
    if (!(b >= a)) throw new Error(`cuts must not decrease (stage ${j} would run layers backwards), got ${cuts.join(', ')}`);
    const d = devices[j];
    const seconds = stageSeconds(model, d, a, b);
    const occupancy = seconds / d.node.slots;
    stages.push({ device: j, from: a, to: b, seconds, occupancy });
    latency += seconds;
    bottleneck = Math.max(bottleneck, occupancy);
    if (j + 1 < cuts.length) {
      const bytes = model.liveBytes[b];
      const busy = (8 * bytes) / links[j].bandwidth;
      transfers.push({ link: j, after: b, bytes, seconds: links[j].delay + busy, occupancy: busy });
      latency += links[j].delay + busy;
      bottleneck = Math.max(bottleneck, busy);
    }
    a = b;
  });
  if (a !== model.layers.length) throw new Error(`the last cut must be ${model.layers.length}, got ${a}`);
  return { stages, transfers, latency, bottleneck, throughput: 1 / bottleneck };
}

/**
 * The pipeline over a prefix of the chain minimizing the bottleneck, and among those the least
 * latency. `links[j]` joins devices j and j + 1. Exact, by two dynamic programs over (devices
 * used, layers done): B[j][b] = min over a of max(B[j−1][a], link occupancy at a, stage (a, b]
 * on device j) gives the least bottleneck B*; then S[j][b] = min over a of S[j−1][a] + transfer
 * at a + stage (a, b], over stages and links whose occupancy is within B*, gives the least
 * latency at that bottleneck (a lexicographic DP in one pass would not be exact: a prefix with a
 * larger bottleneck can end with the lower latency). Ties: fewer devices. Cost O(m · L²) for m
 * usable devices and L layers, each term O(1) from prefix sums. A chain whose first device does
 * not run in parallel gets one stage: the whole model there.
 */
export function balancePipeline(model: DnnModel, devices: readonly PipelineDevice[], links: readonly Hop[]): Pipeline {
  const L = model.layers.length;
  const m = usableDevices(devices);
  if (links.length < m - 1) throw new Error(`a chain of ${m} devices needs ${m - 1} links, got ${links.length}`);
  const occ = (j: number, a: number, b: number): number => stageSeconds(model, devices[j], a, b) / devices[j].node.slots;
  const linkOcc = (j: number, a: number): number => (8 * model.liveBytes[a]) / links[j].bandwidth;
  // B[j][b], j devices used (1-based), b layers done.
  const B: Float64Array[] = [];
  for (let j = 1; j <= m; j++) {
    const row = new Float64Array(L + 1).fill(Infinity);
    for (let b = 0; b <= L; b++) {
      if (j === 1) row[b] = occ(0, 0, b);
      else {
        for (let a = 0; a <= b; a++) {
          const v = Math.max(B[j - 2][a], linkOcc(j - 2, a), occ(j - 1, a, b));
          if (v < row[b]) row[b] = v;
        }
      }
    }
    B.push(row);
  }
  let best = Infinity;
  for (let j = 1; j <= m; j++) best = Math.min(best, B[j - 1][L]);
  const cap = best * (1 + EQUAL);
  // S[j][b]: least latency with every occupancy ≤ cap; from[j][b] the a it came from.
  const S: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let j = 1; j <= m; j++) {
    const row = new Float64Array(L + 1).fill(Infinity);
    const arg = new Int32Array(L + 1).fill(-1);
    for (let b = 0; b <= L; b++) {
      if (j === 1) {
        if (occ(0, 0, b) <= cap) row[b] = stageSeconds(model, devices[0], 0, b);
        continue;
      }
      for (let a = 0; a <= b; a++) {
        if (!(S[j - 2][a] < Infinity) || linkOcc(j - 2, a) > cap || occ(j - 1, a, b) > cap) continue;
        const v = S[j - 2][a] + links[j - 2].delay + linkOcc(j - 2, a) + stageSeconds(model, devices[j - 1], a, b);
        if (v < row[b]) {
          row[b] = v;
          arg[b] = a;
        }
      }
    }
    S.push(row);
    from.push(arg);
  }
  let used = 1;
  for (let j = 2; j <= m; j++) if (S[j - 1][L] < S[used - 1][L]) used = j;
  const cuts: number[] = [L];
  for (let j = used, b = L; j > 1; j--) {
    b = from[j - 1][b];
    cuts.unshift(b);
  }
  return pipelineOf(model, devices, links, cuts);
}
