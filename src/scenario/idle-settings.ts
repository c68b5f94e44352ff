/**
 * Settings a scenario may write that change nothing in its run: legal, and most likely a slip (a
 * cache no request looks anything up in, an allocation with no partitioned node to allocate, a run
 * with nothing to simulate, a model that computes in no time). Each is a build warning at its path
 * (`BuiltWorldSpec.buildWarnings`; `--strict`: an error), never a silent default.
 */
import type { Scenario } from './schema.ts';
import type { NodeSpec } from '../world/node.ts';
import type { WorkloadSpec } from '../world/workload.ts';
import { admissionKinds } from './admission.ts';

/** A build warning: where in the scenario, and what to say. */
export interface IdleSetting {
  readonly path: PropertyKey[];
  readonly message: string;
  readonly idle: true;
}

/** Every idle setting of a built scenario, in the order of the file's sections. */
export function idleSettings(s: Scenario, workloads: readonly WorkloadSpec[], nodes: readonly NodeSpec[], entryOf: readonly number[], reach?: CacheReach): IdleSetting[] {
  return [...idleCaches(s, workloads, entryOf, reach), ...nothingToSimulate(s), ...freeModels(s, workloads), ...idleAllocation(s), ...idleAdmission(s, nodes, entryOf), ...idlePrivacy(nodes, s), ...noTick(s)];
}

/**
 * Which workload instances' requests may look their input up at a node: `reaches(i, k)` — at their
 * device, on a route from it to one of their candidates, or at that candidate (scenario/build.ts,
 * from the topology; absent: every instance is taken to reach every cache).
 */
export interface CacheReach {
  reaches(i: number, k: number): boolean;
}

/**
 * Caches no request can look anything up in: no workload declares `inputs`, so requests carry no
 * input key; and caches counted in bytes smaller than every result the keyed workloads whose
 * requests pass them return (`reach`; helper-87: it compared with every keyed workload's), which
 * admit nothing while every lookup still costs its time (helper-86). Each at its path.
 */
function idleCaches(s: Scenario, workloads: readonly WorkloadSpec[], entryOf: readonly number[], reach?: CacheReach): IdleSetting[] {
  if (!s.workloads.some((w) => w.inputs !== undefined)) {
    return s.nodes.flatMap((n, i) =>
      n.cache === undefined ? [] : [{ path: ['nodes', i, 'cache'], message: 'no workload declares inputs (workloads[].inputs: { zipf, catalog }), so no request carries an input key and this cache is never looked up (0 lookups)', idle: true }],
    );
  }
  const keyed = workloads.filter((w) => w.inputs !== undefined);
  const least = keyed.reduce((m, w) => Math.min(m, w.resultBytes), Infinity); // not Math.min(...): a spread of 10^5 instances overflows the stack (helper-87)
  const most = keyed.reduce((m, w) => Math.max(m, w.resultBytes), 0);
  // Per entry, its nodes (an entry of `count` nodes is one cache per node, alike).
  const nodesOf = new Map<number, number[]>();
  entryOf.forEach((e, k) => {
    let list = nodesOf.get(e);
    if (!list) nodesOf.set(e, (list = []));
    list.push(k);
  });
  return s.nodes.flatMap((n, i) => {
    const c = n.cache?.capacity;
    if (c === undefined || c.unit !== 'bytes' || !(c.value < most)) return [];
    if (c.value < least) {
      return [{ path: ['nodes', i, 'cache', 'capacity'], message: `${c.value} B holds no result (the smallest a workload with inputs returns is ${least} B): the cache admits nothing, and every lookup still takes its time and energy`, idle: true as const }];
    }
    if (reach === undefined) return [];
    // Between the smallest and the largest result: the smallest of those whose requests pass one of its nodes.
    let passing = Infinity;
    for (const k of nodesOf.get(i) ?? []) {
      workloads.forEach((w, x) => {
        if (w.inputs !== undefined && w.resultBytes < passing && reach.reaches(x, k)) passing = w.resultBytes;
      });
    }
    if (!(c.value < passing) || passing === Infinity) return [];
    return [{ path: ['nodes', i, 'cache', 'capacity'], message: `${c.value} B holds no result of the requests that pass it (the smallest they return is ${passing} B): the cache admits nothing, and every lookup still takes its time and energy`, idle: true as const }];
  });
}

/** No workload and no learning section: the run generates nothing, and every figure is blank. */
function nothingToSimulate(s: Scenario): IdleSetting[] {
  if (s.workloads.length > 0 || s.learning !== undefined) return [];
  return [{ path: ['workloads'], message: 'no workload and no learning section: the run generates no request, and every figure per request is blank (add a workload: { name, on, model, arrivals })', idle: true }];
}

/** Models whose layers add up to 0 FLOP that a workload runs: every request computes in no time and no energy. */
function freeModels(s: Scenario, workloads: readonly WorkloadSpec[]): IdleSetting[] {
  const free = new Set(workloads.filter((w) => w.model.flops === 0).map((w) => w.model.name));
  return s.workloads.flatMap((w, i) =>
    free.has(w.model) ? [{ path: ['workloads', i, 'model'], message: `model ${w.model} has 0 FLOP in all its layers: its requests compute in 0 s and 0 J, so the latency is transfers and waits only (give its layers their flops: 2 × multiply-accumulates)`, idle: true }] : [],
  );
}

/** An allocation written where no node is partitioned: there is nothing to allocate, and the setting changes nothing. */
function idleAllocation(s: Scenario): IdleSetting[] {
  // The scenario's entries, not the built nodes: under allocation none a partitioned entry is built first come, first served.
  if (s.policies.allocation === undefined || s.nodes.some((n) => typeof n.scheduler === 'object' && 'partitioned' in n.scheduler)) return [];
  return [{ path: ['policies', 'allocation'], message: `no node is partitioned (a node's scheduler: { partitioned: { … } }), so allocation "${s.policies.allocation}" has nothing to allocate and changes nothing`, idle: true }];
}

/** Admission on a node whose kind no workload declares a utilization for: it books nothing and refuses nothing (helper-88). */
function idleAdmission(s: Scenario, nodes: readonly NodeSpec[], entryOf: readonly number[]): IdleSetting[] {
  const booked = admissionKinds(s);
  const said = new Set<number>();
  return nodes.flatMap((n, k) => {
    const i = entryOf[k];
    if (s.nodes[i].admission === undefined || booked.has(n.kind) || said.has(i)) return [];
    said.add(i);
    return [{ path: ['nodes', i, 'admission'], message: `no workload declares a vmUtilization for a node of kind ${n.kind} (workloads[].vmUtilization: { ${n.kind}: … }), so this admission control books nothing and refuses nothing: the node's queue is not bounded by it`, idle: true as const }];
  });
}

/** A privacy level where every node's trust is the default 1: every node may hold the data, so the level limits nothing (helper-88). */
function idlePrivacy(nodes: readonly NodeSpec[], s: Scenario): IdleSetting[] {
  if (nodes.some((n) => n.trust < 1)) return [];
  const lp = (p: unknown) => (typeof p === 'object' && p !== null && 'lp' in p ? (p as { lp: { privacy?: number } }).lp : undefined);
  const out: IdleSetting[] = [];
  const at = lp(s.policies.placement);
  if (at?.privacy !== undefined && at.privacy > 0) out.push({ path: ['policies', 'placement', 'lp', 'privacy'], message: `no node declares a trust below 1 (nodes[].trust, default 1), so every node may hold the data and privacy ${at.privacy} limits nothing`, idle: true });
  s.workloads.forEach((w, i) => {
    const own = lp(w.placement);
    if (own?.privacy !== undefined && own.privacy > 0) out.push({ path: ['workloads', i, 'placement', 'lp', 'privacy'], message: `no node declares a trust below 1 (nodes[].trust, default 1), so every node may hold the data and privacy ${own.privacy} limits nothing`, idle: true });
  });
  return out;
}

/** A monitoring interval no shorter than the run: no tick comes, so nothing decided at ticks is decided again (helper-88: the allocation was off in silence). */
function noTick(s: Scenario): IdleSetting[] {
  const interval = s.policies.interval;
  if (interval === undefined || interval < s.duration) return [];
  return [{ path: ['policies', 'interval'], message: `${interval} s is not shorter than the run (${s.duration} s): no tick comes before its end, so what is re-decided at ticks (the allocation’s shares, lp plans, model partitioning’s splits, least-loaded choices) stays as the run starts`, idle: true }];
}
