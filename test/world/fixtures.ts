import { DnnModel } from '../../src/world/model.ts';
import type { NodeSpec } from '../../src/world/node.ts';
import { fixedTargets } from '../../src/world/placement.ts';
import type { ArrivalSpec, WorkloadSpec } from '../../src/world/workload.ts';
import type { WorldSpec } from '../../src/world/world.ts';

/** Small worlds for world tests: 1 GFLOP jobs (1 s at 1 GFLOP/s), 1000 B in, 400 B out. */
export const job = new DnnModel({ name: 'job', inputBytes: 1000, layers: [{ name: 'l', type: 'custom', flops: 1e9, params: 1000, outputBytes: 400 }] });

export function node(name: string, extra: Partial<NodeSpec> = {}): NodeSpec {
  return { name, kind: 'device', throughput: { fp32: 1e9 }, slots: 1, memory: 1e9, power: { idle: 1, busy: 3 }, trust: 1, ...extra };
}

export function workload(device: number, arrivals: ArrivalSpec, extra: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return {
    name: 'w',
    group: 0,
    device,
    model: job,
    precision: 'fp32',
    arrivals,
    inputBytes: 1000,
    resultBytes: 400,
    deadline: Infinity,
    ...extra,
  };
}

export function spec({ targets, ...parts }: Partial<WorldSpec> & Pick<WorldSpec, 'nodes' | 'workloads'> & { targets: Int32Array }): WorldSpec {
  return { links: [], duration: 1000, warmup: 0, seed: 1, placement: fixedTargets(targets), ...parts };
}

