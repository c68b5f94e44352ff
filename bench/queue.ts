/**
 * Distributed sweeps through Redis (sweep/queue/) against the local sweep, both through the CLI
 * (bin/edelear.js: dist/ when fresh, else the sources through tsx — the same for both arms), in
 * alternating paired rounds on one redis-server (Debian's, test/helpers/redis.ts: append-only
 * file, fsync always) with two `edelear worker --concurrency 1` processes started once, before
 * the rounds, as a cluster's workers are. Each round sweeps another base seed, so its run ids are
 * new to the queue (a run the queue holds finished would not run again); both arms of a round
 * sweep the same runs.
 *
 * 1. Queue overhead per run: 1,000 trivial runs (the default scenario for 1 simulated second,
 *    10 rates × 100 seeds). Per round, medians reported: (a) the queued sweep's wall time minus
 *    the local 2-thread sweep's, per run: what the queue adds to the runs' own time (the local
 *    sweep's is the runs' time plus the same start, plan and tables). Not "wall − the workers'
 *    job times": a worker's job time includes the wait of its prefetched job (PREFETCH) for a
 *    thread. (b) The same difference in CPU seconds (user +
 *    system: the sweep command with its threads; for the queue also the two workers, from
 *    /proc/PID/stat, and Redis, from INFO cpu), which other processes on a shared machine disturb
 *    less than wall time. Target < 5 ms.
 * 2. The 100-run sweep of bench/sweep.ts (10 rates × 10 seeds, 10 simulated minutes each) through
 *    the queue against the local sweep with 2 workers: the median of per-round ratios of wall
 *    times (queued ÷ local). Target ≤ 1.10. The workers are warm (started before the rounds, as a
 *    cluster's are); the local sweep starts its threads and loads their modules each time.
 *
 *   npx tsx bench/queue.ts [--rounds R]
 *
 *   npx tsx bench/queue.ts --only overhead|hundred   (one of the two)
 *
 * Needs redis-server (REDIS_SERVER, default /usr/bin/redis-server), redis-cli and /usr/bin/time.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { startRedis } from '../test/helpers/redis.ts';
import { staleBuild } from '../bin/build-state.js';
import { benchFlags, median, pairedRounds } from './measure.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sweepText(scenario: string, seed: number, trivial: boolean): string {
  return [
    `name: bench-queue-${trivial ? 'trivial' : 'default'}`,
    `scenario: ${JSON.stringify(scenario)}`,
    `seed: ${seed}`,
    `replications: ${trivial ? 100 : 10}`,
    'parameters:',
    '  workloads[0].arrivals.poisson: { from: 1/s, to: 10/s, steps: 10 }',
    ...(trivial ? ['  duration: [1 s]', '  warmup: [0 s]'] : []),
    '',
  ].join('\n');
}

/** A worker process and its log file. */
interface WorkerProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  log(): string;
}

/**
 * Starts `edelear worker` with its standard error to a file: the rounds time the sweeps with
 * spawnSync, which blocks this process's event loop, so a pipe from the workers would not be read
 * and a worker's log line would block it once the pipe is full.
 */
async function startWorker(url: string, logFile: string): Promise<WorkerProcess> {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['bin/edelear.js', 'worker', '--queue', url, '--concurrency', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const w: WorkerProcess = { child, logFile, log: () => readFileSync(logFile, 'utf8') };
  const deadline = Date.now() + 120_000;
  while (!w.log().includes('edelear worker: 1 run at a time')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the worker did not start (${child.exitCode}): ${w.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return w;
}

/** CPU seconds (user + system, all threads) a process has used so far: /proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A command run to its end under /usr/bin/time: wall seconds and its CPU seconds (user + system, its children included). */
function timedCpu(args: readonly string[]): { seconds: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-800)}`);
  const [user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, cpu: user + system };
}

/** Redis's own CPU seconds so far (redis-cli INFO cpu: used_cpu_user + used_cpu_sys). */
function redisCpu(port: number): number {
  const info = spawnSync('redis-cli', ['-p', String(port), 'info', 'cpu'], { encoding: 'utf8' }).stdout;
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)![1]);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** Seconds of the jobs done in a log since `from` (its "run ID done (S s)" lines), and how many. */
function jobSeconds(log: string, from: number): { seconds: number; jobs: number } {
  const times = [...log.slice(from).matchAll(/^run [0-9a-f]{16} done \(([\d.]+) s\)$/gm)].map((m) => Number(m[1]));
  return { seconds: times.reduce((a, t) => a + t, 0), jobs: times.length };
}

export async function main(rounds = 3, parts: readonly string[] = ['overhead', 'hundred']): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'edelear-bench-queue-'));
  const scenario = resolve(ROOT, 'scenarios/default.yaml');
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  const loadBefore = load();
  const redis = await startRedis({ dir: mkdtempSync(join(dir, 'redis-')) });
  const workers = await Promise.all([startWorker(redis.url, join(dir, 'worker-1.log')), startWorker(redis.url, join(dir, 'worker-2.log'))]);
  let seed = 1000;
  let n = 0;
  try {
    const measure = (trivial: boolean, runs: number) => {
      // Both arms of a round sweep the same seed: a new one each round (the arms run in order, local first in even rounds).
      const files = new Map<number, string>();
      let round = -1;
      let inRound = 0;
      return pairedRounds(
        [{ name: 'local' }, { name: 'queue' }],
        (arm) => {
          if (inRound++ % 2 === 0) {
            round++;
            seed += 1000;
            const file = join(dir, `sweep-${trivial ? 't' : 'd'}-${round}.yaml`);
            writeFileSync(file, sweepText(scenario, seed, trivial));
            files.set(round, file);
          }
          const file = files.get(round)!;
          const out = join(dir, `out-${n++}`);
          const from = workers.map((w) => w.log().length);
          const args = ['bin/edelear.js', 'sweep', file, '--out', out, '--quiet', '--no-charts', ...(arm.name === 'queue' ? ['--queue', redis.url] : ['--workers', '2'])];
          const others = () => workers.reduce((a, w) => a + cpuSeconds(w.child.pid!), 0) + redisCpu(redis.port);
          const before = others();
          const t = timedCpu(args);
          // The CPU of the whole arm: the sweep command (and its threads), and for the queue the workers and Redis too.
          const cpu = t.cpu + (arm.name === 'queue' ? others() - before : 0);
          rmSync(out, { recursive: true, force: true });
          const jobs = workers.map((w, i) => jobSeconds(w.log(), from[i]));
          const done = jobs.reduce((a, j) => a + j.jobs, 0);
          if (arm.name === 'queue' && done !== runs) throw new Error(`expected ${runs} jobs done in the workers' logs, found ${done}`);
          return { seconds: t.seconds, cpu };
        },
        { rounds, rate: (t) => 1 / t.seconds, base: 'local' },
      );
    };
    const f = (x: number, d = 2) => x.toFixed(d);
    const build = staleBuild() === undefined ? 'dist/' : 'the sources through tsx (stale build)';
    console.log(`Distributed sweeps through Redis (2 worker processes × 1 run) against the local sweep (2 threads); the CLI from ${build}; ${rounds} alternating paired rounds; ${availableParallelism()} cores`);

    if (parts.includes('overhead')) {
      const trivial = measure(true, 1000);
      const q = trivial.runs.get('queue')!;
      const l = trivial.runs.get('local')!;
      const added = median(q.map((t, i) => ((t.seconds - l[i].seconds) / 1000) * 1000));
      console.log(`  1,000 trivial runs (1 simulated s each): local ${f(median(l.map((t) => t.seconds)))} s, queue ${f(median(q.map((t) => t.seconds)))} s (medians)`);
      console.log(`    queue overhead per run, queue − local wall time (paired): ${f(added)} ms (per round ${q.map((t, i) => f(t.seconds - l[i].seconds)).join(', ')} ms); target < 5 ms: ${added < 5 ? 'met' : 'NOT met'}`);
      const cpuAdded = median(q.map((t, i) => t.cpu - l[i].cpu));
      console.log(
        `    CPU (user + system) per run, queue (submitter + workers + Redis) − local (the sweep and its threads), paired: ${f(cpuAdded)} ms (per round ${q.map((t, i) => f(t.cpu - l[i].cpu)).join(', ')} ms; local ${f(median(l.map((t) => t.cpu)))} s, queue ${f(median(q.map((t) => t.cpu)))} s in all): less sensitive than wall time to the other processes on the machine`,
      );
    }
    if (parts.includes('hundred')) {
      const hundred = measure(false, 100);
      const ratio = 1 / hundred.ratio('queue');
      console.log(
        `  100 runs of the default scenario (10 simulated min each): local ${f(hundred.median('local', (t) => t.seconds))} s, queue ${f(hundred.median('queue', (t) => t.seconds))} s (medians); queue ÷ local ${f(ratio, 3)} (median of per-round ${hundred.ratios.get('queue')!.map((r) => f(1 / r, 3)).join(', ')}); target ≤ 1.10: ${ratio <= 1.1 ? 'met' : 'NOT met'}`,
      );
    }
    console.log(`  load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()}`);
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/queue.ts [--rounds R] [--only overhead|hundred]   (R ≥ 1, default 3; both parts by default)';
  const a = benchFlags('bench/queue.ts', usage, ['--rounds', '--only']);
  const only = a.oneOf('--only', ['overhead', 'hundred']);
  await main(a.whole('--rounds'), only === undefined ? undefined : [only]);
}
