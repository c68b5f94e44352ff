import type { CompressionSpec } from '../learning/compression.ts';
import { MNIST_PACKAGE_SAMPLES } from '../learning/mnist.ts';
import type { FederatedSpec } from '../learning/process.ts';
import type { PartitionSpec } from '../learning/partition.ts';
import { sharedTopology } from '../world/topology.ts';
import type { WorldSpec } from '../world/world.ts';
import { globMatcher } from '../world/names.ts';
import { InputError, type Problem, formatPath } from './errors.ts';
import type { LoadedScenario } from './load.ts';
import type { ScenarioCompression, ScenarioPartition } from './schema.ts';

/** A scenario's learning section, resolved against its world. */
export interface LearningPlan {
  readonly federated: FederatedSpec;
  /** The scenario's own split. */
  readonly partition: PartitionSpec;
  /** Further splits to run, with baselines, for claims.csv. */
  readonly compare: readonly PartitionSpec[];
  /** Update compressions to compare on the scenario's split, for fl_compression.csv. */
  readonly compareCompression: readonly CompressionSpec[];
  readonly testSize: number;
  /** Seeds every split, baseline and compression runs on: the run's seed, seed + 1, … (at least 1). */
  readonly replications: number;
  /** What the section says that is legal but likely a slip, at its path: a client pattern that matches the server, or nodes that are no devices (helper-82: `clients: "*"` made the gateways and the server data-holding clients). */
  readonly warnings: readonly Problem[];
}

/** Converts a scenario partition entry. */
export function toPartition(p: ScenarioPartition): PartitionSpec {
  if (p === 'iid') return { kind: 'iid' };
  if ('dirichlet' in p) return { kind: 'dirichlet', alpha: p.dirichlet };
  return { kind: 'shards', shardsPerClient: p.shards };
}

/** A short label of a split for tables: "iid", "dirichlet(0.1)", "shards(2)". */
export function partitionLabel(p: PartitionSpec): string {
  if (p.kind === 'iid') return 'iid';
  return p.kind === 'dirichlet' ? `dirichlet(${p.alpha})` : `shards(${p.shardsPerClient})`;
}

/** A short label of a compression: "none", "quantize(8 bits)", "topk(0.01)". */
export function compressionLabel(c: CompressionSpec): string {
  if (c.kind === 'none') return 'none';
  return c.kind === 'quantize' ? `quantize(${c.bits} bits, ${c.rounding}, per ${c.scaling})` : `topk(${c.fraction})`;
}

function toCompression(c: ScenarioCompression): CompressionSpec {
  if (c === 'none') return { kind: 'none' };
  if ('quantize' in c) return { kind: 'quantize', ...c.quantize };
  return { kind: 'topk', fraction: c.topk };
}

/** Resolves the learning section (names to node indices); undefined when the scenario has none. */
export function buildLearningPlan(loaded: LoadedScenario, world: WorldSpec): LearningPlan | undefined {
  const l = loaded.scenario.learning;
  if (!l) return undefined;
  const fail = (path: PropertyKey[], message: string): never => {
    const full = ['learning', ...path];
    throw new InputError(loaded.file, [{ path: formatPath(full), line: loaded.locate(full), message }]);
  };
  const names = world.nodes.map((n) => n.name);
  const server = names.indexOf(l.server);
  if (server < 0) fail(['server'], `expected the name of a node, got "${l.server}"`);
  const match = globMatcher(l.clients);
  const clients = names.flatMap((n, k) => (match(n) ? [k] : []));
  if (clients.length === 0) fail(['clients'], `expected a name or pattern matching some nodes, got "${l.clients}"`);
  const topology = sharedTopology(world.nodes.length, world.links);
  for (const c of clients) {
    if (world.nodes[c].throughput[l.precision] === undefined) {
      fail(['precision'], `expected a precision every client can train in; ${names[c]} has no ${l.precision} throughput`);
    }
    if (c !== server && !topology.connected(server, c)) {
      fail(['clients'], `expected every client to be reachable from the server; no route from ${l.server} to ${names[c]} (add a link)`);
    }
  }
  if (l.start >= world.duration) {
    fail(['start'], `expected a start before the run's end at ${world.duration} s (no round could run), got ${l.start} s`);
  }
  if (world.nodes[server].throughput[l.precision] === undefined) {
    fail(['server'], `expected a server that computes in ${l.precision}; ${l.server} has no ${l.precision} throughput`);
  }
  const trainSize = MNIST_PACKAGE_SAMPLES - l.testSize;
  const partition = toPartition(l.partition);
  for (const [p, path] of [[partition, ['partition']], ...l.compare.map((c, i) => [toPartition(c), ['compare', i]] as const)] as const) {
    const need = p.kind === 'shards' ? clients.length * p.shardsPerClient : clients.length;
    if (need > trainSize) fail([...path], `expected at most ${trainSize} shards or clients for ${trainSize} training digits, got ${need}`);
  }
  const warnings: Problem[] = [];
  const at = ['learning', 'clients'];
  const warn = (message: string) => warnings.push({ path: formatPath(at), line: loaded.locate(at), message });
  if (clients.includes(server)) warn(`"${l.clients}" matches the server ${l.server} too: it trains on a share of the digits as a client besides aggregating`);
  const notDevices = clients.filter((c) => c !== server && world.nodes[c].kind !== 'device').map((c) => `${names[c]} (${world.nodes[c].kind})`);
  if (notDevices.length > 0) warn(`"${l.clients}" matches nodes that are no devices: ${notDevices.slice(0, 4).join(', ')}${notDevices.length > 4 ? `, and ${notDevices.length - 4} more` : ''}; each holds a share of the digits and trains as a client (name the devices, e.g. "cam-*")`);
  return {
    warnings,
    federated: {
      server,
      clients,
      rounds: l.rounds,
      fraction: l.fraction,
      local: {
        epochs: l.epochs,
        batchSize: l.batchSize,
        lr: l.learningRate,
        momentum: l.momentum,
        mu: l.algorithm === 'fedavg' ? 0 : l.algorithm.fedprox.mu,
      },
      compression: toCompression(l.compression),
      roundDeadline: l.roundDeadline ?? Infinity,
      minTrust: l.minTrust,
      start: l.start,
      retryAfter: l.retryAfter,
      precision: l.precision,
    },
    partition,
    compare: l.compare.map(toPartition),
    compareCompression: l.compareCompression.map(toCompression),
    testSize: l.testSize,
    replications: l.replications,
  };
}
