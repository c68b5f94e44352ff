import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * A sweep's results folder, `results/<sweep>/`: `runs/<id>/` per finished run, and the tables
 * over them. Nothing is ever taken as done half-written: a run is written into
 * `runs/.partial-<id>-<pid>-<thread>/` and renamed to `runs/<id>/` when its last file
 * (result.json) is written — a rename within one folder is atomic — so a run folder exists
 * complete or not at all; a sweep killed at any moment leaves at most partial folders, which the
 * next start removes. The tables are written to a temporary name and renamed the same way.
 */

/** The file a finished run's folder holds last: its figures and what it was. */
export const RESULT_FILE = 'result.json';

/** Prefix of a run folder being written. */
const PARTIAL = '.partial-';

/** What a finished run records (runs/<id>/result.json). */
export interface RunRecord {
  readonly id: string;
  readonly seed: number;
  /** The scenario's name. */
  readonly scenario: string;
  /** The `--set` overrides of the base scenario it ran (the point's, then the arm's). */
  readonly overrides: readonly string[];
  /** Its figures by metric name (metrics/compare.ts runFigures); NaN where it has none (null in the file). */
  readonly figures: Readonly<Record<string, number>>;
  /** Why it stopped before its end (limits.requestsInFlight), when it did: its figures cover the time up to then. */
  readonly stopped?: string;
  /** Warnings about its scenario that the base scenario does not have, and what the run itself warned of. */
  readonly warnings: readonly string[];
  /** Of those, the warnings about its scenario (the first ones), which fail the run under `--strict`; absent in records made before it was kept. */
  readonly scenarioWarnings?: readonly string[];
  /** What the run met that is no error (cli/warnings.ts `afterRunNotes`: an lp plan relaxed inside the warm-up, batteries that ran out): kept and shown, never failing it under `--strict`; absent when none. */
  readonly notes?: readonly string[];
  readonly events: number;
  /** Wall seconds of its event loop. */
  readonly simulationSeconds: number;
  /** The code that made it (report/code-identity.ts): a sweep keeps only runs of its own code. */
  readonly code: string;
}

/**
 * What a finished run is under `--strict`, which may not be how it was made (a run is the same run
 * with or without it, so a folder or the queue may hold one made without): the error the run would
 * have failed with — its scenario's own warnings and those it met while running, made errors, as
 * the worker words them — or "rerun" for a record made before its scenario's were kept apart (it
 * warned, of what is not known), or undefined when it stands.
 */
export function strictOutcome(record: RunRecord, scenarioFile: string): string | 'rerun' | undefined {
  if (record.scenarioWarnings === undefined) return record.warnings.length > 0 ? 'rerun' : undefined;
  if (record.scenarioWarnings.length > 0) return strictError(scenarioFile, record.scenarioWarnings);
  return record.warnings.length > 0 ? strictError(scenarioFile, record.warnings) : undefined;
}

/** The error of a run whose scenario has warnings of its own under `--strict` (sweep/worker.ts throws it; a reused record gets the same words). */
export function strictError(scenarioFile: string, warnings: readonly string[]): string {
  return `${scenarioFile}: warnings, errors under --strict: ${warnings.join('; ')}`;
}

/** The folder of the run folders. */
export function runsFolder(out: string): string {
  return join(out, 'runs');
}

/** This machine's name as partial folders carry it (letters, digits, dots and hyphens). */
/** This machine in a writer's folder name (letters, digits, dots and hyphens of `os.hostname()`): machines sharing a folder see each other's pids as strangers. Also `edelear run`'s staging folders (cli/results-folder.ts). */
export const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';

/** A partial run folder's writer: `.partial-<id>-<host>-<pid>-<thread>`. */
const PARTIAL_NAME = /^\.partial-[0-9a-f]{16}-(.+)-(\d+)-(\d+)$/;

/** Whether process `pid` of this machine is alive (signal 0 checks without sending; EPERM: alive, another user's). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes runs/ and removes the partial run folders a killed sweep left; returns how many it removed.
 * With `shared` (a queued sweep's folder, which `edelear worker --results` may be writing into from
 * this and other machines) only those written by a process of this machine that is no longer alive.
 */
export function prepareRunsFolder(out: string, shared = false): number {
  const runs = runsFolder(out);
  mkdirSync(runs, { recursive: true });
  let removed = 0;
  for (const entry of readdirSync(runs)) {
    if (!entry.startsWith(PARTIAL)) continue;
    if (shared) {
      const writer = PARTIAL_NAME.exec(entry);
      if (!writer || writer[1] !== HOST || alive(Number(writer[2]))) continue;
    }
    rmSync(join(runs, entry), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * The record of a finished run, or undefined when runs/<id>/ is absent, holds no readable result,
 * or — given `code` — was made by other code (an earlier build: its record names another
 * {@link RunRecord.code}, or none); the last two are removed, to be run again (`stale` is told of
 * the last, `unreadable` of a folder without a readable result).
 */
export function finishedRun(out: string, id: string, code?: string, stale?: (id: string, code: string | undefined) => void, unreadable?: (id: string) => void): RunRecord | undefined {
  const folder = join(runsFolder(out), id);
  if (!existsSync(folder)) return undefined;
  let record: RunRecord;
  try {
    record = parseRecord(readFileSync(join(folder, RESULT_FILE), 'utf8'));
  } catch {
    rmSync(folder, { recursive: true, force: true });
    unreadable?.(id);
    return undefined;
  }
  if (code !== undefined && record.code !== code) {
    rmSync(folder, { recursive: true, force: true });
    stale?.(id, typeof record.code === 'string' ? record.code : undefined);
    return undefined;
  }
  return record;
}

/** A record as written to result.json: NaN figures as null. */
export function recordJson(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function parseRecord(text: string): RunRecord {
  const r = JSON.parse(text) as RunRecord & { figures: Record<string, number | null> };
  if (typeof r.id !== 'string' || typeof r.seed !== 'number' || r.figures === null || typeof r.figures !== 'object') throw new Error('not a run record');
  const figures = Object.fromEntries(Object.entries(r.figures).map(([k, v]) => [k, v === null ? NaN : v]));
  return { ...r, figures };
}

/**
 * Writes a run's folder: `write` fills a fresh partial folder, then the folder is renamed to
 * runs/<id>/. If another process finished the same run meanwhile, its folder is kept.
 */
export function writeRunFolder(out: string, id: string, write: (folder: string) => void): void {
  const runs = runsFolder(out);
  const partial = join(runs, `${PARTIAL}${id}-${HOST}-${process.pid}-${threadId}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  try {
    write(partial);
    renameSync(partial, join(runs, id));
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(join(runs, id, RESULT_FILE))) return;
    throw e;
  }
}

/** Writes a file through a temporary name and a rename, so a reader never sees it half-written. */
export function writeAtomically(file: string, write: (path: string) => void): void {
  const temporary = `${file}.partial-${process.pid}`;
  try {
    write(temporary);
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

/** {@link writeAtomically} for a text. */
export function writeTextAtomically(file: string, text: string): void {
  writeAtomically(file, (path) => writeFileSync(path, text));
}
