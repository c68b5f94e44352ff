/**
 * Federated learning lived in the simulated world: every round the server sends the global
 * model to the selected clients over their routes, each client trains (really, on its own
 * MNIST rows) for the time its device needs to compute the training FLOPs, and sends back its
 * (compressed) update; the links and slots are shared with every other transfer and request,
 * so congestion, stragglers, failures and empty batteries shape who makes it. A round ends
 * when every selected client has reported or at its deadline; late updates are dropped.
 */
import { NO_EVENT } from '../core/queue.ts';
import type { RandomStreams } from '../core/random.ts';
import type { Precision } from '../world/model.ts';
import type { Route } from '../world/topology.ts';
import type { World } from '../world/world.ts';
import { type CompressionSpec } from './compression.ts';
import type { Dataset } from './dataset.ts';
import { applyUpdates, type ClientUpdate, federatedKeys, type LocalTraining, localUpdate, selectClients } from './fedavg.ts';
import { evaluate, MODEL_BYTES, PARAM_COUNT, TRAINING_FLOPS_PER_SAMPLE } from './mlp.ts';
import type { Partition } from './partition.ts';

/** A federated run as the world needs it (node indices, SI units). */
export interface FederatedSpec {
  /** Node that holds the global model and aggregates. */
  readonly server: number;
  /** Node of each client; client k holds partition k. */
  readonly clients: readonly number[];
  readonly rounds: number;
  /** C: fraction of the available clients selected each round. */
  readonly fraction: number;
  readonly local: LocalTraining;
  readonly compression: CompressionSpec;
  /** A round closes this long after it starts, dropping clients that have not reported (Infinity: wait for all). */
  readonly roundDeadline: number;
  /** Clients on nodes with a lower trust level are never selected. */
  readonly minTrust: number;
  /** Simulated time of the first round, s. */
  readonly start: number;
  /** When a round cannot start (server down, no client available), try again this much later, s. */
  readonly retryAfter: number;
  /** Precision the devices train in. */
  readonly precision: Precision;
}

/**
 * One row of fl_rounds.csv. Rounds are numbered from 1: round k's row is the global model
 * after its k-th aggregation, and fl_energy.csv's round k is the energy spent during that same
 * round, so the two files join 1:1 on round.
 */
export interface RoundRow {
  /** 1 for the first round. */
  round: number;
  start_s: number;
  end_s: number;
  test_accuracy: number;
  test_loss: number;
  clients_available: number;
  clients_selected: number;
  clients_completed: number;
  clients_dropped_late: number;
  clients_dropped_failed: number;
  /** 1 if the server aggregated the updates, 0 if it went down first (the updates were lost). */
  aggregated: number;
  bytes_down: number;
  bytes_up: number;
  energy_clients_J: number;
  energy_server_J: number;
  energy_total_J: number;
}

/** fl_rounds.csv's columns from a {@link RoundRow}, in the order rows are made (so an empty file keeps its header). */
export const ROUND_COLUMNS = [
  'round', 'start_s', 'end_s', 'test_accuracy', 'test_loss', 'clients_available', 'clients_selected', 'clients_completed',
  'clients_dropped_late', 'clients_dropped_failed', 'aggregated', 'bytes_down', 'bytes_up', 'energy_clients_J', 'energy_server_J', 'energy_total_J',
] as const satisfies readonly (keyof RoundRow)[];
/** fl_energy.csv's columns from a {@link DeviceEnergyRow}. */
export const ENERGY_COLUMNS = ['round', 'node', 'role', 'energy_J'] as const satisfies readonly (keyof DeviceEnergyRow)[];
// Every field is listed (a field added to a row type and not here fails to compile).
const allListed: [Exclude<keyof RoundRow, (typeof ROUND_COLUMNS)[number]>, Exclude<keyof DeviceEnergyRow, (typeof ENERGY_COLUMNS)[number]>] extends [never, never] ? true : never = true;
void allListed;

/** One row of fl_energy.csv: a node's energy during one round. */
export interface DeviceEnergyRow {
  /** 1 for the first round, as in {@link RoundRow}. */
  round: number;
  node: string;
  role: 'server' | 'client';
  energy_J: number;
}

/** Drives the rounds of one federated run inside a {@link World}. */
export class FederatedProcess {
  /** The global model (replaced after every round). */
  global: Float32Array;
  readonly rounds: RoundRow[] = [];
  readonly energy: DeviceEnergyRow[] = [];
  /**
   * Wall seconds spent in real training and evaluation (local updates, the global model's test
   * accuracy): they happen inside the world's event loop, and are reported apart from it.
   */
  trainingSeconds = 0;
  private readonly routesDown: Route[];

  constructor(
    private readonly world: World,
    private readonly spec: FederatedSpec,
    private readonly data: Dataset,
    private readonly parts: Partition,
    private readonly test: Int32Array,
    private readonly streams: RandomStreams,
    init: Float32Array,
  ) {
    if (parts.length !== spec.clients.length) throw new Error(`${parts.length} partitions for ${spec.clients.length} clients`);
    this.global = Float32Array.from(init);
    this.routesDown = spec.clients.map((c) => {
      const r = world.topology.route(spec.server, c, MODEL_BYTES);
      if (!r) throw new Error(`no route from the server to client node ${world.spec.nodes[c].name}`);
      return r;
    });
  }

  /** Schedules the first round. */
  start(): void {
    this.world.at(this.spec.start, (now) => this.startRound(0, now));
  }

  private startRound(round: number, now: number): void {
    const { spec, world } = this;
    if (round >= spec.rounds) return;
    const nodes = world.spec.nodes;
    const available: number[] = [];
    spec.clients.forEach((node, k) => {
      if (world.isUp(node) && nodes[node].trust >= spec.minTrust) available.push(k);
    });
    if (!world.isUp(spec.server) || available.length === 0) {
      // Server down or nobody to learn with: try again later, unless no one can ever come back.
      const anyAlive = !world.meters.dead[spec.server] && spec.clients.some((c) => !world.meters.dead[c]);
      if (anyAlive) world.at(now + spec.retryAfter, (t) => this.startRound(round, t));
      return;
    }
    const selected = selectClients(available, spec.fraction, this.streams.stream('training', federatedKeys.selection(round)));
    // The server may itself be a client: count each node once.
    const involved = [...new Set([spec.server, ...selected.map((k) => spec.clients[k])])];
    const energyBefore = involved.map((k) => world.energyAt(k, now));
    const global = this.global;
    const updates: ClientUpdate[] = [];
    let pending = selected.length;
    let failed = 0;
    let bytesDown = 0;
    let bytesUp = 0;
    // The round's deadline event is cancelled when every client reports first. `closed` stays:
    // transfers and computations already under way cannot be recalled, and what they report
    // after the round closed is dropped as late.
    let closed = false;
    let deadline = NO_EVENT;
    const close = (t: number): void => {
      if (closed) return;
      closed = true;
      world.cancel(deadline);
      // The server averages the updates (2 FLOP per parameter and update) before evaluating.
      world.compute(spec.server, 2 * PARAM_COUNT * Math.max(1, updates.length), spec.precision, t, (ok, end) => {
        // A server that went down before aggregating loses the round's updates.
        if (ok && updates.length > 0) this.global = applyUpdates(global, updates);
        const t0 = performance.now();
        const ev = evaluate(this.global, this.data, this.test);
        this.trainingSeconds += (performance.now() - t0) / 1000;
        const after = involved.map((k) => world.energyAt(k, end));
        const deltas = after.map((e, i) => e - energyBefore[i]);
        involved.forEach((k, i) =>
          this.energy.push({ round: round + 1, node: nodes[k].name, role: k === spec.server ? 'server' : 'client', energy_J: deltas[i] }),
        );
        const clientsJ = deltas.slice(1).reduce((a, b) => a + b, 0);
        this.rounds.push({
          round: round + 1,
          start_s: now,
          end_s: end,
          test_accuracy: ev.accuracy,
          test_loss: ev.loss,
          clients_available: available.length,
          clients_selected: selected.length,
          clients_completed: updates.length,
          clients_dropped_late: selected.length - updates.length - failed,
          clients_dropped_failed: failed,
          // A round whose every selected client dropped (late, failed) aggregates nothing: the global model is unchanged (helper-82).
          aggregated: ok && updates.length > 0 ? 1 : 0,
          bytes_down: bytesDown,
          bytes_up: bytesUp,
          energy_clients_J: clientsJ,
          energy_server_J: deltas[0],
          energy_total_J: clientsJ + deltas[0],
        });
        this.startRound(round + 1, end);
      });
    };
    const settle = (ok: boolean, t: number): void => {
      if (closed) return; // reported after the deadline: dropped as late
      if (!ok) failed++;
      if (--pending === 0) close(t);
    };
    if (Number.isFinite(spec.roundDeadline)) deadline = world.at(now + spec.roundDeadline, close);
    for (const k of selected) {
      const node = spec.clients[k];
      if (this.routesDown[k].links.length > 0) bytesDown += MODEL_BYTES;
      world.send(this.routesDown[k], MODEL_BYTES, now, (ok, t1) => {
        if (!ok || closed) return settle(ok, t1);
        // Real local training from the global model the client just received.
        const rng = this.streams.stream('training', federatedKeys.client(round, k));
        const t0 = performance.now();
        const lu = localUpdate(global, this.data, this.parts[k], spec.local, rng, spec.compression);
        this.trainingSeconds += (performance.now() - t0) / 1000;
        world.compute(node, lu.samplesProcessed * TRAINING_FLOPS_PER_SAMPLE, spec.precision, t1, (ok2, t2) => {
          if (!ok2 || closed) return settle(ok2, t2);
          const up = world.topology.route(node, spec.server, lu.bytes);
          if (!up) return settle(false, t2);
          if (up.links.length > 0) bytesUp += lu.bytes;
          world.send(up, lu.bytes, t2, (ok3, t3) => {
            if (ok3 && !closed) updates.push({ update: lu.update, samples: this.parts[k].length });
            settle(ok3, t3);
          });
        });
      });
    }
  }
}
