import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { InputError, type Problem, formatPath } from '../../scenario/errors.ts';
import { toProblem } from '../../scenario/issues.ts';
import { isInside, loadScenario, withinFolder } from '../../scenario/load.ts';
import { scenarioSchema } from '../../scenario/schema.ts';
import { canonicalJson, RUN_ID_HEX, runIdOfJson } from '../run-id.ts';

/**
 * A run's job in the queue of distributed sweeps (BullMQ job data), and the worker's checks of
 * it. Whoever can write to the queue can hand a worker any payload, so a worker takes nothing on
 * trust: the payload must have exactly this shape within size limits; its scenario must validate
 * against the scenario schema; and its id must be the run id of that scenario and seed
 * (sweep/run-id.ts) — so a job cannot choose where its files go, and runFolderUnder() refuses any
 * folder outside the results folder all the same.
 */

/** What a run's job carries: what sweep/worker.ts's WorkerTask needs, but the results folder (the worker's own). */
export interface RunJob {
  /** The run id: {@link RUN_ID_HEX} lowercase hex digits, runId(scenario, seed). */
  readonly id: string;
  readonly seed: number;
  /** The validated scenario (after the point's and the arm's overrides): what the id hashes. */
  readonly scenario: unknown;
  /** `--set` overrides of the base scenario (the point's, then the arm's). */
  readonly overrides: readonly string[];
  /** The base scenario file (.yaml, .yml or .json), as the worker's machine reaches it; data files named in it are relative to it. */
  readonly scenarioFile: string;
  readonly strict: boolean;
  /** The base scenario's warnings, as formatted: a run's warnings besides these are its own. */
  readonly baseWarnings: readonly string[];
  /** The sweep's name, for logs: a single folder-name segment. */
  readonly name?: string;
  /** The submitter's code (report/code-identity.ts): each code has its own queue (settings.ts queueName), so a worker refuses a job naming another. */
  readonly code?: string;
  /** The digest of the data files the scenario reads, as the submitter read them (sweep/data-files.ts; part of the id); absent when it reads none. */
  readonly data?: string;
}

/** A job that passed {@link validateJob}, with its scenario as canonical JSON (RunTask.scenarioJson). */
export interface ValidJob extends RunJob {
  readonly scenarioJson: string;
}

/**
 * Size limits of a payload (far above any sweep's, far below what would hurt a worker): the
 * largest scenario in scenarios/ is 4,860 characters of canonical JSON; a path is at most
 * PATH_MAX (4096 bytes on Linux).
 */
export const JOB_LIMITS = {
  scenarioChars: 1 << 20,
  pathChars: 4096,
  overrides: 1000,
  overrideChars: 10_000,
  warnings: 10_000,
  warningChars: 10_000,
  nameChars: 100,
} as const;

/** A job refused by a worker: an InputError naming the job, each problem with its path in the payload. */
export class JobError extends InputError {
  constructor(label: string, problems: readonly Problem[]) {
    super(`job ${label}`, problems);
    this.name = 'JobError';
  }
}

/** A value shown in a message: JSON, cut to 40 characters (a hostile value may be megabytes). */
export function preview(value: unknown): string {
  if (value === undefined) return 'nothing (the key is required)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

const RUN_ID = new RegExp(`^[0-9a-f]{${RUN_ID_HEX}}$`);
/** A folder-name segment: letters, digits, '.', '_', '-'; not '.' or '..'. */
const SEGMENT = /^(?!\.\.?$)[A-Za-z0-9._-]+$/;

const boundedString = (max: number, what: string) =>
  z.string({ error: (i) => `expected ${what} (a string), got ${preview(i.input)}` }).max(max, { error: `expected ${what} of at most ${max} characters` });

const jobShape = z.strictObject(
  {
    id: boundedString(64, 'a run id').regex(RUN_ID, { error: (i) => `expected a run id: exactly ${RUN_ID_HEX} lowercase hex digits, got ${preview(i.input)}` }),
    seed: z.number({ error: (i) => `expected a seed (a whole number ≥ 0), got ${preview(i.input)}` }).int({ error: 'expected a whole number' }).min(0).max(Number.MAX_SAFE_INTEGER),
    scenario: z.record(z.string(), z.unknown(), { error: (i) => `expected the run's scenario (a mapping), got ${preview(i.input)}` }),
    overrides: z
      .array(boundedString(JOB_LIMITS.overrideChars, 'an override path=value').regex(/^[^=]+=/, { error: (i) => `expected path=value, got ${preview(i.input)}` }), { error: (i) => `expected a list of overrides, got ${preview(i.input)}` })
      .max(JOB_LIMITS.overrides),
    scenarioFile: boundedString(JOB_LIMITS.pathChars, 'the scenario file')
      .regex(/^[^\0-\x1f\x7f]+\.(ya?ml|json)$/i, { error: (i) => `expected a scenario file name ending in .yaml, .yml or .json, without control characters, got ${preview(i.input)}` }),
    strict: z.boolean({ error: (i) => `expected true or false, got ${preview(i.input)}` }),
    baseWarnings: z.array(boundedString(JOB_LIMITS.warningChars, 'a warning'), { error: (i) => `expected a list of warnings, got ${preview(i.input)}` }).max(JOB_LIMITS.warnings),
    name: boundedString(JOB_LIMITS.nameChars, 'a sweep name')
      .regex(SEGMENT, { error: (i) => `expected a sweep name of letters, digits, '.', '_' and '-' (a single folder name, not . or ..), got ${preview(i.input)}` })
      .optional(),
    code: boundedString(16, 'a code identity')
      .regex(/^[0-9a-f]{16}$/, { error: (i) => `expected the submitter's code identity: exactly 16 lowercase hex digits, got ${preview(i.input)}` })
      .optional(),
    data: boundedString(JOB_LIMITS.scenarioChars, "the digest of the scenario's data files").optional(),
  },
  { error: (i) => (i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map(preview).join(', ')}; expected: id, seed, scenario, overrides, scenarioFile, strict, baseWarnings, name, code, data` : `expected a run job (a mapping), got ${preview(i.input)}`) },
);

/**
 * Checks a job's payload and returns it as a {@link ValidJob}; a payload that does not pass is a
 * {@link JobError} listing every problem with its path. The scenario is validated against the
 * scenario schema: it must be the schema's own output for itself (validateJob of a run of
 * scenarios/default.yaml took 0.2–0.3 ms, a fifth of loading that file), or else — where the
 * schema's output is not valid input (e.g. a cache capacity "20 MB" becomes a mapping) — the
 * validated scenario of `scenarioFile` with `overrides`, loaded here as `edelear run` loads a file
 * (the file's problems, with lines, are then the job's) and remembered for the next seeds.
 */
export function validateJob(data: unknown): ValidJob {
  const label = data !== null && typeof data === 'object' && 'id' in data ? preview((data as { id: unknown }).id) : '(no id)';
  const shape = jobShape.safeParse(data);
  if (!shape.success) throw new JobError(label, shape.error.issues.map((issue) => ({ path: formatPath(issue.path as PropertyKey[]), message: issue.message })));
  const job = shape.data;

  let scenarioJson: string;
  try {
    scenarioJson = canonicalJson(job.scenario);
  } catch (e) {
    throw new JobError(label, [{ path: 'scenario', message: `cannot be read as JSON (${(e as Error).message}); expected a scenario mapping` }]);
  }
  if (scenarioJson.length > JOB_LIMITS.scenarioChars) {
    throw new JobError(label, [{ path: 'scenario', message: `expected at most ${JOB_LIMITS.scenarioChars} characters of JSON, got ${scenarioJson.length}` }]);
  }
  const id = runIdOfJson(scenarioJson, job.seed, job.data);
  if (id !== job.id) {
    throw new JobError(label, [{ path: 'id', message: `expected the run id of the job's scenario and seed, ${id}, got ${job.id}` }]);
  }
  // A worker reads only its project folder (where it was started): the scenario file and, when loaded, its data files.
  if (!withinFolder(process.cwd(), job.scenarioFile)) {
    throw new JobError(label, [{ path: 'scenarioFile', message: `expected a file inside the worker's project folder ${process.cwd()}, got ${preview(job.scenarioFile)}` }]);
  }
  checkScenario(label, job.scenario, scenarioJson, job.scenarioFile, job.overrides);
  return { ...job, scenarioJson };
}

function checkScenario(label: string, scenario: unknown, scenarioJson: string, file: string, overrides: readonly string[]): void {
  const key = loadedKey(file, overrides);
  if (loadedCache.get(key) === scenarioJson) return; // this file with these overrides was loaded before: the same scenario
  const parsed = scenarioSchema.safeParse(scenario);
  if (parsed.success && canonicalJson(parsed.data) === scenarioJson) return;
  // The schema's problems with the scenario as written: worded only when the job is refused.
  const asWritten = (): Problem[] =>
    parsed.success
      ? [{ path: 'scenario', message: 'expected a validated scenario, got one the schema changes (defaults missing or units not in SI)' }]
      : parsed.error.issues.map((issue) => {
          const p = toProblem(issue, () => undefined, new Set());
          return { path: p.path ? `scenario.${p.path}` : 'scenario', message: p.message };
        });
  let loaded: string;
  try {
    loaded = loadedJson(key, file, overrides);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new JobError(label, [...asWritten(), { path: 'scenarioFile', message: `with the job's overrides: ${e.message.replaceAll('\n', '; ')}` }]);
  }
  if (loaded !== scenarioJson) {
    throw new JobError(label, [...asWritten(), { path: 'scenario', message: `expected the validated scenario of ${file} with the job's overrides, got another` }]);
  }
}

/** Canonical JSON of loaded scenarios, by file (with its size and time of change) and overrides. */
const loadedCache = new Map<string, string>();
const LOADED_CACHE_SIZE = 256;

/** The cache's key of a file with overrides: its absolute path, size and time of change ('' when it cannot be read). */
function loadedKey(file: string, overrides: readonly string[]): string {
  let stamp = '';
  try {
    const s = statSync(file);
    stamp = `${s.size}:${s.mtimeMs}`;
  } catch {
    // loadScenario says why the file cannot be read.
  }
  return JSON.stringify([resolve(file), stamp, overrides]);
}

function loadedJson(key: string, file: string, overrides: readonly string[]): string {
  const hit = loadedCache.get(key);
  if (hit !== undefined) return hit;
  const json = canonicalJson(loadScenario(file, overrides, { root: process.cwd() }).scenario);
  if (loadedCache.size >= LOADED_CACHE_SIZE) loadedCache.delete(loadedCache.keys().next().value as string);
  loadedCache.set(key, json);
  return json;
}

/**
 * The folder of run `id` under `root` (the runs' folder), resolved; refused with a JobError when
 * `id` is not a single folder name or the folder would not be inside `root` — written as `../x`,
 * absolute, or reached through a symbolic link that leads out of `root`.
 */
export function runFolderUnder(root: string, id: string): string {
  const refuse = (message: string) => new JobError(preview(id), [{ path: 'id', message }]);
  if (typeof id !== 'string' || id.length > 255 || !SEGMENT.test(id)) {
    throw refuse(`expected a run folder name (letters, digits, '.', '_', '-'; not . or ..), got ${preview(id)}`);
  }
  const base = resolve(root);
  const folder = resolve(base, id);
  if (!isInside(base, folder)) throw refuse(`expected a folder inside ${base}, got ${folder}`);
  if (existsSync(folder) && existsSync(base)) {
    const real = realpathSync(folder);
    const realBase = realpathSync(base);
    if (!isInside(realBase, real)) throw refuse(`expected a folder inside ${realBase}, but ${folder} leads to ${real}`);
  }
  return folder;
}
