import { balancePipeline, type Pipeline, pipelineOf, type PipelineDevice, usableDevices } from '../policies/partitioning/pipeline.ts';
import type { Hop } from '../policies/partitioning/cost.ts';
import type { LinkSpec } from '../world/link.ts';
import type { DnnModel, Precision } from '../world/model.ts';
import type { NodeSpec } from '../world/node.ts';
import { Topology } from '../world/topology.ts';
import { EDELEAR_PAPER } from './claims.ts';
import type { Row } from './summary.ts';

/**
 * pipelining.csv: model parallelization (the EDeLeaR paper's §III.D, "split the model into
 * sub-models on different devices") reported for a scenario — per workload, its model pipelined
 * over the scenario's issuing devices by {@link balancePipeline} (contiguous stages minimizing
 * the bottleneck, exact), beside the whole model on the chain's fastest device and on each device
 * alone. Computed from the nodes' compute and the scenario's links, not simulated: the world does
 * not pipeline a request over devices (its partitioning splits between a device and one server).
 *
 * The chain of a workload (what "the devices of the deployment" means here): its issuing device
 * first — it holds the input — then the scenario's other devices that issue requests of any
 * workload, in scenario (node) order. Between consecutive devices, the least-latency route for
 * the workload's input (as the world's plans route it) taken as one hop: bandwidth 1 / Σ
 * 1/bandwidth, delay Σ delay (policies/partitioning/cost.ts `routeNetwork`). Every device runs the
 * model at the precision the workload runs at on its device. A device with `parallel: false`
 * (the paper's Table 4 "disabled") takes no part in a pipeline: first in the chain it runs the
 * whole model, later it ends the chain before it (policies/partitioning/pipeline.ts
 * `usableDevices`); an unreachable next device ends it too.
 */

/** A workload as pipelining.csv needs it (its first instance's device). */
export interface PipeliningWorkload {
  readonly name: string;
  /** Node index of its (first) issuing device. */
  readonly device: number;
  readonly model: DnnModel;
  readonly precision: Precision;
  /** The variant it runs on its device ("fp32", "int8", …; the model as declared when no compression policy chose). */
  readonly variant: string;
  /** FLOPs of one request of that variant (differs from the model's when pruned). */
  readonly variantFlops: number;
  /** Payload of its input, bytes (what the route between devices is chosen for). */
  readonly inputBytes: number;
}

/** What pipelining.csv is computed from: the world's nodes and links, each node's `parallel` flag, and the workloads. */
export interface PipeliningInput {
  readonly scenario: string;
  readonly nodes: readonly NodeSpec[];
  /** Per node: whether it may take part in model parallelization (the scenario's `parallel`, default true). */
  readonly parallel: readonly boolean[];
  readonly links: readonly LinkSpec[];
  readonly workloads: readonly PipeliningWorkload[];
}

/** The columns of pipelining.csv. */
export const PIPELINING_COLUMNS = [
  'scenario',
  'workload',
  'model',
  'variant',
  'precision',
  'plan',
  'chain',
  'parallel',
  'stages',
  'devices_used',
  'latency_s',
  'bottleneck_s',
  'throughput_per_s',
  'single_device',
  'single_device_latency_s',
  'single_device_throughput_per_s',
  'throughput_speedup',
  'note',
  'source',
] as const;

export const PIPELINING_SOURCE =
  "computed from the cited device profiles and the scenario's links by balancePipeline (exact), not simulated: pipelining is not in the simulated world (its partitioning splits a request between its device and one server), so no run measures it. plan pipeline = the workload's model in contiguous stages over its chain (its device first, then the scenario's other issuing devices in node order; a device with parallel: false runs the whole model when first, ends the chain when later), stages chosen to minimize the bottleneck, then the latency; links between consecutive devices = the least-latency route for the input as one hop (bandwidth 1 / Σ 1/bandwidth, delay Σ delay); latency_s = one request alone: Σ stage compute on one slot + Σ (delay + 8·bytes / bandwidth) of the live tensors between stages, the result left on the last stage's device; bottleneck_s = the largest per-request occupancy of a device (stage compute / slots) or a link (8·bytes / bandwidth); throughput_per_s = 1 / bottleneck_s; plan device alone = the whole model on that device (compute only, the input assumed there); single_device = the chain's device with the highest whole-model throughput; throughput_speedup = throughput_per_s / single_device_throughput_per_s; " +
  EDELEAR_PAPER;

/** The route between two nodes as one hop (Σ 1/bandwidth, Σ delay); undefined when unreachable. */
export function routeHop(topology: Topology, links: readonly LinkSpec[], from: number, to: number, bytes: number): Hop | undefined {
  const route = topology.route(from, to, bytes);
  if (!route) return undefined;
  let secondsPerBit = 0;
  let delay = 0;
  for (const d of route.links) {
    const l = links[d >> 1];
    secondsPerBit += 1 / l.bandwidth;
    delay += l.delay;
  }
  return { bandwidth: 1 / secondsPerBit, delay };
}

/** "dev-1: layers 1–20; dev-2: 21–52" ("layer 3" for one layer; a stage without layers relays what it received). */
function stagesText(p: Pipeline, names: readonly string[], L: number): string {
  return p.stages
    .map((s, j) => {
      const name = names[s.device];
      if (s.from === s.to) return `${name}: relay`;
      const range = s.to === s.from + 1 ? `${s.to}` : `${s.from + 1}–${s.to}`;
      if (s.from === 0 && s.to === L) return `${name}: ${L === 1 ? 'layer' : 'layers'} ${range} (whole model)`;
      return j === 0 ? `${name}: ${s.to === s.from + 1 ? 'layer' : 'layers'} ${range}` : `${name}: ${range}`;
    })
    .join('; ');
}

/**
 * pipelining.csv rows: per workload, the pipeline over its chain (plan "pipeline"), then the
 * whole model on each device of the chain (plan "device alone"), each beside the single-device
 * baseline (the chain's device with the highest whole-model throughput, then the least latency).
 */
export function pipeliningRows(input: PipeliningInput): Row[] {
  const topology = new Topology(input.nodes.length, input.links);
  // The issuing devices, in node order, each once.
  const issuing = [...new Set(input.workloads.map((w) => w.device))].sort((a, b) => a - b);
  const rows: Row[] = [];
  for (const w of input.workloads) {
    const chain = [w.device, ...issuing.filter((k) => k !== w.device)];
    const names = chain.map((k) => input.nodes[k].name);
    const devices: PipelineDevice[] = chain.map((k) => ({ node: input.nodes[k], precision: w.precision, parallel: input.parallel[k] }));
    // Links between consecutive devices; the chain given to the pipeline stops at the first unreachable device.
    const hops: Hop[] = [];
    const notes: string[] = [];
    let reach = chain.length;
    for (let j = 0; j + 1 < chain.length; j++) {
      const hop = routeHop(topology, input.links, chain[j], chain[j + 1], w.inputBytes);
      if (!hop) {
        notes.push(`${names[j + 1]} is unreachable from ${names[j]}: the chain ends before it`);
        reach = j + 1;
        break;
      }
      hops.push(hop);
    }
    const usable = usableDevices(devices.slice(0, reach));
    if (input.parallel[chain[0]] === false) notes.unshift(`${names[0]} has parallel: false: it runs the whole model (no pipeline)`);
    else if (usable < reach) notes.unshift(`${names[usable]} has parallel: false: the chain ends before it (the pipeline may use ${names.slice(0, usable).join(', ')})`);
    if (w.variantFlops !== w.model.flops) notes.push(`the variant runs ${w.variantFlops} FLOP per request; stages use the model's dense per-layer FLOPs (${w.model.flops})`);
    const L = w.model.layers.length;
    const pipeline = balancePipeline(w.model, devices.slice(0, reach), hops);
    const alone = devices.map((d) => pipelineOf(w.model, [d], [], [L]));
    let best = 0;
    alone.forEach((p, j) => {
      const b = alone[best];
      if (p.throughput > b.throughput || (p.throughput === b.throughput && p.latency < b.latency)) best = j;
    });
    const single = alone[best];
    const parallelText = chain.map((k) => `${input.nodes[k].name}: ${input.parallel[k] === false ? 'no' : 'yes'}`).join('; ');
    const row = (plan: string, chainText: string, parallel: string, p: Pipeline, stageNames: readonly string[], note: string): Row => ({
      scenario: input.scenario,
      workload: w.name,
      model: w.model.name,
      variant: w.variant,
      precision: w.precision,
      plan,
      chain: chainText,
      parallel,
      stages: stagesText(p, stageNames, L),
      devices_used: p.stages.length,
      latency_s: p.latency,
      bottleneck_s: p.bottleneck,
      throughput_per_s: p.throughput,
      single_device: names[best],
      single_device_latency_s: single.latency,
      single_device_throughput_per_s: single.throughput,
      throughput_speedup: p.throughput / single.throughput,
      note,
      source: PIPELINING_SOURCE,
    });
    rows.push(row('pipeline', names.join(', '), parallelText, pipeline, names, notes.join('; ')));
    alone.forEach((p, j) => {
      const flag = input.parallel[chain[j]] === false;
      rows.push(row('device alone', names[j], flag ? 'no' : 'yes', p, [names[j]], flag ? `${names[j]} has parallel: false: it runs the whole model` : ''));
    });
  }
  return rows;
}
