import { describe, expect, it } from 'vitest';
import { floorRun, floorRunParallel } from '../../bench/floor.ts';

describe("bench/floor.ts: scale.yaml's model by a loop written for it alone", () => {
  it('completes requests in 5 events each, with the mean latency of M/M/4 edge servers at ρ = 0.6 and the transfers', () => {
    const r = floorRun(2000, 3600);
    // Arrival, two hops out, the compute's end, one hop back (the last hop home is booked): 5 events
    // a request for `detect`; `archive` (0.5 % of requests) has 7. Nothing is dropped.
    expect(r.events / r.completed).toBeGreaterThan(5.005);
    expect(r.events / r.completed).toBeLessThan(5.015);
    expect(r.generated - r.completed).toBeLessThan(200); // in flight at the end: ≈ 200 requests a second × 0.29 s ≈ 58
    // detect: Erlang C at c = 4, a = λ/μ = 10 × 0.24 = 2.4: C = 3.456 / 12.04 = 0.28704, Wq = C / (c·μ − λ)
    // = 0.28704 / (4 / 0.24 − 10) = 0.043056 s; W = 0.24 + Wq; transfers 0.0036 + 0.00116 + 0.001008 +
    // 0.00208 = 0.007848 s: 0.290904 s. archive: 0.032 s at the cloud (no wait at 64 slots) + 0.048016 s of
    // transfers = 0.080016 s. Mixed by rate (0.1 and 0.0005 a second): 0.995025 × 0.290904 + 0.004975 ×
    // 0.080016 = 0.289855 s.
    expect(Math.abs(r.meanLatency - 0.289855) / 0.289855).toBeLessThan(0.01);
  });

  it("on edelear's kernel (core/simulator.ts), handles the same events in the same order: every figure the same", () => {
    // Both order events by time (the kernel breaks ties by insertion, the heap arbitrarily; with
    // continuous times there are none): the same draws in the same order give the same run.
    const heap = floorRun(2000, 3600);
    const kernel = floorRun(2000, 3600, undefined, undefined, 'simulator');
    expect({ ...kernel, loopSeconds: 0 }).toEqual({ ...heap, loopSeconds: 0 });
    expect(heap.completed).toBeGreaterThan(700_000); // 2,000 devices × 0.1005 a second × 3,600 s = 723,600 born
    expect(() => floorRun(2000, 60, undefined, { index: 0, count: 2, sync: new SharedArrayBuffer(16), mail: new SharedArrayBuffer(8) }, 'simulator')).toThrow(/one thread only/);
  });

  it('split over two threads in windows of the WAN delay, simulates the same model', async () => {
    // Part 0 has the even access points and the cloud, part 1 the odd ones; each `archive` request of
    // part 1 crosses to part 0 and back (≈ 2000 / 2 × 0.0005 × 3600 = 1,800 of them): lost messages
    // would leave them in flight (generated − completed) and put fewer than 7 events on them.
    const r = await floorRunParallel(2000, 3600, 2);
    expect(r.events / r.completed).toBeGreaterThan(5.005);
    expect(r.events / r.completed).toBeLessThan(5.015);
    expect(r.generated - r.completed).toBeLessThan(200);
    expect(Math.abs(r.meanLatency - 0.289855) / 0.289855).toBeLessThan(0.01); // Erlang C, as above
  });
});
