import { describe, expect, it } from 'vitest';
import { exponential, uniform } from '../../src/core/distributions.ts';
import { RunMetrics } from '../../src/metrics/collectors.ts';
import { INSTANCE_FIELDS, InstanceTable } from '../../src/world/instances.ts';
import { RandomStreams, StreamBank } from '../../src/core/random.ts';
import type { PlacementSpec } from '../../src/world/placement.ts';
import { staticPlacement } from '../../src/world/placement.ts';
import { RequestPool } from '../../src/world/request.ts';
import { ARRIVAL_FIELDS, ArrivalGenerator, declaredExecution, type Execution } from '../../src/world/workload.ts';
import { job, node, workload } from './fixtures.ts';

describe('InstanceTable: what a request reads of its instance, in its arrival stream’s record', () => {
  it('holds each instance’s device, group and result bytes, and its laws by identity (instances of one workload share one), beside the arrival process', () => {
    const service = exponential(1);
    const keys = uniform(0, 10);
    const other = exponential(1); // equal in law to `service`, but another object: its own entry
    const w = [
      workload(3, { kind: 'poisson', rate: 1 }, { group: 0, serviceVariability: service, inputs: keys }),
      workload(4, { kind: 'poisson', rate: 2 }, { group: 0, serviceVariability: service, inputs: keys }),
      workload(5, { kind: 'poisson', rate: 3 }, { group: 1, resultBytes: 77 }),
      workload(6, { kind: 'poisson', rate: 4 }, { group: 2, serviceVariability: other }),
    ];
    const bank = new StreamBank(new RandomStreams(7), 'arrivals', w.length, ARRIVAL_FIELDS + INSTANCE_FIELDS);
    const arrivals = new ArrivalGenerator(w.map((x) => x.arrivals), bank);
    const t = new InstanceTable(w, bank, bank.stride - INSTANCE_FIELDS);
    const each = (f: (i: number) => number) => w.map((_, i) => f(i));
    expect(each((i) => t.device(i))).toEqual([3, 4, 5, 6]);
    expect(each((i) => t.group(i))).toEqual([0, 0, 1, 2]);
    expect(each((i) => t.resultBytes(i))).toEqual([400, 400, 77, 400]);
    expect(t.laws).toEqual([keys, service, other]);
    expect(t.laws[0]).toBe(keys);
    expect(each((i) => t.inputsLaw(i))).toEqual([0, 0, -1, -1]);
    expect(each((i) => t.serviceLaw(i))).toEqual([1, 1, -1, 2]);
    // The arrival process's fields are untouched: instance 3's next arrival is its own stream's exponential at rate 4.
    const own = new RandomStreams(7).stream('arrivals', 3);
    expect(arrivals.next(3, 10)).toBe(10 - Math.log(1 - own()) / 4);
  });
});

describe('RunMetrics: a request’s workload from its pool slot, its deadline and top-1 per workload or, where its instances differ, per instance', () => {
  // Two nodes (0 and 1); instance 0 runs variants of different top-1 at its two candidates, instance 1
  // the same top-1 at both, instance 2 one of unknown top-1, instance 3 has no execution records.
  const run = (variant: string, top1: number): Execution => ({ ...declaredExecution(job, 'fp32', top1, 'published'), variant });
  const shared = [run('a', 0.7), run('b', 0.7)];
  const workloads = [
    workload(2, { kind: 'poisson', rate: 1 }, { group: 0, deadline: 0.5, execution: [run('fp32', 0.76), run('int8', 0.75)] }),
    workload(3, { kind: 'poisson', rate: 1 }, { group: 1, deadline: 2, execution: shared }),
    workload(4, { kind: 'poisson', rate: 1 }, { group: 1, deadline: 2, execution: [run('x', NaN)] }),
    workload(5, { kind: 'poisson', rate: 1 }, { group: 2 }),
    workload(5, { kind: 'poisson', rate: 1 }, { group: 2, deadline: 0.05 }), // its workload's instances differ in deadline
  ];
  const placement: PlacementSpec = {
    candidates: Int32Array.from([0, 1, 0, 1, 0, 1, 1]),
    start: Int32Array.from([0, 2, 4, 5, 6, 7]),
    policies: [staticPlacement],
    policyOf: new Int32Array(5),
  };
  const nodes = ['a', 'b', 'd2', 'd3', 'd4', 'd5'].map((n) => node(n));

  /** Completes one request of instance i, born at 0 and done at `latency`, computed at node k. */
  const complete = (m: RunMetrics, pool: RequestPool, i: number, k: number, latency: number) => {
    const r = pool.acquire(0, i);
    pool.tenant[r] = workloads[i].group; // as the world sets it at birth
    pool.node[r] = k;
    m.generated(pool, r);
    m.completed(pool, r, latency);
    pool.release(r);
  };

  it('counts each request in its workload, meets deadlines per instance, and takes the top-1 of the node that served it', () => {
    const m = new RunMetrics({ workloads, nodes, placement }, 0);
    const pool = new RequestPool(8);
    complete(m, pool, 0, 0, 0.4); // fp32 at node 0: 0.76, deadline 0.5 met
    complete(m, pool, 0, 1, 0.6); // int8 at node 1: 0.75, deadline missed
    expect(m.byWorkload[0].completed).toBe(2);
    expect(m.byWorkload[0].generated).toBe(2);
    expect(m.byWorkload[0].deadlineMet).toBe(1);
    // The mean of the two variants that served (they differ by node): (0.76 + 0.75) / 2.
    expect(m.byWorkload[0].accuracy).toBeCloseTo(0.755, 12);
    complete(m, pool, 1, 1, 1.5);
    expect(m.byWorkload[1].accuracy).toBe(0.7);
    expect(m.byWorkload[1].deadlineMet).toBe(1);
    complete(m, pool, 2, 0, 3);
    expect(m.byWorkload[1].deadlineMet).toBe(1); // 3 s > its 2 s deadline
    expect(m.byWorkload[1].accuracy).toBeNaN(); // one request served by a variant of unknown top-1
    complete(m, pool, 3, 1, 0.1);
    expect(m.byWorkload[2].completed).toBe(1);
    expect(m.byWorkload[2].accuracy).toBeNaN();
    expect(m.byWorkload[2].deadlineMet).toBe(1); // no deadline: met
    complete(m, pool, 4, 1, 0.1);
    expect(m.byWorkload[2].deadlineMet).toBe(1); // 0.1 s > its own 0.05 s
    complete(m, pool, 4, 1, 0.01);
    expect(m.byWorkload[2].deadlineMet).toBe(2);
    expect(m.all.completed).toBe(7);
  });

  it('counts a dropped request in its workload', () => {
    const m = new RunMetrics({ workloads, nodes, placement }, 0);
    const pool = new RequestPool(8);
    const r = pool.acquire(0, 3);
    pool.tenant[r] = 2;
    pool.energy[r] = 2;
    m.dropped(pool, r, 'queue-full', 1);
    expect(m.byWorkload[2].dropped['queue-full']).toBe(1);
    expect(m.byWorkload[2].droppedEnergy).toBe(2);
    expect(m.byWorkload[0].droppedTotal).toBe(0);
  });
});
