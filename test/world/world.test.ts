import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import { DnnModel } from '../../src/world/model.ts';
import { Topology } from '../../src/world/topology.ts';
import type { ArrivalSpec } from '../../src/world/workload.ts';
import { node, spec, workload } from './fixtures.ts';
import { exponential } from '../../src/core/distributions.ts';

describe('arrival processes', () => {
  it('a two-state MMPP arrives at its stationary mean rate (r0·s0 + r1·s1)/(s0 + s1)', () => {
    const arrivals: ArrivalSpec = { kind: 'mmpp', rates: [20, 0], sojourn: [10, 30] };
    const T = 1_000_000;
    const r = simulate(spec({ nodes: [node('d', { throughput: { fp32: 1e15 } })], workloads: [workload(0, arrivals)], targets: Int32Array.of(0), duration: T }));
    const mean = (20 * 10 + 0 * 30) / 40; // 5/s
    // Counts of an MMPP are over-dispersed: Var N(T) ≈ T (λ̄ + 2 (λ0 − λ1)² σ0 σ1 / (σ0 + σ1)³) with switching
    // rates σ0 = 1/10, σ1 = 1/30 (the asymptotic index of dispersion of the 2-state MMPP, Fischer and
    // Meier-Hellstern 1993): here 226 × the Poisson variance, so the measured rate has sd 0.034/s (0.7%) at T = 10^6 s.
    const [s0, s1] = [1 / 10, 1 / 30];
    const sd = Math.sqrt(T * (mean + (2 * 400 * s0 * s1) / (s0 + s1) ** 3)) / T;
    expect(Math.abs(r.world.generatedCount / T - mean)).toBeLessThan(4 * sd);
  });

  it('a trace issues exactly its timestamps within the run', () => {
    const times = Float64Array.of(0.5, 1, 1, 2.5, 7, 12);
    const r = simulate(spec({ nodes: [node('d')], workloads: [workload(0, { kind: 'trace', times })], targets: Int32Array.of(0), duration: 10 }), { trace: true });
    expect(r.metrics.trace!.map((row) => row[4])).toEqual([0.5, 1, 1, 2.5, 7]);
    // Deterministic 1 s jobs, FCFS: the second job at t = 1 waits for the first (ends 2), and so on.
    expect(r.metrics.trace!.map((row) => row[5])).toEqual([1.5, 2.5, 3.5, 4.5, 8]);
  });
});

describe('battery', () => {
  it('an idle device with a 3600 J battery and 1 W idle power empties at t = 3600 s and stops issuing requests', () => {
    const r = simulate(
      spec({
        nodes: [node('d', { battery: 3600, throughput: { fp32: 1e15 } }), node('e')],
        workloads: [],
        targets: new Int32Array(0),
        duration: 5000,
      }),
    );
    expect(r.world.batteries.emptyAt[0]).toBeCloseTo(3600, 6);
    expect(r.world.meters.dead[0]).toBe(1);
    expect(r.world.energy(0)).toBeCloseTo(3600, 6);
    expect(r.world.energy(1)).toBeCloseTo(5000, 6);
  });

  it('a busy device drains at busy power: 1 slot always busy at 3 W empties 3600 J at 1200 s', () => {
    // Periodic 1 s jobs of 1 s each keep the slot busy all the time.
    const r = simulate(
      spec({ nodes: [node('d', { battery: 3600 })], workloads: [workload(0, { kind: 'periodic', period: 1, offset: 0 })], targets: Int32Array.of(0), duration: 2000 }),
    );
    expect(r.world.batteries.emptyAt[0]).toBeCloseTo(1200, 6);
    expect(r.world.generatedCount).toBe(1200);
    // The request in service when the battery died is dropped.
    expect(r.metrics.all.dropped['battery-empty']).toBe(1);
  });
});

describe('failures', () => {
  it('a node with exponential MTBF 90 s and MTTR 10 s is up MTBF/(MTBF + MTTR) = 90% of the time', () => {
    const r = simulate(spec({ nodes: [node('d', { failures: { mtbf: 90, mttr: 10 } })], workloads: [], targets: new Int32Array(0), duration: 1_000_000 }));
    const availability = r.world.meters.totals(0).upTime / 1_000_000;
    expect(Math.abs(availability - 0.9)).toBeLessThan(0.005);
  });

  it('requests at a node when it fails are dropped and conservation holds', () => {
    const r = simulate(
      spec({
        nodes: [node('d', { failures: { mtbf: 50, mttr: 5 } })],
        workloads: [workload(0, { kind: 'poisson', rate: 0.8 }, { serviceVariability: exponential(1) })],
        targets: Int32Array.of(0),
        duration: 100_000,
      }),
    );
    const w = r.world;
    expect(r.metrics.all.dropped['node-down']).toBeGreaterThan(0);
    expect(w.generatedCount).toBe(w.completedCount + w.droppedCount + w.inFlight);
  });
});

describe('memory', () => {
  it('requests that do not fit in memory are dropped as memory-full', () => {
    // Weights 4 kB; each request reserves input 1000 B + activations 400 B; memory 6000 B → at most 1 request.
    const r = simulate(
      spec({
        nodes: [node('d', { memory: 5500 })],
        workloads: [workload(0, { kind: 'periodic', period: 0.5, offset: 0 })],
        targets: Int32Array.of(0),
        duration: 10,
      }),
    );
    expect(r.world.meters.residentBytes(0)).toBe(4000);
    expect(r.world.meters.memoryPeak(0)).toBe(5400);
    // Jobs take 1 s and arrive every 0.5 s: every other one finds the node full.
    expect(r.metrics.all.dropped['memory-full']).toBe(10);
    expect(r.metrics.all.completed).toBe(10);
  });
});

describe('routing', () => {
  it('takes the least-latency path for the payload, not the fewest hops', () => {
    const links: LinkSpec[] = [
      { a: 0, b: 1, bandwidth: 1e6, delay: 0.05, txEnergyPerBit: 0, rxEnergyPerBit: 0 }, // direct but slow: 0.05 + 0.008
      { a: 0, b: 2, bandwidth: 1e9, delay: 0.001, txEnergyPerBit: 0, rxEnergyPerBit: 0 },
      { a: 2, b: 1, bandwidth: 1e9, delay: 0.001, txEnergyPerBit: 0, rxEnergyPerBit: 0 },
    ];
    const topo = new Topology(3, links);
    const route = topo.route(0, 1, 1000)!;
    expect(route.nodes).toEqual([0, 2, 1]);
    expect(route.links).toEqual([2, 4]); // link 1 a→b, link 2 a→b
    expect(route.latency).toBeCloseTo(0.002 + 2 * 8e-6, 12);
    expect(topo.route(1, 0, 1000)!.links).toEqual([5, 3]); // reverse directions
    expect(new Topology(2, []).route(0, 1, 1)).toBeUndefined();
  });
});

describe('finite buffers', () => {
  it('M/M/1/K with K = 3 (1 slot + 2 waiting) loses (1 − ρ)ρ^K / (1 − ρ^{K+1}) of arrivals', () => {
    const rho = 0.8;
    const r = simulate(
      spec({
        nodes: [node('d', { queueLimit: 2 })],
        workloads: [workload(0, { kind: 'poisson', rate: rho }, { serviceVariability: exponential(1) })],
        targets: Int32Array.of(0),
        duration: 500_000,
      }),
    );
    const K = 3;
    const expected = ((1 - rho) * rho ** K) / (1 - rho ** (K + 1)); // 0.1734 (Kleinrock, Queueing Systems I, eq. 3.45)
    const lost = r.metrics.all.dropped['queue-full'] / r.metrics.all.generated;
    expect(Math.abs(lost - expected)).toBeLessThan(0.005);
  });

  it('a transfer that would wait longer than the link allows is dropped as link-congested', () => {
    // 1000 B at 8 kbit/s = 1 s on the link; two requests at once: the second would wait 1 s > 0.5 s.
    const links: LinkSpec[] = [{ a: 0, b: 1, bandwidth: 8000, delay: 0, maxWait: 0.5, txEnergyPerBit: 0, rxEnergyPerBit: 0 }];
    const times = Float64Array.of(0, 0, 5);
    const r = simulate(
      spec({ nodes: [node('d'), node('e')], links, workloads: [workload(0, { kind: 'trace', times })], targets: Int32Array.of(1), duration: 100 }),
    );
    expect(r.metrics.all.dropped['link-congested']).toBe(1);
    expect(r.metrics.all.completed).toBe(2);
  });
});

describe('processes beside the requests (send and compute)', () => {
  it('a process transfer shares the FIFO link with requests and a process job shares the slots', async () => {
    const { World } = await import('../../src/world/world.ts');
    const { RunMetrics } = await import('../../src/metrics/collectors.ts');
    const links: LinkSpec[] = [{ a: 0, b: 1, bandwidth: 8000, delay: 0.25, txEnergyPerBit: 1e-3, rxEnergyPerBit: 0 }];
    // One request at t = 0: its 1000 B input occupies the link for 1 s.
    const s = spec({ nodes: [node('d'), node('e')], links, workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0) })], targets: Int32Array.of(1), duration: 100 });
    const world = new World(s, new RunMetrics(s, 0));
    const events: string[] = [];
    world.at(0, (now) => {
      // Sent after the request's input (same time, later): waits 1 s, then 2000 B take 2 s, plus 0.25 s.
      world.send(world.topology.route(0, 1, 2000)!, 2000, now, (ok, t) => {
        events.push(`sent ${ok} ${t}`);
        // The request's 1 s job at node e started at 1.25 s and ends at 2.25 s: this 2 GFLOP job runs after it.
        world.compute(1, 2e9, 'fp32', t, (ok2, t2) => events.push(`computed ${ok2} ${t2}`));
      });
    });
    world.run();
    expect(events).toEqual(['sent true 3.25', 'computed true 5.25']);
    // Radio energy on the sender: (1000 + 2000) B × 8 bit × 1 mJ/bit.
    expect(world.meters.totals(0).radioTx).toBeCloseTo(24, 9);
    // Node e computed 1 s (request) + 2 s (job): 3 s at busy power.
    expect(world.meters.totals(1).busyArea).toBeCloseTo(3, 9);
  });
});

describe('edge cases found in review', () => {
  it('a battery nearly empty at a large clock value dies instead of re-checking forever', () => {
    // 1 J at 10 W busy lasts 0.1 s; at t = 10^6 s the time left approaches the clock's resolution.
    const big = new DnnModel({ name: 'big', inputBytes: 1000, layers: [{ name: 'l', type: 'custom', flops: 1e12, params: 0, outputBytes: 400 }] });
    const r = simulate(
      spec({
        nodes: [node('d', { battery: 1, power: { idle: 0, busy: 10 } })],
        workloads: [workload(0, { kind: 'trace', times: Float64Array.of(1e6) }, { model: big })],
        targets: Int32Array.of(0),
        duration: 1e6 + 1e4,
      }),
    );
    expect(r.world.batteries.emptyAt[0]).toBeCloseTo(1e6 + 0.1, 6);
    expect(r.world.energy(0)).toBeCloseTo(1, 9);
  });

  it('a device never spends more energy than its battery holds, radio included', () => {
    const r = simulate(
      spec({
        nodes: [node('d', { battery: 10, power: { idle: 0, busy: 0 } }), node('e')],
        links: [{ a: 0, b: 1, bandwidth: 1e6, delay: 0.01, txEnergyPerBit: 1e-4, rxEnergyPerBit: 1e-4 }],
        workloads: [workload(0, { kind: 'periodic', period: 0.1, offset: 0 }, { inputBytes: 1000, resultBytes: 4000 })],
        targets: Int32Array.of(1),
        duration: 20,
      }),
    );
    expect(r.world.meters.dead[0]).toBe(1);
    expect(r.world.energy(0)).toBeCloseTo(10, 9);
  });

  it('a request for a receiver that is down is lost at the sender, unsent: no radio energy, the link idle (helper-84: it was sent and paid for)', () => {
    // e's 1 J battery at 1 W idle empties at 1 s; from then on d's periodic requests to it go nowhere.
    const links: LinkSpec[] = [{ a: 0, b: 1, bandwidth: 1e6, delay: 0.01, txEnergyPerBit: 1e-6, rxEnergyPerBit: 1e-6 }];
    const r = simulate(
      spec({ nodes: [node('d', { power: { idle: 0, busy: 0 } }), node('e', { battery: 1, throughput: { fp32: 1e15 } })], links, workloads: [workload(0, { kind: 'periodic', period: 1, offset: 0.5 })], targets: Int32Array.of(1), duration: 100, warmup: 10 }),
    );
    expect(r.world.batteries.emptyAt[1]).toBeGreaterThan(0.9); // 1 s of idle less the first request's radio and compute
    expect(r.world.batteries.emptyAt[1]).toBeLessThan(1);
    // 90 requests born in the window, every one dropped at d as battery-empty, nothing sent: d spent no energy there.
    expect(r.metrics.all.dropped['battery-empty']).toBe(90);
    expect(r.world.linkBusyUntil(0, 100) - r.world.links.busyAtWarmup(0)).toBe(0);
    // Only the request of 0.5 s, before e died, was sent (8,000 bits out at 1 µJ a bit, its result back): sending the 99 after it would have cost ≥ 0.79 J more.
    expect(r.world.energy(0)).toBeLessThan(0.05);
  });

  it('transfers queued for a receiver that goes down are dropped unsent whatever its radio draws: a receive energy of 0 or 1e-15 J/bit gives the same figures (helper-85: 4× the energy at exactly 0)', () => {
    // d sends 1000 B every 0.25 s over 8 kbit/s (1 s each: the queue grows) to e, whose 2 J battery at 1 W idle empties at ≈ 2 s.
    const run = (rx: number) => {
      const links: LinkSpec[] = [{ a: 0, b: 1, bandwidth: 8000, delay: 0, txEnergyPerBit: 1e-5, rxEnergyPerBit: rx }];
      const r = simulate(spec({ nodes: [node('d', { power: { idle: 0, busy: 0 } }), node('e', { battery: 2, throughput: { fp32: 1e15 } })], links, workloads: [workload(0, { kind: 'periodic', period: 0.25, offset: 0 })], targets: Int32Array.of(1), duration: 10 }));
      return { energy: r.world.energy(0), busy: r.world.linkBusyUntil(0, 10), dropped: r.metrics.all.dropped['battery-empty'] };
    };
    const zero = run(0);
    const tiny = run(1e-15);
    expect(zero.busy).toBeCloseTo(tiny.busy, 9);
    expect(zero.energy).toBeCloseTo(tiny.energy, 9);
    expect(zero.dropped).toBe(tiny.dropped);
    expect(zero.busy).toBeLessThan(3); // what was sent before e died (≈ 2 s), not the 8 s the queue held
  });

  it('an overloaded link is busy at most 100% of the window, counting only transmission inside it', () => {
    // 1000 B every 0.5 s on an 8 kbit/s (1000 B/s) link: offered 200%, so it is busy all the time after warm-up.
    const links: LinkSpec[] = [{ a: 0, b: 1, bandwidth: 8000, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 }];
    const r = simulate(
      spec({ nodes: [node('d'), node('e', { throughput: { fp32: 1e15 } })], links, workloads: [workload(0, { kind: 'periodic', period: 0.5, offset: 0 })], targets: Int32Array.of(1), duration: 100, warmup: 50 }),
    );
    const busy = r.world.linkBusyUntil(0, 100) - r.world.links.busyAtWarmup(0);
    expect(busy / 50).toBeCloseTo(1, 12);
  });

  it('a transfer is lost when its sender goes down before it arrives', () => {
    // The gateway relays a 1000 B payload over an 8 kbit/s link (1 s) from t = 0.5; its 1 J battery empties at 1 s.
    const links: LinkSpec[] = [
      { a: 0, b: 1, bandwidth: 1e9, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 },
      { a: 1, b: 2, bandwidth: 8000, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 },
    ];
    const r = simulate(
      spec({
        nodes: [node('d'), node('gw', { battery: 1, power: { idle: 1, busy: 1 } }), node('e')],
        links,
        workloads: [workload(0, { kind: 'trace', times: Float64Array.of(0.5) })],
        targets: Int32Array.of(2),
        duration: 10,
      }),
    );
    expect(r.world.batteries.emptyAt[1]).toBeCloseTo(1, 12);
    expect(r.world.meters.totals(2).served).toBe(0);
    expect(r.metrics.all.dropped['battery-empty']).toBe(1);
  });

  it('requests waiting at a node are dropped at the moment it dies, not at their would-be completion', () => {
    // Ten 1 s jobs at t = 0 on a 1-slot node at 3 W busy with a 7.5 J battery: it dies at 2.5 s.
    const r = simulate(
      spec({ nodes: [node('d', { battery: 7.5 })], workloads: [workload(0, { kind: 'trace', times: new Float64Array(10) })], targets: Int32Array.of(0), duration: 6 }),
      { trace: true },
    );
    expect(r.world.batteries.emptyAt[0]).toBeCloseTo(2.5, 12);
    const ends = r.metrics.trace!.map((t) => `${t[5]}:${t[6]}`);
    expect(ends).toEqual(['1:completed', '2:completed', ...Array(8).fill('2.5:dropped:battery-empty')]);
    expect(r.world.inFlight).toBe(0);
  });
});
