/** What the benchmarks share: a median, a command timed under /usr/bin/time, paired rounds, and targets judged over rounds. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { estimate, verdict, type Estimate, type Verdict } from '../src/metrics/confidence.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `x` with `d` decimals (default none) and thousands separators, as every bench prints its figures
 * ("1,748,565", "0.41"); "–" where it is not a finite number (an arm that completed nothing).
 */
export function fmt(x: number, d = 0): string {
  return Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–';
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Runs `command ARGS` in the repository under /usr/bin/time (Debian package "time"): its stdout,
 * peak RSS in MiB, wall seconds, and its system CPU seconds and minor page faults — on a host that
 * backs memory when it is first touched, a large run's system time shows what its page faults cost
 * (bench/host-memory.ts). Throws on failure, with the end of its stderr.
 */
export function timed(command: string, args: readonly string[]): { stdout: string; rssMiB: number; seconds: number; systemSeconds: number; minorFaults: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %S %R', command, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return { stdout: r.stdout, seconds, ...timeFigures(r.stderr) };
}

/** What `/usr/bin/time -f '%M %S %R'` printed last on stderr (after the command's own stderr): peak RSS (MiB), system CPU seconds, minor page faults. */
export function timeFigures(stderr: string): { rssMiB: number; systemSeconds: number; minorFaults: number } {
  const last = stderr.trim().split('\n').pop() ?? '';
  const fields = last.split(' ').map(Number);
  if (fields.length !== 3 || fields.some((x) => !Number.isFinite(x))) throw new Error(`/usr/bin/time printed "${last.slice(0, 200)}", expected "peak-KiB system-s faults"`);
  const [rssKiB, systemSeconds, minorFaults] = fields;
  return { rssMiB: rssKiB / 1024, systemSeconds, minorFaults };
}

/**
 * A benchmark's target judged over its rounds as edelear judges a claim over seeds
 * (metrics/confidence.ts): the mean of the rounds' values with its 95 % Student-t interval; the
 * target holds when the whole interval is on its side of `bound` (≥ for `at least`, ≤ for
 * `at most`), does not hold when the whole interval is on the other side, and is inconclusive when
 * the interval straddles the bound — or when there is one round, which gives no interval: one run
 * decides nothing.
 */
export function targetVerdict(values: readonly number[], bound: number, side: 'at least' | 'at most'): { readonly estimate: Estimate; readonly verdict: Verdict } {
  const e = estimate(values);
  if (side === 'at least') return { estimate: e, verdict: verdict(e, bound) };
  // "x ≤ bound" is "−x ≥ −bound".
  const negated = verdict({ ...e, mean: -e.mean, low: -e.high, high: -e.low }, -bound);
  return { estimate: e, verdict: negated };
}

/**
 * A target's line: the mean over the rounds, its interval and the verdict ("0.47 (95 % CI 0.46 to
 * 0.48 over 5 rounds; target ≥ 0.50: does not hold)"); with one round, that there is no interval.
 */
export function targetText(values: readonly number[], bound: number, side: 'at least' | 'at most', digits: number): string {
  const { estimate: e, verdict: v } = targetVerdict(values, bound, side);
  const target = `target ${side === 'at least' ? '≥' : '≤'} ${fmt(bound, bound % 1 === 0 ? 0 : digits)}: ${v}`;
  const interval = e.n >= 2 ? `95 % CI ${fmt(e.low, digits)} to ${fmt(e.high, digits)} over ${e.n} rounds` : 'one round, no interval: --rounds 2 or more to judge';
  return `${fmt(e.mean, digits)} (${interval}; ${target})`;
}

/** What {@link pairedRounds} measured: each arm's runs in round order, and its per-round ratios to the base arm. */
export interface PairedRounds<R> {
  readonly runs: ReadonlyMap<string, readonly R[]>;
  /** Per round, the arm's rate ÷ the base arm's rate in that round (the base's own are 1). */
  readonly ratios: ReadonlyMap<string, readonly number[]>;
  /** The median over rounds of an arm's per-round ratios. */
  ratio(arm: string): number;
  /** The median over an arm's runs of `g`. */
  median(arm: string, g: (run: R) => number): number;
}

/**
 * Paired rounds: runs every arm once per round, `rounds` times (`run` runs it in this process or a
 * child of its own), the arms in
 * declared order in even rounds and reversed in odd ones (so no arm always runs on a warmer heap
 * or after the same neighbour), and pairs each run with the base arm's run of the same round:
 * ratio = rate(run) ÷ rate(base's run). The machine's load drifts between rounds, so the ratio
 * of runs close in time is the figure to trust, and the median of the per-round ratios the one to
 * report (never the best). `warm` runs the base arm once first, untimed, to compile the hot paths.
 */
export function pairedRounds<A extends { readonly name: string }, R>(
  arms: readonly A[],
  run: (arm: A) => R,
  options: { readonly rounds: number; readonly rate: (run: R) => number; readonly base?: string; readonly warm?: boolean },
): PairedRounds<R> {
  const base = options.base ?? arms[0].name;
  const baseArm = arms.find((a) => a.name === base);
  if (baseArm === undefined) throw new Error(`pairedRounds: no arm named ${base}`);
  if (!(options.rounds >= 1)) throw new Error(`pairedRounds: expected at least one round, got ${options.rounds}`);
  if (options.warm) run(baseArm);
  const runs = new Map<string, R[]>(arms.map((a) => [a.name, []]));
  const ratios = new Map<string, number[]>(arms.map((a) => [a.name, []]));
  for (let r = 0; r < options.rounds; r++) {
    const round = new Map<string, R>();
    for (const arm of r % 2 === 0 ? arms : [...arms].reverse()) {
      const x = run(arm);
      round.set(arm.name, x);
      runs.get(arm.name)!.push(x);
    }
    const b = options.rate(round.get(base)!);
    for (const [name, x] of round) ratios.get(name)!.push(options.rate(x) / b);
  }
  return {
    runs,
    ratios,
    ratio: (arm) => median(ratios.get(arm)!),
    median: (arm, g) => median(runs.get(arm)!.map(g)),
  };
}

/**
 * Runs one arm of a benchmark in a Node process of its own — `file --child ARM …args`, with this
 * process's loader flags (tsx) — and returns the JSON of its last line of output (null read as NaN).
 * Arms that run different code (caches or none, moving devices or still) must not share a process:
 * V8's compiled code is shared, so an arm would run on code the arms before it made polymorphic
 * (`bench/latency-aware.ts` read `on` ÷ `none` 0.34 in a first round and 0.72–0.74 in the next
 * two, in one process). A child is what `edelear run` is: one configuration per process.
 */
export function runChild<R>(file: string, arm: string, args: readonly string[]): R {
  const r = spawnSync(process.execPath, [...process.execArgv, file, '--child', arm, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    // The reason first (a stack trace's tail alone would cut it off), then the end of what it printed.
    const reason = r.stderr.split('\n').find((l) => /^(error:|\w*Error\b)/.test(l));
    throw new Error(`${file} --child ${arm} failed (${r.status})${reason === undefined ? '' : `: ${reason}`}\n${r.stderr.slice(-800)}`);
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let json: Record<string, number | null>;
  try {
    json = JSON.parse(last) as Record<string, number | null>;
  } catch {
    throw new Error(`${file} --child ${arm} printed no JSON line at its end (got ${JSON.stringify(last.slice(0, 200))})`);
  }
  // JSON has no NaN or Infinity: both come back as null, read as NaN.
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, v ?? NaN])) as R;
}

/**
 * Whether n devices suit the scale scenarios: a multiple of 100 (100 devices to an access point) from
 * 200 (one access point would be named `ap`, which their `ap-*` does not match) to 10^6 (a node
 * group's most replicas).
 */
export function isScaleDeviceCount(n: number): boolean {
  return Number.isInteger(n) && n >= 200 && n <= 1_000_000 && n % 100 === 0;
}

/** A bench's arguments, read by {@link benchFlags}: each getter gives undefined when its flag is absent, and exits 2 with the usage on a value it refuses. */
export interface BenchArgs {
  /** The values given, by flag (a switch's value is ''). */
  readonly given: Map<string, string>;
  /** Prints `message` and the usage on stderr and exits 2. */
  readonly fail: (message: string) => never;
  /** Whether switch `flag` was given. */
  has(flag: string): boolean;
  /** Every value of a repeatable flag, in order ([] when absent). */
  all(flag: string): string[];
  /** A whole number from `min` (default 1) to `max`. */
  whole(flag: string, min?: number, max?: number): number | undefined;
  /** A finite number above `bound`; `why` says where the bound comes from. */
  above(flag: string, bound: number, why?: string): number | undefined;
  /** A device count for the scale scenarios ({@link isScaleDeviceCount}). */
  devices(flag?: string): number | undefined;
  /** A comma-separated list of distinct such counts. */
  deviceList(flag?: string): number[] | undefined;
  /** Simulated minutes of a scale scenario, above its 1-minute warm-up. */
  minutes(flag?: string): number | undefined;
  /** One of `options`. */
  oneOf<T extends string>(flag: string, options: readonly T[]): T | undefined;
}

/**
 * A bench's arguments (process.argv after the script): `--flag value` for each of `allowed` (those
 * of `repeatable` as often as wanted), and the switches (`--flag` alone) of `switches`; `--help`
 * (or `-h`) prints `usage` and exits 0;
 * anything else — an unknown argument, a flag without its value, a value a getter refuses —
 * prints the message and `usage` on stderr and exits 2 (no stack trace, no silent default).
 */
export function benchFlags(script: string, usage: string, allowed: readonly string[], switches: readonly string[] = [], repeatable: readonly string[] = []): BenchArgs {
  const fail = (message: string): never => {
    console.error(`${script}: ${message}\n${usage}`);
    process.exit(2);
  };
  const given = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (let i = 2; i < process.argv.length; i++) {
    const flag = process.argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log(usage);
      process.exit(0);
    }
    if (switches.includes(flag)) {
      given.set(flag, '');
      continue;
    }
    if (!allowed.includes(flag)) fail(`unknown argument "${flag}"`);
    const value = process.argv[++i];
    // A value may begin with "--" (`--node-flag --no-opt`), but not be one of this script's flags.
    if (value === undefined || allowed.includes(value) || switches.includes(value) || value === '--help') fail(`${flag} expects a value`);
    if (repeatable.includes(flag)) lists.set(flag, [...(lists.get(flag) ?? []), value]);
    else if (given.has(flag)) fail(`${flag} given twice`);
    given.set(flag, value);
  }
  const whole = (flag: string, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const v = given.get(flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    return v.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : fail(`${flag} expects a whole number ${max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `≥ ${min}`}, got "${v}"`);
  };
  const scaleDevices = (flag: string, v: string): number => (isScaleDeviceCount(Number(v)) ? Number(v) : fail(`${flag} expects a multiple of 100 (100 devices to an access point) from 200 to 1,000,000, got "${v}"`));
  const above = (flag: string, bound: number, why?: string): number | undefined => {
    const v = given.get(flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) && n > bound ? n : fail(`${flag} expects a number above ${bound}${why ? ` (${why})` : ''}, got "${v}"`);
  };
  return {
    given,
    fail,
    has: (flag) => given.has(flag),
    all: (flag) => lists.get(flag) ?? [],
    whole,
    above,
    devices: (flag = '--devices') => {
      const v = given.get(flag);
      return v === undefined ? undefined : scaleDevices(flag, v);
    },
    deviceList: (flag = '--devices') => {
      const list = given.get(flag)?.split(',').map((v) => scaleDevices(flag, v));
      if (list !== undefined && new Set(list).size !== list.length) fail(`${flag} lists a size twice: "${given.get(flag)}"`);
      return list;
    },
    minutes: (flag = '--minutes') => above(flag, 1, 'the scale scenarios warm up for 1 minute'),
    oneOf: <T extends string>(flag: string, options: readonly T[]): T | undefined => {
      const v = given.get(flag);
      if (v === undefined) return undefined;
      return (options as readonly string[]).includes(v) ? (v as T) : fail(`${flag} expects one of ${options.join(', ')}, got "${v}"`);
    },
  };
}
