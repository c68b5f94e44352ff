import { z } from 'zod';
import { MNIST_DEFAULT_TEST_SIZE, MNIST_PACKAGE_SAMPLES } from '../learning/mnist.ts';
import { EDELEAR_ALLOCATION, EDELEAR_ALLOCATION_RULES, type EdelearAllocationOptions } from '../policies/allocation/edelear.ts';
import { ALLOCATION_POLICIES, type AllocationName } from '../policies/allocation/registry.ts';
import { ADAPTIVE_BATCHING } from '../policies/batching/adaptive.ts';
import { BATCHING_POLICIES } from '../policies/batching/registry.ts';
import { CACHING_POLICIES } from '../policies/caching/registry.ts';
import { COMPRESSION_POLICIES } from '../policies/compression/registry.ts';
import { checkVariant, type CompressionVariant, FP32, INT8 } from '../policies/compression/variant.ts';
import { LP_DEFAULTS } from '../policies/offloading/lp.ts';
import { OBJECTIVE_TERMS, ObjectiveError, parseObjective } from '../policies/offloading/objective.ts';
import { DEFAULT_MAX_IN_FLIGHT } from '../world/limits.ts';
import { NODE_KINDS } from '../world/node.ts';
import { PRECISIONS } from '../world/model.ts';
import { partitioningSetting } from './partitioning.ts';
import type { Plausible } from './plausibility.ts';
import { QUANTITIES, type Quantity, describeQuantity, expectedQuantity, toSI, typeName } from './units.ts';

/**
 * The scenario file's schema: the single source of the scenario's TypeScript types
 * (`Scenario` is its output, in SI numbers) and of the JSON Schema editors use.
 */

type Bound = 'positive' | 'nonnegative';

/**
 * Quantities whose bare numbers are checked for plausibility (scenario/plausibility.ts): the
 * value schema of each, with the kind of its bounds. Kept out of the global registry, so the JSON
 * Schema does not show it.
 */
export const plausibleQuantities = z.registry<{ kind: Plausible }>();

/**
 * A physical quantity written as a number in SI units or a unit string, converted at load;
 * `plausible` names the bounds a bare number of it is checked against.
 */
function quantity(q: Quantity, bound: Bound = 'positive', plausible?: Plausible) {
  const { unit, example } = QUANTITIES[q];
  const value = z.union([z.number(), z.string()], {
    error: (issue) => `expected ${expectedQuantity(q)}, got ${issue.input === undefined ? 'nothing (the key is required)' : typeName(issue.input)}`,
  });
  if (plausible) value.register(plausibleQuantities, { kind: plausible });
  return value
    .transform((value, ctx) => {
      let si: number;
      try {
        si = toSI(value, q);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
      if (bound === 'positive' ? !(si > 0) : !(si >= 0)) {
        ctx.addIssue({ code: 'custom', message: `expected a ${bound === 'positive' ? 'positive' : 'non-negative'} ${describeQuantity(q)}, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return si;
    })
    .meta({ description: `${q}: a number in ${unit} or a string with a unit, e.g. "${example}"` });
}

const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'expected a name of letters, digits, "_", "." or "-", starting with a letter');

/** A node name or a glob over node names ("cam-*"). */
const nodePattern = z.string().min(1).meta({ description: 'a node name, or a pattern with * (e.g. "cam-*")' });

const fraction = z.number().min(0).max(1);

const computeSpec = z
  .strictObject({
    fp32: quantity('throughput', 'positive', 'compute').optional(),
    fp16: quantity('throughput', 'positive', 'compute').optional(),
    int8: quantity('throughput', 'positive', 'compute').optional(),
  })
  .meta({ description: 'effective throughput per precision for DNN inference (whole node)' });

/**
 * A node's dynamic batcher (`scheduler: { batching: … }`): Triton's max_batch_size,
 * preferred_batch_size and max_queue_delay_microseconds (NVIDIA Triton Inference Server user
 * guide, "Batchers: Dynamic Batcher"), the policy sizing batches, and the adaptive policy's AIMD
 * parameters (Crankshaw et al., Clipper, NSDI 2017, §4.3.1).
 */
const batchingSchema = z
  .strictObject({
    policy: z.enum(BATCHING_POLICIES).default('fixed').meta({ description: 'none (batches of one: first come, first served), fixed (up to max), adaptive (AIMD on the bound against the latency objective)' }),
    max: z.number().int().min(1).max(65_536).optional().meta({ description: 'maximum batch size (Triton max_batch_size); required for fixed and adaptive' }),
    preferred: z
      .array(z.number().int().min(1))
      .default([])
      .meta({ description: 'preferred batch sizes, ascending, each ≤ max (Triton preferred_batch_size): a batch of one of them is sent at once, the largest that can be formed' }),
    delay: quantity('time', 'nonnegative', 'batchDelay')
      .default(0)
      .meta({ description: 'maximum queue delay (Triton max_queue_delay_microseconds): a batch smaller than max and than every preferred size is sent once its oldest request has waited this long; 0 = never wait' }),
    fixedShare: z
      .number()
      .min(0)
      .lt(1)
      .optional()
      .meta({ description: "t0 / t(1) of the batch cost t(b) = t0 + b·t1: the share of one request's compute a batch pays once; defaults to the node profile's cited batching figures, else 0 (no batching gain: t(b) = b·t(1))" }),
    objective: quantity('time')
      .optional()
      .meta({ description: "adaptive: the latency objective a batch's compute time is held to; defaults to each workload's deadline" }),
    start: z.number().int().min(1).optional().meta({ description: `adaptive: the bound before the first batch (default ${ADAPTIVE_BATCHING.start})` }),
    increase: z.number().int().min(1).optional().meta({ description: `adaptive: added to the bound after a full batch within the objective (default ${ADAPTIVE_BATCHING.increase})` }),
    decrease: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .meta({ description: `adaptive: the bound is multiplied by this after a batch over the objective (default ${ADAPTIVE_BATCHING.decrease}, Clipper's 10 % backoff)` }),
  })
  .superRefine((b, ctx) => {
    if (b.policy === 'none') {
      // Batches of one: nothing else applies, and a key written here would be silently ignored.
      for (const key of ['max', 'preferred', 'delay', 'fixedShare'] as const) {
        const set = key === 'preferred' ? b.preferred.length > 0 : key === 'delay' ? b.delay !== 0 : b[key] !== undefined;
        if (set) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" does not apply to policy none (batches of one, first come first served); remove it, or write the scheduler as { batching: { policy: none } }` });
      }
    }
    if (b.policy !== 'none' && b.max === undefined) ctx.addIssue({ code: 'custom', path: ['max'], message: `expected a maximum batch size (an integer ≥ 1) with policy ${b.policy}, got nothing (the key is required)` });
    const max = b.max ?? 1;
    b.preferred.forEach((p, j) => {
      if (b.policy !== 'none' && p > max) ctx.addIssue({ code: 'custom', path: ['preferred', j], message: `expected a preferred batch size ≤ max (${max}), got ${p}` });
      if (j > 0 && p <= b.preferred[j - 1]) ctx.addIssue({ code: 'custom', path: ['preferred', j], message: `expected preferred batch sizes in ascending order without repeats, got ${p} after ${b.preferred[j - 1]}` });
    });
    if (b.policy === 'adaptive' && b.start !== undefined && b.max !== undefined && b.start > b.max) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: `expected a start bound ≤ max (${b.max}), got ${b.start}` });
    }
    if (b.policy !== 'adaptive') {
      for (const key of ['objective', 'start', 'increase', 'decrease'] as const) {
        if (b[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" applies to policy adaptive only, not ${b.policy}` });
      }
    }
  })
  .meta({ description: "a dynamic batcher with Triton's semantics, per node and workload" });

/** The most distinct inputs a workload may declare (`inputs.catalog`), and so the most entries a cache counted in entries may hold. */
const MAX_CATALOG = 10_000_000;

/** A result cache's capacity: a whole number of entries, or bytes with a unit. */
const cacheCapacity = z
  .union([z.number(), z.string()], {
    error: (issue) => `expected a capacity: a whole number of entries (e.g. 500) or a size with its unit (e.g. "20 MB"), got ${issue.input === undefined ? 'nothing (the key is required)' : typeName(issue.input)}`,
  })
  .transform((v, ctx): { unit: 'entries' | 'bytes'; value: number } => {
    if (typeof v === 'number') {
      // At most the largest catalog of inputs (workloads' `inputs.catalog`): more entries could never fill.
      if (Number.isInteger(v) && v >= 1 && v <= MAX_CATALOG) return { unit: 'entries', value: v };
      ctx.addIssue({ code: 'custom', message: `expected a whole number of entries from 1 to ${MAX_CATALOG.toLocaleString('en-US')} (the largest catalog of inputs), or a size with its unit (e.g. "20 MB"), got ${v}` });
      return z.NEVER;
    }
    // A number in quotes is neither: not entries (a number) nor a size (no unit).
    if (/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number of entries without quotes (e.g. 500) or a size with its unit (e.g. "20 MB"), got the string ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    let bytes: number;
    try {
      bytes = toSI(v, 'bytes');
    } catch (e) {
      // The bytes parser's own words say a bare number is in B, which is not so here (a bare number is entries): only what it found is kept (helper-86).
      const found = /, got (.*)$/.exec((e as Error).message)?.[1] ?? JSON.stringify(v);
      ctx.addIssue({ code: 'custom', message: `expected a capacity: a whole number of entries without a unit (e.g. 500) or a size in bytes with its unit (e.g. "20 MB"), got ${found}` });
      return z.NEVER;
    }
    if (!(bytes >= 1)) {
      ctx.addIssue({ code: 'custom', message: `expected a capacity of at least 1 byte, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return { unit: 'bytes', value: bytes };
  })
  .meta({ description: 'a whole number of entries (each result takes one), or a size with its unit, e.g. "20 MB" (each result takes its workload\'s result bytes)' });

/** A node's result cache (issue 10, point 2; README "Result caching"). */
const cacheSchema = z
  .strictObject({
    capacity: cacheCapacity,
    policy: z
      .enum(CACHING_POLICIES)
      .default('edelear')
      .meta({ description: 'what the cache keeps: lru, lfu (in-cache counts), edelear (LRU with TinyLFU admission by observed popularity); default edelear' }),
    lookup: quantity('time', 'nonnegative', 'lookup')
      .default(0)
      .meta({ description: 'time of a lookup, hit or miss (e.g. "0.2 ms"); default 0' }),
    energy: quantity('energy', 'nonnegative')
      .default(0)
      .meta({ description: 'energy of a lookup, charged to the request (e.g. "0.5 mJ"); default 0 (no cited figure: the scenario states it)' }),
  })
  .meta({ description: 'a result cache: requests whose workload declares `inputs` look their input up here on their way (their device, the nodes their route passes, the executing node); a hit returns the result from here with no compute' });

const nodeSchema = z
  .strictObject({
    name,
    kind: z.enum(NODE_KINDS).optional().meta({ description: "the node's tier; defaults to its profile's kind" }),
    profile: z.string().optional().meta({ description: 'a device profile from data/devices (e.g. raspberry-pi-4)' }),
    count: z.number().int().min(1).max(1_000_000).default(1).meta({ description: 'replicas, named NAME-1 … NAME-N when > 1 (at most 10^6)' }),
    compute: computeSpec.optional(),
    slots: z.number().int().min(1).max(100_000).optional().meta({ description: 'requests computed at once; each gets compute / slots' }),
    queueLimit: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta({ description: 'most requests that may wait for a slot (admission control; 0 = no queue); unbounded when omitted' }),
    admission: z
      .strictObject({
        policy: z.literal('declared-utilization').meta({ description: "declared-utilization: EdgeCloudSim's rule — a request is refused (dropped as vm-capacity) unless one of the node's VMs can hold its workload's declared vmUtilization for this node's kind: declared ≤ capacity − Σ declared of the requests that VM holds; VMs tried NEXT_FIT" }),
        capacity: z.number().positive().default(100).meta({ description: 'utilization each VM may hold, percent (default 100, as EdgeCloudSim)' }),
        vms: z.number().int().min(1).max(1024).default(1).meta({ description: "VMs the node's admission books into, each holding up to capacity (default 1); booking only: the node's scheduler still shares all its slots" }),
      })
      .optional()
      .meta({ description: 'admission control beyond queueLimit (none when omitted)' }),
    memory: quantity('bytes', 'positive', 'memory').optional(),
    power: z
      .strictObject({ idle: quantity('power', 'nonnegative', 'power').optional(), busy: quantity('power', 'nonnegative', 'power').optional() })
      .optional(),
    battery: quantity('energy', 'positive', 'battery').optional().meta({ description: 'battery capacity (e.g. "10 Wh"); the node stops for good when it is empty' }),
    trust: fraction.default(1).meta({ description: 'privacy trust level in [0, 1]' }),
    scheduler: z
      .union([
        z.enum(['fcfs', 'processor-sharing']),
        z.strictObject({ batching: batchingSchema }),
        z.strictObject({
          // Required (no default): a mapping meant for the batching alternative then fails here too, so the
          // union reports the batching alternative's own mistake (zod picks the one alternative that did not abort).
          partitioned: z
            .record(z.string(), fraction)
            .meta({ description: 'share of the compute per tenant: a workload name, or "processes" for learning jobs; tenants not named share what is left equally' }),
        }),
      ])
      .default('fcfs')
      .meta({
        description:
          'how compute is shared among jobs: fcfs (first come, first served on the slots), processor-sharing (all jobs share the slots equally), partitioned shares per tenant, each served FCFS at its share (like VMs), or batching (a dynamic batcher per workload: a batch of b takes one slot for t(b) = t0 + b·t1)',
      }),
    failures: z
      .strictObject({ mtbf: quantity('time', 'positive', 'mtbf'), mttr: quantity('time') })
      .optional()
      .meta({ description: 'exponential failures: mean time between failures and to repair' }),
    sparseKernels: z
      .boolean()
      .optional()
      .meta({
        description:
          "the node's inference kernels skip pruned weights: a pruned variant's FLOPs fall with its sparsity and its weights stay in their stored format (CSR or bitmask) in memory; defaults to its profile's cited flag, else false (dense kernels: pruned weights are decoded and computed as zeros)",
      }),
    parallel: z
      .boolean()
      .optional()
      .meta({ description: "whether the node may run part of a model split by policies.partitioning (the paper's Table 4 \"parallelization\"); false: it runs a request's model whole or sends it whole (k = 0 or L); default true" }),
    // `cache: null` (or ~) is no cache, as leaving it out: `--set nodes[i].cache=null` takes a cache away (compare's no-cache arms).
    cache: cacheSchema
      .nullish()
      .transform((c) => c ?? undefined)
      .meta({ description: 'a result cache (see its fields); null: no cache, as when omitted' }),
  })
  .meta({ description: 'a node: IoT device, gateway, edge server or cloud' });

const linkSchema = z.strictObject({
  between: z.tuple([nodePattern, nodePattern]).meta({ description: 'the two ends; names or patterns' }),
  pairing: z
    .enum(['cross', 'round-robin'])
    .default('cross')
    .meta({ description: 'cross: every node of the first end to every node of the second; round-robin: the i-th node of the first end to the (i mod n)-th of the second' }),
  bandwidth: quantity('bandwidth', 'positive', 'bandwidth'),
  delay: quantity('time', 'nonnegative', 'delay').default(0).meta({ description: 'propagation delay' }),
  maxWait: quantity('time', 'nonnegative', 'wait')
    .optional()
    .meta({ description: 'a transfer that would wait longer than this for the link is dropped (a finite buffer); unbounded when omitted' }),
  energy: z
    .strictObject({
      tx: quantity('energyPerBit', 'nonnegative', 'radio').default(0),
      rx: quantity('energyPerBit', 'nonnegative', 'radio').default(0),
    })
    .optional()
    .meta({ description: 'radio energy per bit, charged to the sender (tx) and the receiver (rx); 0 when omitted' }),
  analytic: z
    .strictObject({
      model: z.literal('edgecloudsim-mm1').meta({ description: "EdgeCloudSim's MM1Queue as coded (v4.0): delay = 1/(μ − λ·n) + the link's delay, μ = bandwidth/8/meanSize, λ = 1/meanInterarrival, n = devices at the link's access point now" }),
      meanSize: z
        .strictObject({
          up: quantity('bytes').meta({ description: 'from the first end of `between` to the second (EdgeCloudSim: avgTaskInputSize)' }),
          down: quantity('bytes').meta({ description: 'from the second end to the first (EdgeCloudSim: avgTaskOutputSize)' }),
        })
        .meta({ description: 'the mean transfer size μ is computed from, per direction' }),
      meanInterarrival: quantity('time').meta({ description: "mean time between one device's transfers (1/λ)" }),
      maxDelay: quantity('time')
        .default(5)
        .meta({ description: 'a transfer whose computed delay exceeds this (or is not positive) is dropped as link-congested; EdgeCloudSim: 5 s' }),
    })
    .optional()
    .meta({
      description:
        "an analytic delay model instead of a FIFO queue: transfers do not queue or contend; each takes the model's delay computed when it starts, or is dropped (link-congested). The access point whose devices are n: the end devices are linked to, else the one such node linked to an end",
    }),
});

/** A source of numbers: a column of a CSV file. */
const csvColumn = z.strictObject({
  file: z.string().min(1).meta({ description: 'CSV file, relative to the scenario file' }),
  column: z.string().optional().meta({ description: 'column name; the first column when omitted' }),
});

const distribution = z.union([
  z.strictObject({ exponential: z.strictObject({ mean: quantity('time') }) }),
  z.strictObject({ deterministic: quantity('time') }),
  z.strictObject({ uniform: z.strictObject({ min: quantity('time', 'nonnegative'), max: quantity('time') }) }),
  z
    .strictObject({ normal: z.strictObject({ mean: quantity('time'), sd: quantity('time', 'nonnegative') }) })
    .meta({ description: 'normal truncated at zero, fitted so its mean and sd are exactly the ones given; needs sd < mean (use gamma or lognormal for cv ≥ 1)' }),
  z.strictObject({ lognormal: z.strictObject({ mean: quantity('time'), cv: z.number().positive() }) }),
  z.strictObject({ gamma: z.strictObject({ mean: quantity('time'), cv: z.number().positive() }) }),
  z.strictObject({ erlang: z.strictObject({ k: z.number().int().min(1), mean: quantity('time') }) }),
  z.strictObject({ pareto: z.strictObject({ scale: quantity('time'), shape: z.number().positive() }) }),
  z.strictObject({ empirical: csvColumn }),
]);

const arrivals = z
  .union([
    z.strictObject({ poisson: quantity('rate') }).meta({ description: 'Poisson arrivals at a rate, e.g. "5/s"' }),
    z.strictObject({ periodic: quantity('time'), offset: quantity('time', 'nonnegative').default(0) }),
    z.strictObject({
      mmpp: z.strictObject({
        rates: z.tuple([quantity('rate', 'nonnegative'), quantity('rate', 'nonnegative')]),
        sojourn: z.tuple([quantity('time'), quantity('time')]),
      }),
    }).meta({ description: 'two-state Markov-modulated Poisson process (bursts): a rate and a mean sojourn time per state' }),
    z.strictObject({ trace: csvColumn }).meta({ description: 'arrival timestamps (s) from a CSV column' }),
    z.strictObject({ interarrival: distribution }).meta({ description: 'renewal process: i.i.d. inter-arrival times' }),
  ])
  .meta({ description: 'the arrival process of each device of the workload' });

const nodePatterns = z.union([nodePattern, z.array(nodePattern).min(1)]);
const inFlight = z
  .enum(['lost', 'delivered'])
  .default('lost')
  .meta({
    description:
      "what happens to a request whose device changes place before its result arrives: lost (as `moved`, EdgeCloudSim's mobility failure; the result is not sent home) or delivered (the result comes home through the device's new access point)",
  });
const movingDevices = nodePatterns
  .optional()
  .meta({ description: "the devices that move (names or patterns); default: every device whose one link goes to one of the section's access points. Each must have exactly one link, to one of them: its radio, re-attached at each move" });

const nomadicMobility = z
  .strictObject({
    model: z.literal('nomadic'),
    devices: movingDevices,
    inFlight,
    start: z
      .enum(['linked', 'uniform'])
      .default('linked')
      .meta({ description: "each device's first place: linked (the access point its link goes to) or uniform (drawn uniformly over the places, as EdgeCloudSim does)" }),
    next: z
      .enum(['uniform-other', 'uniform', 'by-attractiveness'])
      .default('uniform-other')
      .meta({
        description:
          "the next place when a dwell ends: uniform-other (uniform over the other places: EdgeCloudSim's NomadicMobility as coded), uniform (over every place; drawing the same place is staying, no move), by-attractiveness (over the other places in proportion to their type's attractiveness)",
      }),
    placeTypes: z
      .array(
        z.strictObject({
          name,
          dwell: distribution.meta({ description: 'the law of the time a device stays at a place of this type, e.g. { exponential: { mean: 500 s } }' }),
          attractiveness: z.number().positive().default(1).meta({ description: 'weight of the places of this type under next: by-attractiveness' }),
        }),
      )
      .min(1),
    places: z
      .array(
        z.strictObject({
          accessPoint: nodePatterns.meta({ description: "the place's access point (a node name, pattern or list: one place per node)" }),
          type: z.string().meta({ description: 'a name from placeTypes' }),
        }),
      )
      .min(1),
  })
  .meta({ description: "nomadic mobility (EdgeCloudSim's NomadicMobility): a device stays at a place for a dwell time drawn from its type's law, then moves to another place" });

const randomWaypointMobility = z
  .strictObject({
    model: z.literal('random-waypoint'),
    devices: movingDevices,
    inFlight,
    area: z.strictObject({
      width: quantity('length'),
      height: quantity('length', 'nonnegative').meta({ description: 'length: a number in m or a string with a unit, e.g. "1.5 km" (0: a line)' }),
    }),
    speed: z
      .strictObject({ min: quantity('speed'), max: quantity('speed') })
      .meta({ description: 'the speed of each leg, drawn uniformly in [min, max] (a bare number is in m/s; "5 km/h" reads as such)' }),
    pause: distribution.default({ deterministic: 0 }).meta({ description: 'the pause at each waypoint (default none)' }),
    update: quantity('time').default(1).meta({ description: "how often each device's attachment is checked (default 1 s)" }),
    range: quantity('length').meta({ description: "the access points' radio range: a number in m or a string with a unit, e.g. \"300 m\"" }),
    accessPoints: z
      .array(z.strictObject({ node: z.string().meta({ description: 'the access point (a node name)' }), at: z.tuple([z.number(), z.number()]).meta({ description: 'its position [x, y], m' }) }))
      .min(1),
  })
  .meta({
    description:
      "random waypoint over a 2-D area: straight legs to waypoints drawn uniformly, at a speed drawn uniformly, with a pause at each; at every update a device attaches to the nearest access point in range (out of range: it stays with the last one)",
  });

const mobilitySchema = z.discriminatedUnion('model', [nomadicMobility, randomWaypointMobility]);

/** The keys naming the nodes a run-time placement chooses among. */
const candidateFields = {
  tier: z
    .union([z.enum(NODE_KINDS), z.array(z.enum(NODE_KINDS)).min(1)])
    .optional()
    .meta({ description: 'every node of these tiers; `device` is the issuing device itself' }),
  nodes: z
    .union([nodePattern, z.array(nodePattern).min(1)])
    .optional()
    .meta({ description: 'node names or patterns with * (e.g. "edge-*")' }),
};
const hasCandidates = [(c: { tier?: unknown; nodes?: unknown }) => c.tier !== undefined || c.nodes !== undefined, { message: 'expected `tier`, `nodes` or both: the candidate nodes' }] as const;

/** The nodes a run-time placement chooses among. */
const candidateSet = z
  .strictObject(candidateFields)
  .refine(...hasCandidates)
  .meta({ description: 'the candidate nodes: tiers, names or patterns (only those reachable from the device count)' });

/** The lp placement: its candidate nodes and the offloading program's settings. */
const lpPlacement = z
  .strictObject({
    ...candidateFields,
    objective: z
      .string()
      .default(LP_DEFAULTS.objective)
      .superRefine((text, ctx) => {
        try {
          parseObjective(text);
        } catch (e) {
          if (!(e instanceof ObjectiveError)) throw e;
          ctx.addIssue({ code: 'custom', message: e.message });
        }
      })
      .meta({
        description: `what to minimize, a mean per request: ${OBJECTIVE_TERMS.join(', ')} (estimated latency in s, device energy in J, private bytes sent off the device in B), or a linear expression over them with weights ≥ 0, e.g. "latency + 0.2 * energy" (default ${LP_DEFAULTS.objective})`,
      }),
    utilization: z.number().gt(0).max(1).default(LP_DEFAULTS.utilization).meta({ description: `most utilization the plan gives any node, in (0, 1] (default ${LP_DEFAULTS.utilization})` }),
    energyBudget: quantity('energy').optional().meta({ description: 'energy budget: the mean energy per request the devices may spend (compute when local, radio when offloaded), e.g. "0.5 J"; none when omitted' }),
    privacyBudget: quantity('bytes')
      .optional()
      .meta({ description: "privacy budget (the paper's P in Σ x·D ≤ P): the mean private bytes per request that may leave the devices, e.g. \"50 KiB\"; none when omitted" }),
    privacy: fraction.default(LP_DEFAULTS.privacy).meta({ description: "privacy level of this workload's data in [0, 1]: only its own device and nodes whose trust is at least this may compute it (default 0)" }),
    privateData: quantity('bytes').optional().meta({ description: "private bytes a request exposes when it leaves its device (the paper's D_i); the input size when omitted" }),
    integer: z.boolean().default(LP_DEFAULTS.integer).meta({ description: 'binary placement: each device\'s requests all go to one node (a MIP) instead of fractions (default false)' }),
    solver: z
      .enum(['auto', 'javascript-lp-solver', 'highs'])
      .default(LP_DEFAULTS.solver)
      .meta({ description: 'auto: javascript-lp-solver for small programs, HiGHS for large ones (default auto)' }),
  })
  .refine(...hasCandidates)
  .meta({
    description:
      'the candidate nodes (tier, nodes) and the offloading linear program: workloads whose settings (objective, utilization, budgets, integer, solver) are equal are solved together, when the run starts and at every tick of policies.interval',
  });

const placement = z
  .union([
    z.literal('local').meta({ description: 'every request runs on its own device' }),
    z.strictObject({ fixed: z.string().meta({ description: 'a node name' }) }),
    z.strictObject({ nearest: z.enum(NODE_KINDS) }).meta({ description: 'the node of a tier with the least unloaded route latency' }),
    z.strictObject({ random: candidateSet }).meta({ description: 'a candidate drawn uniformly at random per request' }),
    z.strictObject({ 'round-robin': candidateSet }).meta({ description: "each device's requests go to the candidates in turn" }),
    z
      .strictObject({ 'least-loaded': candidateSet })
      .meta({ description: 'the candidate with the fewest jobs per slot: decided at every tick of policies.interval when set, else at every request' }),
    z.strictObject({ 'join-shortest-queue': candidateSet }).meta({ description: 'the candidate with the fewest jobs at each request (ties at random)' }),
    z
      .strictObject({ lp: lpPlacement })
      .meta({ description: "EDeLeaR's task offloading: the fractions of each device's requests per candidate that minimize the objective under capacity, energy, privacy and deadlines, a linear program" }),
  ])
  .meta({ description: 'where requests execute: local, a fixed node, the nearest node of a tier, or a run-time policy over candidate nodes' });

const computeTime = z
  .union([
    z.enum(['deterministic', 'exponential']).meta({ description: 'deterministic: every request takes FLOPs / throughput; exponential: a mean-1 exponential multiplier (cv 1)' }),
    z.strictObject({ gamma: z.strictObject({ cv: z.number().positive() }) }).meta({ description: 'gamma multiplier of mean 1 and coefficient of variation cv > 0' }),
    z.strictObject({ lognormal: z.strictObject({ cv: z.number().positive() }) }).meta({ description: 'lognormal multiplier of mean 1 and coefficient of variation cv > 0' }),
    z
      .strictObject({ uniform: z.strictObject({ cv: z.number().positive() }) })
      .meta({ description: 'uniform multiplier on [1 − √3·cv, 1 + √3·cv] (mean 1, coefficient of variation cv); needs 0 < cv ≤ 1/√3 ≈ 0.577 so it stays ≥ 0' }),
    z
      .strictObject({ normal: z.strictObject({ cv: z.number().positive() }) })
      .meta({ description: 'normal multiplier truncated at zero, fitted so its mean is exactly 1 and its sd exactly cv; needs cv < 1 (use gamma or lognormal for cv ≥ 1)' }),
    z
      .strictObject({ erlang: z.strictObject({ k: z.number().int().min(1) }) })
      .meta({ description: 'Erlang-k multiplier: the sum of k exponential phases of mean 1/k (mean 1, cv 1/√k)' }),
    z
      .strictObject({ pareto: z.strictObject({ shape: z.number().positive() }) })
      .meta({ description: 'Pareto multiplier with shape α > 1 and scale (α − 1)/α, so its mean is 1 (heavy-tailed); for α ≤ 2 its variance is infinite' }),
    z
      .strictObject({ empirical: csvColumn })
      .meta({ description: "the values of a CSV column divided by their mean: the column gives the shape of the compute times' distribution, its mean is replaced by FLOPs / throughput" }),
  ])
  .meta({
    description:
      'variability of compute time around FLOPs / throughput: each request takes FLOPs / throughput × a multiplier of mean 1 drawn from this law (the mean is unchanged)',
  });

/**
 * The compression variants a compression policy chooses among when a scenario names none: the
 * dense model, int8 (weights and activations, 256 levels), unstructured magnitude pruning to 50,
 * 75 and 90 % stored in CSR, 40 % of every layer's channels pruned, and each pruning with int8.
 * They are the combinations data/accuracy covers: int8 is published for every zoo model but
 * AlexNet and EfficientNet-B0, sparsity for AlexNet, MobileNet V2, ResNet-18 and ResNet-50
 * (75 % interpolated for AlexNet and ResNet-50; 90 % lies beyond every published point, so its
 * estimates are extrapolated, and EDeLeaR trusts them only with `extrapolate: true`), channel
 * pruning of 40 % for ResNet-18 and ResNet-50; a pruned int8 variant's top-1 is published
 * (ResNet-50 at 50 %), interpolated (MobileNet V2 at 50 %) or the sum of its parts' changes
 * (a warning says so). Weight sharing is left out: no source in data/accuracy publishes a
 * shared model's top-1, so its accuracy would be unknown and EDeLeaR would never choose it; a
 * scenario may list it (`{ name: s16, sharing: { clusters: 16 } }`).
 */
export const DEFAULT_COMPRESSION_CANDIDATES: readonly CompressionVariant[] = [
  FP32,
  INT8,
  { name: 'p50', pruning: { sparsity: 0.5, format: 'csr' } },
  { name: 'p75', pruning: { sparsity: 0.75, format: 'csr' } },
  { name: 'p90', pruning: { sparsity: 0.9, format: 'csr' } },
  { name: 'c40', channels: 0.4 },
  { name: 'p50-int8', pruning: { sparsity: 0.5, format: 'csr' }, quantization: { levels: 256 } },
  { name: 'p75-int8', pruning: { sparsity: 0.75, format: 'csr' }, quantization: { levels: 256 } },
  { name: 'p90-int8', pruning: { sparsity: 0.9, format: 'csr' }, quantization: { levels: 256 } },
  { name: 'c40-int8', channels: 0.4, quantization: { levels: 256 } },
];

const defaultCandidateNames = DEFAULT_COMPRESSION_CANDIDATES.map((v) => v.name).join(', ');

/** Each part of a variant checked by the compression module's own `checkVariant`, so a problem names its key. */
function checkVariantParts(v: CompressionVariant, ctx: z.RefinementCtx): void {
  const parts: [Partial<CompressionVariant>, PropertyKey[]][] = [
    [{ channels: v.channels }, ['channels']],
    [{ pruning: v.pruning }, ['pruning', 'sparsity']],
    [{ sharing: v.sharing }, ['sharing', 'clusters']],
    [{ quantization: v.quantization }, ['quantization', 'levels']],
  ];
  for (const [part, path] of parts) {
    try {
      checkVariant({ name: v.name, ...part });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // checkVariant says "sparsity must be in [0, 1), got 1.2".
      const what = e.message.replace(/^compression variant "[^"]*": /, '').replace(/^(.*?) must be /, 'the $1 to be ');
      ctx.addIssue({ code: 'custom', path, message: `expected ${what}` });
    }
  }
}

const compressionVariant = z
  .strictObject({
    name: name.meta({ description: "the variant's name (compression.csv, warnings); unique among the candidates" }),
    channels: z
      .number()
      .optional()
      .meta({ description: "structured pruning: the fraction of every layer's channels (filters) removed, in [0, 1); FLOPs and activations fall on every node" }),
    pruning: z
      .strictObject({
        sparsity: z.number().meta({ description: "unstructured magnitude pruning: the fraction of each layer's weights set to zero, in [0, 1)" }),
        format: z
          .enum(['csr', 'bitmask'])
          .default('csr')
          .meta({ description: 'how the weights left are stored: csr (a column index per weight, row pointers) or bitmask (a bit per position); default csr' }),
      })
      .optional()
      .meta({ description: 'unstructured pruning; FLOPs fall only on nodes with sparse kernels (sparseKernels)' }),
    sharing: z
      .strictObject({
        clusters: z.number().meta({ description: 'k ≥ 2 shared values per layer, stored as a codebook and ⌈log2 k⌉-bit indices' }),
        method: z.enum(['kmeans', 'grid']).optional().meta({ description: "how shared values are found: kmeans (Han et al. 2016) or the paper's uniform grid; the stored size is the same" }),
      })
      .optional()
      .meta({ description: 'weight sharing (computed in fp32 after decoding)' }),
    quantization: z
      .strictObject({
        levels: z.number().meta({ description: 'N uniform levels, an integer in [2, 65536] (256 = 8 bits)' }),
        activations: z
          .boolean()
          .optional()
          .meta({ description: 'quantize activations too (default true): 8-bit weights and activations compute at int8 speed where the node has an int8 throughput; false: weights only, computed in fp32' }),
      })
      .optional()
      .meta({ description: 'uniform quantization with step (max − min)/N' }),
  })
  .superRefine(checkVariantParts)
  .meta({ description: 'a compression variant: its operations, applied channels → pruning → sharing → quantization' });

const compressionCandidate = z
  .union([z.string().meta({ description: `the name of a default candidate: ${defaultCandidateNames}` }), compressionVariant])
  .transform((c, ctx): CompressionVariant => {
    if (typeof c !== 'string') return c;
    const found = DEFAULT_COMPRESSION_CANDIDATES.find((v) => v.name === c);
    if (found) return found;
    ctx.addIssue({ code: 'custom', message: `expected the name of a default candidate (${defaultCandidateNames}) or a variant mapping ({ name, channels, pruning, sharing, quantization }), got "${c}"` });
    return z.NEVER;
  });

const compressionPolicyName = z
  .enum(COMPRESSION_POLICIES)
  .meta({
    description:
      "edelear: per node, the candidate that fits its memory and meets the workload's deadline with the best supported top-1; none: the model as declared (fp32 unless the workload's precision says otherwise); int8: 8-bit weights and activations everywhere; max: the candidate with the smallest stored size",
  });

/** The compression settings: a policy and the variants it chooses among. */
const compressionSettings = z
  .union([
    compressionPolicyName.transform((policy) => ({ policy, candidates: DEFAULT_COMPRESSION_CANDIDATES as CompressionVariant[], extrapolate: false })),
    z.strictObject({
      policy: compressionPolicyName,
      candidates: z
        .array(compressionCandidate)
        .min(1)
        .superRefine((vs, ctx) => {
          const seen = new Map<string, number>();
          vs.forEach((v, j) => {
            const first = seen.get(v.name);
            if (first !== undefined) ctx.addIssue({ code: 'custom', path: [j], message: `the name "${v.name}" is also candidates[${first}]'s; expected a unique variant name` });
            else seen.set(v.name, j);
          });
        })
        .default(DEFAULT_COMPRESSION_CANDIDATES as CompressionVariant[])
        .meta({ description: `the variants edelear and max choose among: default-candidate names or variant mappings (default: ${defaultCandidateNames})` }),
      extrapolate: z
        .boolean()
        .default(false)
        .meta({ description: 'edelear also trusts top-1 estimates extrapolated beyond the published points (default false: only published, interpolated or combined ones); a warning names each extrapolated figure used' }),
    }),
  ])
  .meta({
    description:
      "which compressed variant of its model each node runs, decided when the world is built per workload and node: a policy name (edelear, none, int8, max; the default candidates) or { policy, candidates, extrapolate }; default none (the model as declared)",
  });

const workloadSchema = z.strictObject({
  name: name.optional().meta({ description: 'defaults to the model name' }),
  on: nodePattern.meta({ description: 'the devices issuing requests: a name or a pattern' }),
  model: z.string().meta({ description: 'a zoo model (data/models) or one of the scenario models' }),
  precision: z
    .enum(PRECISIONS)
    .default('fp32')
    .meta({ description: 'precision the model computes in when no compression policy chooses a variant (a compression policy other than none needs fp32, the variants set the precision)' }),
  arrivals,
  input: quantity('bytes').optional().meta({ description: "input payload; defaults to the model's input size" }),
  result: quantity('bytes').optional().meta({ description: "result payload; defaults to the model's output size" }),
  deadline: quantity('time', 'positive', 'deadline').optional(),
  // `inputs: null` (or ~) is no input keys, as leaving it out: `--set workloads[i].inputs=null` takes them away.
  inputs: z
    .strictObject({ zipf: z.number().min(0), catalog: z.number().int().min(1).max(MAX_CATALOG) })
    .nullish()
    .transform((v) => v ?? undefined)
    .meta({ description: 'popularity of input keys: Zipf exponent over a catalog of distinct inputs; null: none, as when omitted (no request is looked up in a cache)' }),
  computeTime: computeTime.default('deterministic'),
  vmUtilization: z
    .partialRecord(z.enum(NODE_KINDS), z.number().min(0))
    .optional()
    .meta({ description: "utilization a request declares on a VM of each node kind, percent (e.g. { edge: 20, cloud: 2 }: EdgeCloudSim's vm_utilization_on_edge/_on_cloud); read by nodes with admission declared-utilization; a kind left out declares 0" }),
  placement: placement.optional().meta({ description: "overrides policies.placement for this workload" }),
  compression: compressionSettings.optional().meta({ description: "overrides policies.compression for this workload" }),
});

const layerSchema = z.strictObject({
  name: z.string(),
  type: z.string().default('custom'),
  flops: quantity('flops', 'nonnegative'),
  params: z.number().int().min(0).default(0),
  output: quantity('bytes').meta({ description: 'output activation size at fp32' }),
});

const modelSchema = z.strictObject({
  name,
  input: quantity('bytes').meta({ description: 'input size at fp32' }),
  layers: z.array(layerSchema).min(1),
});

const partitionSchema = z
  .union([
    z.literal('iid'),
    z.strictObject({ dirichlet: z.number().positive().meta({ description: 'α: small is skewed (0.1), large is near IID (100)' }) }),
    z.strictObject({ shards: z.number().int().min(1).meta({ description: 'k classes (shards) per client, as in McMahan et al. 2017' }) }),
  ])
  .meta({ description: 'how the training digits are split across the clients' });

const compressionSchema = z
  .union([
    z.literal('none'),
    z.strictObject({
      quantize: z.strictObject({
        bits: z.number().int().min(1).max(16),
        rounding: z.enum(['deterministic', 'stochastic']).default('stochastic'),
        scaling: z.enum(['tensor', 'vector']).default('tensor'),
      }),
    }),
    z.strictObject({ topk: z.number().gt(0).max(1).meta({ description: 'fraction of the update entries kept' }) }),
  ])
  .meta({ description: 'compression of the uploaded update; links carry the compressed bytes' });

const learningSchema = z
  .strictObject({
    model: z.literal('mlp-784-128-10').default('mlp-784-128-10').meta({ description: 'the model trained (the zoo MLP, on real MNIST digits)' }),
    server: z.string().meta({ description: 'the node that aggregates (a node name)' }),
    clients: nodePattern.meta({ description: 'the nodes that hold data and train: a name or a pattern' }),
    testSize: z
      .number()
      .int()
      .min(100)
      .max(MNIST_PACKAGE_SAMPLES / 2)
      .default(MNIST_DEFAULT_TEST_SIZE)
      .meta({ description: `digits held out for testing (of the ${MNIST_PACKAGE_SAMPLES} in the mnist package)` }),
    partition: partitionSchema.default('iid'),
    algorithm: z
      .union([z.literal('fedavg'), z.strictObject({ fedprox: z.strictObject({ mu: z.number().positive() }) })])
      .default('fedavg')
      .meta({ description: 'FedAvg (McMahan et al. 2017) or FedProx with proximal term μ (Li et al. 2020)' }),
    rounds: z.number().int().min(1),
    fraction: z.number().gt(0).max(1).default(1).meta({ description: 'C: fraction of available clients selected per round' }),
    epochs: z.number().int().min(1).default(1).meta({ description: 'E: local epochs per round' }),
    batchSize: z.number().int().min(1).default(32).meta({ description: 'B: local mini-batch size' }),
    learningRate: z.number().positive().default(0.1),
    momentum: z.number().min(0).lt(1).default(0),
    roundDeadline: quantity('time').optional().meta({ description: 'clients that have not reported by then are dropped (stragglers); no deadline when omitted' }),
    compression: compressionSchema.default('none'),
    precision: z
      .enum(PRECISIONS)
      .default('fp32')
      .meta({ description: "the precision the clients' and server's compute is timed in (their throughput at it); the MLP itself trains and is sent in fp32, so accuracy and bytes do not change with it" }),
    minTrust: fraction.default(0).meta({ description: 'clients on nodes with a lower trust level are never selected' }),
    start: quantity('time', 'nonnegative').default(0).meta({ description: 'simulated time of the first round' }),
    retryAfter: quantity('time')
      .default(10)
      .meta({ description: 'when a round cannot start (server down, no client available), try again this much later (default 10 s)' }),
    compare: z
      .array(partitionSchema)
      .default([])
      .meta({ description: "also run on these splits, each with the local-only and centralized baselines (fl_baselines.csv and claims.csv have a row per split; the scenario's own split is always run)" }),
    compareCompression: z
      .array(compressionSchema)
      .default([])
      .meta({ description: "also run the scenario's split with each of these update compressions and write fl_compression.csv" }),
    replications: z
      .number()
      .int()
      .min(1)
      .default(5)
      .meta({
        description:
          'seeds each split, baseline and compression runs on: seed, seed + 1, …, seed + replications − 1; claims and the compression study give the mean, its 95% Student-t confidence interval and n over them (1: no interval, every claim inconclusive)',
      }),
  })
  .meta({ description: 'collaborative (federated) learning on the scenario\'s devices' });

const allocationNames = ALLOCATION_POLICIES.map((n) => JSON.stringify(n)).join(', ');

/** One of EDeLeaR's allocation parameters: a number checked by the policy's own rule (edelear.ts), its default the policy's. */
function allocationParameter(key: keyof EdelearAllocationOptions, description: string) {
  const rule = EDELEAR_ALLOCATION_RULES[key];
  return z
    .number()
    .refine(rule.ok, { error: `expected ${rule.expected}` })
    .default(EDELEAR_ALLOCATION[key])
    .meta({ description: `${description} (default ${EDELEAR_ALLOCATION[key]}; src/policies/allocation/edelear.ts says where it comes from)` });
}

/** `policies.allocation`: a policy name, or EDeLeaR's with its parameters. */
const allocationSetting = z
  .union(
    [
      z.enum(ALLOCATION_POLICIES),
      z.strictObject({
        edelear: z
          .strictObject({
            step: allocationParameter('step', 'η in (0, 1]: each iteration moves every allocation this fraction of its gap to the target (the paper\'s "in proportion to demand − allocation")'),
            iterations: allocationParameter('iterations', 'K, an integer ≥ 1: the most iterations per partitioned node and monitoring tick'),
            tolerance: allocationParameter('tolerance', 'in [0, 1), of the node: converged once ‖target − allocation‖ ≤ it'),
            smoothing: allocationParameter('smoothing', 'in (0, 1]: weight of the newest interval in the exponentially weighted average of each tenant\'s measured demand'),
            floor: allocationParameter('floor', 'in [0, 1/n) for n tenants: the share of the node every tenant that may use it keeps, taken from the others in proportion to what they hold above it (no starvation of a tenant measured idle)'),
          })
          .meta({ description: "EDeLeaR's allocation parameters; each omitted one takes its default" }),
      }),
    ],
    { error: `expected one of ${allocationNames} or { edelear: { step, iterations, tolerance, smoothing, floor } }` },
  )
  .meta({
    description:
      "how partitioned nodes share their compute among tenants: edelear (the paper's iterative allocation from measured demand, every policies.interval, which it needs; max-min fair where demand exceeds the node; every tenant keeps a floor share) or { edelear: { step, iterations, tolerance, smoothing, floor } } with its parameters, equal (1/n to each tenant that may use the node), static (the declared shares; the default), none (no partitions: first come, first served on the slots)",
  });

/** `policies` as validated: `allocation` is the policy's name (so `allocation === 'edelear'` tells EDeLeaR's), its parameters beside it. */
type AllocationOutput = {
  /** The allocation policy's name (absent: static). */
  allocation?: AllocationName;
  /** EDeLeaR's allocation parameters, every one given or defaulted: present exactly when `allocation` is edelear, short form or long. */
  allocationParameters?: EdelearAllocationOptions;
};

/** Splits `policies.allocation` into the policy's name and, for edelear, its parameters (defaults where the short form gives none). */
function withAllocationParameters<P extends { allocation?: z.output<typeof allocationSetting> }>({ allocation, ...rest }: P): Omit<P, 'allocation'> & AllocationOutput {
  if (allocation === undefined) return rest;
  if (typeof allocation === 'string') return allocation === 'edelear' ? { ...rest, allocation, allocationParameters: { ...EDELEAR_ALLOCATION } } : { ...rest, allocation };
  return { ...rest, allocation: 'edelear', allocationParameters: allocation.edelear };
}

/** The scenario file. */
export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name,
    description: z.string().optional(),
    duration: quantity('time').meta({ description: 'simulated time, e.g. "10 min"' }),
    warmup: quantity('time', 'nonnegative').default(0).meta({ description: 'statistics ignore requests born before this time' }),
    seed: z.number().int().min(0).default(1),
    nodes: z.array(nodeSchema).min(1),
    links: z.array(linkSchema).default([]),
    models: z.array(modelSchema).default([]).meta({ description: 'models defined in the scenario, beside the zoo' }),
    workloads: z.array(workloadSchema).default([]),
    policies: z
      .strictObject({
        placement: placement.default('local'),
        interval: quantity('time')
          .optional()
          .meta({ description: 'monitoring interval: re-planning policies get the measured world view and re-plan this often (e.g. "5 s"); never when omitted' }),
        allocation: allocationSetting.optional(),
        compression: compressionSettings.optional(),
        // `partitioning: null` is none, as leaving it out (`--set policies.partitioning=null` takes it away).
        partitioning: partitioningSetting.nullish().transform((p) => p ?? undefined).optional(),
      })
      .transform(withAllocationParameters)
      .default({ placement: 'local' }),
    learning: learningSchema.optional(),
    mobility: mobilitySchema.optional().meta({ description: 'devices that move between access points (none when omitted)' }),
    limits: z
      .strictObject({
        requestsInFlight: z
          .number()
          .int()
          .min(1)
          .max(2 ** 25)
          .default(DEFAULT_MAX_IN_FLIGHT)
          .meta({
            description:
              'the run stops, with the results so far written and marked incomplete, when more requests than this are alive at once (queues growing without bound); at most 2^25',
          }),
      })
      .default({ requestsInFlight: DEFAULT_MAX_IN_FLIGHT })
      .meta({ description: 'safety limits of a run' }),
  })
  .meta({ title: 'edelear scenario', description: 'A deployment of DNN inference on devices, edge and cloud.' });

/** A validated scenario, in SI units. */
export type Scenario = z.output<typeof scenarioSchema>;
/** What a scenario file may contain before validation. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** One node entry of a scenario. */
export type ScenarioNode = Scenario['nodes'][number];
/** One workload entry of a scenario. */
export type ScenarioWorkload = Scenario['workloads'][number];
/** An arrivals entry. */
export type ScenarioArrivals = ScenarioWorkload['arrivals'];
/** A distribution entry. */
export type ScenarioDistribution = z.output<typeof distribution>;
/** The mobility section. */
export type ScenarioMobility = z.output<typeof mobilitySchema>;

/** A computeTime entry (the variability of compute times around their mean). */
export type ScenarioComputeTime = z.output<typeof computeTime>;
/** The learning section. */
export type ScenarioLearning = NonNullable<Scenario['learning']>;
/** A compression entry. */
export type ScenarioCompression = z.output<typeof compressionSchema>;
/** A partition entry. */
export type ScenarioPartition = z.output<typeof partitionSchema>;
/** A node's result cache entry. */
export type ScenarioCache = z.output<typeof cacheSchema>;
/** A placement entry. */
export type ScenarioPlacement = z.output<typeof placement>;
/** A model-compression setting (policies.compression or a workload's own), in its long form. */
export type ScenarioModelCompression = z.output<typeof compressionSettings>;
/** A node's dynamic batcher (`scheduler: { batching: … }`), validated. */
export type ScenarioBatching = z.output<typeof batchingSchema>;

/** The JSON Schema (draft 2020-12) of scenario files, for editors. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
}
