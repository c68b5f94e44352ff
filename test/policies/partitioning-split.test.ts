import { describe, expect, it } from 'vitest';
import { deviceWait, fcfsExpectedWait, linkWaitAt, routeNetwork, splitProfile, type DeviceLoad, type ServerLoad, type SplitEnd, type SplitObjective, type SplitState } from '../../src/policies/partitioning/cost.ts';
import { EdelearPartitioning } from '../../src/policies/partitioning/edelear.ts';
import { LowerEnvelope } from '../../src/policies/partitioning/envelope.ts';
import { PARTITIONING_POLICIES } from '../../src/policies/partitioning/registry.ts';
import { partitionTable, splitTable } from '../../src/policies/partitioning/table.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import type { DnnModel } from '../../src/world/model.ts';
import type { NodeSpec } from '../../src/world/node.ts';

const { models, profiles } = loadCatalog();
/** A cited device profile (data/devices) as a world node. */
const node = (name: string): NodeSpec => {
  const p = profiles.get(name)!;
  return { name: p.name, kind: p.kind, throughput: p.compute, slots: p.slots, memory: p.memory, power: p.power, trust: 1 };
};
const PI: SplitEnd = { node: node('raspberry-pi-4'), precision: 'fp32' };
const SERVERS: readonly SplitEnd[] = [
  { node: node('edge-server-xeon'), precision: 'fp32' },
  { node: node('nvidia-t4'), precision: 'fp32' },
];
const MODELS = ['resnet18', 'mobilenet-v2', 'vgg16', 'alexnet', 'efficientnet-b0'];
/** 0.1 to 1000 Mbit/s, 10 points per decade (41 in all), highest first. */
const BANDWIDTHS = Array.from({ length: 41 }, (_, i) => 1e9 * 10 ** (-i / 10));
/** The camera's link of scenarios/default.yaml (Wi-Fi, 2 ms, 283 / 137 nJ/bit) at the swept bandwidth, then a 1 Gbit/s, 1 ms hop to the server. */
const RADIO = { tx: 283e-9, rx: 137e-9 };
const SECOND_HOP = { bandwidth: 1e9, delay: 0.001 };
const state = (bandwidth: number, serverWait: number): SplitState => ({ network: routeNetwork([{ bandwidth, delay: 0.002 }, SECOND_HOP], RADIO), serverWait });
const OBJECTIVES: readonly SplitObjective[] = ['latency', 'energy', { latency: 1, energy: 0.1 }];

/**
 * Brute force, written from the definitions and not from the code under test: device time of
 * layers 1..k = their FLOPs / (fp32 throughput / slots); server the same for k+1..L; the route
 * Wi-Fi (b bit/s, 2 ms) then 1 Gbit/s, 1 ms, each way; device energy = (busy − idle) / slots W
 * over its compute + 283 nJ per bit sent + 137 nJ per bit of result received. Every k scanned.
 */
function bruteForce(
  m: DnnModel,
  server: SplitEnd,
  bandwidth: number,
  wait: number,
  objective: SplitObjective,
  load?: DeviceLoad,
  /** Slot-speeds of the server's part (a partitioned node's tenant: share × slots): its compute takes one slot's time / speed. */
  speed = 1,
  /** The server's load (the run's start): the part waits the larger of `wait` and its Pollaczek–Khinchine wait. */
  serverLoad?: ServerLoad,
  /** The two hops' load up (the run's start): utilization and Σ λ s² of the other transfers on the Wi-Fi hop and the 1 Gbit/s one, and the pair's rate. */
  links?: { utilization: [number, number]; secondMoment: [number, number]; rate: number },
): { k: number; value: number; values: number[] } {
  const w = objective === 'latency' ? [1, 0] : objective === 'energy' ? [0, 1] : [objective.latency, objective.energy];
  const L = m.layers.length;
  const dev = PI.node;
  const srv = server.node;
  const values: number[] = [];
  for (let k = 0; k <= L; k++) {
    let local = 0;
    let remote = 0;
    m.layers.forEach((l, i) => (i < k ? (local += l.flops) : (remote += l.flops)));
    const tDev = local / (dev.throughput.fp32! / dev.slots);
    let latency = tDev;
    // The device's load (Pollaczek–Khinchine, two deterministic classes on its c slots pooled): the
    // other work u of jobs `otherSeconds` long on one slot, the pair's parts λ of tDev; not allowed at ρ ≥ 1.
    if (load !== undefined && k > 0) {
      const c = dev.slots;
      const rho = load.utilization + (load.rate * tDev) / c;
      if (rho >= 1) {
        values.push(Infinity);
        continue;
      }
      const pk = ((load.utilization * load.otherSeconds) / c + load.rate * (tDev / c) ** 2) / (2 * (1 - rho));
      latency += Math.max(load.backlog, pk);
    }
    let energy = ((dev.power.busy - dev.power.idle) / dev.slots) * tDev;
    if (k < L && !(speed > 0)) {
      values.push(Infinity); // a tenant without a share computes nothing: no part may be sent there, whatever the objective
      continue;
    }
    if (k < L) {
      const up = m.liveBytes[k] * 8;
      const down = m.layers[L - 1].outputBytes * 8;
      const hop = (bits: number) => 0.002 + bits / bandwidth + 0.001 + bits / 1e9;
      const part = remote / (srv.throughput.fp32! / srv.slots) / speed;
      let w = wait;
      if (serverLoad !== undefined) {
        const sp = part / serverLoad.pool;
        const rho = serverLoad.utilization + serverLoad.rate * sp;
        if (rho >= 1) {
          values.push(Infinity);
          continue;
        }
        w = Math.max(wait, ((serverLoad.utilization * serverLoad.otherSeconds) / serverLoad.pool + serverLoad.rate * sp * sp) / (2 * (1 - rho)));
      }
      // Each hop up a Pollaczek–Khinchine queue of the others' transfers and the pair's (s = bits / bandwidth there).
      let queued = 0;
      if (links !== undefined) {
        for (const [h, bw] of [bandwidth, 1e9].entries()) {
          const sh = up / bw;
          const rho = links.utilization[h] + links.rate * sh;
          queued = rho >= 1 || queued === Infinity ? Infinity : queued + (links.secondMoment[h] + links.rate * sh * sh) / (2 * (1 - rho));
        }
        if (queued === Infinity) {
          values.push(Infinity);
          continue;
        }
      }
      latency += hop(up) + queued + w + part + hop(down);
      energy += up * 283e-9 + down * 137e-9;
    }
    values.push(w[0] * latency + w[1] * energy);
  }
  let k = 0;
  values.forEach((v, i) => v < values[k] && (k = i));
  return { k, value: values[k], values };
}

/** Calls `check` for every model × objective × bandwidth with the first server (the start decision's brute-force grids). */
function eachStartCase(check: (c: { m: DnnModel; profile: ReturnType<typeof splitProfile>; L: number; policy: EdelearPartitioning; objective: SplitObjective; b: number }) => void): void {
  for (const name of MODELS) {
    const m = models.get(name)!;
    const profile = splitProfile(m, PI, SERVERS[0]);
    for (const objective of OBJECTIVES) {
      const policy = new EdelearPartitioning(profile, objective);
      for (const b of BANDWIDTHS) check({ m, profile, L: m.layers.length, policy, objective, b });
    }
  }
}

/**
 * When every split overloads something, the chosen k has the least max(ρ of the device, `far(j)`:
 * the ρ beyond it — the server's, or the busier hop's), by brute force over the splits the device can run.
 */
function expectLeastLoaded(profile: ReturnType<typeof splitProfile>, load: DeviceLoad, k: number, far: (j: number) => number): void {
  const rhos = Array.from({ length: profile.layers + 1 }, (_, j) => {
    const dev = j === 0 ? 0 : load.utilization + (load.rate * profile.deviceSeconds[j]) / profile.deviceSlots;
    return profile.deviceSeconds[j] < Infinity ? Math.max(dev, far(j)) : Infinity;
  });
  expect(rhos[k]).toBeCloseTo(Math.min(...rhos), 12);
}

/** Device loads for the brute force: idle, light, heavy, overloaded by its other work, and with a queue now. */
const LOADS: readonly DeviceLoad[] = [
  { backlog: 0, utilization: 0, otherSeconds: 0.08, rate: 0 },
  { backlog: 0, utilization: 0.2, otherSeconds: 0.08, rate: 2 },
  { backlog: 0, utilization: 0.6, otherSeconds: 0.08, rate: 5 },
  { backlog: 0, utilization: 1, otherSeconds: 0.08, rate: 1 },
  { backlog: 0.3, utilization: 0.5, otherSeconds: 0.2, rate: 3 },
];

describe('the split point of one request, device ↔ server', () => {
  it('the chosen k is the brute-force optimum over all split points, on 5 zoo models × 2 servers × 41 bandwidths × 2 waits × 3 objectives', () => {
    let checked = 0;
    for (const name of MODELS) {
      const m = models.get(name)!;
      for (const server of SERVERS) {
        const profile = splitProfile(m, PI, server);
        for (const objective of OBJECTIVES) {
          const policy = new EdelearPartitioning(profile, objective);
          for (const wait of [0, 0.05]) {
            for (const b of BANDWIDTHS) {
              const k = policy.choose(state(b, wait));
              const best = bruteForce(m, server, b, wait, objective);
              // The same k, or (a tie within rounding) a k whose value is the optimum's.
              if (k !== best.k) expect(best.values[k], `${name} ${b} ${k} vs ${best.k}`).toBeCloseTo(best.value, 12);
              else checked++;
            }
          }
        }
      }
    }
    expect(checked).toBe(MODELS.length * SERVERS.length * OBJECTIVES.length * 2 * BANDWIDTHS.length);
  });

  it("with the device's own load, the chosen k is the brute-force optimum (the device wait included; splits that overload it excluded), on 5 models × 2 servers × 41 bandwidths × 5 loads × 3 objectives", () => {
    let checked = 0;
    let moved = 0;
    for (const name of MODELS) {
      const m = models.get(name)!;
      for (const server of SERVERS) {
        const profile = splitProfile(m, PI, server);
        for (const objective of OBJECTIVES) {
          const policy = new EdelearPartitioning(profile, objective);
          for (const load of LOADS) {
            for (const b of BANDWIDTHS) {
              const k = policy.choose({ ...state(b, 0.01), device: load });
              const best = bruteForce(m, server, b, 0.01, objective, load);
              expect(best.values[k], `${name} ${b} ${k} vs ${best.k}`).toBeLessThan(Infinity);
              if (k !== best.k) expect(best.values[k], `${name} ${b} ${k} vs ${best.k}`).toBeCloseTo(best.value, 12);
              else checked++;
              if (k !== policy.choose(state(b, 0.01))) moved++;
            }
          }
        }
      }
    }
    expect(checked).toBe(MODELS.length * SERVERS.length * OBJECTIVES.length * LOADS.length * BANDWIDTHS.length);
    expect(moved).toBeGreaterThan(0); // the load changes some choices
  });

  it("at a tenant's share of a partitioned server (server seconds / (share × slots)), the chosen k is the brute-force optimum, idle device or loaded, on 5 models × 2 servers × 41 bandwidths × 5 speeds × 3 objectives", () => {
    const SPEEDS = [2, 0.75, 0.25, 0.05, 0];
    let checked = 0;
    let nothingRuns = 0;
    let moved = 0;
    for (const name of MODELS) {
      const m = models.get(name)!;
      for (const server of SERVERS) {
        const profile = splitProfile(m, PI, server);
        for (const objective of OBJECTIVES) {
          const policy = new EdelearPartitioning(profile, objective);
          for (const speed of SPEEDS) {
            for (const b of BANDWIDTHS) {
              for (const load of [undefined, LOADS[1]]) {
                const k = policy.choose({ ...state(b, 0.01), device: load, serverSpeed: speed });
                const best = bruteForce(m, server, b, 0.01, objective, load, speed);
                if (best.value === Infinity) {
                  nothingRuns++; // speed 0 and a device the load would overload: no split can run (the world then keeps all local)
                  continue;
                }
                if (k !== best.k) expect(best.values[k], `${name} ${speed} ${b} ${k} vs ${best.k}`).toBeCloseTo(best.value, 12);
                else checked++;
                if (k !== policy.choose({ ...state(b, 0.01), device: load })) moved++;
              }
            }
          }
        }
      }
    }
    expect(checked + nothingRuns).toBe(MODELS.length * SERVERS.length * OBJECTIVES.length * SPEEDS.length * BANDWIDTHS.length * 2);
    expect(nothingRuns).toBeLessThan(checked / 10);
    expect(moved).toBeGreaterThan(0); // the share changes some choices
  });

  it('with a server load (the start), the chosen k is the brute-force optimum; when every split overloads an end, the one whose busier end is least loaded', () => {
    // Server loads: light and heavy other work on the edge's slots pooled (an FCFS node), and a
    // partition (one job at a time) at 0.25 of the node; the pair at 2/s and 10/s.
    const SERVER_LOADS: readonly ServerLoad[] = [
      { utilization: 0.1, otherSeconds: 0.05, rate: 2, pool: 4 },
      { utilization: 0.7, otherSeconds: 0.05, rate: 10, pool: 4 },
      { utilization: 0.3, otherSeconds: 0.2, rate: 2, pool: 1 },
    ];
    let checked = 0;
    let leastLoaded = 0;
    eachStartCase(({ m, profile, L, policy, objective, b }) => {
      for (const serverLoad of SERVER_LOADS) {
        for (const load of [LOADS[1], LOADS[2]]) {
          const speed = serverLoad.pool === 1 ? 0.25 : 1;
          const k = policy.choose({ ...state(b, 0), device: load, serverSpeed: speed, server: serverLoad });
          const best = bruteForce(m, SERVERS[0], b, 0, objective, load, speed, serverLoad);
          if (best.value < Infinity) {
            if (k !== best.k) expect(best.values[k], `${m.name} ${b} ${k} vs ${best.k}`).toBeCloseTo(best.value, 12);
            checked++;
            continue;
          }
          // Every split out: the least max(ρ device, ρ server), by brute force over the splits that run.
          expectLeastLoaded(profile, load, k, (j) => (j === L ? 0 : serverLoad.utilization + (serverLoad.rate * profile.serverSeconds[j]) / speed / serverLoad.pool));
          leastLoaded++;
        }
      }
    });
    expect(checked).toBeGreaterThan(1000);
    expect(leastLoaded).toBeGreaterThan(0);
  });

  it('with a load on the route\'s links (the start), the chosen k is the brute-force optimum; when every split overloads an end or a hop, the least loaded', () => {
    // Other transfers on the Wi-Fi hop (0.02 s each) and the 1 Gbit/s hop (1 ms each): λ s² = u · s.
    const LINK_LOADS = [
      { utilization: [0.3, 0.05], secondMoment: [0.3 * 0.02, 0.05 * 0.001], rate: 2 },
      { utilization: [0.6, 0.2], secondMoment: [0.6 * 0.02, 0.2 * 0.001], rate: 10 },
    ] as const;
    let checked = 0;
    let leastLoaded = 0;
    let moved = 0;
    eachStartCase(({ m, profile, L, policy, objective, b }) => {
      for (const ll of LINK_LOADS) {
        const load = LOADS[1];
        const links = { hops: 2, bandwidth: [b, 1e9], utilization: ll.utilization, secondMoment: ll.secondMoment, rate: ll.rate };
        const k = policy.choose({ ...state(b, 0), device: load, links });
        if (k !== policy.choose({ ...state(b, 0), device: load })) moved++;
        const best = bruteForce(m, SERVERS[0], b, 0, objective, load, 1, undefined, { utilization: [...ll.utilization], secondMoment: [...ll.secondMoment], rate: ll.rate });
        if (best.value < Infinity) {
          if (k !== best.k) expect(best.values[k], `${m.name} ${b} ${k} vs ${best.k}`).toBeCloseTo(best.value, 12);
          checked++;
          continue;
        }
        // Every split out: the least max(ρ device, ρ of the busier hop), by brute force over the splits that run.
        expectLeastLoaded(profile, load, k, (j) => (j === L ? 0 : Math.max(...[b, 1e9].map((bw, h) => ll.utilization[h] + (ll.rate * 8 * profile.liveBytes[j]) / bw))));
        leastLoaded++;
      }
    });
    expect(checked + leastLoaded).toBe(MODELS.length * OBJECTIVES.length * BANDWIDTHS.length * LINK_LOADS.length);
    expect(checked).toBeGreaterThan(900);
    expect(leastLoaded).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0); // the links' load changes some choices
  });

  it('the link wait by hand: per hop (Σ λ s² + λ s²) / (2 (1 − ρ)), summed; 0 at k = L; Infinity once a hop reaches ρ = 1', () => {
    const m = models.get('mobilenet-v2')!;
    const p = splitProfile(m, PI, SERVERS[0]);
    const links = { hops: 2, bandwidth: [10e6, 1e9], utilization: [0.3, 0.1], secondMoment: [0.006, 0.0001], rate: 1 };
    const s0 = (8 * p.liveBytes[0]) / 10e6; // the 150,528-byte input on 10 Mbit/s: 0.1204 s
    const s1 = (8 * p.liveBytes[0]) / 1e9;
    const expected = (0.006 + s0 * s0) / (2 * (1 - 0.3 - s0)) + (0.0001 + s1 * s1) / (2 * (1 - 0.1 - s1));
    expect(linkWaitAt(p, links, 0)).toBeCloseTo(expected, 12);
    expect(linkWaitAt(p, links, m.layers.length)).toBe(0);
    // A tick's backlog now: each hop waits the longer of it and its P-K wait.
    expect(linkWaitAt(p, { ...links, backlog: [1, 0] }, 0)).toBeCloseTo(1 + (0.0001 + s1 * s1) / (2 * (1 - 0.1 - s1)), 12);
    expect(linkWaitAt(p, { ...links, rate: 0.7 / s0 }, 0)).toBe(Infinity); // ρ = 1 on the first hop
  });

  it('the device wait by hand: 0 at k = 0, the P-K wait, the queue now when longer, Infinity from utilization 1', () => {
    const m = models.get('mobilenet-v2')!;
    const p = splitProfile(m, PI, SERVERS[0]);
    const s = m.flops / 7.56e9; // all local on the Pi 4's one slot, 79.6 ms
    const load = { backlog: 0, utilization: 0.5, otherSeconds: 0.1, rate: 2 };
    expect(deviceWait(p, load, 0)).toBe(0);
    // ρ = 0.5 + 2 s; W = (0.5 · 0.1 + 2 s²) / (2 (1 − ρ)).
    expect(deviceWait(p, load, m.layers.length)).toBeCloseTo((0.05 + 2 * s * s) / (2 * (0.5 - 2 * s)), 12);
    expect(deviceWait(p, { ...load, backlog: 1 }, m.layers.length)).toBe(1);
    expect(deviceWait(p, { ...load, rate: 0.5 / s }, m.layers.length)).toBe(Infinity); // ρ = 1
    // An overloaded device: only k = 0 is left, whatever the network.
    const policy = new EdelearPartitioning(p, 'latency');
    for (const b of BANDWIDTHS) expect(policy.choose({ ...state(b, 0), device: { ...load, utilization: 1 } })).toBe(0);
  });

  it('latency: all remote (k = 0) at 1000 Mbit/s, all local (k = L) at 0.1 Mbit/s, and as bandwidth falls the bytes sent never grow and all-local, once chosen, stays', () => {
    for (const name of MODELS) {
      const m = models.get(name)!;
      for (const server of SERVERS) {
        for (const objective of ['latency', { latency: 1, energy: 0.1 }] as const) {
          for (const wait of [0, 0.05]) {
            const rows = partitionTable(m, PI, server, BANDWIDTHS, { delay: 0.002, hops: [SECOND_HOP], radio: RADIO, serverWait: wait, objective, policies: ['edelear'] });
            const ks = rows.map((r) => r.k);
            if (objective === 'latency' && wait === 0) expect(ks[0], name).toBe(0);
            expect(ks[ks.length - 1], name).toBe(m.layers.length);
            for (let i = 1; i < rows.length; i++) {
              expect(rows[i].sentBytes, `${name} at ${rows[i].bandwidth}`).toBeLessThanOrEqual(rows[i - 1].sentBytes);
              if (ks[i - 1] === m.layers.length) expect(ks[i]).toBe(m.layers.length);
            }
          }
        }
      }
    }
  });

  it('MobileNetV2 on a Raspberry Pi 4 with the Xeon edge server: the latency-optimal split per bandwidth', () => {
    const m = models.get('mobilenet-v2')!;
    const rows = partitionTable(m, PI, SERVERS[0], BANDWIDTHS, { delay: 0.002, hops: [SECOND_HOP], radio: RADIO, policies: ['edelear'] });
    // Pi 4: 7.56 GFLOP/s fp32, so all-local takes 0.6016 GFLOP / 7.56 GFLOP/s = 79.6 ms; the Xeon's slot
    // 4.21 TFLOP/s / 16. From 1000 down to 251 Mbit/s the input (3×224×224×4 = 602,112 B) is sent; then the
    // split moves to block ends where nothing else is live — features.2 (stride 2, no skip: 24×56×56×4 =
    // 301,056 B) at 200 Mbit/s, features.4 (stride 2: 32×28×28×4 = 100,352 B) from 158 to 63 Mbit/s,
    // features.7 (stride 2: 64×14×14×4 = 50,176 B) from 50 to 12.6 Mbit/s — and at 10 Mbit/s and below all
    // local: sending even that tensor (40 ms at 10 Mbit/s) and the 4,000 B result back costs more than the
    // compute the split moves to the server.
    const expected: [string, number, number][] = [
      ...Array.from({ length: 7 }, () => ['input', 0, 602_112] as [string, number, number]),
      ['features.2.conv.2', 6, 301_056],
      ...Array.from({ length: 5 }, () => ['features.4.conv.2', 12, 100_352] as [string, number, number]),
      ...Array.from({ length: 7 }, () => ['features.7.conv.2', 21, 50_176] as [string, number, number]),
      ...Array.from({ length: 21 }, () => ['classifier.1', 54, 0] as [string, number, number]),
    ];
    expect(rows.map((r) => [r.after, r.k, r.sentBytes])).toEqual(expected);
    expect(rows[0].latencySeconds).toBeCloseTo(0.01798, 5);
    expect(rows[40].latencySeconds).toBeCloseTo(m.flops / 7.56e9, 12);
  });

  it('energy: the split does not depend on bandwidth (radio energy per bit is fixed), only on compute energy against bytes sent', () => {
    for (const name of MODELS) {
      const m = models.get(name)!;
      const rows = partitionTable(m, PI, SERVERS[0], BANDWIDTHS, { delay: 0.002, hops: [SECOND_HOP], radio: RADIO, objective: 'energy', policies: ['edelear'] });
      expect(new Set(rows.map((r) => r.k)).size, name).toBe(1);
    }
  });

  it('a longer server wait moves the choice only towards all-local; the baselines are the two ends; EDeLeaR is never worse than either', () => {
    const m = models.get('alexnet')!;
    const profile = splitProfile(m, PI, SERVERS[1]);
    const policies = Object.values(PARTITIONING_POLICIES).map((f) => f(profile, 'latency'));
    for (const b of BANDWIDTHS) {
      const [edelear, local, remote] = policies.map((p) => p.choose(state(b, 0)));
      expect([local, remote]).toEqual([m.layers.length, 0]);
      const rows = splitTable(profile, state(b, 0));
      expect(rows[edelear].latencySeconds).toBeLessThanOrEqual(Math.min(rows[local].latencySeconds, rows[remote].latencySeconds));
      for (const wait of [0.01, 0.1, 1]) {
        const k = policies[0].choose(state(b, wait));
        expect([edelear, m.layers.length]).toContain(k);
      }
    }
  });

  it('a server without the precision is never chosen, whatever the objective; the FCFS wait estimate', () => {
    const m = models.get('alexnet')!;
    const noInt8: SplitEnd = { node: node('jetson-nano'), precision: 'int8' }; // fp32 and fp16 only
    for (const objective of OBJECTIVES) {
      const p = new EdelearPartitioning(splitProfile(m, PI, noInt8), objective);
      for (const b of BANDWIDTHS) expect(p.choose(state(b, 0))).toBe(m.layers.length);
    }
    // (jobs − slots + 1)·service / slots with every slot busy, 0 with one free.
    expect([fcfsExpectedWait(3, 4, 0.01), fcfsExpectedWait(4, 4, 0.01), fcfsExpectedWait(10, 4, 0.02)]).toEqual([0, 0.0025, 0.035]);
  });

  it("splitProfile's options: an execution's FLOPs and precision, the workload's input and result, the parallel and memory rules", () => {
    const m = models.get('mobilenet-v2')!;
    const L = m.layers.length;
    const int8 = (end: SplitEnd): SplitEnd => ({ ...end, precision: 'int8' });
    const dev = int8(PI);
    const srv = int8(SERVERS[0]);
    // A variant with half the FLOPs (spread as the model's), int8 at both ends, a 150,528 B frame in and 4,000 B out.
    const opts = { execution: { flops: m.flops / 2, weightBytes: 3.5e6 }, inputBytes: 150_528, resultBytes: 4_000 };
    const p = splitProfile(m, dev, srv, opts);
    const devThr = dev.node.throughput.int8! / dev.node.slots;
    const srvThr = srv.node.throughput.int8! / srv.node.slots;
    expect(p.deviceSeconds[0]).toBe(0);
    expect(p.deviceSeconds[L]).toBeCloseTo(m.flops / 2 / devThr, 15);
    expect(p.deviceSeconds[21]).toBeCloseTo(m.cumulativeFlops[21] / 2 / devThr, 15);
    expect(p.serverSeconds[0]).toBeCloseTo(m.flops / 2 / srvThr, 15);
    expect(p.serverSeconds[21]).toBeCloseTo((m.flops - m.cumulativeFlops[21]) / 2 / srvThr, 15);
    expect(p.serverSeconds[L]).toBe(0);
    // int8 tensors are a quarter of the fp32 ones (features.7's 50,176 B → 12,544 B); k = 0 and L are the workload's own bytes.
    expect([p.liveBytes[0], p.liveBytes[21], p.liveBytes[L], p.resultBytes]).toEqual([150_528, 12_544, 4_000, 4_000]);
    expect(p.deviceJoules[L]).toBeCloseTo(((dev.node.power.busy - dev.node.power.idle) / dev.node.slots) * p.deviceSeconds[L], 15);
    // parallel: false — only k ∈ {0, L}; weights beyond the device's memory — nothing on the device.
    const whole = splitProfile(m, dev, srv, { ...opts, parallel: false });
    expect(Array.from(whole.deviceSeconds).map((t, k) => (k === 0 || k === L ? t === p.deviceSeconds[k] : t === Infinity))).toEqual(new Array(L + 1).fill(true));
    const big = splitProfile(m, dev, srv, { ...opts, execution: { flops: m.flops / 2, weightBytes: dev.node.memory + 1 } });
    expect(Array.from(big.deviceSeconds).slice(1)).toEqual(new Array(L).fill(Infinity));
  });

  it('splitTable: latency is the sum of its parts; the all-local row sends nothing', () => {
    const m = models.get('resnet18')!;
    const rows = splitTable(splitProfile(m, PI, SERVERS[0]), state(20e6, 0.005));
    for (const r of rows) expect(r.latencySeconds).toBeCloseTo(r.deviceSeconds + r.upSeconds + r.waitSeconds + r.serverSeconds + r.downSeconds, 12);
    const last = rows[rows.length - 1];
    expect([last.upSeconds, last.waitSeconds, last.downSeconds, last.serverSeconds]).toEqual([0, 0, 0, 0]);
    // k = 3, after layer1.0.conv1: the skip makes it 1,605,632 B (see partitioning-live.test.ts).
    expect(rows[3].liveBytes).toBe(1_605_632);
    expect(rows[3].upSeconds).toBeCloseTo(0.003 + (1_605_632 * 8) / 20e6 + (1_605_632 * 8) / 1e9, 12);
  });
});

describe('the lower envelope', () => {
  it('gives the minimum of random lines at random points (500 sets of 1–40 lines, ties included)', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 500; t++) {
      const n = 1 + Math.floor(rand() * 40);
      // Integer slopes and intercepts on a small range make equal slopes and common points frequent.
      const slopes = Array.from({ length: n }, () => Math.floor(rand() * 8));
      const intercepts = Array.from({ length: n }, () => Math.floor(rand() * 20));
      const env = new LowerEnvelope(slopes, intercepts);
      for (let q = 0; q < 20; q++) {
        const y = rand() * 10;
        const min = Math.min(...slopes.map((s, i) => intercepts[i] + s * y));
        const id = env.argmin(y);
        expect(env.min(y)).toBeCloseTo(min, 9);
        expect(intercepts[id] + slopes[id] * y).toBeCloseTo(min, 9);
      }
    }
  });
});

describe('a device whose memory cannot hold a request', () => {
  it('runs no layer: the weights with the input and peak activations must fit, as the run reserves them (helper-86)', () => {
    const m = loadCatalog().models.get('alexnet')!;
    const execution = { flops: m.flops, weightBytes: m.weightBytes('fp32'), activationBytes: 774_400 };
    const need = execution.weightBytes + 602_112 + execution.activationBytes;
    const at = (memory: number) => splitProfile(m, { ...PI, node: { ...PI.node, memory } }, SERVERS[0], { execution, inputBytes: 602_112 });
    expect(at(need).deviceSeconds[m.layers.length]).toBeLessThan(Infinity);
    expect(at(need - 1).deviceSeconds[m.layers.length]).toBe(Infinity);
    expect(at(need - 1).deviceSeconds.slice(1).every((s) => s === Infinity)).toBe(true); // no split either: every request is sent whole
  });
});
