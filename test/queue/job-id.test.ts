import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/cli/sweep.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { jobIdOf, runIdOfJob } from '../../src/sweep/queue/settings.ts';
import { type RunningWorker, startWorker } from '../../src/sweep/queue/work.ts';
import { canonicalJson, runIdOfJson } from '../../src/sweep/run-id.ts';
import { expectRedis, type RedisServer, redisTestsRun, startRedis } from '../helpers/redis.ts';
import { DEFAULT, jobCounts, localSweep, runFolders, sweepFile, tables } from './cluster.ts';

/*
 * BullMQ refuses a custom job id that reads as a decimal integer ("Custom Id cannot be
 * integers": `${parseInt(id, 10)}` === id), which a 16-hex-digit run id is with probability
 * (10/16)^16 ≈ 5.4·10⁻⁴ — about one sweep in two of 1,000 runs has one. Such a run's job is
 * `run-<id>`; the others' job id is the run id. End to end: a sweep whose only run has an
 * all-decimal id (its seed found by search) goes through the queue (submitter and worker in this
 * process) and gives the local sweep's tables.
 */

const integer = (id: string) => `${parseInt(id, 10)}` === id;

describe('job ids', () => {
  it('are run ids, but for ids BullMQ would read as integers, and map back', () => {
    expect(jobIdOf('3f2a9c0d1e4b5a60')).toBe('3f2a9c0d1e4b5a60');
    expect(jobIdOf('1234567890123456')).toBe('run-1234567890123456');
    // A leading zero does not read back the same: BullMQ takes it as it is.
    expect(jobIdOf('0123456789012345')).toBe('0123456789012345');
    for (const id of ['3f2a9c0d1e4b5a60', '1234567890123456', '0123456789012345']) expect(runIdOfJob(jobIdOf(id))).toBe(id);
  });
});

describe.skipIf(!redisTestsRun(import.meta.url))('a run whose id is all decimal digits', () => {
  let redis: RedisServer;
  let worker: RunningWorker | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'edelear-queue-id-'));

  beforeAll(async () => {
    expectRedis();
    redis = await startRedis();
  });

  afterAll(async () => {
    await worker?.close();
    await redis?.stop();
  });

  it('runs through the queue as job run-<id> and gives the local tables', async () => {
    const json = canonicalJson(loadScenario(DEFAULT, ['duration="20 s"']).scenario);
    let seed = 1;
    while (!integer(runIdOfJson(json, seed))) seed++;
    const id = runIdOfJson(json, seed);
    const file = sweepFile(dir, 'decimal', `seed: ${seed}\nreplications: 1\nparameters:\n  duration: [20 s]\n`);
    const local = join(dir, 'local');
    await localSweep(file, local);
    expect(runFolders(local)).toEqual([id]);
    worker = await startWorker({ url: redis.url, concurrency: 1 });
    const out = join(dir, 'queued');
    await sweepCommand(file, { out, quiet: true, strict: false, charts: false, queue: redis.url });
    expect(process.exitCode ?? 0).toBe(0);
    expect(tables(out)).toEqual(tables(local));
    expect(await jobCounts(redis.url)).toMatchObject({ completed: 1, failed: 0 });
  });
});
