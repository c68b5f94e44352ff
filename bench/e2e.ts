/**
 * End-to-end benchmark: EdgeCloudSim's sample_app1 configuration restated for edelear
 * (scenarios/bench/edgecloudsim-app1.yaml), simulated at 1,000 and 10,000 devices for 30 simulated
 * minutes, and at 1,000 devices for 15, 30 and 60 minutes to show that peak memory does not grow
 * with simulated time. Every run is a child process of its own (bench/e2e-child.ts), so its peak
 * RSS is its own.
 *
 * The rate it leads with is served work: COMPLETED requests per wall second, with the share of
 * generated requests that were dropped beside it; generated requests per wall second (the offered
 * load simulated) stays as a column. The 250,000/s target is checked against completed/s.
 *
 *   npx tsx bench/e2e.ts [--devices N[,N…]] [--repeats R] [--memory-repeats M] [--set path=value …] [--json]
 *   npx tsx bench/e2e.ts --against REF [--devices N[,N…]] [--repeats R] [--set path=value …] [--json]
 *
 * --devices     device counts of the rate runs (default 1000,10000)
 * --repeats     runs per device count (default 5); without --against the median run by completed/s
 *               is shown; with --against, R pairs per device count
 * --memory-repeats  rounds of the memory runs (default 1); the 60 min / 15 min peak-RSS ratio is the
 *               median of the per-round ratios
 * --set         scenario override for the CURRENT tree's runs only (repeatable), applied after the
 *               device-count and duration overrides, e.g. --set 'policies.interval=1 s'
 * --against REF runs REF's own bench/e2e-child.ts (and its own scenario file) from a temporary git
 *               worktree of REF, alternating with the current tree (A B A B …, so drift on the
 *               machine hits both alike), and prints both sides and the paired ratio current / REF:
 *               the median and range of the per-pair ratios. The worktree borrows the current
 *               node_modules (a warning is printed when REF's package-lock.json differs) and is
 *               removed at the end, also on error or SIGINT. No memory runs in this mode.
 *
 * Exit status 2 on a usage error (unknown option, REF that does not resolve to a commit).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildReport } from './e2e-child.ts';
import { fmt, median } from './measure.ts';

/** Simulated requests per wall second the issue asks for on the 2-core machine (checked against completed/s). */
export const TARGET_REQUESTS_PER_SECOND = 250_000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD_PATH = 'bench/e2e-child.ts';

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

/** A usage error (bad option, unresolvable REF): the CLI exits with status 2. */
export class UsageError extends Error {}

/** Options of {@link main}. */
export interface E2eOptions {
  /** Runs per device count for the rate (median shown); with `against`, pairs per device count. Default 5. */
  readonly repeats?: number;
  /** Device counts of the rate runs; default [1000, 10000]. */
  readonly devices?: readonly number[];
  /** Simulated minutes of the memory runs (at 1,000 devices); default [15, 30, 60]. */
  readonly memoryMinutes?: readonly number[];
  /** Rounds of the memory runs; default 1. */
  readonly memoryRepeats?: number;
  /** Extra `path=value` scenario overrides for the current tree's runs only. */
  readonly set?: readonly string[];
  /** Compare with this commit (any git revision) instead of running the memory runs. */
  readonly against?: string;
  /** Run the "current" side from this directory instead of this tree (testing the mechanism). */
  readonly currentRoot?: string;
  /** Print nothing (the caller uses the returned results). */
  readonly quiet?: boolean;
}

/** A child's report with the served-work rate and the drop share filled in (old children lack them). */
export type Run = ChildReport & {
  readonly completedPerWallSecond: number;
  /** Dropped / generated. */
  readonly dropShare: number;
};

/** What {@link main} measured without `against`. */
export interface E2eResults {
  /** Median run (by completed requests per wall second) per device count, 30 simulated minutes. */
  readonly rate: readonly (Run & { readonly runs: readonly number[]; readonly runsGenerated: readonly number[] })[];
  /** Memory rounds; each round one run per simulated duration at 1,000 devices. */
  readonly memory: readonly (readonly Run[])[];
  /** Peak RSS of the longest over the shortest duration: median and range of the per-round ratios. */
  readonly memoryRatio?: Ratio;
  readonly target: number;
}

/** Median and range of per-pair ratios. */
export interface Ratio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly pairs: readonly number[];
}

/** One side of a comparison, medians over its runs. */
export interface SideSummary {
  readonly label: string;
  readonly commit: string;
  readonly completedPerWallSecond: number;
  readonly requestsPerWallSecond: number;
  readonly generated: number;
  readonly completed: number;
  readonly dropped: number;
  readonly dropShare: number;
  readonly wallSeconds: number;
  readonly maxRssKiB: number;
  readonly runs: readonly Run[];
}

/** What {@link main} measured with `against`. */
export interface CompareResults {
  readonly against: { readonly ref: string; readonly commit: string; readonly packageLockDiffers: boolean };
  readonly set: readonly string[];
  readonly rate: readonly {
    readonly devices: number;
    readonly current: SideSummary;
    readonly ref: SideSummary;
    /** current / REF, per pair. */
    readonly completedRatio: Ratio;
    readonly requestsRatio: Ratio;
    /** Completed requests per CPU second of simulate(): less sensitive to other processes on the cores. */
    readonly completedPerCpuRatio: Ratio;
  }[];
}

/** Where a child runs: the tree whose bench/e2e-child.ts (and scenario, and src/) it uses. */
export interface Side {
  readonly root: string;
  /** Extra `--set path=value` overrides for this side's child. */
  readonly set?: readonly string[];
}

const CURRENT: Side = { root: ROOT };

const running = new Set<ChildProcess>();

/** Runs `root`/bench/e2e-child.ts in a fresh Node process (cwd `root`) and returns its report. */
export function runChild(devices: number, minutes?: number, side: Side = CURRENT): Promise<Run> {
  const args = ['--import', 'tsx', join(side.root, CHILD_PATH), '--devices', String(devices)];
  if (minutes !== undefined) args.push('--minutes', String(minutes));
  for (const s of side.set ?? []) args.push('--set', s);
  const what = `${join(side.root, CHILD_PATH)} ${args.slice(3).join(' ')}`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: side.root, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (e) => {
      running.delete(child);
      fail(new Error(`${what}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (code !== 0) return fail(new Error(`${what} failed (${code ?? signal}):\n${stderr}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        done(withRates(JSON.parse(line) as ChildReport));
      } catch {
        fail(new Error(`${what}: expected a JSON report as the last line of its output, got:\n${stdout}${stderr}`));
      }
    });
  });
}

/** Fills in completed/s and the drop share from the counts every child (old ones too) reports. */
function withRates(r: ChildReport): Run {
  return {
    ...r,
    requestsPerWallSecond: r.requestsPerWallSecond ?? r.generated / r.wallSeconds,
    completedPerWallSecond: r.completed / r.wallSeconds,
    dropShare: r.generated > 0 ? r.dropped / r.generated : 0,
  };
}

/** Runs the benchmark, prints its tables (unless quiet) and returns the measurements. */
export async function main(options: E2eOptions & { against: string }): Promise<CompareResults>;
export async function main(options?: E2eOptions & { against?: undefined }): Promise<E2eResults>;
export async function main(options: E2eOptions): Promise<E2eResults | CompareResults>;
export async function main(options: E2eOptions = {}): Promise<E2eResults | CompareResults> {
  return options.against !== undefined ? compare({ ...options, against: options.against }) : single(options);
}

function header(log: (s?: string) => void, current: Side): void {
  log(`edelear end-to-end benchmark — EdgeCloudSim sample_app1 (scenarios/bench/edgecloudsim-app1.yaml)`);
  log(`  Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}); one child process per run`);
  if (current.root !== ROOT) log(`  current side run from ${current.root}`);
  if (current.set?.length) log(`  current side overrides: ${current.set.map((s) => `--set ${JSON.stringify(s)}`).join(' ')}`);
}

async function single(options: E2eOptions): Promise<E2eResults> {
  const repeats = Math.max(1, options.repeats ?? 5);
  const deviceCounts = options.devices ?? [1000, 10000];
  const memoryMinutes = options.memoryMinutes ?? [15, 30, 60];
  const memoryRepeats = Math.max(1, options.memoryRepeats ?? 1);
  const current: Side = { root: options.currentRoot ?? ROOT, set: options.set };
  const log = options.quiet ? () => {} : (s = '') => process.stdout.write(`${s}\n`);

  header(log, current);
  log();

  const rate: E2eResults['rate'][number][] = [];
  for (const n of deviceCounts) {
    const runs: Run[] = [];
    for (let k = 0; k < repeats; k++) runs.push(await runChild(n, 30, current));
    const sorted = [...runs].sort((a, b) => a.completedPerWallSecond - b.completedPerWallSecond);
    const median = sorted[(sorted.length - 1) >> 1];
    rate.push({ ...median, runs: runs.map((r) => r.completedPerWallSecond), runsGenerated: runs.map((r) => r.requestsPerWallSecond) });
  }
  log(
    `Rate (30 simulated minutes, the median of ${repeats} run${repeats > 1 ? 's' : ''} by completed requests per wall second; ` +
      `target ${fmt(TARGET_REQUESTS_PER_SECOND)} completed requests per wall second)`,
  );
  log(
    table(
      ['devices', 'completed/s', 'drop share', '× target', 'requests/s (generated)', 'requests', 'completed', 'dropped', 'in flight', 'events', 'wall s', 'completed/CPU s', 'events/s', 'peak RSS', 'RSS before sim', 'all runs (completed/s)'],
      rate.map((r) => [
        fmt(r.devices),
        fmt(r.completedPerWallSecond),
        pct(r.dropShare),
        (r.completedPerWallSecond / TARGET_REQUESTS_PER_SECOND).toFixed(2),
        fmt(r.requestsPerWallSecond),
        fmt(r.generated),
        fmt(r.completed),
        fmt(r.dropped),
        fmt(r.inFlight),
        fmt(r.events),
        r.wallSeconds.toFixed(2),
        fmt(r.completed / r.cpuSeconds),
        fmt(r.eventsPerWallSecond),
        mib(r.maxRssKiB),
        mib(r.maxRssBeforeSimKiB),
        r.runs.map((x) => fmt(x)).join(', '),
      ]),
    ),
  );
  log();

  // Rounds of all durations in turn, so each round's longest/shortest ratio is a pair run close in time.
  const memory: Run[][] = [];
  for (let k = 0; k < memoryRepeats; k++) {
    const round: Run[] = [];
    for (const m of memoryMinutes) round.push(await runChild(1000, m, current));
    memory.push(round);
  }
  log(`Peak memory vs simulated time (1,000 devices, ${memoryRepeats === 1 ? 'one run each' : `${memoryRepeats} rounds, the median run by peak RSS`})`);
  const memoryRows = memoryMinutes.map((_, j) => {
    const runs = memory.map((round) => round[j]).sort((a, b) => a.maxRssKiB - b.maxRssKiB);
    return runs[(runs.length - 1) >> 1];
  });
  log(
    table(
      ['simulated', 'requests', 'completed/s', 'dropped', 'in flight at end', 'peak RSS', 'RSS before sim', 'heap at end', 'requests/s (generated)'],
      memoryRows.map((r) => [
        `${r.simulatedSeconds / 60} min`,
        fmt(r.generated),
        fmt(r.completedPerWallSecond),
        `${fmt(r.dropped)} (${pct(r.dropShare)})`,
        fmt(r.inFlight),
        mib(r.maxRssKiB),
        mib(r.maxRssBeforeSimKiB),
        `${(r.heapUsedBytes / 2 ** 20).toFixed(1)} MiB`,
        fmt(r.requestsPerWallSecond),
      ]),
    ),
  );
  let memoryRatio: Ratio | undefined;
  if (memoryMinutes.length >= 2) {
    const last = memoryMinutes.length - 1;
    memoryRatio = ratio(memory.map((round) => round[last].maxRssKiB / round[0].maxRssKiB));
    const requests = ratio(memory.map((round) => round[last].generated / round[0].generated));
    log(
      `  peak RSS ${memoryMinutes[last]} min / ${memoryMinutes[0]} min = ${showRatio(memoryRatio, 2)} ` +
        `for ${requests.median.toFixed(2)}× the requests${memoryRepeats > 1 ? ' (median and range of the per-round ratios)' : ''}`,
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
  return { rate, memory, memoryRatio, target: TARGET_REQUESTS_PER_SECOND };
}

function git(args: readonly string[], cwd = ROOT): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** A temporary detached worktree of `commit` with the current tree's node_modules; `remove()` is idempotent. */
function addWorktree(commit: string): { dir: string; remove: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), 'edelear-bench-against-'));
  const dir = join(tmp, 'tree');
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    const r = git(['worktree', 'remove', '--force', dir]);
    rmSync(tmp, { recursive: true, force: true });
    if (!r.ok) git(['worktree', 'prune']);
  };
  const added = git(['worktree', 'add', '--detach', dir, commit]);
  if (!added.ok) {
    remove();
    throw new Error(`git worktree add --detach ${dir} ${commit} failed:\n${added.stderr}`);
  }
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, remove };
}

async function compare(options: E2eOptions & { against: string }): Promise<CompareResults> {
  const repeats = Math.max(1, options.repeats ?? 5);
  const deviceCounts = options.devices ?? [1000, 10000];
  const log = options.quiet ? () => {} : (s = '') => process.stdout.write(`${s}\n`);
  const progress = options.quiet ? () => {} : (s: string) => process.stderr.write(`${s}\n`);
  const current: Side = { root: options.currentRoot ?? ROOT, set: options.set };

  const ref = options.against;
  const resolved = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!resolved.ok || ref.startsWith('-')) throw new UsageError(`--against ${ref}: not a commit in ${ROOT.replace(/\/$/, "")} (git rev-parse found nothing)`);
  const commit = resolved.stdout.trim();
  const short = git(['rev-parse', '--short', commit]).stdout.trim() || commit.slice(0, 7);
  const label = short.startsWith(ref) || ref.startsWith(short) ? short : `${ref} (${short})`;
  if (!git(['cat-file', '-e', `${commit}:${CHILD_PATH}`]).ok) {
    throw new UsageError(`--against ${ref}: commit ${short} has no ${CHILD_PATH} (it predates the end-to-end benchmark)`);
  }
  const refLock = git(['show', `${commit}:package-lock.json`]);
  const currentLockFile = join(current.root, 'package-lock.json');
  const currentLock = existsSync(currentLockFile) ? readFileSync(currentLockFile, 'utf8') : undefined;
  const packageLockDiffers = !refLock.ok || currentLock === undefined || refLock.stdout !== currentLock;
  if (packageLockDiffers) {
    process.stderr.write(
      `warning: package-lock.json of ${label} differs from the current tree's; ${label} runs with the current node_modules (symlinked), not its own locked dependencies\n`,
    );
  }

  const worktree = addWorktree(commit);
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const c of running) c.kill('SIGTERM');
    worktree.remove();
    process.stderr.write(`\ne2e: ${signal}: stopped; worktree of ${label} removed\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onExit = (): void => worktree.remove();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  try {
    const other: Side = { root: worktree.dir };
    header(log, current);
    log(`  against ${label} = ${commit}, run from a temporary worktree (${worktree.dir}) with its own ${CHILD_PATH} and scenario`);
    if (packageLockDiffers) log(`  warning: package-lock.json of ${label} differs from the current tree's; both ran with the current node_modules`);
    log();

    const rate: CompareResults['rate'][number][] = [];
    for (const n of deviceCounts) {
      const a: Run[] = [];
      const b: Run[] = [];
      for (let k = 0; k < repeats; k++) {
        a.push(await runChild(n, 30, current));
        b.push(await runChild(n, 30, other));
        progress(
          `  ${fmt(n)} devices, pair ${k + 1}/${repeats}: current ${fmt(a[k].completedPerWallSecond)} completed/s, ` +
            `${label} ${fmt(b[k].completedPerWallSecond)} completed/s (${(a[k].completedPerWallSecond / b[k].completedPerWallSecond).toFixed(3)})`,
        );
      }
      rate.push({
        devices: n,
        current: summarize('current', options.currentRoot ? 'current root' : 'working tree', a),
        ref: summarize(label, commit, b),
        completedRatio: ratio(a.map((x, k) => x.completedPerWallSecond / b[k].completedPerWallSecond)),
        requestsRatio: ratio(a.map((x, k) => x.requestsPerWallSecond / b[k].requestsPerWallSecond)),
        completedPerCpuRatio: ratio(a.map((x, k) => x.completed / x.cpuSeconds / (b[k].completed / b[k].cpuSeconds))),
      });
    }

    log(`Rate (30 simulated minutes, ${repeats} pair${repeats > 1 ? 's' : ''} per device count run alternately current, ${label}, current, …; each column the median over the side's runs)`);
    log(
      table(
        ['devices', 'side', 'completed/s', 'drop share', 'requests/s (generated)', 'requests', 'completed', 'dropped', 'wall s', 'peak RSS', 'all runs (completed/s)'],
        rate.flatMap((r) =>
          [r.current, r.ref].map((s) => [
            fmt(r.devices),
            s.label,
            fmt(s.completedPerWallSecond),
            pct(s.dropShare),
            fmt(s.requestsPerWallSecond),
            fmt(s.generated),
            fmt(s.completed),
            fmt(s.dropped),
            s.wallSeconds.toFixed(2),
            mib(s.maxRssKiB),
            s.runs.map((x) => fmt(x.completedPerWallSecond)).join(', '),
          ]),
        ),
        2,
      ),
    );
    log();
    log(`Paired ratio current / ${label} (median of the per-pair ratios, range in brackets)`);
    log(
      table(
        ['devices', 'pairs', 'completed/s', 'requests/s (generated)', 'completed/CPU s', 'per-pair completed/s ratios'],
        rate.map((r) => [
          fmt(r.devices),
          String(repeats),
          showRatio(r.completedRatio, 3),
          showRatio(r.requestsRatio, 3),
          showRatio(r.completedPerCpuRatio, 3),
          r.completedRatio.pairs.map((x) => x.toFixed(3)).join(', '),
        ]),
      ),
    );
    const differ = rate.filter((r) => r.current.generated !== r.ref.generated || r.current.completed !== r.ref.completed);
    if (differ.length > 0) {
      log(
        `  note: the two sides simulate different work (${differ
          .map((r) => `${fmt(r.devices)} devices: ${fmt(r.current.generated)} vs ${fmt(r.ref.generated)} generated, ${fmt(r.current.completed)} vs ${fmt(r.ref.completed)} completed`)
          .join('; ')}) — compare completed/s, the served work, not generated/s`,
      );
    }
    return { against: { ref, commit, packageLockDiffers }, set: options.set ?? [], rate };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
    worktree.remove();
  }
}

function summarize(label: string, commit: string, runs: readonly Run[]): SideSummary {
  const m = (f: (r: Run) => number): number => median(runs.map(f));
  return {
    label,
    commit,
    completedPerWallSecond: m((r) => r.completedPerWallSecond),
    requestsPerWallSecond: m((r) => r.requestsPerWallSecond),
    generated: m((r) => r.generated),
    completed: m((r) => r.completed),
    dropped: m((r) => r.dropped),
    dropShare: m((r) => r.dropShare),
    wallSeconds: m((r) => r.wallSeconds),
    maxRssKiB: m((r) => r.maxRssKiB),
    runs,
  };
}

function ratio(pairs: readonly number[]): Ratio {
  return { median: median(pairs), min: Math.min(...pairs), max: Math.max(...pairs), pairs };
}

function showRatio(r: Ratio, digits: number): string {
  if (!r.pairs.every(Number.isFinite)) return '—';
  const m = r.median.toFixed(digits);
  return r.pairs.length > 1 ? `${m} (${r.min.toFixed(digits)}–${r.max.toFixed(digits)})` : m;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

/** Columns before `leftColumns` are left-aligned, the rest right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => `  ${cells.map((s, c) => (c < leftColumns ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')}`;
  return [line(header), ...rows.map(line)].join('\n');
}

const USAGE =
  'usage: npx tsx bench/e2e.ts [--against REF] [--devices N[,N…]] [--repeats R] [--memory-repeats M] [--set path=value …] [--json]';

function parseArgs(argv: readonly string[]): E2eOptions & { json: boolean } {
  let repeats: number | undefined;
  let memoryRepeats: number | undefined;
  let devices: number[] | undefined;
  let against: string | undefined;
  let currentRoot: string | undefined;
  const set: string[] = [];
  let json = false;
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const value = argv[++k];
    if (!['--repeats', '--memory-repeats', '--devices', '--against', '--set', '--current-root'].includes(flag)) {
      throw new UsageError(`unknown option ${flag}\n${USAGE}`);
    }
    if (value === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`);
    const count = (): number => {
      if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag}: expected a positive whole number, got "${value}"`);
      return Number(value);
    };
    if (flag === '--repeats') repeats = count();
    else if (flag === '--memory-repeats') memoryRepeats = count();
    else if (flag === '--devices') {
      if (!/^[1-9]\d*(,[1-9]\d*)*$/.test(value.replace(/_/g, ''))) throw new UsageError(`--devices: expected N[,N…] (positive whole numbers), got "${value}"`);
      devices = value.replace(/_/g, '').split(',').map(Number);
    } else if (flag === '--against') against = value;
    else if (flag === '--current-root') currentRoot = resolve(value);
    else {
      if (!value.includes('=')) throw new UsageError(`--set: expected path=value, got "${value}"`);
      set.push(value);
    }
  }
  return { repeats, memoryRepeats, devices, against, currentRoot, set, json, quiet: json };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const results = await main(args);
    if (args.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } catch (e) {
    process.stderr.write(`e2e: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}
