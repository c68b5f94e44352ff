import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What {@link lpScenarioFile} writes beside its fixed deployment. */
export interface LpScenarioParts {
  /** The scenario's `policies.placement`. */
  readonly placement: string;
  /** The cameras' Poisson rate (default 30/s). */
  readonly rate?: string;
  /** Appended to the cameras' workload entry (`, deadline: 5 ms`). */
  readonly workload?: string;
  /** More entries of nodes, links and workloads (whole YAML lines). */
  readonly nodes?: string;
  readonly links?: string;
  readonly workloads?: string;
  /** `policies.interval` (default 5 s; null: none, so the plan of the start holds for the whole run). */
  readonly interval?: string | null;
}

/**
 * A small deployment to run end to end, written to a fresh temporary folder: four cameras
 * (4 GFLOP/s) behind an edge server (10 GFLOP/s) and an untrusted cloud (100 GFLOP/s, trust
 * 0.2); a request is 0.1 GFLOP, 10 kB in, 400 B out: 25 ms on a camera, 10 ms on the edge.
 * Two minutes after 20 s of warm-up, seed 3, a tick every 5 s.
 */
export function lpScenarioFile(name: string, o: LpScenarioParts): string {
  const file = join(mkdtempSync(join(tmpdir(), 'edelear-lp-')), `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
duration: 2 min
warmup: 20 s
seed: 3
nodes:
  - { name: cam, kind: device, count: 4, compute: { fp32: 4 GFLOP/s }, memory: 1 GiB, power: { idle: 1 W, busy: 3 W } }
  - { name: edge, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 8 GiB, power: { idle: 10 W, busy: 30 W } }
  - { name: cloud, kind: cloud, compute: { fp32: 100 GFLOP/s }, memory: 64 GiB, power: { idle: 50 W, busy: 200 W }, trust: 0.2 }
${o.nodes ?? ''}links:
  - { between: [cam-*, edge], bandwidth: 100 Mbit/s, delay: 1 ms }
  - { between: [edge, cloud], bandwidth: 1 Gbit/s, delay: 20 ms }
${o.links ?? ''}models:
  - { name: job, input: 10 kB, layers: [{ name: l, flops: 0.1 GFLOP, output: 400 B }] }
workloads:
  - { name: classify, on: cam-*, model: job, arrivals: { poisson: ${o.rate ?? '30/s'} }${o.workload ?? ''} }
${o.workloads ?? ''}policies:
${o.interval === null ? '' : `  interval: ${o.interval ?? '5 s'}\n`}  placement: ${o.placement}
`,
  );
  return file;
}
