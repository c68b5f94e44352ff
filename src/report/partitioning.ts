/**
 * `partitioning.csv`: one row per workload × server its requests may be split with (every
 * candidate node other than the device), over the measurement window (requests born from the end
 * of warm-up on): how the requests were split, and the split in force at the end of the run. The
 * paper's Table 4 "parallelization enabled" is `parallel` (whether the devices may split at all)
 * and `split_share` (whether they did). Written by `edelear run` beside nodes.csv with
 * `policies.partitioning`.
 */
import type { Row } from '../metrics/summary.ts';
import type { NodeSpec } from '../world/node.ts';
import type { Partitioning } from '../world/partitioning.ts';
import type { WorkloadSpec } from '../world/workload.ts';

/** Columns of partitioning.csv. */
export const PARTITIONING_COLUMNS = [
  'scenario',
  'seed',
  'workload',
  'server',
  'policy',
  'pairs',
  'parallel',
  'layers',
  'k_at_end',
  'layer_at_end',
  'bytes_sent_at_end',
  'splits_at_end',
  'requests',
  'answered_on_device',
  'split_share',
  'local_share',
  'remote_share',
  'k_mean',
  'bytes_sent_mean',
] as const;

/** partitioning.csv's rows, by workload then server, in the order first met. */
export function partitioningRows(
  part: Partitioning,
  workloads: readonly WorkloadSpec[],
  candidates: ArrayLike<number>,
  nodes: readonly NodeSpec[],
  labels: { scenario: string; seed: number },
): Row[] {
  interface Group {
    workload: string;
    server: number;
    pairs: number;
    parallel: number;
    layers: number;
    names: readonly string[];
    live: ArrayLike<number>;
    atEnd: Map<number, number>;
    born: number;
    answered: number;
    split: number;
    local: number;
    kSum: number;
    bytes: number;
  }
  const groups = new Map<string, Group>();
  const { born, answered } = part;
  for (const { pair, instance } of part.pairsWithChoice()) {
    const c = part.spec.choices[pair]!;
    const wl = workloads[instance];
    const server = candidates[pair];
    const key = `${wl.group}/${server}`;
    let g = groups.get(key);
    if (!g) {
      g = { workload: wl.name, server, pairs: 0, parallel: 0, layers: c.layers, names: c.layerNames, live: c.liveBytes, atEnd: new Map(), born: 0, answered: 0, split: 0, local: 0, kSum: 0, bytes: 0 };
      groups.set(key, g);
    }
    g.pairs++;
    // The device may split when some 0 < k < L is computable on it.
    let may = false;
    for (let k = 1; k < c.layers && !may; k++) may = c.deviceSeconds[k] < Infinity;
    if (may) g.parallel++;
    const k = part.splitOf[pair];
    g.atEnd.set(k, (g.atEnd.get(k) ?? 0) + 1);
    // Requests that ran the plan: those their device's own cache answered at birth ran none of it.
    g.born += born[pair] - answered[pair];
    g.answered += answered[pair];
    g.split += part.split[pair];
    g.local += part.local[pair];
    g.kSum += part.kSum[pair];
    g.bytes += part.bytesSum[pair];
  }
  return [...groups.values()].map((g) => {
    // The splits in force at the end, most pairs first (ties: the smaller k first); k_at_end is the first.
    const atEnd = [...g.atEnd].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const k = atEnd[0][0];
    return {
      scenario: labels.scenario,
      seed: labels.seed,
      workload: g.workload,
      server: nodes[g.server].name,
      policy: part.spec.policy,
      pairs: g.pairs,
      parallel: g.parallel === g.pairs ? 'yes' : g.parallel === 0 ? 'no' : 'some',
      layers: g.layers,
      k_at_end: k,
      layer_at_end: k === 0 ? '(input: all remote)' : k === g.layers ? `${g.names[k]} (all local)` : g.names[k],
      bytes_sent_at_end: k === g.layers ? 0 : g.live[k],
      splits_at_end: atEnd.map(([split, n]) => `${split} (${n} ${n === 1 ? 'pair' : 'pairs'})`).join('; '),
      requests: g.born,
      answered_on_device: g.answered,
      split_share: g.born > 0 ? g.split / g.born : NaN,
      local_share: g.born > 0 ? g.local / g.born : NaN,
      remote_share: g.born > 0 ? (g.born - g.split - g.local) / g.born : NaN,
      k_mean: g.born > 0 ? g.kSum / g.born : NaN,
      bytes_sent_mean: g.born > 0 ? g.bytes / g.born : NaN,
    };
  });
}
