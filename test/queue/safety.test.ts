import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCommand } from '../../src/cli/worker.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { JOB_LIMITS, JobError, type RunJob, runFolderUnder, validateJob } from '../../src/sweep/queue/job.ts';
import { bullConnection, JOB_NAME, queueName } from '../../src/sweep/queue/settings.ts';
import { parseQueueUrl } from '../../src/sweep/queue/url.ts';
import { canonicalJson, runIdOfJson } from '../../src/sweep/run-id.ts';
import { expectRedis, type RedisServer, redisTestsRun, startRedis } from '../helpers/redis.ts';
import { type Child, edelearSync, printedRefusal, startWorkerProcess, until } from './cluster.ts';

/*
 * A worker takes nothing on trust from the queue (src/sweep/queue/job.ts): every payload below is
 * built by hand; the good ones from the shipped scenarios exactly as the planner makes a run
 * (sweep/plan.ts: validated scenario → canonical JSON → runIdOfJson), the bad ones by breaking
 * one thing each. Each bad one must be refused with a message naming the part that is wrong.
 */

/** A run's job as the submitter makes it (sweep/queue/submit.ts runJob). */
function goodJob(file: string, overrides: string[], seed: number): RunJob {
  const scenarioJson = canonicalJson(loadScenario(file, overrides).scenario);
  return { id: runIdOfJson(scenarioJson, seed), seed, scenario: JSON.parse(scenarioJson), overrides, scenarioFile: resolve(file), strict: false, baseWarnings: [] };
}

/** The job with its id made right for its (changed) scenario and seed, so only the change is wrong. */
function rehashed(job: RunJob): RunJob {
  return { ...job, id: runIdOfJson(canonicalJson(job.scenario), job.seed) };
}

/** The refusal's text ('' when the job passes). */
function refusal(data: unknown): string {
  try {
    validateJob(data);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(JobError);
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
}

const DEFAULT = goodJob('scenarios/default.yaml', ['duration=100'], 7);

describe('validateJob', () => {
  it('accepts a run job as the submitter makes it, with its scenario as canonical JSON', () => {
    const valid = validateJob(DEFAULT);
    expect(valid.scenarioJson).toBe(canonicalJson(loadScenario('scenarios/default.yaml', ['duration=100']).scenario));
    expect(valid.id).toBe(runIdOfJson(valid.scenarioJson, 7));
    expect(validateJob({ ...DEFAULT, name: 'default-load' }).name).toBe('default-load');
  });

  it("accepts a scenario the schema does not take back as input (paper-edelear's cache capacities) by loading its file", () => {
    const paper = goodJob('scenarios/paper-edelear.yaml', [], 3);
    expect(validateJob(paper).id).toBe(paper.id);
    // The same scenario claimed for another file: refused, with the schema's problem with it as written.
    const message = refusal({ ...paper, scenarioFile: resolve('scenarios/default.yaml') });
    expect(message).toMatch(/scenario\.nodes\[0\]\.cache\.capacity: expected a capacity/);
    expect(message).toContain(`scenario: expected the validated scenario of ${resolve('scenarios/default.yaml')} with the job's overrides, got another`);
  });

  it('refuses a payload that is not a mapping, or lacks a field, naming each', () => {
    for (const data of [null, 'run', 42, [DEFAULT]]) expect(refusal(data)).toMatch(/^job \(no id\): expected a run job \(a mapping\), got /);
    const { seed: _seed, scenario: _scenario, ...partial } = DEFAULT;
    expect(refusal(partial).split('\n')).toEqual([
      `job "${DEFAULT.id}": seed: expected a seed (a whole number ≥ 0), got nothing (the key is required)`,
      `job "${DEFAULT.id}": scenario: expected the run's scenario (a mapping), got nothing (the key is required)`,
    ]);
  });

  it('refuses wrong types and unknown keys', () => {
    const message = refusal({ ...DEFAULT, seed: '7', strict: 'yes', overrides: 'duration=100', baseWarnings: [1], out: '/etc' });
    expect(message.split('\n')).toEqual([
      `job "${DEFAULT.id}": seed: expected a seed (a whole number ≥ 0), got "7"`,
      `job "${DEFAULT.id}": overrides: expected a list of overrides, got "duration=100"`,
      `job "${DEFAULT.id}": strict: expected true or false, got "yes"`,
      `job "${DEFAULT.id}": baseWarnings[0]: expected a warning (a string), got 1`,
      `job "${DEFAULT.id}": unknown key "out"; expected: id, seed, scenario, overrides, scenarioFile, strict, baseWarnings, name, code, data`,
    ]);
    expect(refusal({ ...DEFAULT, seed: -1 })).toMatch(/seed: /);
    expect(refusal({ ...DEFAULT, seed: 1.5 })).toMatch(/seed: expected a whole number/);
    expect(refusal({ ...DEFAULT, overrides: ['duration'] })).toMatch(/overrides\[0\]: expected path=value, got "duration"$/);
  });

  it('refuses a scenario that fails the scenario schema, with paths as for a scenario file', () => {
    const scenario = { ...(DEFAULT.scenario as Record<string, unknown>), duration: -5, colour: 'red' };
    const message = refusal(rehashed({ ...DEFAULT, scenario }));
    expect(message).toMatch(/scenario\.colour: unknown key "colour"/);
    expect(message).toMatch(/scenario\.duration: expected /);
    expect(refusal(rehashed({ ...DEFAULT, scenario: { name: 'x' } }))).toMatch(/scenario\.duration: .*required/);
  });

  it('refuses an id that is not the run id of its scenario and seed', () => {
    expect(refusal({ ...DEFAULT, id: '0123456789abcdef' })).toBe(`job "0123456789abcdef": id: expected the run id of the job's scenario and seed, ${DEFAULT.id}, got 0123456789abcdef`);
    expect(refusal({ ...DEFAULT, seed: 8 })).toContain(`id: expected the run id of the job's scenario and seed, ${goodJob('scenarios/default.yaml', ['duration=100'], 8).id}, got ${DEFAULT.id}`);
    expect(refusal({ ...DEFAULT, id: DEFAULT.id.toUpperCase() })).toMatch(/id: expected a run id: exactly 16 lowercase hex digits/);
  });

  it('refuses ids, names and files that would reach outside the results folder', () => {
    for (const id of ['../x', '/etc/passwd', '..', '../../../../tmp/evil-abcdef', `${DEFAULT.id}/..`]) {
      expect(refusal({ ...DEFAULT, id })).toContain(`id: expected a run id: exactly 16 lowercase hex digits, got ${JSON.stringify(id)}`);
    }
    for (const name of ['../x', '/etc', '..', 'a/b']) expect(refusal({ ...DEFAULT, name })).toMatch(/name: expected a sweep name of letters, digits/);
    expect(refusal({ ...DEFAULT, scenarioFile: '/etc/passwd' })).toMatch(/scenarioFile: expected a scenario file name ending in \.yaml, \.yml or \.json, without control characters, got "\/etc\/passwd"$/);
    // A line break would let a job write its own lines into a worker's log.
    expect(refusal({ ...DEFAULT, scenarioFile: 'a\nerror: forged.yaml' })).toContain('scenarioFile: expected a scenario file name ending in .yaml, .yml or .json, without control characters, got "a\\nerror: forged.yaml"');
    // A worker reads only its project folder (its working directory): review of fae688f.
    for (const scenarioFile of ['/tmp/evil.yaml', '../elsewhere/s.yaml']) {
      expect(refusal({ ...DEFAULT, scenarioFile })).toContain(`scenarioFile: expected a file inside the worker's project folder ${process.cwd()}, got ${JSON.stringify(scenarioFile)}`);
    }
    // A scenario checked by loading its file (see above): a file the worker cannot read is named.
    expect(refusal({ ...goodJob('scenarios/paper-edelear.yaml', [], 3), scenarioFile: resolve('scenarios/missing.yaml') })).toMatch(/scenarioFile: with the job's overrides: .*missing\.yaml: cannot read the scenario file \(ENOENT/);
  });

  it('refuses huge values with their limits, and shows at most 40 characters of any', () => {
    const huge = 'f'.repeat(2_000_000);
    const idMessage = refusal({ ...DEFAULT, id: huge });
    expect(idMessage).toContain('id: expected a run id of at most 64 characters');
    expect(idMessage.length).toBeLessThan(500);
    expect(refusal({ ...DEFAULT, scenarioFile: `${huge}.yaml` })).toContain(`scenarioFile: expected the scenario file of at most ${JOB_LIMITS.pathChars} characters`);
    expect(refusal({ ...DEFAULT, overrides: [`name=${huge}`] })).toContain(`overrides[0]: expected an override path=value of at most ${JOB_LIMITS.overrideChars} characters`);
    expect(refusal({ ...DEFAULT, overrides: Array(JOB_LIMITS.overrides + 1).fill('duration=100') })).toMatch(/overrides: /);
    const big = rehashed({ ...DEFAULT, scenario: { ...(DEFAULT.scenario as object), description: huge } });
    expect(refusal(big)).toBe(`job "${big.id}": scenario: expected at most ${JOB_LIMITS.scenarioChars} characters of JSON, got ${canonicalJson(big.scenario).length}`);
    // Nested deeper than JSON.stringify can go: refused, not a crash of the worker.
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    expect(refusal({ ...DEFAULT, scenario: deep })).toMatch(/scenario: cannot be read as JSON \(Maximum call stack size exceeded\)/);
  });
});

describe("a worker's data files", () => {
  it('must lie in its project folder: a job cannot have it read (and quote in an error) a file elsewhere', () => {
    const outside = mkdtempSync(join(tmpdir(), 'edelear-secret-'));
    const secret = join(outside, 'secret.csv');
    writeFileSync(secret, 'API_KEY=sk-live-SECRET\n');
    const loaded = loadScenario('scenarios/default.yaml', [], { root: process.cwd() });
    let message = '';
    try {
      loaded.readColumn({ file: secret, column: 'x' }, ['workloads', 0, 'arrivals', 'trace']);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      message = (e as Error).message;
    }
    expect(message).toContain(`workloads[0].arrivals.trace.file: expected a data file inside ${process.cwd()} (a sweep worker reads only its project folder), got ${secret}`);
    expect(message).not.toContain('SECRET');
    // Without a root (edelear run, a local sweep) the same file is read: one line, no data rows.
    expect(() => loadScenario('scenarios/default.yaml').readColumn({ file: secret, column: 'x' }, ['workloads', 0, 'arrivals', 'trace'])).toThrow(`${secret}:1: expected a header row and at least one data row`);
  });
});

describe('runFolderUnder', () => {
  const root = mkdtempSync(join(tmpdir(), 'edelear-runs-'));

  it("gives the run's folder inside the root", () => {
    expect(runFolderUnder(root, DEFAULT.id)).toBe(join(root, DEFAULT.id));
    expect(runFolderUnder(`${root}/./`, DEFAULT.id)).toBe(join(root, DEFAULT.id));
  });

  it('refuses a name that is not one folder inside the root', () => {
    for (const id of ['../x', '/etc/passwd', '..', '.', '', 'a/b', 'a\\b', 'x\0y', 'ok'.repeat(200)]) {
      expect(() => runFolderUnder(root, id), id).toThrow(/id: expected a run folder name \(letters, digits, '\.', '_', '-'; not \. or \.\.\), got /);
    }
  });

  it('refuses a folder that is a symbolic link out of the root, and takes a root that is one', () => {
    const outside = mkdtempSync(join(tmpdir(), 'edelear-outside-'));
    symlinkSync(outside, join(root, 'aaaaaaaaaaaaaaaa'));
    expect(() => runFolderUnder(root, 'aaaaaaaaaaaaaaaa')).toThrow(`but ${join(root, 'aaaaaaaaaaaaaaaa')} leads to ${outside}`);
    const linkedRoot = join(outside, 'linked-root');
    symlinkSync(root, linkedRoot);
    mkdirSync(join(root, 'bbbbbbbbbbbbbbbb'));
    expect(runFolderUnder(linkedRoot, 'bbbbbbbbbbbbbbbb')).toBe(join(linkedRoot, 'bbbbbbbbbbbbbbbb'));
  });
});

describe('a --queue URL with a password on the command line', () => {
  it('a bad one is a usage error (exit 2, no stack trace) that does not print the password', async () => {
    // The first through the CLI (its exit code and output), the others through the command's function (cluster.ts printedRefusal).
    const [first, ...others] = ['redis://sweeper:Zq7-secret@queue.lab:99999/0', 'http://sweeper:Zq7-secret@queue.lab', 'redis://sweeper:Zq7/secret@queue.lab'];
    const r = edelearSync(['worker', '--queue', first]);
    expect(r.status, r.stderr).toBe(2);
    const printed = [{ stdout: r.stdout, stderr: r.stderr }];
    for (const url of others) printed.push({ stdout: '', stderr: await printedRefusal(() => workerCommand({ queue: url, quiet: true })) });
    for (const { stdout, stderr } of printed) {
      expect(stderr).toMatch(/^error: --queue \S*sweeper:\*\*\*@queue\.lab\S*: /);
      expect(stderr.split('\n')).toHaveLength(2); // one line and the final newline
      expect(`${stdout}${stderr}`).not.toMatch(/Zq7|secret/);
    }
  });
});

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((f) => join(folder, f)).filter((f) => statSync(f).isFile());
}

describe.skipIf(!redisTestsRun('test/queue/safety.test.ts'))('an edelear worker fed hostile jobs', () => {
  const PASSWORD = 'pw-hostile-Zq7-never-shown';
  const dir = mkdtempSync(join(tmpdir(), 'edelear-hostile-'));
  const results = join(dir, 'results');
  let redis: RedisServer;
  let worker: Child | undefined;
  let queue: Queue;

  beforeAll(async () => {
    expectRedis();
    redis = await startRedis({ user: 'sweeper', password: PASSWORD });
    queue = new Queue(queueName(), { connection: bullConnection(parseQueueUrl(redis.url).connection) });
  });
  afterAll(async () => {
    worker?.process.kill('SIGKILL');
    await queue?.close();
    await redis?.stop();
  });

  it('fails each hostile job at once with a clear error, writes nothing outside its results, and runs the next good job', async () => {
    const good = goodJob('scenarios/default.yaml', ['duration=20 s'], 1);
    const badScenario = rehashed({ ...good, scenario: { ...(good.scenario as Record<string, unknown>), duration: 'forever' } });
    // [job id, payload, what the failure must say] — enqueued raw, as anyone with the queue's password could.
    const hostile: [string, unknown, RegExp][] = [
      ['escape-1', { ...good, id: '../../escaped' }, /id: expected a run id: exactly 16 lowercase hex digits, got "\.\.\/\.\.\/escaped"/],
      ['escape-2', { ...good, id: '/etc/passwd' }, /id: expected a run id: exactly 16 lowercase hex digits, got "\/etc\/passwd"/],
      ['not-a-job', 'rm -rf /', /expected a run job \(a mapping\), got "rm -rf \/"/],
      ['missing', { id: good.id, seed: 1 }, /scenario: expected the run's scenario \(a mapping\), got nothing/],
      ['wrong-id', { ...good, id: 'ffffffffffffffff' }, new RegExp(`id: expected the run id of the job's scenario and seed, ${good.id}, got ffffffffffffffff`)],
      ['bad-scenario', badScenario, /scenario\.duration: /],
      ['huge', { ...good, overrides: ['x='.padEnd(3_000_000, 'x')] }, /overrides\[0\]: expected an override path=value of at most 10000 characters/],
      ['other-id', good, new RegExp(`the job's id "?other-id"? is not its run's(,| id) ${good.id}`)],
      // Put into this code's queue by hand: a job naming another build's code (report/code-identity.ts).
      ['other-code', { ...good, code: '0000000000000000' }, /the job names another code, 0000000000000000, than this queue's and this worker's, [0-9a-f]{16}/],
    ];
    for (const [jobId, data] of hostile) await queue.add(JOB_NAME, data, { jobId, attempts: 2 });
    await queue.add(JOB_NAME, good, { jobId: good.id, attempts: 2 });

    worker = await startWorkerProcess(redis.url, ['--results', results]);
    const finished = async (id: string) => Boolean((await Job.fromId(queue, id))?.finishedOn);
    await until(async () => (await Promise.all([...hostile.map(([id]) => id), good.id].map(finished))).every(Boolean), 120_000, 'every job to end');

    for (const [jobId, , says] of hostile) {
      const job = (await Job.fromId(queue, jobId))!;
      expect(await job.getState(), jobId).toBe('failed');
      expect(job.failedReason, jobId).toMatch(says);
      expect(job.failedReason, jobId).toMatch(/^refused job /);
      expect(job.attemptsMade, `${jobId}: refused for good, not tried again`).toBe(1);
    }
    const done = (await Job.fromId(queue, good.id))!;
    expect(await done.getState()).toBe('completed');
    expect((done.returnvalue as { id: string }).id).toBe(good.id);
    expect(worker.process.exitCode).toBeNull(); // it lives on
    // Files: the good run's folder, and nothing else anywhere in or beside the results folder.
    expect(readdirSync(join(results, 'runs'))).toEqual([good.id]);
    expect(readdirSync(dir)).toEqual(['results']);
    expect(existsSync(join(results, 'escaped'))).toBe(false);
    // The password: not in the worker's log, not in a failure reason, not in a file it wrote.
    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stderr()).toContain('redis://sweeper:***@127.0.0.1');
    for (const [jobId] of hostile) expect(worker.stderr()).toContain(`error: refused job "${jobId}"`);
    const reasons = await Promise.all(hostile.map(async ([jobId]) => (await Job.fromId(queue, jobId))!.failedReason));
    for (const text of [worker.stdout(), worker.stderr(), ...reasons]) expect(text).not.toContain(PASSWORD);
    for (const f of filesUnder(results)) expect(readFileSync(f, 'utf8'), f).not.toContain(PASSWORD);
  });
});
