import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../../src/metrics/collectors.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { leastLoadedPlacement } from '../../src/policies/placement/least-loaded.ts';
import { roundRobinPlacement } from '../../src/policies/placement/round-robin.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import type { ResultCache } from '../../src/world/observer.ts';
import { type PlacementPolicy, PlacementTable } from '../../src/world/placement.ts';
import { World, type WorldSpec } from '../../src/world/world.ts';
import { node, spec, workload } from './fixtures.ts';

/** A placement over explicit candidates (instance i may run on candidates[i]) with one policy. */
function placedBy(policy: PlacementPolicy, candidates: number[][]): WorldSpec['placement'] {
  const start = [0];
  for (const c of candidates) start.push(start[start.length - 1] + c.length);
  return { candidates: Int32Array.from(candidates.flat()), start: Int32Array.from(start), policies: [policy], policyOf: new Int32Array(candidates.length) };
}

const fast: LinkSpec = { a: 0, b: 1, bandwidth: 8000, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 };

describe('request plans', () => {
  it('a cache hit ends the plan at the lookup: the result goes back from there and nothing is computed', () => {
    // 1000 B in at 8 kbit/s = 1 s, 400 B back = 0.4 s; the cache at node e holds even keys only.
    const cache: ResultCache = {
      has: (k) => k === 1,
      cacheable: () => true,
      lookupTime: () => 0,
      lookupEnergy: () => 0,
      lookup: (_k, _i, key) => key % 2 === 0,
      insert: () => {},
      saved: () => {},
      start: () => {},
    };
    const base = spec({ nodes: [node('d'), node('e')], links: [fast], workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0, 10) })], targets: Int32Array.of(1), duration: 100 });
    const s: WorldSpec = { ...base, cache, workloads: [{ ...base.workloads[0], inputs: { mean: 0.5, sample: (() => { let n = 0; return () => n++; })() } }] };
    const r = simulate(s, { trace: true });
    const rows = r.metrics.trace!;
    // Key 0: hit → 1 s + 0.4 s, no compute. Key 1: miss → 1 s + 1 s compute + 0.4 s.
    expect(rows.map((t) => [t[13], t[11]])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(rows[0][7]).toBeCloseTo(1.4, 12);
    expect(rows[1][7]).toBeCloseTo(2.4, 12);
    // The hit never computed, yet its row names the node that answered it.
    expect(rows.map((t) => t[3])).toEqual(['e', 'e']);
    expect(r.world.meters.totals(1).served).toBe(1);
  });
});

describe('run-time placement', () => {
  it('the placement table keeps the one-candidate fast path in step with the plan installed', () => {
    // Instance 0 has candidates [5, 6, 7] at pairs 0–2, instance 1 [8, 9] at pairs 3–4.
    const table = new PlacementTable(Int32Array.of(5, 6, 7, 8, 9), Int32Array.of(0, 3, 5), () => 0.5);
    expect(Array.from(table.fixed)).toEqual([0, 3]); // before any plan: the first candidate
    table.setSingle(1, 1);
    expect(table.fixed[1]).toBe(4);
    table.setWeights(0, [1, 1, 0]);
    expect(table.fixed[0]).toBe(-1);
    expect(table.pick(0)).toBe(1); // u = 0.5 falls in the second half
    table.setRotation(1);
    expect(table.fixed[1]).toBe(-1);
    table.setSingle(0, 2);
    table.setAsk(1);
    expect(Array.from(table.fixed)).toEqual([2, -1]);
  });

  it('round-robin sends an instance\'s requests to its candidates in turn', () => {
    const s = spec({
      nodes: [node('d'), node('e1'), node('e2')],
      links: [fast, { ...fast, b: 2 }],
      workloads: [workload(0, { kind: 'periodic', period: 5, offset: 0 })],
      targets: Int32Array.of(0),
      duration: 30,
    });
    const r = simulate({ ...s, placement: placedBy(roundRobinPlacement({ tiers: [], nodes: [] }), [[1, 2]]) }, { trace: true });
    // Arrivals at 0, 5, …, 30 s; the one at 30 s is still on its way at the end.
    expect(r.metrics.trace!.map((t) => t[3])).toEqual(['e1', 'e2', 'e1', 'e2', 'e1', 'e2']);
  });

  it('least-loaded re-planned at every tick moves requests off the node that is loaded at the tick', () => {
    // Jobs of 1 s arrive every 0.5 s: one node alone would build a queue; re-planned every 2 s,
    // the plan switches at each tick to the node the last interval left empty.
    const s = spec({
      nodes: [node('d', { throughput: { fp32: 1e15 } }), node('e1'), node('e2')],
      links: [{ ...fast, bandwidth: 1e12 }, { ...fast, bandwidth: 1e12, b: 2 }],
      workloads: [workload(0, { kind: 'periodic', period: 0.5, offset: 0.25 })],
      targets: Int32Array.of(0),
      duration: 100,
    });
    const policy = leastLoadedPlacement({ tiers: [], nodes: [] }, { perRequest: false });
    const world = new World({ ...s, interval: 2, placement: placedBy(policy, [[1, 2]]) }, new RunMetrics(s, 0));
    world.run();
    // Both nodes served about half; the view measured the arrival rate (2/s) and each node's
    // utilization over the last interval (2 slot-seconds of work per second in all).
    expect(world.meters.totals(1).served + world.meters.totals(2).served).toBeGreaterThan(190);
    expect(Math.abs(world.meters.totals(1).served - world.meters.totals(2).served)).toBeLessThanOrEqual(4);
    expect(world.view.arrivalRate(0)).toBeCloseTo(2, 9);
    expect(world.view.utilization(1) + world.view.utilization(2)).toBeCloseTo(2, 9);
  });
});

describe('the world view', () => {
  it('keeps recent latencies only while something reads the view during the run', () => {
    // Jobs of 1 s every 2 s on an idle node over a link of 10^12 bit/s: every latency is 1 s
    // (plus 2 × 8,000 bits of transfer at 10^12 bit/s). Nothing reads the view without ticks or a
    // per-request policy, so the run skips the average; a policy re-planned at ticks gets it.
    const s = spec({
      nodes: [node('d', { throughput: { fp32: 1e15 } }), node('e1')],
      links: [{ ...fast, bandwidth: 1e12 }],
      workloads: [workload(0, { kind: 'periodic', period: 2, offset: 0.25 })],
      targets: Int32Array.of(1),
      duration: 20,
    });
    const unwatched = new World(s, new RunMetrics(s, 0));
    unwatched.run();
    expect(unwatched.completedCount).toBe(10);
    expect(unwatched.view.tracksLatency).toBe(false);
    expect(unwatched.view.recentLatency(0)).toBeNaN();
    const policy = leastLoadedPlacement({ tiers: [], nodes: [] }, { perRequest: false });
    const watched = new World({ ...s, interval: 2, placement: placedBy(policy, [[1]]) }, new RunMetrics(s, 0));
    watched.run();
    expect(watched.completedCount).toBe(10);
    expect(watched.view.tracksLatency).toBe(true);
    expect(watched.view.recentLatency(0)).toBeCloseTo(1, 6);
  });
});

describe('schedulers', () => {
  it('a change of tenant shares re-times the work in service at once', () => {
    // A 1 s job (1 GFLOP at 1 GFLOP/s) of tenant 0 at half the node would end at 2 s; at 0.5 s
    // (0.25 s of work done) the tenant gets the whole node: the 0.75 s left end at 1.25 s.
    const s = spec({ nodes: [node('d', { scheduler: 'partitioned', shares: [0.5, 0.5] })], workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0) })], targets: Int32Array.of(0), duration: 10 });
    const metrics = new RunMetrics(s, 0, { trace: true });
    const world = new World(s, metrics);
    world.at(0.5, (now) => world.setShares(0, [1, 0], now));
    world.run();
    expect(metrics.trace![0][7]).toBeCloseTo(1.25, 12);
    // Busy: half a slot for 0.5 s, then a whole one for 0.75 s.
    expect(world.meters.totals(0).busyArea).toBeCloseTo(0.25 + 0.75, 12);
  });

  it('processor sharing: two 1 s jobs arriving together on one slot both end at 2 s', () => {
    const s = spec({ nodes: [node('d', { scheduler: 'processor-sharing' })], workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0, 0) })], targets: Int32Array.of(0), duration: 10 });
    const r = simulate(s, { trace: true });
    expect(r.metrics.trace!.map((t) => t[5])).toEqual([2, 2]);
    expect(r.world.meters.totals(0).busyArea).toBeCloseTo(2, 12);
  });

  it('a process job at a node that dies is lost when it dies, not when it would have ended', () => {
    // A 10 s job on a 1-slot node at 3 W with a 7.5 J battery: it dies at 2.5 s.
    const s = spec({ nodes: [node('d', { battery: 7.5 })], workloads: [], targets: new Int32Array(0), duration: 20 });
    const world = new World(s, new RunMetrics(s, 0));
    const ended: string[] = [];
    world.at(0, (now) => world.compute(0, 1e10, 'fp32', now, (ok, t) => ended.push(`${ok} ${t}`)));
    world.run();
    expect(ended).toEqual(['false 2.5']);
  });
});

describe('links charge what they send, when they send it', () => {
  it("a transfer whose radio energy empties its sender's battery is lost when the battery runs out mid-way, and the battery pays exactly its capacity (helper-90: it died at the transfer's start)", () => {
    // 1000 B = 8000 bit at 1 mJ/bit costs 8 J, sent over 1 s at 8 kbit/s: the radio draws 8 W from
    // t = 1 s. The device has 5 J (and no other power): it is empty at 1 + 5/8 = 1.625 s.
    const s = spec({
      nodes: [node('d', { battery: 5, power: { idle: 0, busy: 0 } }), node('e')],
      links: [{ ...fast, txEnergyPerBit: 1e-3 }],
      workloads: [workload(0, { kind: 'trace', times: Float64Array.of(1) })],
      targets: Int32Array.of(1),
      duration: 10,
    });
    const r = simulate(s, { trace: true });
    // The loss is found where the transfer would have arrived (1 s of transmission, no delay), as for a sender that fails mid-way.
    expect(r.metrics.trace!.map((t) => `${t[5]}:${t[6]}`)).toEqual(['2:dropped:battery-empty']);
    // Lost before any compute, it is traced at the node its plan was heading to.
    expect(r.metrics.trace![0][3]).toBe('e');
    expect(r.world.batteries.emptyAt[0]).toBeCloseTo(1.625, 12);
    expect(r.world.meters.totals(0).radioTx).toBeCloseTo(5, 12);
    // The request charged the 8 J when its transfer began, and keeps the 5 J drawn (helper-92: it kept 8).
    expect(r.metrics.all.droppedEnergy).toBeCloseTo(5, 12);
    expect(r.world.meters.totals(1).served).toBe(0);
  });

  it('a battery drains at its idle power plus its radio power while it sends, and runs out at the time and energy that gives', () => {
    // Idle 1 W; 8 kbit/s at 0.5 mJ/bit: 4 W while sending. Requests of 1000 B (1 s on the link) at
    // 0, 2, 4, …: per 2 s, 1 s at 5 W and 1 s at 1 W = 6 J. A 20 J battery: 3 periods (18 J) by
    // t = 6, then 2 J at 5 W from t = 6: empty at 6.4 s.
    const s = spec({
      nodes: [node('d', { battery: 20, power: { idle: 1, busy: 1 } }), node('e')],
      links: [{ ...fast, txEnergyPerBit: 5e-4 }],
      workloads: [workload(0, { kind: 'periodic', period: 2, offset: 0 })],
      targets: Int32Array.of(1),
      duration: 20,
    });
    const r = simulate(s);
    expect(r.world.batteries.emptyAt[0]).toBeCloseTo(6.4, 12);
    expect(r.world.meters.energy(0)).toBeCloseTo(20, 12);
  });

  it('the energy a node drew by a time counts a transmission under way by what it has sent (the rounds of fl_energy.csv read it; helper-92)', () => {
    // 8 J over 1 s from t = 1 at the sender (idle 0): 4 J drawn by 1.5 s, 8 J by 2 s; the meters charged all 8 J at 1 s.
    const s = spec({
      nodes: [node('d', { power: { idle: 0, busy: 0 } }), node('e')],
      links: [{ ...fast, txEnergyPerBit: 1e-3 }],
      workloads: [workload(0, { kind: 'trace', times: Float64Array.of(1) })],
      targets: Int32Array.of(1),
      duration: 10,
    });
    const read: number[] = [];
    simulate(s, { attach: (w) => [1.5, 2.5].forEach((t) => w.at(t, (now) => read.push(w.energyAt(0, now)))) });
    expect(read[0]).toBeCloseTo(4, 12);
    expect(read[1]).toBeCloseTo(8, 12);
  });

  it("a receiver whose battery runs out mid-way pays for the bits it received only", () => {
    // The edge receives on a battery: 8 kbit/s at 1 mJ/bit received = 8 W while receiving, idle 0. It
    // has 2 J: it runs out 0.25 s into the first 1 s transfer (from t = 1), and pays 2 J, not 8.
    const s = spec({
      nodes: [node('d', { power: { idle: 0, busy: 0 } }), node('e', { battery: 2, power: { idle: 0, busy: 0 } })],
      links: [{ ...fast, rxEnergyPerBit: 1e-3 }],
      workloads: [workload(0, { kind: 'trace', times: Float64Array.of(1) })],
      targets: Int32Array.of(1),
      duration: 10,
    });
    const r = simulate(s);
    expect(r.world.batteries.emptyAt[1]).toBeCloseTo(1.25, 12);
    expect(r.world.meters.totals(1).radioRx).toBeCloseTo(2, 12);
    expect(r.metrics.all.droppedEnergy).toBeCloseTo(2, 12); // the request keeps what was drawn
    expect(r.world.meters.energy(1)).toBeCloseTo(2, 12);
  });

  it('a congested link reports only the bytes it could carry, and batteries pay only for bytes sent', () => {
    // 1000 B every 0.1 s on an 8 kbit/s link (1000 B/s): 10× overloaded. In 50 s it carries 50,000 B
    // (bytes are counted as they are transmitted), and the device's battery paid for those bits only.
    const s = spec({
      nodes: [node('d', { throughput: { fp32: 1e15 }, battery: 1e9, power: { idle: 0, busy: 0 } }), node('e', { throughput: { fp32: 1e15 } })],
      links: [{ ...fast, txEnergyPerBit: 1e-6 }],
      workloads: [workload(0, { kind: 'periodic', period: 0.1, offset: 0 })],
      targets: Int32Array.of(1),
      duration: 50,
    });
    const r = simulate(s);
    expect(r.world.links.bytesSinceWarmup(0, 50)).toBeCloseTo(50_000, 6);
    // The battery node's transfers begin at their start (an event); at the end the energy of bits not
    // yet sent is taken back: the device paid for the 50,000 B sent, 400,000 bit × 1 µJ/bit.
    expect(r.world.meters.totals(0).radioTx).toBeCloseTo(0.4, 9);
  });

  it('on a link where nothing can happen to a waiting transfer, energy booked ahead counts only for bits sent in the window', () => {
    // The same 10× overloaded link from a device without a battery (its transfers are booked when
    // queued, no event): over the window [20 s, 50 s] it sends 30,000 B, and the device's radio
    // energy in the window is for those bits only: 240,000 bit × 1 µJ/bit = 0.24 J.
    const s = spec({
      nodes: [node('d', { throughput: { fp32: 1e15 }, power: { idle: 0, busy: 0 } }), node('e', { throughput: { fp32: 1e15 } })],
      links: [{ ...fast, txEnergyPerBit: 1e-6 }],
      workloads: [workload(0, { kind: 'periodic', period: 0.1, offset: 0 })],
      targets: Int32Array.of(1),
      duration: 50,
      warmup: 20,
    });
    const r = simulate(s);
    expect(r.world.links.eager(0)).toBe(true);
    expect(r.world.links.bytesSinceWarmup(0, 50)).toBeCloseTo(30_000, 6);
    expect(r.world.meters.totals(0).radioTx - r.world.meters.totalsAtWarmup(0).radioTx).toBeCloseTo(0.24, 9);
    // Nothing waited for a LinkStart event: one event per hop.
    expect(r.world.sim.eventsProcessed).toBeLessThan(3 * 501 + 10);
  });
});

describe('found in review', () => {
  it('an FCFS job whose completion empties the battery dies with the node (not served, memory back to the weights)', () => {
    // Busy 1 W, idle 0 W, battery 1 J: the 1 s job's completion at t = 1 s finds the battery empty.
    const s = spec({ nodes: [node('d', { battery: 1, power: { idle: 0, busy: 1 } })], workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0) })], targets: Int32Array.of(0), duration: 10 });
    const r = simulate(s);
    expect(r.world.batteries.emptyAt[0]).toBeCloseTo(1, 12);
    expect(r.metrics.all.completed).toBe(0);
    expect(r.metrics.all.dropped['battery-empty']).toBe(1);
    expect(r.world.meters.totals(0).served).toBe(0);
    expect(r.world.meters.memoryInUse(0)).toBe(r.world.meters.residentBytes(0));
  });

  it('a sender that fails frees its link at once: after its repair new transfers do not wait behind lost ones', () => {
    // Ten 1000 B transfers queued at t = 0 on an 8 kbit/s link (1 s each); the sender fails at 0.5 s.
    // Its link is free from then on, so a request born after the repair crosses it in 1 s.
    const s = spec({
      nodes: [node('d', { throughput: { fp32: 1e15 } }), node('e', { throughput: { fp32: 1e15 } })],
      links: [fast],
      workloads: [workload(0, { kind: 'trace', times: Float64Array.of(...new Array(10).fill(0), 3) })],
      targets: Int32Array.of(1),
      duration: 20,
    });
    const metrics = new RunMetrics(s, 0, { trace: true });
    const world = new World(s, metrics);
    world.at(0.5, (now) => (world as unknown as { failures: { goDown(k: number, t: number): void } }).failures.goDown(0, now));
    world.at(1, () => world.meters.up.fill(1, 0, 1));
    world.run();
    const last = metrics.trace!.find((t) => t[4] === 3)!;
    // 1 s on the link up, 1e-6 s of compute, 0.4 s back.
    expect(last[7]).toBeCloseTo(1.4, 5);
    expect(last[9]).toBe(0); // no link wait
    // The link was busy 0.5 s for the lost transfer, then 1 s up for the new one.
    expect(world.linkBusyUntil(0, 20)).toBeCloseTo(1.5, 12);
  });

  it('a run stopped during warm-up reports an empty window (NaN rates), never negative figures', () => {
    const s = spec({
      nodes: [node('d')],
      workloads: [workload(0, { kind: 'poisson', rate: 5 })],
      targets: Int32Array.of(0),
      duration: 1000,
      warmup: 500,
      maxInFlight: 50,
    });
    const result = simulate(s);
    expect(result.world.stopped).toBeDefined();
    const t = summarize(result, { scenario: 't', seed: 1 });
    expect(Number(t.nodes[0].utilization_ratio)).toBeNaN();
    expect(Number(t.nodes[0].energy_J)).toBe(0);
    expect(t.run[0].complete).toBe('no');
  });
});
