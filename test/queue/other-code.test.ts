import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIdentity } from '../../src/report/code-identity.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import type { RunJob } from '../../src/sweep/queue/job.ts';
import { bullConnection, JOB_NAME, jobIdOf, queueName } from '../../src/sweep/queue/settings.ts';
import { parseQueueUrl } from '../../src/sweep/queue/url.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { loadSweep } from '../../src/sweep/schema.ts';
import { RESULT_FILE, runsFolder } from '../../src/sweep/store.ts';
import { expectRedis, type RedisServer, redisTestsRun, startRedis } from '../helpers/redis.ts';
import { edelear, edelearDone, startWorkerProcess, sweepFile, until } from './cluster.ts';

/*
 * Each code (report/code-identity.ts) has its own queue, `edelear-runs-<code>`: a worker takes
 * only its own code's runs, so a worker started from another checkout or build never puts its
 * figures into this code's sweep, and a job left in the queue by an earlier build never reaches
 * this code's workers. A submitter that finds no worker on its code's queue says so.
 */

const dir = mkdtempSync(join(tmpdir(), 'edelear-other-code-'));

describe('queues by code', () => {
  it("are named edelear-runs-<code>, one per code; this process's by default", () => {
    expect(queueName()).toBe(`edelear-runs-${codeIdentity()}`);
    expect(queueName('0000000000000000')).toBe('edelear-runs-0000000000000000');
  });
});

describe.skipIf(!redisTestsRun('test/queue/other-code.test.ts'))('a sweep and workers of one code beside jobs of another', () => {
  let redis: RedisServer;
  let other: Queue;

  beforeAll(async () => {
    expectRedis();
    redis = await startRedis();
    other = new Queue(queueName('0000000000000000'), { connection: bullConnection(parseQueueUrl(redis.url).connection) });
  });
  afterAll(async () => {
    await other?.close();
    await redis?.stop();
  });

  it("the sweep warns while no worker of its code is there; this code's worker runs its runs and never the other code's job", async () => {
    const file = sweepFile(dir, 'two', 'replications: 2\nparameters:\n  duration: [20 s]\n');
    const plan = planSweep(loadSweep(file), loadCatalog(), 1);
    const [first] = plan.tasks.values();
    // The same run as an earlier build submitted it, still waiting in that build's queue.
    const old: RunJob = { id: first.id, seed: first.seed, scenario: JSON.parse(first.scenarioJson), overrides: [...first.overrides], scenarioFile: 'scenarios/default.yaml', strict: false, baseWarnings: [], code: '0000000000000000' };
    await other.add(JOB_NAME, old, { jobId: jobIdOf(first.id) });

    const out = join(dir, 'out');
    const submitter = edelear(['sweep', file, '--queue', redis.url, '--out', out, '--no-charts']);
    await until(() => submitter.stderr().includes('no worker takes jobs'), 120_000, 'the warning that no worker is there');
    expect(submitter.stderr()).toContain(`warning: no worker takes jobs from queue ${queueName()} yet (the sweep waits): a worker takes only the runs of its own code`);
    const worker = await startWorkerProcess(redis.url, ['--results', join(dir, 'worker-results')]);
    try {
      expect(worker.stderr()).toContain(`(queue ${queueName()}: sweeps submitted from this same code)`);
      expect(await submitter.exited).toBe(0);
      for (const task of plan.tasks.values()) {
        const record = JSON.parse(readFileSync(join(runsFolder(out), task.id, RESULT_FILE), 'utf8')) as { code: string };
        expect(record.code).toBe(codeIdentity());
      }
      // The other build's job is where it was, untouched.
      const left = (await Job.fromId(other, jobIdOf(first.id)))!;
      expect(await left.getState()).toBe('waiting');
      expect(left.attemptsMade).toBe(0);
    } finally {
      worker.process.kill('SIGKILL');
    }
    // A second submission finds every run done: no warning, nothing queued.
    const again = await edelearDone(['sweep', file, '--queue', redis.url, '--out', out, '--no-charts']);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe('');
  });
});
