/**
 * Report tables of model partitioning, for a console, a CSV writer or a test (no I/O here):
 * every split point of one (model, device, server, state), and the split each policy chooses
 * over a range of bandwidths.
 */
import type { DnnModel } from '../../world/model.ts';
import { routeNetwork, splitCost, splitProfile, type Hop, type Radio, type SplitEnd, type SplitObjective, type SplitProfile, type SplitState } from './cost.ts';
import { PARTITIONING_POLICIES, type PartitioningPolicyName } from './registry.ts';

/** One split point's figures. */
export interface SplitRow {
  /** Layers on the device. */
  readonly k: number;
  /** The last layer on the device ("input" when none). */
  readonly after: string;
  /** fp32 bytes of the tensors live at the split (sent when k < L; the result at k = L). */
  readonly liveBytes: number;
  readonly deviceSeconds: number;
  readonly upSeconds: number;
  readonly waitSeconds: number;
  readonly serverSeconds: number;
  readonly downSeconds: number;
  readonly latencySeconds: number;
  readonly energyJoules: number;
}

/** The name of the layer a split follows. */
function after(model: DnnModel, k: number): string {
  return k === 0 ? 'input' : model.layers[k - 1].name;
}

/** Every split point k = 0 … L of a profile in a state. O(L). */
export function splitTable(profile: SplitProfile, state: SplitState): SplitRow[] {
  const rows: SplitRow[] = [];
  for (let k = 0; k <= profile.layers; k++) {
    const c = splitCost(profile, state, k);
    rows.push({
      k,
      after: after(profile.model, k),
      liveBytes: profile.liveBytes[k],
      deviceSeconds: c.device,
      upSeconds: c.up,
      waitSeconds: c.wait,
      serverSeconds: c.server,
      downSeconds: c.down,
      latencySeconds: c.latency,
      energyJoules: c.energy,
    });
  }
  return rows;
}

/** Where the device reaches the server: a first hop at the swept bandwidth, then fixed hops. */
export interface PartitionTableOptions {
  /** The first hop's delay, s (default 0). */
  readonly delay?: number;
  /** Hops after the first, fixed (default none). */
  readonly hops?: readonly Hop[];
  /** The device's radio on the first hop, J/bit (default none). */
  readonly radio?: Radio;
  /** The server's expected wait, s (default 0). */
  readonly serverWait?: number;
  /** What `edelear` minimizes (default latency). */
  readonly objective?: SplitObjective;
  /** Policies to tabulate (default all: edelear, all-local, all-remote). */
  readonly policies?: readonly PartitioningPolicyName[];
}

/** One policy's choice at one bandwidth. */
export interface PartitionRow {
  /** The first hop's bandwidth, bit/s. */
  readonly bandwidth: number;
  readonly policy: PartitioningPolicyName;
  readonly k: number;
  readonly after: string;
  /** Bytes sent from device to server (0 when all local). */
  readonly sentBytes: number;
  readonly latencySeconds: number;
  readonly energyJoules: number;
}

/**
 * The split each policy chooses, and its latency, device energy and bytes sent, at each
 * bandwidth of the device's first hop (long format: one row per bandwidth × policy).
 * O(bandwidths · policies · log L) after an O(L log L) set-up.
 */
export function partitionTable(model: DnnModel, device: SplitEnd, server: SplitEnd, bandwidths: readonly number[], options: PartitionTableOptions = {}): PartitionRow[] {
  const profile = splitProfile(model, device, server);
  const objective = options.objective ?? 'latency';
  const names = options.policies ?? (Object.keys(PARTITIONING_POLICIES) as PartitioningPolicyName[]);
  const policies = names.map((name) => PARTITIONING_POLICIES[name](profile, objective));
  const rows: PartitionRow[] = [];
  for (const bandwidth of bandwidths) {
    const network = routeNetwork([{ bandwidth, delay: options.delay ?? 0 }, ...(options.hops ?? [])], options.radio);
    const state: SplitState = { network, serverWait: options.serverWait ?? 0 };
    policies.forEach((p, i) => {
      const k = p.choose(state);
      const c = splitCost(profile, state, k);
      rows.push({ bandwidth, policy: names[i], k, after: after(model, k), sentBytes: c.sentBytes, latencySeconds: c.latency, energyJoules: c.energy });
    });
  }
  return rows;
}
