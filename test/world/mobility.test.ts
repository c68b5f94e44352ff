import { describe, expect, it } from 'vitest';
import { deterministic } from '../../src/core/distributions.ts';
import { RandomWaypoint } from '../../src/policies/mobility/random-waypoint.ts';
import type { MobilityModel, MobilitySpec } from '../../src/world/mobility.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import type { PlacementSpec } from '../../src/world/placement.ts';
import { staticPlacement } from '../../src/world/placement.ts';
import type { RequestPool } from '../../src/world/request.ts';
import { RouteTable } from '../../src/world/routes.ts';
import { Topology } from '../../src/world/topology.ts';
import { type DropReason, World, type WorldSpec } from '../../src/world/world.ts';
import { node, workload } from './fixtures.ts';

/**
 * A small world: device 0 starts at access point 1 and moves to access point 2 at t = 1.5 s.
 * Delays (bandwidth 1 Tbit/s, so a 1000 B input takes 8 ns): dev–ap1 1 ms, ap1–edge 10 ms,
 * ap2–edge 20 ms, dev's radio (its one link) 1 ms wherever it is. The edge computes a 1 GFLOP job
 * in 1 s. A request born at t = 1 reaches the edge at 1.011 s and is computed by 2.011 s.
 */
const DEV = 0;
const AP1 = 1;
const AP2 = 2;
const EDGE = 3;
const EDGE2 = 4;
const BW = 1e12;
const link = (a: number, b: number, delay: number): LinkSpec => ({ a, b, bandwidth: BW, delay, txEnergyPerBit: 0, rxEnergyPerBit: 0 });

/** A scripted model: starts at place `first`, moves to the places listed at the times listed. */
function scripted(first: number, moves: readonly [number, number][]): MobilityModel {
  let k = 0;
  return {
    name: 'scripted',
    start: () => first,
    nextAt: () => (k < moves.length ? moves[k][0] : Infinity),
    placeAt: () => moves[k++][1],
  };
}

interface Outcome {
  completed: { born: number; at: number; node: number }[];
  dropped: { born: number; at: number; reason: DropReason }[];
  world: World;
}

function run(opts: { arrivals: number[]; moves: [number, number][]; inFlight: 'lost' | 'delivered'; local?: boolean; follow?: boolean; duration?: number; battery?: number }): Outcome {
  const nodes = [opts.battery === undefined ? node('dev') : node('dev', { battery: opts.battery, power: { idle: 1, busy: 1 } }), node('ap1', { kind: 'gateway' }), node('ap2', { kind: 'gateway' }), node('edge', { kind: 'edge', slots: 100, throughput: { fp32: 100e9 } }), node('edge2', { kind: 'edge', slots: 100, throughput: { fp32: 100e9 } })];
  const links = [link(DEV, AP1, 0.001), link(AP1, EDGE, 0.01), link(AP2, EDGE, 0.02), link(AP2, EDGE2, 0.005), link(EDGE, EDGE2, 0.1)];
  const target = opts.local ? DEV : EDGE;
  const placement: PlacementSpec = { candidates: Int32Array.of(target), start: Int32Array.of(0, 1), policies: [staticPlacement], policyOf: Int32Array.of(0) };
  const mobility: MobilitySpec = {
    model: scripted(0, opts.moves),
    devices: Int32Array.of(DEV),
    accessLinks: Int32Array.of(0),
    places: Int32Array.of(AP1, AP2),
    inFlight: opts.inFlight,
    follow: opts.follow ? [{ among: [EDGE, EDGE2] }] : undefined,
  };
  const spec: WorldSpec = {
    nodes,
    links,
    // 1 GFLOP on a 1 GFLOP/s slot (100 GFLOP/s over 100 slots): 1 s; on the device too.
    workloads: [workload(DEV, { kind: 'trace', times: Float64Array.from(opts.arrivals) })],
    placement,
    duration: opts.duration ?? 10,
    warmup: 0,
    seed: 1,
    mobility,
  };
  const out: Outcome = { completed: [], dropped: [], world: undefined as unknown as World };
  const observer = {
    generated() {},
    completed(pool: RequestPool, r: number, now: number) {
      out.completed.push({ born: pool.born[r], at: now, node: pool.node[r] });
    },
    dropped(pool: RequestPool, r: number, reason: DropReason, now: number) {
      out.dropped.push({ born: pool.born[r], at: now, reason });
    },
  };
  out.world = new World(spec, observer);
  out.world.run();
  return out;
}

const tx = (bytes: number) => (bytes * 8) / BW;

describe('a move during a transmission', () => {
  it("moves the access point's radio energy not yet drawn to the new access point: each pays for what it received (helper-92: the old one paid it all, past its battery)", () => {
    // The device sends 1000 B at t = 0 over its 8 kbit/s radio (1 s), received at 1 mJ/bit: 8 W at the
    // access point. It moves from ap1 to ap2 at 0.5 s: ap1 (a 7 J battery, idle 0) receives 4 J' worth,
    // ap2 (100 J) the other 4 J. Without the move's hand-over ap1 paid 8 J and ran out at 0.875 s.
    const nodes = [node('dev'), node('ap1', { kind: 'gateway', battery: 7, power: { idle: 0, busy: 0 } }), node('ap2', { kind: 'gateway', battery: 100, power: { idle: 0, busy: 0 } }), node('edge', { kind: 'edge' })];
    const links: LinkSpec[] = [{ a: DEV, b: AP1, bandwidth: 8000, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 1e-3 }, link(AP1, EDGE, 0.01), link(AP2, EDGE, 0.02)];
    const spec: WorldSpec = {
      nodes,
      links,
      workloads: [workload(DEV, { kind: 'trace', times: Float64Array.of(0) })],
      placement: { candidates: Int32Array.of(EDGE), start: Int32Array.of(0, 1), policies: [staticPlacement], policyOf: Int32Array.of(0) },
      duration: 10,
      warmup: 0,
      seed: 1,
      mobility: { model: scripted(0, [[0.5, 1]]), devices: Int32Array.of(DEV), accessLinks: Int32Array.of(0), places: Int32Array.of(AP1, AP2), inFlight: 'delivered' },
    };
    const world = new World(spec, { generated() {}, completed() {}, dropped() {} });
    world.run();
    expect([world.batteries.emptyAt[AP1], world.batteries.emptyAt[AP2]]).toEqual([Infinity, Infinity]);
    expect(world.meters.totals(AP1).radioRx).toBeCloseTo(4, 12);
    expect(world.meters.totals(AP2).radioRx).toBeCloseTo(4, 12);
  });
});

describe('mobility in the world', () => {
  it('a device whose battery runs out moves no more, and its time at its place ends then (helper-90: mobility.csv counted dead devices\' time and moves)', () => {
    // 4 J at 1 W: empty at t = 4 s. Moves at 1.5 s (to ap2), 3 s (back to ap1) and 6 s (after its end: not made).
    const { world } = run({ arrivals: [], moves: [[1.5, 1], [3, 0], [6, 1]], inFlight: 'lost', battery: 4 });
    const m = world.mobility!;
    expect(world.batteries.emptyAt[DEV]).toBeCloseTo(4, 12);
    expect(m.moves).toBe(2);
    expect(m.placeSeconds[0]).toBeCloseTo(1.5 + 1, 12); // [0, 1.5] and [3, 4]
    expect(m.placeSeconds[1]).toBeCloseTo(1.5, 12); // [1.5, 3]
    expect(m.placeOf[0]).toBe(0);
  });

  it('a request whose device moves before its result arrives is lost as `moved` when its result would start home (lost)', () => {
    const o = run({ arrivals: [1], moves: [[1.5, 1]], inFlight: 'lost' });
    expect(o.completed).toEqual([]);
    expect(o.dropped).toHaveLength(1);
    expect(o.dropped[0].reason).toBe('moved');
    // Up: 1 ms + 10 ms (+ 2 × 8 ns), then 1 s of compute: the result would start home at 2.011 s.
    expect(o.dropped[0].at).toBeCloseTo(1 + 0.011 + 2 * tx(1000) + 1, 9);
  });

  it('delivered: the result comes home through the new access point (edge → ap2 → device)', () => {
    const o = run({ arrivals: [1], moves: [[1.5, 1]], inFlight: 'delivered' });
    expect(o.dropped).toEqual([]);
    expect(o.completed).toHaveLength(1);
    // Up over ap1 (11 ms), 1 s, down over ap2: 20 ms + the radio's 1 ms; 400 B result on 2 hops.
    expect(o.completed[0].at - 1).toBeCloseTo(0.011 + 2 * tx(1000) + 1 + 0.021 + 2 * tx(400), 9);
  });

  it('requests born after a move go through the new access point at once, and the view and links see the new attachment', () => {
    const o = run({ arrivals: [2, 3], moves: [[1.5, 1]], inFlight: 'lost' });
    expect(o.dropped).toEqual([]);
    expect(o.completed.map((c) => c.at - c.born)).toEqual([expect.closeTo(0.021 + 2 * tx(1000) + 1 + 0.021 + 2 * tx(400), 9), expect.closeTo(0.021 + 2 * tx(1000) + 1 + 0.021 + 2 * tx(400), 9)]);
    expect(o.world.view.accessPointOf(DEV)).toBe(AP2);
    expect(o.world.view.accessPointOf(EDGE)).toBe(-1);
    expect(o.world.links.sender(0)).toBe(DEV); // link 0 = dev → its access point
    expect(o.world.links.receiver(0)).toBe(AP2);
    expect(o.world.links.sender(1)).toBe(AP2);
    expect(o.world.mobility!.moves).toBe(1);
  });

  it('a result that arrived before the move is delivered, and a request computed on the device itself is never lost', () => {
    const before = run({ arrivals: [0.1], moves: [[1.2, 1]], inFlight: 'lost' }); // home at 1.1 + 0.011·2 + … < 1.2
    expect(before.dropped).toEqual([]);
    expect(before.completed).toHaveLength(1);
    const local = run({ arrivals: [1], moves: [[1.5, 1]], inFlight: 'lost', local: true });
    expect(local.dropped).toEqual([]);
    expect(local.completed[0].at).toBeCloseTo(2, 12);
  });

  it('a move back and forth while the request is away still loses it; moving during the last hop home loses it on arrival', () => {
    const o = run({ arrivals: [1], moves: [[1.2, 1], [1.4, 0]], inFlight: 'lost' });
    expect(o.dropped.map((d) => d.reason)).toEqual(['moved']);
    // Result leaves the edge at 2.011 s, reaches ap1 at 2.021 s and the device at 2.022 s: a move at 2.0215 s is during its last hop (ap1 → device, 2.021–2.022 s).
    const during = run({ arrivals: [1], moves: [[2.0215, 1]], inFlight: 'lost' });
    expect(during.completed).toEqual([]);
    expect(during.dropped.map((d) => d.reason)).toEqual(['moved']);
  });

  it('a nearest placement follows the device: after the move its requests run on the edge nearest the new access point', () => {
    const o = run({ arrivals: [1, 2], moves: [[1.5, 1]], inFlight: 'delivered', follow: true });
    expect(o.completed.map((c) => c.node)).toEqual([EDGE, EDGE2]);
    // The second: ap2 → edge2 is 5 ms, the radio 1 ms, both ways.
    expect(o.completed[1].at - 2).toBeCloseTo(0.006 + 2 * tx(1000) + 1 + 0.006 + 2 * tx(400), 9);
  });

  it('device-seconds per place add up to the time it spent at each', () => {
    const o = run({ arrivals: [], moves: [[1.5, 1], [4, 0]], inFlight: 'lost', duration: 10 });
    expect(Array.from(o.world.mobility!.placeSeconds)).toEqual([1.5 + 6, 2.5]);
  });
});

describe('random waypoint in the world', () => {
  it('at each check a device is attached to the nearest access point in range (out of range: the last one)', () => {
    // A 1-D street of 1000 m; access points at 100, 500 and 900 m with a range of 150 m: gaps between them.
    const at = Float64Array.of(100, 0, 500, 0, 900, 0);
    const devices = 20;
    const nodes = [...Array.from({ length: devices }, (_, k) => node(`dev-${k + 1}`)), node('ap1', { kind: 'gateway' }), node('ap2', { kind: 'gateway' }), node('ap3', { kind: 'gateway' })];
    const links = Array.from({ length: devices }, (_, k) => link(k, devices + (k % 3), 0.001));
    const model = new RandomWaypoint({ width: 1000, height: 0, speedMin: 5, speedMax: 10, pause: deterministic(0), update: 1, range: 150, at, devices });
    const spec: WorldSpec = {
      nodes,
      links,
      workloads: [],
      placement: { candidates: new Int32Array(0), start: Int32Array.of(0), policies: [staticPlacement], policyOf: new Int32Array(0) },
      duration: 500,
      warmup: 0,
      seed: 2,
      mobility: {
        model,
        devices: Int32Array.from({ length: devices }, (_, k) => k),
        accessLinks: Int32Array.from({ length: devices }, (_, k) => k),
        places: Int32Array.of(devices, devices + 1, devices + 2),
        inFlight: 'delivered',
      },
    };
    const world = new World(spec, { generated() {}, completed() {}, dropped() {} });
    world.run();
    expect(world.mobility!.moves).toBeGreaterThan(devices); // 500 s at 5–10 m/s: every device crosses a few ranges
    let outOfRange = 0;
    for (let k = 0; k < devices; k++) {
      // The last check ran at t = 500: the legs up to then are drawn, so no draw is needed here.
      const x = model.position(k, 500, () => {
        throw new Error('no draw expected');
      })[0];
      const inRange = [100, 500, 900].map((a, p) => [Math.abs(x - a), p]).filter(([d]) => d <= 150);
      const ap = world.view.accessPointOf(k) - devices;
      if (inRange.length === 0) outOfRange++;
      else expect(ap).toBe(inRange.sort((a, b) => a[0] - b[0])[0][1]);
      expect(world.links.receiver(2 * k)).toBe(devices + ap); // its link goes to the access point the view names
    }
    expect(outOfRange).toBeLessThan(devices);
  });
});

describe("routes through a moving device's access point", () => {
  it('a move forgets only the routes from and to the moving device; the new ones go through its new access point', () => {
    // dev (0) and dev2 (5) at ap1 (1); ap2 (2); edge (3) behind both; edge2 (4) behind ap2.
    const links = [link(0, AP1, 0.001), link(AP1, EDGE, 0.01), link(AP2, EDGE, 0.02), link(AP2, EDGE2, 0.005), link(EDGE, EDGE2, 0.1), link(5, AP1, 0.001)];
    const routes = new RouteTable(new Topology(6, links));
    const other = routes.id(5, EDGE, 1000);
    const otherLinks = Array.from({ length: routes.length(other) }, (_, h) => routes.link(other, h));
    routes.attach(DEV, AP1, 0); // where its link goes: the same routes as the topology's
    const before = routes.id(DEV, EDGE, 1000);
    expect(Array.from({ length: routes.length(before) }, (_, h) => routes.link(before, h))).toEqual([0, 2]); // dev → ap1 → edge
    routes.attach(DEV, AP2, 0);
    const after = routes.id(DEV, EDGE, 1000);
    expect(after).not.toBe(before);
    expect(Array.from({ length: routes.length(after) }, (_, h) => routes.link(after, h))).toEqual([0, 4]); // its radio, then ap2 → edge (link 2 from its first end: directed 2·2)
    const home = routes.id(EDGE2, DEV, 400);
    expect(Array.from({ length: routes.length(home) }, (_, h) => routes.link(home, h))).toEqual([7, 1]); // edge2 → ap2 (link 3 backwards), then the radio to the device
    // The other device's route is the same id with the same links: nothing else was re-routed.
    expect(routes.id(5, EDGE, 1000)).toBe(other);
    expect(Array.from({ length: routes.length(other) }, (_, h) => routes.link(other, h))).toEqual(otherLinks);
    // The old route's links stay stored for the requests on it.
    expect(Array.from({ length: routes.length(before) }, (_, h) => routes.link(before, h))).toEqual([0, 2]);
  });
});
