/**
 * How the training samples are spread over K federated clients: IID, label-skewed by a
 * Dirichlet(α) draw per class (Hsu, Qi and Brown 2019), or McMahan et al.'s (AISTATS 2017)
 * pathological "shards" split. A partition is one ascending Int32Array of dataset rows per
 * client; every training index lands in exactly one client, every client gets ≥ 1 sample,
 * and the result depends only on (indices, labels, parameters, rng state).
 */
import type { Rng } from '../core/random.ts';
import { gamma } from '../core/distributions.ts';
import { MNIST_CLASSES, shuffleInPlace } from './dataset.ts';

/** Client k's dataset rows, ascending; one entry per client. */
export type Partition = Int32Array[];

/** A partition scheme as a scenario would name it. */
export type PartitionSpec =
  | { readonly kind: 'iid' }
  | { readonly kind: 'dirichlet'; readonly alpha: number }
  | { readonly kind: 'shards'; readonly shardsPerClient: number };

function checkClients(n: number, clients: number, need = clients): void {
  if (!Number.isInteger(clients) || clients < 1) throw new Error(`clients must be a positive integer, got ${clients}`);
  if (n < need) throw new Error(`${n} samples cannot give each of ${clients} clients at least one (need ≥ ${need})`);
}

function sorted(lists: number[][]): Partition {
  return lists.map((l) => Int32Array.from(l).sort());
}

/**
 * IID: one seeded shuffle, then client k takes the k-th of K contiguous slices whose sizes
 * differ by at most one (the first n mod K clients get the extra sample).
 */
export function partitionIid(indices: ArrayLike<number>, clients: number, rng: Rng): Partition {
  checkClients(indices.length, clients);
  const order = shuffleInPlace(Int32Array.from(indices), rng);
  const n = order.length;
  const base = Math.floor(n / clients);
  const extra = n % clients;
  const parts: Partition = [];
  let at = 0;
  for (let k = 0; k < clients; k++) {
    const size = base + (k < extra ? 1 : 0);
    parts.push(order.slice(at, at + size).sort());
    at += size;
  }
  return parts;
}

/**
 * Label skew by Dirichlet(α): for each class c (in label order) its samples are shuffled and
 * cut among the K clients in proportions p ~ Dir(α·1_K), drawn as K Gamma(α, 1) variates
 * normalized (cut points rounded from the cumulative proportions, so each class is covered
 * exactly). Small α gives each client few classes; large α approaches IID.
 *
 * At least one sample per client is guaranteed by repair, not by re-drawing (which may loop
 * for a long time at small α): while some client is empty, the currently largest client (lowest
 * id on ties) hands it its most recently assigned sample. This moves at most K − 1 samples
 * and terminates always; it needs n ≥ K.
 */
export function partitionDirichlet(
  indices: ArrayLike<number>,
  labels: Uint8Array,
  clients: number,
  alpha: number,
  rng: Rng,
  classes: number = MNIST_CLASSES,
): Partition {
  checkClients(indices.length, clients);
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new Error(`Dirichlet α must be a positive number, got ${alpha}`);
  const byClass = groupByLabel(indices, labels, classes);
  const lists: number[][] = Array.from({ length: clients }, () => []);
  const g = gamma(alpha, 1);
  const p = new Float64Array(clients);
  for (let c = 0; c < classes; c++) {
    const members = shuffleInPlace(byClass[c], rng);
    let sum = 0;
    for (let k = 0; k < clients; k++) sum += p[k] = g.sample(rng);
    if (!(sum > 0)) {
      // Every draw underflowed (possible only for tiny α): the limit of Dir(α → 0) is one
      // client taking the whole class, so pick that client uniformly.
      p.fill(0);
      p[Math.min(clients - 1, Math.floor(rng() * clients))] = 1;
      sum = 1;
    }
    let cum = 0;
    let from = 0;
    for (let k = 0; k < clients; k++) {
      cum += p[k];
      const to = k === clients - 1 ? members.length : Math.min(members.length, Math.round((members.length * cum) / sum));
      for (let t = from; t < to; t++) lists[k].push(members[t]);
      from = Math.max(from, to);
    }
  }
  for (let k = 0; k < clients; k++) {
    if (lists[k].length > 0) continue;
    let donor = 0;
    for (let d = 1; d < clients; d++) if (lists[d].length > lists[donor].length) donor = d;
    lists[k].push(lists[donor].pop()!);
  }
  return sorted(lists);
}

/**
 * McMahan et al.'s shards: sort by label, cut into K·s shards, give each client s shards
 * chosen by a seeded permutation. Where K·s ≥ the number of classes present, shards are cut
 * within each class (class c gets a number of shards proportional to its size, at least one,
 * by the D'Hondt rule), so no shard straddles two labels and every client holds at most s
 * classes; McMahan's single cut of the sorted list lets a few shards straddle a boundary.
 * With fewer shards than classes, the sorted list is cut into K·s contiguous shards as in the
 * paper (then a shard spans several labels). Shards are never empty, so every client gets
 * ≥ 1 sample; this needs n ≥ K·s.
 */
export function partitionShards(
  indices: ArrayLike<number>,
  labels: Uint8Array,
  clients: number,
  shardsPerClient: number,
  rng: Rng,
  classes: number = MNIST_CLASSES,
): Partition {
  if (!Number.isInteger(shardsPerClient) || shardsPerClient < 1) {
    throw new Error(`shards per client must be a positive integer, got ${shardsPerClient}`);
  }
  checkClients(indices.length, clients, clients * shardsPerClient);
  const total = clients * shardsPerClient;
  const byClass = groupByLabel(indices, labels, classes).map((m) => m.sort());
  const present = byClass.filter((m) => m.length > 0);
  const shards: Int32Array[] = [];
  if (total >= present.length) {
    const counts = present.map(() => 1);
    for (let given = present.length; given < total; given++) {
      let best = 0;
      for (let c = 1; c < present.length; c++) {
        if (present[c].length / counts[c] > present[best].length / counts[best]) best = c;
      }
      counts[best]++;
    }
    present.forEach((m, c) => cutInto(m, counts[c], shards));
  } else {
    const all = new Int32Array(indices.length);
    let at = 0;
    for (const m of present) {
      all.set(m, at);
      at += m.length;
    }
    cutInto(all, total, shards);
  }
  const order = shuffleInPlace(Int32Array.from({ length: total }, (_, i) => i), rng);
  const lists: number[][] = Array.from({ length: clients }, () => []);
  for (let t = 0; t < total; t++) {
    const k = Math.floor(t / shardsPerClient);
    for (const row of shards[order[t]]) lists[k].push(row);
  }
  return sorted(lists);
}

/** Builds the partition a {@link PartitionSpec} names. */
export function partition(
  spec: PartitionSpec,
  indices: ArrayLike<number>,
  labels: Uint8Array,
  clients: number,
  rng: Rng,
): Partition {
  switch (spec.kind) {
    case 'iid':
      return partitionIid(indices, clients, rng);
    case 'dirichlet':
      return partitionDirichlet(indices, labels, clients, spec.alpha, rng);
    case 'shards':
      return partitionShards(indices, labels, clients, spec.shardsPerClient, rng);
  }
}

/** How many of `rows` carry each label. */
export function labelCounts(rows: ArrayLike<number>, labels: Uint8Array, classes: number = MNIST_CLASSES): Int32Array {
  const counts = new Int32Array(classes);
  for (let t = 0; t < rows.length; t++) counts[labels[rows[t]]]++;
  return counts;
}

/** Shannon entropy (bits) of the label distribution of `rows`: log2(10) ≈ 3.32 is uniform, 0 one class. */
export function labelEntropy(rows: ArrayLike<number>, labels: Uint8Array, classes: number = MNIST_CLASSES): number {
  const counts = labelCounts(rows, labels, classes);
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const q = c / rows.length;
    h -= q * Math.log2(q);
  }
  return h;
}

function groupByLabel(indices: ArrayLike<number>, labels: Uint8Array, classes: number): Int32Array[] {
  const counts = new Int32Array(classes);
  for (let t = 0; t < indices.length; t++) {
    const l = labels[indices[t]];
    if (l >= classes) throw new Error(`label ${l} of row ${indices[t]} is not below ${classes}`);
    counts[l]++;
  }
  const groups = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(classes);
  for (let t = 0; t < indices.length; t++) {
    const l = labels[indices[t]];
    groups[l][fill[l]++] = indices[t];
  }
  return groups;
}

/** Cuts `rows` into `count` contiguous non-empty pieces whose sizes differ by at most one. */
function cutInto(rows: Int32Array, count: number, out: Int32Array[]): void {
  const base = Math.floor(rows.length / count);
  const extra = rows.length % count;
  let at = 0;
  for (let s = 0; s < count; s++) {
    const size = base + (s < extra ? 1 : 0);
    out.push(rows.slice(at, at + size));
    at += size;
  }
}
