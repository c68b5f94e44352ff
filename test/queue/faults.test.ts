import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectRedis, type RedisServer, redisTestsRun, startRedis } from '../helpers/redis.ts';
import { activeJobs, type Child, doneLines, edelear, edelearDone, jobCounts, localSweep, runFolders, startWorkerProcess, startWorkerProcesses, sweepFile, tables, until } from './cluster.ts';

/*
 * The failures a distributed sweep must survive, each on its own redis-server (append-only file,
 * fsync always) with two worker processes (locks of 1 s, stalled checks every 0.5 s):
 * - a worker SIGKILLed in the middle of a run: the job is found stalled and run by the other
 *   worker; every run is in the outputs once and the tables are the local sweep's;
 * - the submitter SIGKILLed and started again: it re-attaches (the same job ids: nothing added
 *   twice) and finishes with the local sweep's tables;
 * - Redis restarted in the middle: workers and submitter reconnect, nothing is lost.
 */

const dir = mkdtempSync(join(tmpdir(), 'edelear-queue-faults-'));

/**
 * 2 rates × 4 seeds of the default scenario for 10 simulated minutes (0.1–1 s of CPU each): runs
 * long enough to be caught in progress. One sweep for the three tests: each has a Redis of its
 * own and an output folder of its own, so they share only the local sweep they are compared with,
 * made once (its tables depend on nothing but the file).
 */
const file = sweepFile(dir, 'faults', 'replications: 4\nparameters:\n  workloads[0].arrivals.poisson: [8/s, 12/s]\n');
const local = join(dir, 'faults-local');
let made: Promise<void> | undefined;
/** The local sweep of {@link file}: the reference every test's queued tables must equal. */
function localReference(): Promise<void> {
  made ??= localSweep(file, local);
  return made;
}

describe.skipIf(!redisTestsRun(import.meta.url))('distributed sweep faults', () => {
  let redis: RedisServer | undefined;
  let children: Child[] = [];

  beforeAll(() => expectRedis());

  afterEach(async () => {
    for (const c of children) c.process.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    children = [];
    await redis?.stop();
  });

  it('a worker SIGKILLed mid-run: its job is taken back as stalled and run by the other worker, every run once', async () => {
    redis = await startRedis();
    await localReference();
    const out = join(dir, 'killed-worker');
    const victim = await startWorkerProcess(redis.url);
    children.push(victim);
    const submitter = edelear(['sweep', file, '--queue', redis.url, '--out', out, '--no-charts', '--quiet']);
    children.push(submitter);
    let caught: string[] = [];
    await until(async () => (caught = await activeJobs(redis!.url)).length > 0, 120_000, 'a run in progress');
    victim.process.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const [id] = caught;
    expect(doneLines(victim.stderr(), id)).toBe(0); // killed before it finished that run
    const rescuer = await startWorkerProcess(redis.url);
    children.push(rescuer);
    expect(await submitter.exited).toBe(0);
    expect(doneLines(rescuer.stderr(), id)).toBe(1);
    expect(tables(out)).toEqual(tables(local));
    expect(runFolders(out)).toEqual(runFolders(local));
    expect(await jobCounts(redis.url)).toMatchObject({ completed: 8, failed: 0, active: 0, wait: 0 });
  });

  it('the submitter SIGKILLed and started again re-attaches and finishes; no job added twice', async () => {
    redis = await startRedis();
    await localReference();
    const out = join(dir, 'killed-submitter');
    children.push(...(await startWorkerProcesses(redis.url, 2)));
    const first = edelear(['sweep', file, '--queue', redis.url, '--out', out, '--no-charts', '--quiet']);
    children.push(first);
    await until(() => runFolders(out).length >= 2, 120_000, 'two runs collected');
    first.process.kill('SIGKILL');
    await first.exited;
    const kept = runFolders(out).length;
    expect(kept).toBeLessThan(8);
    const again = await edelearDone(['sweep', file, '--queue', redis.url, '--out', out, '--no-charts']);
    expect(again.status).toBe(0);
    // Done before: those collected into the folder, and those the queue holds done that the killed submitter had not collected yet (they are not run now).
    const counts = /(\d+) runs already done \(kept\), (\d+) run now, 0 of them failed/.exec(again.stdout);
    expect(counts).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThanOrEqual(kept);
    expect(Number(counts![1]) + Number(counts![2])).toBe(8);
    expect(tables(out)).toEqual(tables(local));
    expect(await jobCounts(redis.url)).toMatchObject({ completed: 8, failed: 0, active: 0, wait: 0 });
    const logs = children.map((c) => c.stderr()).join('\n');
    for (const id of runFolders(out)) expect(doneLines(logs, id)).toBe(1);
  });

  it('Redis restarted mid-sweep (append-only file): workers and submitter reconnect, nothing is lost', async () => {
    redis = await startRedis();
    await localReference();
    const out = join(dir, 'redis-restart');
    children.push(...(await startWorkerProcesses(redis.url, 2)));
    const submitter = edelear(['sweep', file, '--queue', redis.url, '--out', out, '--no-charts', '--quiet']);
    children.push(submitter);
    await until(() => runFolders(out).length >= 2, 120_000, 'two runs collected');
    expect(runFolders(out).length).toBeLessThan(8);
    await redis.restart();
    expect(await submitter.exited).toBe(0);
    // An outage the submitter warned of ends with its saying so, as a worker does.
    const said = submitter.stderr();
    if (said.includes('(reconnecting)')) expect(said.indexOf('connected again')).toBeGreaterThan(said.indexOf('(reconnecting)'));
    // And each worker that warned of it (before, a worker never said it: its 'ready' comes once).
    for (const c of children.slice(0, 2)) {
      const log = c.stderr();
      if (log.includes('(reconnecting)')) expect(log.indexOf('connected again'), log).toBeGreaterThan(log.indexOf('(reconnecting)'));
    }
    expect(tables(out)).toEqual(tables(local));
    expect(await jobCounts(redis.url)).toMatchObject({ completed: 8, failed: 0, active: 0, wait: 0 });
  });

  it('a worker stopped by SIGINT finishes its run in progress and gives the prefetched one back unrun (helper-83: it ran that one too)', async () => {
    redis = await startRedis();
    const out = join(dir, 'prefetch');
    // Detached: 8 jobs wait; one worker (one thread) takes one into its thread and prefetches a second.
    const submitted = await edelearDone(['sweep', file, '--queue', redis.url, '--out', out, '--detach']);
    expect(submitted.status).toBe(0);
    const worker = await startWorkerProcess(redis.url);
    children.push(worker);
    await until(async () => (await activeJobs(redis!.url)).length >= 2, 120_000, 'a run in progress and one prefetched');
    worker.process.kill('SIGINT');
    expect(await worker.exited).toBe(0);
    const counts = await jobCounts(redis.url);
    // The one in progress completed; the prefetched one is back on the queue (delayed 0, its attempts untouched), none left active.
    expect(counts.completed).toBe(1);
    expect(counts.active).toBe(0);
    expect(counts.wait + counts.delayed + counts.prioritized).toBe(7);
    expect(worker.stderr().split('\n').filter((l) => /^run [0-9a-f]{16} done/.test(l))).toHaveLength(1);
  });
});
