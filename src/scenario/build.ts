import {
  type Distribution,
  deterministic,
  empirical,
  empiricalUnitMean,
  erlang,
  exponential,
  fitTruncatedNormal,
  gamma,
  lognormalMeanCv,
  pareto,
  paretoUnitMean,
  truncatedNormal,
  uniform,
  uniformUnitMean,
  zipf,
} from '../core/distributions.ts';
import { RandomStreams } from '../core/random.ts';
import { LpPrograms } from '../policies/offloading/lp.ts';
import { allocationPolicy } from '../policies/allocation/registry.ts';
import { type CacheReach, idleSettings } from './idle-settings.ts';
import { PlacementError, type PlacementChoice, type PlacementPolicy, type PlacementView } from '../policies/placement/placement.ts';
import { placementPolicy } from '../policies/placement/registry.ts';
import { ADAPTIVE_BATCHING } from '../policies/batching/adaptive.ts';
import { batchingPolicy } from '../policies/batching/registry.ts';
import type { BatchingSpec } from '../world/schedulers/batching.ts';
import { globMatcher } from '../world/names.ts';
import { groupsPresent, tenantsPresent } from '../world/allocation.ts';
import { meanArrivalRate, offeredUtilization } from '../world/offered-load.ts';
import type { LinkSpec } from '../world/link.ts';
import { linkAccessPoints } from '../world/analytic-link.ts';
import { DnnModel } from '../world/model.ts';
import type { NodeKind, NodeSpec } from '../world/node.ts';
import { sharedTopology } from '../world/topology.ts';
import type { ArrivalSpec, WorkloadSpec } from '../world/workload.ts';
import type { WorldSpec } from '../world/world.ts';
import { admissionOf, admissionWarnings } from './admission.ts';
import { resultCachesOf } from './caches.ts';
import { partitioningOf } from './partitioning.ts';
import { mobilityOf } from './mobility.ts';
import type { FollowSpec } from '../world/mobility.ts';
import type { Catalog } from './catalog.ts';
import { ExecutionPlanner } from './compression.ts';
import { InputError, type Problem, formatPath } from './errors.ts';
import type { LoadedScenario } from './load.ts';
import type { Scenario, ScenarioArrivals, ScenarioBatching, ScenarioComputeTime, ScenarioDistribution, ScenarioPlacement } from './schema.ts';
import { int32ArrayOf } from '../core/typed-arrays.ts';

/** Thrown inside the builder; carries the path where the problem is. */
class BuildProblem extends Error {
  constructor(
    readonly path: readonly PropertyKey[],
    message: string,
  ) {
    super(message);
  }
}

/** A world's specification as a scenario builds it, with what the build found worth a warning. */
/**
 * A build warning at its place in the scenario; `idle`: a setting that changes nothing (nothing to
 * split, nothing to allocate, a cache never looked up…), said of the scenario as written, not of
 * the configurations compare and sweep derive from it (an arm that places everything locally
 * makes the scenario's partitioning idle itself: helper-81).
 */
export interface BuildWarning extends Problem {
  readonly idle?: true;
}

export interface BuiltWorldSpec extends WorldSpec {
  /** Warnings of the build (compression: estimated accuracies, precisions a node lacks, no feasible variant), each once, with path and line. */
  readonly buildWarnings: readonly BuildWarning[];
}

/**
 * Builds the world's specification from a validated scenario: expands node counts and
 * patterns, merges device profiles, resolves models and placements to indices, and decides
 * how each workload's model runs on each node that may run it (compression).
 * Problems are reported as an {@link InputError} naming the path and line.
 */
export function buildWorldSpec(loaded: LoadedScenario, catalog: Catalog, seed?: number): BuiltWorldSpec {
  try {
    return build(loaded, catalog, seed);
  } catch (e) {
    if (e instanceof BuildProblem) {
      const problem: Problem = loaded.problem(e.path, e.message);
      throw new InputError(loaded.file, [problem]);
    }
    throw e;
  }
}

function build(loaded: LoadedScenario, catalog: Catalog, seedOverride?: number): BuiltWorldSpec {
  const s = loaded.scenario;
  const nodes: NodeSpec[] = [];
  // The scenario entry each node comes from: its nodes are alike, so compression decides once per entry.
  const entryOf: number[] = [];
  const index = new Map<string, number>(); // node name → node (its entry: entryOf)
  s.nodes.forEach((entry, i) => {
    const at = (...p: PropertyKey[]) => ['nodes', i, ...p];
    let profile;
    if (entry.profile !== undefined) {
      profile = catalog.profiles.get(entry.profile);
      if (!profile) throw new BuildProblem(at('profile'), `unknown device profile "${entry.profile}"; expected one of the profiles in data/devices: ${[...catalog.profiles.keys()].join(', ')}`);
    }
    const kind = entry.kind ?? profile?.kind;
    if (!kind) throw new BuildProblem(at('kind'), 'expected a kind (device, gateway, edge or cloud), or a profile that gives one');
    const throughput = { ...profile?.compute, ...definedOnly(entry.compute ?? {}) };
    if (Object.keys(throughput).length === 0) throw new BuildProblem(at('compute'), 'expected a compute throughput (e.g. { fp32: "10 GFLOP/s" }), or a profile that gives one');
    const memory = entry.memory ?? profile?.memory;
    if (memory === undefined) throw new BuildProblem(at('memory'), 'expected a memory size (e.g. "4 GiB"), or a profile that gives one');
    const idle = entry.power?.idle ?? profile?.power.idle;
    const busy = entry.power?.busy ?? profile?.power.busy;
    if (idle === undefined || busy === undefined) {
      throw new BuildProblem(at('power', idle === undefined ? 'idle' : 'busy'), 'expected idle and busy power (e.g. { idle: "2.7 W", busy: "6.4 W" }), or a profile that gives them');
    }
    if (busy < idle) throw new BuildProblem(at('power', 'busy'), `expected busy power ≥ idle power (${idle} W), got ${busy} W`);
    // The entry's nodes share its figures' objects (a million devices make one `power`, not a million).
    const power = { idle, busy };
    for (let c = 0; c < entry.count; c++) {
      const name = entry.count === 1 ? entry.name : `${entry.name}-${c + 1}`;
      const prev = index.get(name);
      if (prev !== undefined) throw new BuildProblem(at('name'), `expected a unique node name, but "${name}" is already used by nodes[${entryOf[prev]}]`);
      index.set(name, nodes.length);
      nodes.push({
        name,
        kind,
        throughput,
        slots: entry.slots ?? profile?.slots ?? 1,
        queueLimit: entry.queueLimit,
        memory,
        power,
        battery: entry.battery,
        trust: entry.trust,
        failures: entry.failures,
        sparseKernels: entry.sparseKernels ?? profile?.sparseKernels,
      });
      entryOf.push(i);
    }
  });
  const nodeNames = nodes.map((n) => n.name);
  const match = (pattern: string, path: PropertyKey[]): number[] => {
    const m = globMatcher(pattern);
    const found: number[] = [];
    nodeNames.forEach((n, k) => m(n) && found.push(k));
    if (found.length === 0) throw new BuildProblem(path, `"${pattern}" matches no node; expected a node name or a pattern matching some of: ${preview(nodeNames)}`);
    return found;
  };

  const links: LinkSpec[] = [];
  const linked = new Set<number>(); // pairs linked, as min × nodes + max (no string per link)
  const analyticEntry = new Map<number, number>(); // link → its entry in links:, for links with an analytic delay model
  s.links.forEach((l, i) => {
    const a = match(l.between[0], ['links', i, 'between', 0]);
    const b = match(l.between[1], ['links', i, 'between', 1]);
    // The pairs (a[j], b[j mod |b|]) round-robin, else every (x, y): pair p's ends, without a tuple per pair.
    const roundRobin = l.pairing === 'round-robin';
    const count = roundRobin ? a.length : a.length * b.length;
    const end0 = (p: number) => (roundRobin ? a[p] : a[Math.floor(p / b.length)]);
    const end1 = (p: number) => b[p % b.length];
    // A pattern on both ends (a mesh) skips each node's link to itself, but an entry must link something.
    let apart = false;
    for (let p = 0; p < count && !apart; p++) apart = end0(p) !== end1(p);
    if (!apart) {
      throw new BuildProblem(['links', i, 'between'], `expected two different nodes, but every pair of "${l.between[0]}" and "${l.between[1]}" is a node linked to itself`);
    }
    for (let p = 0; p < count; p++) {
      const x = end0(p);
      const y = end1(p);
      if (x === y) continue;
      const key = x < y ? x * nodes.length + y : y * nodes.length + x;
      if (linked.has(key)) throw new BuildProblem(['links', i, 'between'], `expected each pair of nodes linked once, but ${nodeNames[x]} and ${nodeNames[y]} are already linked by an earlier entry`);
      linked.add(key);
      links.push({ a: x, b: y, bandwidth: l.bandwidth, delay: l.delay, maxWait: l.maxWait, txEnergyPerBit: l.energy?.tx ?? 0, rxEnergyPerBit: l.energy?.rx ?? 0 });
      if (l.analytic) analyticEntry.set(links.length - 1, i);
    }
  });
  // Links under an analytic delay model (world/analytic-link.ts): each one's access point, whose devices are n.
  const accessPointOf = analyticEntry.size > 0 ? linkAccessPoints(links, nodes) : undefined;
  for (const [j, i] of analyticEntry) {
    const m = s.links[i].analytic!;
    if (s.links[i].maxWait !== undefined) throw new BuildProblem(['links', i, 'maxWait'], 'expected no maxWait on a link with an analytic delay model (nothing waits on it); its analytic.maxDelay bounds the delay');
    // A battery's radio draw is kept per link, for the one transmission under way on it; an analytic link's transfers overlap (helper-92).
    const l = links[j];
    const paying = [l.txEnergyPerBit > 0 || l.rxEnergyPerBit > 0 ? [l.a, l.b] : []].flat().filter((k) => nodes[k].battery !== undefined);
    if (paying.length > 0) {
      throw new BuildProblem(['links', i, 'energy'], `expected no radio energy on a link with an analytic delay model whose end has a battery (${paying.map((k) => nodeNames[k]).join(', ')}): its transfers overlap, and a battery draws its radio energy over one transmission at a time per link; drop the energy, the battery or the analytic model`);
    }
    const ap = accessPointOf!(j);
    if (typeof ap === 'string') throw new BuildProblem(['links', i, 'analytic'], ap);
    links[j] = { ...links[j], analytic: { model: m.model, meanSize: [m.meanSize.up, m.meanSize.down], meanInterarrival: m.meanInterarrival, maxDelay: m.maxDelay, accessPoint: ap } };
  }

  const models = new Map(catalog.models);
  s.models.forEach((m, i) => {
    if (catalog.models.has(m.name)) throw new BuildProblem(['models', i, 'name'], `expected a name that no zoo model has, got "${m.name}" (a zoo model; give the scenario's model another name)`);
    models.set(m.name, new DnnModel({ name: m.name, inputBytes: m.input, layers: m.layers.map((l) => ({ name: l.name, type: l.type, flops: l.flops, params: l.params, outputBytes: l.output })) }));
  });

  const topology = sharedTopology(nodes.length, links);
  const view: PlacementView = { nodes, topology, nodeIndex: (name) => index.get(name) };
  const workloads: WorkloadSpec[] = [];
  const candidates: number[] = [];
  const candidateStart: number[] = [0];
  const policies: PlacementPolicy[] = [];
  const policyOf: number[] = [];
  const seed = seedOverride ?? s.seed;
  const streams = new RandomStreams(seed);
  const lpPrograms = new LpPrograms(undefined, s.policies.interval !== undefined);
  // Mobility: instances placed on the nearest node of a tier follow their device (one node list per tier, by identity).
  const follows: (FollowSpec | undefined)[] = [];
  const tierNodes = new Map<NodeKind, number[]>();
  const followSets = new Map<string, number[]>();
  const groupNames = new Set<string>();
  // Weights resident on each node: every model variant placed there, once (the nodes holding each variant's weights).
  const resident = new Map<string, Set<number>>();
  const residentBytes: number[] = [];
  const firstNodeOf: number[] = [];
  entryOf.forEach((e, k) => (firstNodeOf[e] ??= k));
  const partitioningWarnings: { path: PropertyKey[]; message: string; idle?: true }[] = [];
  const mobilityWarnings: { path: PropertyKey[]; message: string; idle?: true }[] = [];
  const memoryWarnings: { path: PropertyKey[]; message: string }[] = [];
  const memoryShort = new Set<number>();
  const planner = new ExecutionPlanner(
    catalog.accuracy,
    entryOf,
    (e) => {
      const entry = s.nodes[e];
      const node = nodes[firstNodeOf[e]];
      const name = entry.count === 1 ? entry.name : `${entry.name}-1 … ${entry.name}-${entry.count}`;
      return { name, throughput: node.throughput, slots: node.slots, memory: node.memory, sparseKernels: node.sparseKernels };
    },
    (path, message) => {
      throw new BuildProblem(path, message);
    },
  );
  s.workloads.forEach((w, i) => {
    const at = (...p: PropertyKey[]) => ['workloads', i, ...p];
    const model = models.get(w.model);
    if (!model) throw new BuildProblem(at('model'), `unknown model "${w.model}"; expected a zoo model (data/models) or a model of the scenario: ${[...models.keys()].join(', ')}`);
    const name = w.name ?? (s.workloads.length === 1 ? model.name : `${model.name}-${i + 1}`);
    if (groupNames.has(name)) throw new BuildProblem(at('name'), `expected a unique workload name, but "${name}" is used twice (give each workload its own name)`);
    groupNames.add(name);
    const devices = match(w.on, at('on'));
    const inputBytes = w.input ?? model.inputBytes;
    const placement = w.placement ?? s.policies.placement;
    const placementAt = w.placement ? at('placement') : ['policies', 'placement'];
    checkPlacement(placement, nodes, placementAt);
    const arrivals = arrivalBuilder(w.arrivals, loaded, at('arrivals'))(); // one spec, read-only, shared by the workload's instances
    const resultBytes = w.result ?? model.outputBytes;
    const executions = planner.forWorkload({
      name,
      model,
      precision: w.precision,
      deadline: w.deadline ?? Infinity,
      inputBytes,
      settings: w.compression ?? s.policies.compression,
      settingsPath: w.compression ? at('compression') : ['policies', 'compression'],
      precisionPath: at('precision'),
    });
    // The offloading program costs each node as the model runs there: the variant compression chose for it.
    const placed = {
      name,
      flops: model.flops,
      precision: w.precision,
      executionAt: (k: number) => executions.at(k),
      resultBytes,
      deadline: w.deadline ?? Infinity,
      rate: meanArrivalRate(arrivals, s.duration),
      tenant: groupNames.size - 1, // its group (tenant on partitioned nodes), as workloads[].group below
    };
    const policy = placementPolicy(toChoice(placement), { interval: s.policies.interval !== undefined, rng: streams.stream('policy', `placement/${i}`), workload: placed, programs: lpPrograms });
    policies.push(policy);
    const inputs = w.inputs ? zipf(w.inputs.zipf, w.inputs.catalog) : undefined;
    const serviceVariability = serviceVariabilityOf(w.computeTime, loaded, at('computeTime'));
    const choice = toChoice(placement);
    let follow: FollowSpec | undefined;
    if (s.mobility !== undefined && choice.policy === 'nearest' && choice.tier !== 'device') {
      const tier = choice.tier;
      let all = tierNodes.get(tier);
      if (!all) tierNodes.set(tier, (all = nodes.flatMap((n, k) => (n.kind === tier ? [k] : []))));
      // A move may only take the instance to a node that can run it: its precision there (as declared), and its weights with a request's input and activations within the node's memory (helper-87: the weights alone let a node that drops every request be chosen).
      const fits = all.filter((k) => {
        if (executions.asDeclared && nodes[k].throughput[w.precision] === undefined) return false;
        try {
          const run = executions.at(k);
          return run.weightBytes + inputBytes + run.activationBytes <= nodes[k].memory;
        } catch (e) {
          if (e instanceof BuildProblem) return false; // compression has no variant for that node
          throw e;
        }
      });
      const key = fits.length === all.length ? `${tier}` : `${tier}:${fits.join(',')}`;
      let among = followSets.get(key);
      if (!among) followSets.set(key, (among = fits));
      follow = { among, executionAt: (k) => executions.at(k) };
    }
    for (const device of devices) {
      let targets: readonly number[];
      try {
        targets = policy.candidates(view, { device, inputBytes });
      } catch (e) {
        if (e instanceof PlacementError) throw new BuildProblem(e.key === undefined ? placementAt : 'workload' in e.key ? at(...e.key.workload) : [...placementAt, ...e.key.placement], e.message);
        throw e;
      }
      for (const target of targets) {
      const node = nodes[target];
      if (executions.asDeclared && node.throughput[w.precision] === undefined) {
        throw new BuildProblem(at('precision'), `expected a precision that node ${node.name} computes in (${Object.keys(node.throughput).join(', ')}), got ${w.precision}`);
      }
      if (!topology.connected(device, target)) {
        throw new BuildProblem(at('on'), `no route from ${nodes[device].name} to ${node.name}: the topology is disconnected; expected links that connect them (add a link)`);
      }
      const run = executions.at(target);
      let holders = resident.get(run.weights);
      if (!holders) resident.set(run.weights, (holders = new Set()));
      if (!holders.has(target)) {
        holders.add(target);
        residentBytes[target] = (residentBytes[target] ?? 0) + run.weightBytes;
        if (residentBytes[target] > node.memory) {
          const alone = run.weightBytes <= node.memory;
          const what = run.choice ? `${model.name} as ${run.variant} (${run.precision}, chosen by compression ${run.choice.policy})` : `${model.name} at ${w.precision}`;
          throw new BuildProblem(
            at('model'),
            alone
              ? `expected the weights of every model placed on ${node.name} to fit in its memory (${node.memory} B) together, but with ${what} they take ${residentBytes[target]} B`
              : run.choice
                ? `expected a model variant whose weights fit in ${node.name}'s memory (${node.memory} B), but ${what} takes ${run.weightBytes} B`
                : `expected a model whose ${w.precision} weights fit in ${node.name}'s memory (${node.memory} B), but ${model.name}'s take ${model.weightBytes(w.precision)} B`,
          );
        }
      }
      // Room for one request beside the weights held there (its input and activations, as the run reserves them): else every request there is dropped as memory-full.
      const need = residentBytes[target] + inputBytes + run.activationBytes;
      if (need > node.memory && !memoryShort.has(target)) {
        memoryShort.add(target);
        memoryWarnings.push({ path: at('model'), message: `node ${node.name} (${node.memory} B of memory) cannot hold a request of ${name} beside the weights placed there: ${residentBytes[target]} B of weights + ${inputBytes} B of input + ${run.activationBytes} B of activations = ${need} B, so every request computed there is dropped as memory-full` });
      }
      }
      candidates.push(...targets);
      candidateStart.push(candidates.length);
      follows.push(follow);
      policyOf.push(policies.length - 1);
      workloads.push({
        name,
        group: groupNames.size - 1,
        device,
        model,
        precision: w.precision,
        arrivals,
        inputBytes,
        resultBytes,
        deadline: w.deadline ?? Infinity,
        inputs,
        serviceVariability,
        // An instance that follows its device gets its own copy: a move rewrites its entry (world/mobility.ts).
        execution: follow ? [...executions.forCandidates(targets)] : executions.forCandidates(targets),
      });
    }
  });
  const allocation = allocationPolicy(s.policies.allocation ?? 'static', s.policies.allocationParameters);
  // A partitioned node's share left over goes to the tenants that can use it: the workloads with it
  // among their candidates (or the nodes a candidate may follow a moving device to), and learning's
  // processes on its server and clients.
  const tenantCount = groupNames.size + 1;
  let groupsThere: Uint8Array | undefined; // made on first use: only partitioned nodes ask
  let learningNodes: Set<number> | undefined;
  const usedBy = (k: number, t: number): boolean => {
    if (t === tenantCount - 1) return (learningNodes ??= new Set(s.learning ? [index.get(s.learning.server) ?? -1, ...match(s.learning.clients, ['learning', 'clients'])] : [])).has(k);
    groupsThere ??= groupsPresent({ nodes, workloads, placement: { candidates, start: candidateStart }, mobility: { follow: follows } }, tenantCount);
    return groupsThere[k * tenantCount + t] === 1;
  };
  applySchedulers(s.nodes, nodes, [...groupNames], allocation.partitions, batchingContext(s, catalog), usedBy);
  if (allocation.reallocates && s.policies.interval === undefined && nodes.some((n) => n.scheduler === 'partitioned')) {
    throw new BuildProblem(['policies', 'allocation'], `expected policies.interval with allocation "${allocation.name}": it re-allocates the partitioned nodes at every monitoring tick (e.g. interval: "5 s")`);
  }
  const floor = s.policies.allocationParameters?.floor ?? 0;
  if (floor > 0 && allocation.partitions) {
    const tenants = tenantsPresent({ nodes, workloads, placement: { candidates, start: candidateStart }, mobility: { follow: follows } }, groupNames.size + 1);
    const k = tenants.findIndex((n) => n * floor >= 1);
    if (k >= 0) throw new BuildProblem(['policies', 'allocation', 'edelear', 'floor'], `expected a floor below 1/${tenants[k]} = ${1 / tenants[k]}: node ${nodes[k].name} has ${tenants[k]} tenants that may use it, and ${tenants[k]} floors of ${floor} would leave nothing to allocate by demand (0 keeps none); got ${floor}`);
  }
  // Where each instance's requests may look up (idle-settings.ts): its device, its candidates and the routes to them; not followed for moving devices.
  const cacheReach: CacheReach | undefined =
    s.mobility !== undefined
      ? undefined
      : {
          reaches(i, k) {
            const w = workloads[i];
            if (w.device === k) return true;
            for (let c = candidateStart[i]; c < candidateStart[i + 1]; c++) {
              const to = candidates[c];
              if (to === k) return true;
              if (to !== w.device && topology.route(w.device, to, w.inputBytes)?.nodes.includes(k)) return true;
            }
            return false;
          },
        };
  const spec: BuiltWorldSpec = {
    nodes,
    links,
    workloads,
    placement: { candidates: int32ArrayOf(candidates), start: int32ArrayOf(candidateStart), policies, policyOf: int32ArrayOf(policyOf) },
    interval: s.policies.interval ?? Infinity,
    allocation,
    maxInFlight: s.limits.requestsInFlight,
    duration: s.duration,
    warmup: s.warmup,
    seed,
    cache: resultCachesOf(s, nodes, entryOf, workloads), // nodes' result caches (scenario/caches.ts)
    // Splits of requests executed off their device (scenario/partitioning.ts).
    partitioning: partitioningOf(s.policies.partitioning, s.policies.interval, nodes, entryOf, (e) => s.nodes[e].parallel !== false, workloads, { candidates, start: candidateStart }, s.mobility !== undefined, {
      fail: (path, message) => {
        throw new BuildProblem(path, message);
      },
      warn: (path, message, idle) => partitioningWarnings.push({ path: [...path], message, ...(idle ? { idle } : {}) }),
    }),
    admission: admissionOf(s, nodes, entryOf, workloads), // nodes' admission (scenario/admission.ts)
    // Moving devices (scenario/mobility.ts).
    mobility: mobilityOf(s.mobility, {
      nodes,
      links,
      workloads,
      match,
      distribution: (d, path) => distributionOf(d, loaded, path),
      followOf: (i) => follows[i],
      candidates: (i) => candidates.slice(candidateStart[i], candidateStart[i + 1]),
      duration: s.duration,
      warn: (path, message, idle) => mobilityWarnings.push({ path, message, ...(idle ? { idle: true as const } : {}) }),
      problem: (path, message) => {
        throw new BuildProblem(path, message);
      },
    }),
    buildWarnings: [...planner.warnings, ...partitioningWarnings, ...mobilityWarnings, ...memoryWarnings, ...admissionWarnings(s, nodes, entryOf), ...idleSettings(s, workloads, nodes, entryOf, cacheReach)].map((w) => ({ path: formatPath(w.path), line: loaded.locate(w.path), message: w.message, ...('idle' in w && w.idle ? { idle: true } : {}) })),
  };
  // What the lp programs' first solve counts as traffic from outside them: every workload they do not place.
  if (lpPrograms.all.length > 0) lpPrograms.outside = offeredUtilization(spec, (i) => policies[policyOf[i]].name !== 'lp');
  lpPrograms.fixedShares = !allocation.reallocates;
  return spec;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function preview(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, … (${names.length} in all)`;
}

/** The run-time placement choices (those over a candidate set). */
type RunTimeChoice = Extract<PlacementChoice, { among: unknown }>;

/** A value or a list of values, as a list. */
function asList<T>(x: T | readonly T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? [...(x as readonly T[])] : [x as T];
}

/** The policy name and candidate set of a run-time placement entry ({ random: { tier: edge } }…). */
function runTimePlacement(p: Exclude<ScenarioPlacement, 'local'>): { policy: RunTimeChoice['policy']; set: { tier?: NodeKind | NodeKind[]; nodes?: string | string[] } } {
  const [policy, set] = Object.entries(p)[0] as [RunTimeChoice['policy'], { tier?: NodeKind | NodeKind[]; nodes?: string | string[] }];
  return { policy, set };
}

/** Checks the names a placement refers to, so the message points at the very key. */
function checkPlacement(p: ScenarioPlacement, nodes: readonly NodeSpec[], path: PropertyKey[]): void {
  // In a candidate set, `device` is the issuing device itself, so it always exists.
  const checkTier = (tier: NodeKind, at: PropertyKey[], deviceIsItself: boolean): void => {
    if (!(deviceIsItself && tier === 'device') && !nodes.some((n) => n.kind === tier)) {
      const kinds = [...new Set(nodes.map((n) => n.kind))].join(', ');
      throw new BuildProblem(at, `the scenario has no ${tier} node; expected a kind it has: ${kinds}`);
    }
  };
  if (p === 'local') return;
  if ('fixed' in p) {
    if (!nodes.some((n) => n.name === p.fixed)) {
      throw new BuildProblem([...path, 'fixed'], `no node named "${p.fixed}"; expected one of: ${preview(nodes.map((n) => n.name))}`);
    }
    return;
  }
  if ('nearest' in p) {
    checkTier(p.nearest, [...path, 'nearest'], false);
    return;
  }
  const { policy, set } = runTimePlacement(p);
  // The path names the list entry when the key holds a list.
  const at = (key: string, j: number, x: unknown): PropertyKey[] => (Array.isArray(x) ? [...path, policy, key, j] : [...path, policy, key]);
  asList(set.tier).forEach((tier, j) => checkTier(tier, at('tier', j, set.tier), true));
  asList(set.nodes).forEach((pattern, j) => {
    const m = globMatcher(pattern);
    if (!nodes.some((n) => m(n.name))) throw new BuildProblem(at('nodes', j, set.nodes), `"${pattern}" matches no node; expected a node name or a pattern matching some of: ${preview(nodes.map((n) => n.name))}`);
  });
}

function toChoice(p: ScenarioPlacement): PlacementChoice {
  if (p === 'local') return { policy: 'local' };
  if ('fixed' in p) return { policy: 'fixed', node: p.fixed };
  if ('nearest' in p) return { policy: 'nearest', tier: p.nearest };
  if ('lp' in p) {
    const { tier, nodes, ...options } = p.lp;
    return { policy: 'lp', among: { tiers: asList(tier), nodes: asList(nodes) }, options };
  }
  const { policy, set } = runTimePlacement(p);
  return { policy: policy as Exclude<typeof policy, 'lp'>, among: { tiers: asList(set.tier), nodes: asList(set.nodes) } };
}

/** What a node's batcher needs of the scenario: the workloads' deadlines (in group order) and the device profiles. */
interface BatchingContext {
  readonly deadlines: readonly number[];
  readonly catalog: Catalog;
}

function batchingContext(s: Scenario, catalog: Catalog): BatchingContext {
  return { deadlines: s.workloads.map((w) => w.deadline ?? Infinity), catalog };
}

/**
 * A node entry's dynamic batcher: its policy, the schema-checked sizes and delay, the batch cost
 * share t0 / t(1) (the entry's `fixedShare`, else its profile's cited figures, else 0: no gain),
 * and the latency objective per tenant (the entry's `objective`, else each workload's deadline;
 * processes have none). All nodes of the entry share it.
 */
function batchingSpec(b: ScenarioBatching, profile: string | undefined, at: PropertyKey[], ctx: BatchingContext): BatchingSpec {
  const objective = b.objective;
  if (b.policy === 'adaptive' && objective === undefined && ctx.deadlines.every((d) => d === Infinity)) {
    throw new BuildProblem([...at, 'objective'], 'expected a latency objective (e.g. objective: "50 ms") for policy adaptive: no workload has a deadline to default to');
  }
  const sizer = batchingPolicy(b.policy, {
    start: b.start ?? ADAPTIVE_BATCHING.start,
    increase: b.increase ?? ADAPTIVE_BATCHING.increase,
    decrease: b.decrease ?? ADAPTIVE_BATCHING.decrease,
  });
  return {
    sizer,
    max: b.policy === 'none' ? 1 : b.max!,
    preferred: b.policy === 'none' ? [] : b.preferred,
    delay: b.delay,
    fixedShare: b.fixedShare ?? (profile === undefined ? undefined : ctx.catalog.profiles.get(profile)?.batching?.fixedShare) ?? 0,
    objectives: [...ctx.deadlines.map((d) => objective ?? d), Infinity],
  };
}

/**
 * Sets each node's scheduler; a partitioned node's shares are resolved per tenant (the
 * workload groups in order, then "processes"): named tenants get their share, the others that
 * can use the node (`usedBy`: a workload with it among its candidates or the nodes its candidate
 * may follow a moving device to; processes on the learning server and clients) share what is left equally — a tenant that never runs there gets none, since
 * a partition lends nothing (before, every workload and "processes" took a part, and a workload
 * alone on its node ran at a fraction of it). Without partitions (allocation `none`) a
 * partitioned node is built first come, first served, its shares still checked.
 */
function applySchedulers(entries: Scenario['nodes'], nodes: NodeSpec[], groups: readonly string[], partitions: boolean, batching: BatchingContext, usedBy: (k: number, tenant: number) => boolean): void {
  const tenants = [...groups, 'processes'];
  let k = 0;
  entries.forEach((entry, i) => {
    const sched = entry.scheduler;
    const batcher = typeof sched === 'object' && 'batching' in sched ? batchingSpec(sched.batching, entry.profile, ['nodes', i, 'scheduler', 'batching'], batching) : undefined;
    for (let c = 0; c < entry.count; c++, k++) {
      if (sched === 'fcfs') continue;
      if (sched === 'processor-sharing') {
        nodes[k] = { ...nodes[k], scheduler: sched };
        continue;
      }
      if (batcher) {
        nodes[k] = { ...nodes[k], scheduler: 'batching', batching: batcher };
        continue;
      }
      if (!('partitioned' in sched)) continue;
      const named = sched.partitioned;
      for (const t of Object.keys(named)) {
        if (!tenants.includes(t)) throw new BuildProblem(['nodes', i, 'scheduler', 'partitioned', t], `expected a workload name or "processes", got "${t}"; the tenants are: ${tenants.join(', ')}`);
      }
      const given = Object.values(named).reduce((a, b) => a + b, 0);
      if (given > 1 + 1e-9) throw new BuildProblem(['nodes', i, 'scheduler', 'partitioned'], `expected shares that add up to at most 1, got ${given}`);
      if (!partitions) continue;
      const rest = tenants.filter((t, ti) => !(t in named) && usedBy(k, ti));
      const each = rest.length > 0 ? Math.max(0, 1 - given) / rest.length : 0;
      nodes[k] = { ...nodes[k], scheduler: 'partitioned', shares: tenants.map((t) => named[t] ?? (rest.includes(t) ? each : 0)) };
    }
  });
}

/**
 * The mean-1 multiplier of compute times (undefined: deterministic). The first four laws
 * are drawn exactly as they always were, so existing scenarios reproduce their results.
 */
function serviceVariabilityOf(c: ScenarioComputeTime, loaded: LoadedScenario, path: PropertyKey[]): Distribution | undefined {
  if (c === 'deterministic') return undefined;
  if (c === 'exponential') return exponential(1);
  if ('gamma' in c) return gamma(1 / (c.gamma.cv * c.gamma.cv), c.gamma.cv * c.gamma.cv);
  if ('lognormal' in c) return lognormalMeanCv(1, c.lognormal.cv);
  if ('uniform' in c) {
    if (!(c.uniform.cv <= 1 / Math.sqrt(3))) {
      throw new BuildProblem(
        [...path, 'uniform', 'cv'],
        `expected cv ≤ 1/√3 ≈ 0.577 for a uniform multiplier of mean 1 (it spans [1 − √3·cv, 1 + √3·cv], which must not go below 0), got ${c.uniform.cv}; use gamma or lognormal for more variability`,
      );
    }
    return uniformUnitMean(c.uniform.cv);
  }
  if ('normal' in c) return truncatedNormalOf(1, c.normal.cv, [...path, 'normal', 'cv'], `cv < 1 for a normal truncated at zero, got ${c.normal.cv}`);
  if ('erlang' in c) return erlang(c.erlang.k, 1);
  if ('pareto' in c) {
    if (!(c.pareto.shape > 1)) {
      throw new BuildProblem([...path, 'pareto', 'shape'], `expected shape > 1 for a Pareto multiplier of mean 1 (its mean is infinite for shape ≤ 1), got ${c.pareto.shape}`);
    }
    return paretoUnitMean(c.pareto.shape);
  }
  const values = loaded.readColumn(c.empirical, [...path, 'empirical'], 'non-negative');
  let sum = 0;
  for (const v of values) sum += v;
  if (!(sum > 0)) throw new BuildProblem([...path, 'empirical'], `expected a column of compute times with a positive mean (its values are divided by their mean), got only zeros`);
  return empiricalUnitMean(values);
}

/** The normal truncated at zero with exactly this mean and sd, or a BuildProblem at `path` saying what was expected. */
function truncatedNormalOf(mean: number, sd: number, path: PropertyKey[], expected: string): Distribution {
  const fit = fitTruncatedNormal(mean, sd);
  if (!fit) throw new BuildProblem(path, `expected ${expected}; use gamma or lognormal for cv ≥ 1`);
  const d = truncatedNormal(fit.mu, fit.sigma);
  return { mean, sample: d.sample };
}

/** Returns a factory of per-device arrival specs (a trace is read once and shared). */
function arrivalBuilder(a: ScenarioArrivals, loaded: LoadedScenario, path: PropertyKey[]): () => ArrivalSpec {
  if ('poisson' in a) return () => ({ kind: 'poisson', rate: a.poisson });
  if ('periodic' in a) return () => ({ kind: 'periodic', period: a.periodic, offset: a.offset });
  if ('mmpp' in a) {
    const { rates, sojourn } = a.mmpp;
    if (rates[0] === 0 && rates[1] === 0) throw new BuildProblem([...path, 'mmpp', 'rates'], `expected at least one positive rate, got ${rates[0]} and ${rates[1]} per second`);
    return () => ({ kind: 'mmpp', rates, sojourn });
  }
  if ('trace' in a) {
    const times = loaded.readColumn(a.trace, [...path, 'trace'], 'non-decreasing');
    return () => ({ kind: 'trace', times });
  }
  const d = distributionOf(a.interarrival, loaded, [...path, 'interarrival']);
  if (!(d.mean > 0)) throw new BuildProblem([...path, 'interarrival'], `expected inter-arrival times with a positive mean, got mean ${d.mean}`);
  return () => ({ kind: 'renewal', interarrival: d });
}

/** A scenario distribution as a core distribution. */
function distributionOf(d: ScenarioDistribution, loaded: LoadedScenario, path: PropertyKey[]): Distribution {
  if ('exponential' in d) return exponential(1 / d.exponential.mean);
  if ('deterministic' in d) return deterministic(d.deterministic);
  if ('uniform' in d) {
    if (d.uniform.max <= d.uniform.min) throw new BuildProblem([...path, 'uniform', 'max'], `expected max > min (${d.uniform.min} s), got ${d.uniform.max} s`);
    return uniform(d.uniform.min, d.uniform.max);
  }
  if ('normal' in d) {
    const { mean, sd } = d.normal;
    return truncatedNormalOf(mean, sd, [...path, 'normal', 'sd'], `sd < mean for a normal truncated at zero (cv < 1), got sd ${sd} s with mean ${mean} s (cv ${+(sd / mean).toPrecision(3)})`);
  }
  if ('lognormal' in d) return lognormalMeanCv(d.lognormal.mean, d.lognormal.cv);
  if ('gamma' in d) return gamma(1 / (d.gamma.cv * d.gamma.cv), d.gamma.mean * d.gamma.cv * d.gamma.cv);
  if ('erlang' in d) return erlang(d.erlang.k, d.erlang.mean);
  if ('pareto' in d) return pareto(d.pareto.scale, d.pareto.shape);
  const values = loaded.readColumn(d.empirical, [...path, 'empirical'], 'non-negative');
  return empirical(values);
}
