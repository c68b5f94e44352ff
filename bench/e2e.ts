/**
 * End-to-end benchmark: EdgeCloudSim's sample_app1 configuration restated for edelear
 * (scenarios/bench/edgecloudsim-app1.yaml), simulated at 1,000 and 10,000 devices for 30 simulated
 * minutes, and at 1,000 devices for 15, 30 and 60 minutes to show that peak memory does not grow
 * with simulated time. Prints simulated requests per wall second against the 250,000/s target, and
 * peak RSS. Every run is a child process of its own (bench/e2e-child.ts), so its peak RSS is its own.
 *
 *   npx tsx bench/e2e.ts [--repeats R] [--json]
 *
 * R runs per device count (default 5); the median by requests per wall second is shown.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ChildReport } from './e2e-child.ts';

/** Simulated requests per wall second the issue asks for on the 2-core machine. */
export const TARGET_REQUESTS_PER_SECOND = 250_000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./e2e-child.ts', import.meta.url));

/**
 * EdgeCloudSim's own wall-clock times for sample_app1 (30 simulated minutes, 3 scenarios per device
 * count), from the run log shipped in its repository:
 * scripts/sample_app1/output/30-08-2018_15-27/default_config/ite1.log @ d4545f00 (see
 * .notes/edgecloudsim-app1.md §10). Hardware unknown: context, not a same-machine measurement.
 */
export const EDGECLOUDSIM_APP1_LOG = [
  { devices: 100, seconds: [1, 2], tasks: [8_400, 9_700] },
  { devices: 300, seconds: [8, 9], tasks: [28_000, 32_000] },
  { devices: 500, seconds: [18, 56], tasks: [47_000, 49_000] },
  { devices: 700, seconds: [77, 119], tasks: [67_000, 70_000] },
  { devices: 1000, seconds: [84, 145], tasks: [96_000, 100_000] },
] as const;

/** Options of {@link main}. */
export interface E2eOptions {
  /** Runs per device count for the rate (median shown); default 5. */
  readonly repeats?: number;
  /** Device counts of the rate runs; default [1000, 10000]. */
  readonly devices?: readonly number[];
  /** Simulated minutes of the memory runs (at 1,000 devices); default [15, 30, 60]. */
  readonly memoryMinutes?: readonly number[];
  /** Print nothing (the caller uses the returned results). */
  readonly quiet?: boolean;
}

/** What {@link main} measured. */
export interface E2eResults {
  /** Median run (by requests per wall second) per device count, 30 simulated minutes. */
  readonly rate: readonly (ChildReport & { readonly runs: readonly number[] })[];
  /** One run per simulated duration at 1,000 devices. */
  readonly memory: readonly ChildReport[];
  readonly target: number;
}

/** Runs bench/e2e-child.ts in a fresh Node process and returns its report. */
export function runChild(devices: number, minutes?: number): ChildReport {
  const args = ['--import', 'tsx', CHILD, '--devices', String(devices)];
  if (minutes !== undefined) args.push('--minutes', String(minutes));
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    throw new Error(`bench/e2e-child.ts --devices ${devices}${minutes ? ` --minutes ${minutes}` : ''} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildReport;
}

/** Runs the benchmark, prints its table (unless quiet) and returns the measurements. */
export async function main(options: E2eOptions = {}): Promise<E2eResults> {
  const repeats = Math.max(1, options.repeats ?? 5);
  const deviceCounts = options.devices ?? [1000, 10000];
  const memoryMinutes = options.memoryMinutes ?? [15, 30, 60];
  const log = options.quiet ? () => {} : (s = '') => process.stdout.write(`${s}\n`);

  log(`edelear end-to-end benchmark — EdgeCloudSim sample_app1 (scenarios/bench/edgecloudsim-app1.yaml)`);
  log(`  Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}); one child process per run`);
  log();

  const rate: (ChildReport & { runs: number[] })[] = [];
  for (const n of deviceCounts) {
    const runs: ChildReport[] = [];
    for (let k = 0; k < repeats; k++) runs.push(runChild(n, 30));
    const sorted = [...runs].sort((a, b) => a.requestsPerWallSecond - b.requestsPerWallSecond);
    const median = sorted[(sorted.length - 1) >> 1];
    rate.push({ ...median, runs: runs.map((r) => r.requestsPerWallSecond) });
  }
  log(`Rate (30 simulated minutes, median of ${repeats} run${repeats > 1 ? 's' : ''}; target ${fmt(TARGET_REQUESTS_PER_SECOND)} requests per wall second)`);
  log(
    table(
      ['devices', 'requests', 'completed', 'dropped', 'in flight', 'events', 'wall s', 'requests/s', '× target', 'requests/CPU s', 'events/s', 'peak RSS', 'RSS before sim', 'all runs (requests/s)'],
      rate.map((r) => [
        fmt(r.devices),
        fmt(r.generated),
        fmt(r.completed),
        fmt(r.dropped),
        fmt(r.inFlight),
        fmt(r.events),
        r.wallSeconds.toFixed(2),
        fmt(r.requestsPerWallSecond),
        (r.requestsPerWallSecond / TARGET_REQUESTS_PER_SECOND).toFixed(2),
        fmt(r.requestsPerCpuSecond),
        fmt(r.eventsPerWallSecond),
        mib(r.maxRssKiB),
        mib(r.maxRssBeforeSimKiB),
        r.runs.map((x) => fmt(x)).join(', '),
      ]),
    ),
  );
  log();

  const memory: ChildReport[] = memoryMinutes.map((m) => runChild(1000, m));
  log('Peak memory vs simulated time (1,000 devices, one run each)');
  log(
    table(
      ['simulated', 'requests', 'in flight at end', 'dropped', 'peak RSS', 'RSS before sim', 'heap at end', 'requests/s'],
      memory.map((r) => [
        `${r.simulatedSeconds / 60} min`,
        fmt(r.generated),
        fmt(r.inFlight),
        fmt(r.dropped),
        mib(r.maxRssKiB),
        mib(r.maxRssBeforeSimKiB),
        `${(r.heapUsedBytes / 2 ** 20).toFixed(1)} MiB`,
        fmt(r.requestsPerWallSecond),
      ]),
    ),
  );
  if (memory.length >= 2) {
    const first = memory[0];
    const last = memory[memory.length - 1];
    log(
      `  peak RSS ${last.simulatedSeconds / 60} min / ${first.simulatedSeconds / 60} min = ${(last.maxRssKiB / first.maxRssKiB).toFixed(2)} ` +
        `for ${(last.generated / first.generated).toFixed(2)}× the requests`,
    );
  }
  log();

  log('For reference only — EdgeCloudSim sample_app1, 30 simulated minutes per run, from the log shipped in its repository');
  log('(scripts/sample_app1/output/30-08-2018_15-27/default_config/ite1.log @ d4545f00; hardware not stated, NOT measured on this machine):');
  log(
    table(
      ['devices', 'wall s per run', 'tasks per run', 'tasks per wall second (range)'],
      EDGECLOUDSIM_APP1_LOG.map((e) => [
        fmt(e.devices),
        `${e.seconds[0]}–${e.seconds[1]}`,
        `~${fmt(e.tasks[0])}–${fmt(e.tasks[1])}`,
        `~${fmt(e.tasks[0] / e.seconds[1])}–${fmt(e.tasks[1] / e.seconds[0])}`,
      ]),
    ),
  );
  return { rate, memory, target: TARGET_REQUESTS_PER_SECOND };
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => `  ${cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')}`;
  return [line(header), ...rows.map(line)].join('\n');
}

function parseArgs(argv: readonly string[]): E2eOptions & { json: boolean } {
  let repeats: number | undefined;
  let json = false;
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === '--json') json = true;
    else if (argv[k] === '--repeats' && /^\d+$/.test(argv[k + 1] ?? '')) repeats = Number(argv[++k]);
    else throw new Error(`unknown option ${argv[k]}; expected --repeats R or --json`);
  }
  return { repeats, json, quiet: json };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = parseArgs(process.argv.slice(2));
  const results = await main(args);
  if (args.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}
