import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/cli/sweep.ts';
import { workerCommand } from '../../src/cli/worker.ts';
import { expectRedis, type RedisServer, redisTestsRun, startRedis } from '../helpers/redis.ts';
import { type Child, edelearDone, jobCounts, localSweep, printedRefusal, runFolders, startWorkerProcesses, sweepFile, tables } from './cluster.ts';

/*
 * `edelear sweep FILE --queue URL` with two `edelear worker` processes on a real redis-server
 * (ACL user and password): the same summary.csv, runs.csv and failures.csv as the local sweep,
 * byte for byte; a run that fails in the worker (a device profile the catalog lacks: it loads,
 * it does not build) is tried RUN_ATTEMPTS = 2 times, then reported with its error, exit 4, the
 * others finish; the password appears in no output and no file; --detach then --collect gives
 * the same tables; a second submission finds every run done in the queue and runs none again.
 */

const dir = mkdtempSync(join(tmpdir(), 'edelear-queue-'));
const PASSWORD = 'pw-Zq7-never-printed';

type Rows = Record<string, string>[];
const csv = (text: string): Rows => parse(text, { columns: true }) as Rows;

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((f) => join(folder, f)).filter((f) => statSync(f).isFile());
}

describe.skipIf(!redisTestsRun(import.meta.url))('edelear sweep --queue with two workers', () => {
  let redis: RedisServer;
  let workers: Child[] = [];

  beforeAll(async () => {
    expectRedis();
    redis = await startRedis({ user: 'sweeper', password: PASSWORD });
  });

  afterAll(async () => {
    for (const w of workers) w.process.kill('SIGKILL');
    await redis?.stop();
  });

  // 2 device profiles × 3 seeds, EDeLeaR only (so the plan does not build the points' worlds):
  // 3 runs that finish, 3 whose edge server's profile is unknown to data/devices.
  const file = sweepFile(dir, 'mixed', 'replications: 3\nparameters:\n  nodes[2].profile: [jetson-xavier-nx, no-such-device]\n  duration: [20 s]\n');

  it('writes the local sweep\'s tables byte for byte; a failing run is tried twice and reported, exit 4; no password anywhere', async () => {
    const local = join(dir, 'local');
    await localSweep(file, local);
    workers = await startWorkerProcesses(redis.url, 2);
    const out = join(dir, 'queued');
    const r = await edelearDone(['sweep', file, '--queue', redis.url, '--out', out, '--no-charts']);
    expect(r.stderr).toContain('3 of 6 runs did not finish');
    expect(r.status).toBe(4);
    expect(tables(out)).toEqual(tables(local));
    expect(runFolders(out)).toEqual(runFolders(local));
    const failures = csv(tables(out)['failures.csv']);
    expect(failures).toHaveLength(3);
    for (const f of failures) expect(f.error).toContain('nodes[2].profile: unknown device profile "no-such-device"');
    // Graceful stop on SIGTERM: exit 0.
    for (const w of workers) w.process.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    const logs = workers.map((w) => w.stderr()).join('\n');
    // Each failing run: 2 attempts in all (across both workers); each good run: done once.
    for (const f of failures) expect(logs.split('\n').filter((l) => l.startsWith(`error: run ${f.run_id} failed (attempt`)).length).toBe(2);
    for (const row of csv(tables(out)['runs.csv']).filter((x) => x.status === 'done')) {
      expect(logs.split('\n').filter((l) => l.startsWith(`run ${row.run_id} done`)).length).toBe(1);
    }
    // Both worker processes took runs.
    for (const w of workers) expect(w.stderr()).toMatch(/^(error: )?run [0-9a-f]{16} (done|failed)/m);
    expect(await jobCounts(redis.url)).toMatchObject({ completed: 3, failed: 3, active: 0, wait: 0 });
    // The password: in no output, in no file written.
    for (const text of [r.stdout, r.stderr, logs]) expect(text).not.toContain(PASSWORD);
    for (const f of filesUnder(out)) expect(readFileSync(f, 'utf8'), f).not.toContain(PASSWORD);
    expect(logs).toContain('redis://sweeper:***@127.0.0.1');
  });

  it('--detach submits and returns; --collect waits and writes the same tables; the runs are not run again', async () => {
    const good = sweepFile(dir, 'good', 'replications: 2\nparameters:\n  workloads[0].arrivals.poisson: [2/s, 4/s]\n  duration: [20 s]\n');
    const local = join(dir, 'good-local');
    await localSweep(good, local);
    const out = join(dir, 'good-queued');
    const detached = await edelearDone(['sweep', good, '--queue', redis.url, '--out', out, '--detach']);
    expect(detached.status).toBe(0);
    expect(detached.stdout).toContain('4 submitted to the queue redis://sweeper:***@127.0.0.1');
    expect(detached.stdout).toContain(`collect with: edelear sweep ${good} --queue URL --collect --out ${out}`);
    expect(await jobCounts(redis.url)).toMatchObject({ wait: 4, completed: 3 }); // 3 completed: the first test's
    expect(runFolders(out)).toEqual([]);
    // Detached again: nothing added, and said so (helper-83: "4 submitted" each time).
    const twice = await edelearDone(['sweep', good, '--queue', redis.url, '--out', out, '--detach']);
    expect(twice.stdout).toContain('0 submitted to the queue redis://sweeper:***@127.0.0.1');
    expect(twice.stdout).toContain('4 on it already (submitted before: not added again)');
    expect(await jobCounts(redis.url)).toMatchObject({ wait: 4 });
    workers = await startWorkerProcesses(redis.url, 2);
    const collected = await edelearDone(['sweep', good, '--queue', redis.url, '--out', out, '--collect', '--no-charts']);
    expect(collected.status).toBe(0);
    expect(tables(out)).toEqual(tables(local));
    for (const w of workers) w.process.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    // Submitted again into a fresh folder with no worker running: every run is done in the queue.
    const again = join(dir, 'good-again');
    const r = await edelearDone(['sweep', good, '--queue', redis.url, '--out', again, '--no-charts']);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('no worker takes jobs'); // nothing waits for a worker
    expect(r.stdout).toContain('4 runs already done (kept), 0 run now'); // done on the queue, not run now (helper-83: "8 run now")
    expect(tables(again)).toEqual(tables(local));
    expect(await jobCounts(redis.url)).toMatchObject({ completed: 7, wait: 0, active: 0 });
    // Into the same folder: all runs already done there, nothing awaited.
    const same = await edelearDone(['sweep', good, '--queue', redis.url, '--out', out, '--no-charts']);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('4 runs already done (kept), 0 run now, 0 of them failed');
  });

  it('a run that failed is retried with the new submission\'s payload (it kept the one it failed with: --strict, a scenario path)', async () => {
    // A bare bandwidth of 54 (bit/s) warns: under --strict each run fails; submitted again without
    // it, the runs finish as the local sweep's do (before: retried with strict still set, failed again).
    const warned = sweepFile(dir, 'warned', 'replications: 2\nparameters:\n  links[0].bandwidth: [54]\n  duration: [20 s]\n');
    const local = join(dir, 'warned-local');
    await localSweep(warned, local);
    workers = await startWorkerProcesses(redis.url, 1);
    const strict = await edelearDone(['sweep', warned, '--queue', redis.url, '--out', join(dir, 'warned-strict'), '--no-charts', '--strict']);
    expect(strict.status).toBe(4);
    expect(csv(tables(join(dir, 'warned-strict'))['failures.csv'])[0].error).toContain('warnings, errors under --strict');
    // Not tried again: the same warnings would fail it the same way (helper-83: "attempt 2 of 2").
    expect(workers[0].stderr()).toMatch(/^error: run [0-9a-f]{16} failed \([\d.]+ s; not tried again: the same would come of it\): .*warnings, errors under --strict/m);
    expect(workers[0].stderr()).not.toContain('attempt 2 of 2');
    const out = join(dir, 'warned-queued');
    const again = await edelearDone(['sweep', warned, '--queue', redis.url, '--out', out, '--no-charts']);
    expect(again.status).toBe(0);
    expect(tables(out)).toEqual(tables(local));
    for (const w of workers) w.process.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  });

  it('refuses --detach without --queue, and a wrong password or an unreachable Redis, exit 2, no stack trace', async () => {
    const r = await edelearDone(['sweep', file, '--detach']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --detach: expected --queue URL with it (a local sweep runs in this process)\n');
    // A wrong password: through each command's function (cluster.ts printedRefusal; each command's exit code is checked by a spawn here).
    const wrong = redis.url.replace(encodeURIComponent(PASSWORD), 'not-the-password-Q1');
    const printed = [
      await printedRefusal(() => sweepCommand(file, { queue: wrong, out: join(dir, 'never'), quiet: true, strict: false, charts: true })),
      await printedRefusal(() => workerCommand({ queue: wrong, quiet: true })),
    ];
    for (const stderr of printed) {
      expect(stderr).toMatch(/^error: --queue redis:\/\/sweeper:\*\*\*@127\.0\.0\.1:\d+\/0: cannot use this Redis: WRONGPASS/m);
      expect(stderr).not.toContain('not-the-password-Q1');
      expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    // --workers with --queue: the runs are the workers' (it was accepted and ignored).
    const both = await edelearDone(['sweep', file, '--queue', redis.url, '--workers', '2']);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe("error: --workers: expected no --queue with it: through a queue the runs are taken by `edelear worker` processes (each its own --concurrency), not by this command's threads\n");
    // An unreachable queue is refused before the results folder is made.
    const never = join(dir, 'never-made');
    const unreachable = await edelearDone(['sweep', file, '--queue', 'redis://127.0.0.1:1/0', '--out', never]);
    expect(unreachable.status).toBe(2);
    expect(existsSync(never)).toBe(false);
    // Port 1 on the loopback: nothing listens there.
    const none = await edelearDone(['worker', '--queue', 'redis://127.0.0.1:1/0']);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe("error: --queue redis://127.0.0.1:1/0: cannot use this Redis: connect ECONNREFUSED 127.0.0.1:1; expected a Redis server that is reachable and accepts the URL's user and password\n");
  });
});
