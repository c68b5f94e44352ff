import { z } from 'zod';
import { objectiveWeights, splitProfile, type SplitObjective } from '../policies/partitioning/cost.ts';
import { PARTITIONING_POLICIES, type PartitioningPolicyName } from '../policies/partitioning/registry.ts';
import type { NodeSpec } from '../world/node.ts';
import type { PartitioningSpec, SplitChoice } from '../world/partitioning.ts';
import { executionAt, type WorkloadSpec } from '../world/workload.ts';

const NAMES = Object.keys(PARTITIONING_POLICIES) as PartitioningPolicyName[];

/** What a split minimizes: latency, device energy, or a weighted sum (weights per s and per J). */
const objectiveSchema = z
  .union(
    [
      z.enum(['latency', 'energy']),
      z
        .strictObject({
          latency: z.number().min(0).max(Number.MAX_VALUE).default(0).meta({ description: 'weight of a second of latency (≥ 0)' }),
          energy: z.number().min(0).max(Number.MAX_VALUE).default(0).meta({ description: "weight of a joule of the device's energy (≥ 0)" }),
        })
        // Said only of weights that are otherwise valid: a negative one is already refused (helper-86: "both are 0" followed it).
        .refine((w) => !(w.latency >= 0 && w.energy >= 0) || w.latency + w.energy > 0, { error: 'expected a latency or energy weight above 0 (both are 0: nothing to minimize)' }),
    ],
    { error: 'expected latency, energy or { latency: a, energy: b } (weights ≥ 0, not both 0)' },
  )
  .meta({ description: "what the split minimizes: latency (default), the device's energy (compute and radio), or { latency: a, energy: b }: a·seconds + b·joules" });

/** `policies.partitioning`: a policy name, or `{ edelear: { objective } }`. */
export const partitioningSetting = z
  .union(
    [
      z.enum(NAMES),
      z.strictObject({
        edelear: z.strictObject({ objective: objectiveSchema.default('latency') }).meta({ description: "EDeLeaR's split choice with its objective" }),
      }),
    ],
    { error: `expected one of ${NAMES.join(', ')} or { edelear: { objective: latency | energy | { latency: a, energy: b } } }` },
  )
  .transform((p): ScenarioPartitioning => (typeof p === 'string' ? { policy: p, objective: 'latency' } : { policy: 'edelear', objective: p.edelear.objective }))
  .meta({
    description:
      "model partitioning of requests executed off their device: edelear (each (device, node) pair splits the model after the layer minimizing the objective — latency by default — from the route's bandwidth and measured backlog and the node's queue, re-decided every policies.interval, else once from the unloaded figures), all-local (the whole model on the device), all-remote (no split: the input is sent, as without this setting); a node with parallel: false never splits (all on it or all sent)",
  });

/** `policies.partitioning` as validated. */
export interface ScenarioPartitioning {
  readonly policy: PartitioningPolicyName;
  readonly objective: SplitObjective;
}

/**
 * The world's partitioning from the scenario's setting: a {@link SplitChoice} for every
 * (instance, candidate) pair whose candidate is not the device itself, shared by pairs alike (the
 * same workload, device entry, server and execution). The split runs the execution chosen for the
 * server (compression's variant there, or the model as declared) at both ends: its FLOPs spread over
 * the layers as the declared model's, in its precision (a device lacking it does not split), the
 * live tensors at its element size; the device holds its weights. A device with `parallel: false`
 * (the paper's Table 4 "Disabled") may only run all or nothing (k ∈ {0, L}).
 */
export function partitioningOf(
  setting: ScenarioPartitioning | undefined,
  interval: number | undefined,
  nodes: readonly NodeSpec[],
  entryOf: readonly number[],
  parallel: (entry: number) => boolean,
  workloads: readonly WorkloadSpec[],
  placement: { readonly candidates: ArrayLike<number>; readonly start: ArrayLike<number> },
  /** Devices move (a `nearest` candidate may change during the run): the spec can make the choice of a pair on another server. */
  moving: boolean,
  /** Where a device cannot run the model it would split: all-local fails (it cannot do what it says), edelear warns (those pairs are never split). */
  problems: { fail(path: readonly PropertyKey[], message: string): never; warn(path: readonly PropertyKey[], message: string, idle?: true): void },
): PartitioningSpec | undefined {
  if (setting === undefined) return undefined;
  objectiveWeights(setting.objective); // the schema checked them; this is the policy's own rule
  const make = PARTITIONING_POLICIES[setting.policy];
  const shared = new Map<string, SplitChoice>();
  const choices: (SplitChoice | undefined)[] = new Array(placement.candidates.length).fill(undefined);
  /** The choice of instance i's pair p on server j (its execution there: the pair's, as now). */
  const choiceAt = (i: number, p: number, j: number): SplitChoice => {
    const wl = workloads[i];
    const d = wl.device;
    const device = nodes[d];
    const run = executionAt(wl, p - placement.start[i]);
    const key = `${wl.group}/${entryOf[d]}/${j}/${run.weights}/${run.flops}`;
    let choice = shared.get(key);
    if (choice === undefined) {
      const model = wl.model;
      const L = model.layers.length;
      const server = nodes[j];
      const profile = splitProfile(model, { node: device, precision: run.precision }, { node: server, precision: run.precision }, {
        execution: run,
        inputBytes: wl.inputBytes,
        resultBytes: wl.resultBytes,
        parallel: parallel(entryOf[d]),
      });
      const { deviceSeconds, serverSeconds, liveBytes } = profile;
      // The device cannot run the whole model (k = L): its memory cannot hold the weights, or it lacks the precision; then it runs no layer at all.
      const runs = deviceSeconds[L] < Infinity;
      if (!runs && setting.policy !== 'all-remote') cannotRun(wl, device, run, setting.policy);
      const policy = make(profile, setting.objective);
      choice = {
        layers: L,
        deviceSeconds,
        serverSeconds,
        liveBytes,
        devicePower: profile.deviceWatts,
        deviceSlots: device.slots,
        deviceMemory: wl.inputBytes + run.activationBytes,
        serverActivationBytes: run.activationBytes,
        // all-remote never runs a layer on the device, nor does a device that cannot run the model: it holds nothing.
        deviceWeightBytes: setting.policy === 'all-remote' || !runs ? 0 : run.weightBytes,
        deviceWeights: run.weights,
        layerNames: ['', ...model.layers.map((l) => l.name)],
        serverServiceSeconds: serverSeconds[0],
        serverSlots: server.slots,
        choose: (inputs) => policy.choose(inputs),
      };
      shared.set(key, choice);
    }
    return choice;
  };
  const warned = new Set<string>();
  /** all-local fails; edelear warns once per workload and device entry. */
  function cannotRun(wl: WorkloadSpec, device: NodeSpec, run: { readonly weightBytes: number; readonly activationBytes: number; readonly precision: string }, policy: string): void {
    const held = run.weightBytes + wl.inputBytes + run.activationBytes;
    const why =
      held > device.memory
        ? `its memory (${device.memory} B) cannot hold ${wl.model.name}'s weights with a request's input and activations (${run.weightBytes} + ${wl.inputBytes} + ${run.activationBytes} = ${held} B)`
        : `it does not compute in ${run.precision} (it has ${Object.keys(device.throughput).join(', ') || 'no precision'})`;
    const path = ['policies', 'partitioning'];
    if (policy === 'all-local') problems.fail(path, `expected every device to run its workloads' models under all-local, but ${device.name} cannot: ${why}; give it what it lacks, or choose edelear (which then sends its requests whole) or all-remote`);
    const key = `${wl.group}/${entryOf[wl.device]}`;
    if (warned.has(key)) return;
    warned.add(key);
    const alike = entryOf.filter((e) => e === entryOf[wl.device]).length;
    problems.warn(path, `${wl.name}'s requests from ${device.name}${alike > 1 ? ` (and the ${alike - 1} other nodes of its entry)` : ''} are never split: ${why}, so every one is sent whole`);
  }
  workloads.forEach((wl, i) => {
    for (let p = placement.start[i]; p < placement.start[i + 1]; p++) {
      const j = placement.candidates[p];
      if (j !== wl.device) choices[p] = choiceAt(i, p, j);
    }
  });
  if (workloads.length > 0 && !choices.some((c) => c !== undefined) && !moving) {
    problems.warn(['policies', 'partitioning'], `nothing to split: no workload may send a request off its device (every candidate is the issuing device itself, as under placement local), so partitioning "${setting.policy}" changes nothing and partitioning.csv is not written`, true);
  }
  return { policy: setting.policy, replans: setting.policy === 'edelear' && interval !== undefined, choices, choiceAt: moving ? choiceAt : undefined };
}
