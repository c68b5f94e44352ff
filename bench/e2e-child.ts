/**
 * One end-to-end benchmark run in a process of its own (spawned by bench/e2e.ts), so that its
 * peak RSS belongs to this run alone. Loads the EdgeCloudSim sample_app1 scenario with N devices
 * and D simulated minutes, builds and simulates it, and prints one JSON line ({@link ChildReport}).
 *
 *   node --import tsx bench/e2e-child.ts [--devices N] [--minutes M] [--scenario FILE] [--seed S] [--set path=value …]
 *
 * The scenario's device groups are its `kind: device` node entries; their counts in the file
 * give the app/tier shares, and are rescaled to N with largest remainders so they sum to N.
 * `--set` (repeatable) overrides any scenario value, as `edelear run --set` does; it is applied
 * after the device-count and duration overrides, so it wins over them.
 */
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/metrics/simulate.ts';
import { buildWorldSpec } from '../src/scenario/build.ts';
import { loadCatalog } from '../src/scenario/catalog.ts';
import { loadScenario } from '../src/scenario/load.ts';

/** The benchmark scenario (EdgeCloudSim sample_app1 restated for edelear). */
export const APP1_SCENARIO = fileURLToPath(new URL('../scenarios/bench/edgecloudsim-app1.yaml', import.meta.url));

/** What one child run reports (one JSON line on stdout). */
export interface ChildReport {
  readonly devices: number;
  readonly simulatedSeconds: number;
  readonly generated: number;
  readonly completed: number;
  readonly dropped: number;
  /** Requests alive at the end (queued on links or at nodes). */
  readonly inFlight: number;
  readonly events: number;
  /** Wall seconds of loading + building the world spec (not in the rate). */
  readonly buildSeconds: number;
  /** Wall seconds of `simulate()` (World construction + run), the rate's denominator. */
  readonly wallSeconds: number;
  /** CPU seconds (user + system, all threads of the process, GC included) spent in `simulate()`. */
  readonly cpuSeconds: number;
  /** Generated requests per wall second (offered load simulated, served or not). */
  readonly requestsPerWallSecond: number;
  /**
   * Completed requests per wall second: the served work, the rate to compare. Children of commits
   * before it was added do not report it; bench/e2e.ts derives it from completed / wallSeconds.
   */
  readonly completedPerWallSecond?: number;
  /** Requests per CPU second: less sensitive than the wall rate to other processes sharing the cores. */
  readonly requestsPerCpuSecond: number;
  readonly eventsPerWallSecond: number;
  /** Peak resident set size of the process before simulate() and at the end, KiB. */
  readonly maxRssBeforeSimKiB: number;
  readonly maxRssKiB: number;
  /** V8 heap in use at the end, bytes. */
  readonly heapUsedBytes: number;
}

/**
 * `--set` overrides that give the scenario's device groups N devices in total, keeping the
 * shares of the counts written in the file (largest-remainder rounding; every group keeps ≥ 1).
 */
export function deviceOverrides(file: string, devices: number): string[] {
  const nodes = loadScenario(file).scenario.nodes;
  const groups = nodes.map((n, i) => ({ i, count: n.count, kind: n.kind })).filter((g) => g.kind === 'device');
  const total = groups.reduce((s, g) => s + g.count, 0);
  if (groups.length === 0 || total === 0) throw new Error(`${file} has no device groups (nodes of kind device)`);
  if (devices < groups.length) throw new Error(`expected at least ${groups.length} devices (one per group), got ${devices}`);
  const exact = groups.map((g) => (g.count * devices) / total);
  const counts = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = devices - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((x, j) => ({ j, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.j - b.j);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].j]++;
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length) {
    if (counts[order[k].j] > 1) {
      counts[order[k].j]--;
      left++;
    }
  }
  return groups.map((g, j) => `nodes[${g.i}].count=${counts[j]}`);
}

/** Options of {@link runOnce}. */
export interface ChildOptions {
  devices: number;
  minutes?: number;
  file?: string;
  seed?: number;
  /** Extra `path=value` scenario overrides, applied last. */
  set?: string[];
}

/** Loads, builds and simulates the scenario with N devices for `minutes` simulated minutes. */
export function runOnce(options: ChildOptions): ChildReport {
  const file = options.file ?? APP1_SCENARIO;
  const t0 = performance.now();
  const overrides = deviceOverrides(file, options.devices);
  if (options.minutes !== undefined) overrides.push(`duration=${options.minutes * 60}`);
  overrides.push(...(options.set ?? []));
  const loaded = loadScenario(file, overrides);
  const spec = buildWorldSpec(loaded, loadCatalog(), options.seed);
  const buildSeconds = (performance.now() - t0) / 1000;
  const maxRssBeforeSimKiB = process.resourceUsage().maxRSS;
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const result = simulate(spec);
  const wallSeconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const w = result.world;
  return {
    devices: options.devices,
    simulatedSeconds: spec.duration,
    generated: w.generatedCount,
    completed: w.completedCount,
    dropped: w.droppedCount,
    inFlight: w.inFlight,
    events: w.sim.eventsProcessed,
    buildSeconds,
    wallSeconds,
    cpuSeconds,
    requestsPerWallSecond: w.generatedCount / wallSeconds,
    completedPerWallSecond: w.completedCount / wallSeconds,
    requestsPerCpuSecond: w.generatedCount / cpuSeconds,
    eventsPerWallSecond: w.sim.eventsProcessed / wallSeconds,
    maxRssBeforeSimKiB,
    maxRssKiB: process.resourceUsage().maxRSS,
    heapUsedBytes: process.memoryUsage().heapUsed,
  };
}

function parseArgs(argv: readonly string[]): ChildOptions {
  const out: ChildOptions = { devices: 1000, set: [] };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    const value = argv[++k];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const num = (): number => {
      const v = Number(value);
      if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${flag}: expected a positive number, got "${value}"`);
      return v;
    };
    if (flag === '--devices') out.devices = Math.round(num());
    else if (flag === '--minutes') out.minutes = num();
    else if (flag === '--scenario') out.file = value;
    else if (flag === '--seed') out.seed = Math.round(num());
    else if (flag === '--set') {
      if (!value.includes('=')) throw new Error(`--set: expected path=value, got "${value}"`);
      out.set!.push(value);
    } else throw new Error(`unknown option ${flag}; expected --devices N, --minutes M, --scenario FILE, --seed S, --set path=value`);
  }
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = runOnce(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
