/**
 * Federated averaging (McMahan et al., "Communication-Efficient Learning of Deep Networks from
 * Decentralized Data", AISTATS 2017) and FedProx (Li et al., MLSys 2020) as pure functions:
 * client selection, one client's local update (optionally compressed), one round's weighted
 * aggregation, and a plain round loop. Nothing is timed here: the world layer decides when a
 * client's update arrives and calls these with the clients that made it, charging
 * `samples × TRAINING_FLOPS_PER_SAMPLE` of compute and `bytes` of upload for each.
 *
 * Determinism: every random choice comes from a stream keyed by what it is for
 * ({@link federatedKeys}), never from a shared sequence, so a client's update does not depend
 * on which other clients ran or in which order, and FedAvg, FedProx and compressed variants
 * run on one seed see the same selections and the same local shuffles (paired comparisons).
 */
import type { Rng, RandomStreams } from '../core/random.ts';
import type { Dataset } from './dataset.ts';
import { MLP_TENSORS, PARAM_COUNT, evaluate, trainEpochs, type Evaluation } from './mlp.ts';
import { compressUpdate, type CompressionSpec } from './compression.ts';
import type { Partition } from './partition.ts';

/** A client's model and the weight it carries in the average (its number of training samples). */
export interface ClientModel {
  readonly params: Float32Array;
  readonly samples: number;
}

/** A client's update Δ = w_local − w_global and its weight (its number of training samples). */
export interface ClientUpdate {
  readonly update: Float32Array;
  readonly samples: number;
}

/** Local training of one round, as in FedAvg's ClientUpdate(k, w). */
export interface LocalTraining {
  /** E: local epochs per round. */
  readonly epochs: number;
  /** B: local mini-batch size. */
  readonly batchSize: number;
  /** η: local learning rate. */
  readonly lr: number;
  /** Local SGD momentum (reset every round); 0 or absent = plain SGD as in the paper. */
  readonly momentum?: number;
  /** FedProx's μ; 0 or absent = FedAvg. */
  readonly mu?: number;
}

/** What one client did in one round (the inputs the world needs to time and price it). */
export interface ClientRoundResult {
  readonly client: number;
  /** Training samples the client holds: its weight in the average. */
  readonly samples: number;
  /** Samples processed locally (epochs × samples): compute = this × TRAINING_FLOPS_PER_SAMPLE. */
  readonly samplesProcessed: number;
  /** Upload size of its (compressed) update, bytes. */
  readonly bytesUp: number;
  /** Its mean training loss over its last local epoch. */
  readonly trainLoss: number;
}

/** The stream keys used for each random choice of a federated run (all in the 'training' stream). */
export const federatedKeys = {
  /** Initial global model. */
  init: 'fl/init',
  /** Which clients take part in round r. */
  selection: (round: number) => `fl/select/${round}`,
  /** Client k's local shuffles (then its stochastic rounding) in round r. */
  client: (round: number, client: number) => `fl/client/${round}/${client}`,
} as const;

/** Clients per round m = max(1, round(C · K)), K the clients available (0 if none are). */
export function clientsPerRound(fraction: number, available: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`client fraction C must be in (0, 1], got ${fraction}`);
  if (available <= 0) return 0;
  return Math.min(available, Math.max(1, Math.round(fraction * available)));
}

/**
 * Picks m = max(1, round(C · K)) of the `available` client ids uniformly without replacement
 * (partial Fisher–Yates); returned ascending, so callers iterate in a fixed order.
 */
export function selectClients(available: ArrayLike<number>, fraction: number, rng: Rng): number[] {
  const pool = Array.from(available);
  const m = clientsPerRound(fraction, pool.length);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, m).sort((a, b) => a - b);
}

/**
 * FedAvg aggregation: Σ n_k w_k / Σ n_k. Accumulated in float64 (products of a float32 and a
 * count are exact there), so averaging identical models returns that model bitwise.
 */
export function fedAvg(models: readonly ClientModel[], out: Float32Array = new Float32Array(PARAM_COUNT)): Float32Array {
  if (models.length === 0) throw new Error('FedAvg needs at least one client model');
  const mean = weightedMean(models.map((m) => ({ vector: m.params, samples: m.samples })), out.length, 'client model');
  for (let i = 0; i < out.length; i++) out[i] = mean[i];
  return out;
}

/** Σ n_k v_k / Σ n_k in float64, checking each vector's length and weight. */
function weightedMean(items: readonly { vector: Float32Array; samples: number }[], n: number, what: string): Float64Array {
  const acc = new Float64Array(n);
  let total = 0;
  for (const { vector, samples } of items) {
    if (vector.length !== n) throw new Error(`${what} has ${vector.length} values, expected ${n}`);
    if (!(samples > 0)) throw new Error(`client weight must be > 0, got ${samples}`);
    total += samples;
    for (let i = 0; i < n; i++) acc[i] += samples * vector[i];
  }
  for (let i = 0; i < n; i++) acc[i] /= total;
  return acc;
}

/**
 * Server step from updates: w_global + Σ n_k Δ_k / Σ n_k (equal to {@link fedAvg} of the
 * models w_global + Δ_k, but works on what compressed clients actually send). Returns a new
 * vector; `global` is not modified.
 */
export function applyUpdates(global: Float32Array, updates: readonly ClientUpdate[]): Float32Array {
  if (updates.length === 0) return Float32Array.from(global);
  const mean = weightedMean(updates.map((u) => ({ vector: u.update, samples: u.samples })), global.length, 'client update');
  const out = new Float32Array(global.length);
  for (let i = 0; i < out.length; i++) out[i] = global[i] + mean[i];
  return out;
}

/**
 * One client's round: copy the global model, train E local epochs on its rows (FedProx if
 * μ > 0), and return its update Δ = w_local − w_global after compression (the update the
 * server will see) with its wire size. `rng` drives the shuffles, then stochastic rounding.
 */
export function localUpdate(
  global: Float32Array,
  data: Dataset,
  rows: Int32Array,
  local: LocalTraining,
  rng: Rng,
  compression: CompressionSpec = { kind: 'none' },
): { update: Float32Array; bytes: number; samplesProcessed: number; trainLoss: number } {
  const w = Float32Array.from(global);
  const mu = local.mu ?? 0;
  const trained = trainEpochs(w, data, rows, {
    epochs: local.epochs,
    batchSize: local.batchSize,
    lr: local.lr,
    momentum: local.momentum,
    prox: mu > 0 ? { mu, global } : undefined,
    rng,
  });
  for (let i = 0; i < w.length; i++) w[i] -= global[i];
  const { update, bytes } = compressUpdate(w, compression, MLP_TENSORS, rng);
  return { update, bytes, samplesProcessed: trained.samples, trainLoss: trained.loss };
}

/**
 * One synchronous round over the `selected` clients: each runs {@link localUpdate} from the
 * same global model with its own keyed stream, and the server applies the sample-weighted
 * mean update. Returns the new global model (the input is not modified).
 */
export function federatedRound(
  global: Float32Array,
  data: Dataset,
  parts: Partition,
  selected: readonly number[],
  local: LocalTraining,
  streams: RandomStreams,
  round: number,
  compression: CompressionSpec = { kind: 'none' },
): { global: Float32Array; clients: ClientRoundResult[] } {
  const updates: ClientUpdate[] = [];
  const clients: ClientRoundResult[] = [];
  for (const k of selected) {
    const rows = parts[k];
    if (!rows) throw new Error(`client ${k} does not exist (${parts.length} clients)`);
    const r = localUpdate(global, data, rows, local, streams.stream('training', federatedKeys.client(round, k)), compression);
    updates.push({ update: r.update, samples: rows.length });
    clients.push({ client: k, samples: rows.length, samplesProcessed: r.samplesProcessed, bytesUp: r.bytes, trainLoss: r.trainLoss });
  }
  return { global: applyUpdates(global, updates), clients };
}

/** Options of {@link runFederated}. */
export interface FederatedOptions {
  /** Communication rounds T. */
  readonly rounds: number;
  /** C: fraction of available clients selected each round. */
  readonly fraction: number;
  readonly local: LocalTraining;
  readonly compression?: CompressionSpec;
  /** Run seed's streams; every choice uses the 'training' stream keyed by {@link federatedKeys}. */
  readonly streams: RandomStreams;
  /** Rows to evaluate the global model on after each round (absent: no evaluation). */
  readonly evaluateOn?: Int32Array;
  /** Client ids available in round r (default: all); e.g. those whose device is up. */
  readonly available?: (round: number) => readonly number[];
}

/** One round of a {@link runFederated} history. */
export interface RoundRecord {
  readonly round: number;
  readonly clients: readonly ClientRoundResult[];
  /** The global model after the round, on `evaluateOn` (absent if not evaluated). */
  readonly evaluation?: Evaluation;
}

/**
 * The plain synchronous FedAvg/FedProx loop (no timing): T rounds of select → local updates →
 * aggregate, from `init` (not modified). Returns the final global model and per-round records.
 */
export function runFederated(
  init: Float32Array,
  data: Dataset,
  parts: Partition,
  opts: FederatedOptions,
): { params: Float32Array; history: RoundRecord[] } {
  let global: Float32Array = Float32Array.from(init);
  const all = parts.map((_, k) => k);
  const history: RoundRecord[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const available = opts.available ? opts.available(round) : all;
    const selected = selectClients(available, opts.fraction, opts.streams.stream('training', federatedKeys.selection(round)));
    const r = federatedRound(global, data, parts, selected, opts.local, opts.streams, round, opts.compression);
    global = r.global;
    history.push({
      round,
      clients: r.clients,
      evaluation: opts.evaluateOn ? evaluate(global, data, opts.evaluateOn) : undefined,
    });
  }
  return { params: global, history };
}
