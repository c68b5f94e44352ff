/**
 * Where a run's time goes, by V8's sampling profiler (node:inspector, in this process): a profile
 * of one call, and the share of a loop's samples spent under given functions. V8 reports inlined
 * functions as frames of their own, so a function inlined into its caller still counts as itself.
 */
import { Session } from 'node:inspector/promises';

/** A frame to look for: a function (any, when `functions` is absent) of a source file, by the end of its URL. */
export interface Frame {
  readonly file: string;
  readonly functions?: readonly string[];
}

/** Frames counted together. */
export interface FrameGroup {
  readonly name: string;
  readonly frames: readonly Frame[];
}

/** The parts of a V8 CPU profile read here (a call tree of nodes; one node id per sample). */
export interface SampledProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string }; readonly children?: readonly number[] }[];
  readonly samples: readonly number[];
}

/** Runs `f` under V8's sampling profiler, a sample every `intervalMicros` µs. */
export async function sampledProfile(f: () => void, intervalMicros = 100): Promise<SampledProfile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
    await session.post('Profiler.start');
    f();
    const { profile } = await session.post('Profiler.stop');
    return profile as unknown as SampledProfile;
  } finally {
    session.disconnect();
  }
}

/**
 * Shares of the loop's samples (those with a `loop` frame on their stack) whose stack holds a
 * frame of each group; a sample counts once per group, however deep or often its frames appear.
 * Samples are taken at a fixed interval, so a share of samples estimates a share of time.
 */
export function sampleShares(profile: SampledProfile, groups: readonly FrameGroup[], loop: Frame): { loopSamples: number; shares: Map<string, number> } {
  type Node = SampledProfile['nodes'][number];
  const parent = new Map<number, number>();
  const byId = new Map<number, Node>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const matches = (n: Node, f: Frame) => n.callFrame.url.endsWith(f.file) && (f.functions === undefined || f.functions.includes(n.callFrame.functionName));
  // Per call-tree node: whether it lies under the loop and under each group (memoized from the root down).
  const memo = new Map<number, { loop: boolean; in: boolean[] }>();
  const classify = (id: number): { loop: boolean; in: boolean[] } => {
    const m = memo.get(id);
    if (m) return m;
    const n = byId.get(id)!;
    const p = parent.get(id);
    const up = p === undefined ? { loop: false, in: groups.map(() => false) } : classify(p);
    const r = { loop: up.loop || matches(n, loop), in: groups.map((g, j) => up.in[j] || g.frames.some((f) => matches(n, f))) };
    memo.set(id, r);
    return r;
  };
  let loopSamples = 0;
  const counts = groups.map(() => 0);
  for (const id of profile.samples) {
    const c = classify(id);
    if (!c.loop) continue;
    loopSamples++;
    c.in.forEach((x, j) => x && counts[j]++);
  }
  return { loopSamples, shares: new Map(groups.map((g, j) => [g.name, loopSamples > 0 ? counts[j] / loopSamples : NaN])) };
}
