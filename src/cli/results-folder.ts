import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../scenario/errors.ts';
import { alive, HOST } from '../sweep/store.ts';
import { WARNINGS_FILE } from '../report/warnings-file.ts';

/**
 * A command's results, written first into a folder of their own inside `--out` and moved into
 * `--out` only once every file is written: a write that fails half-way (a full disk, a folder
 * where a file should go) leaves `--out` as it was — the previous results and their manifest
 * whole — instead of some new files beside an old manifest, or none.
 */
export class StagedResults {
  /** Where the command writes its files: a hidden folder inside `out`, on the same file system (so moving is renaming). */
  readonly dir: string;

  constructor(readonly out: string) {
    removeAbandoned(out);
    this.dir = join(out, `${STAGE_PREFIX}${HOST}-${process.pid}`);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir);
  }

  /**
   * Moves `files` (written into {@link dir}) into `out` and writes the manifest beside them, last:
   * first refuses, with nothing moved, a name that is a folder in `out`; then removes the files the
   * previous manifest lists ({@link clearPreviousResults}) and renames each new file into place.
   * Returns {@link clearPreviousResults}'s note, if any, for the command to print.
   */
  publish(files: readonly string[], manifest: string): string | undefined {
    const names = [...files, MANIFEST];
    const folders = names.filter((f) => isFolder(join(this.out, f)));
    if (folders.length > 0) {
      this.discard();
      throw new InputError(`--out ${this.out}`, [
        { path: '', message: `${folders.join(', ')} ${folders.length === 1 ? 'is a folder' : 'are folders'} there, where the results write a file by that name; nothing was written (the folder's previous results are as they were)` },
      ]);
    }
    writeFileSync(join(this.dir, MANIFEST), manifest);
    const note = clearPreviousResults(this.out);
    for (const f of names) renameSync(join(this.dir, f), join(this.out, f));
    rmSync(this.dir, { recursive: true, force: true });
    return note;
  }

  /** Removes what was written so far (the command failed before {@link publish}). */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const MANIFEST = 'manifest.json';
const STAGE_PREFIX = '.edelear-writing-';

/**
 * Removes the staging folders in `out` of commands no longer running (killed while writing:
 * Ctrl-C skips the clean-up); a folder of a process still alive — another command writing into
 * the same `out` — is left.
 */
function removeAbandoned(out: string): void {
  let names: string[];
  try {
    names = readdirSync(out);
  } catch {
    return;
  }
  const mine = `${STAGE_PREFIX}${HOST}-`;
  for (const name of names) {
    // Only this machine's (another host's or container's pids are not ours to look up).
    if (!name.startsWith(mine)) continue;
    const pid = Number(name.slice(mine.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    rmSync(join(out, name), { recursive: true, force: true });
  }
}


function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Removes the files a previous edelear command wrote into `out`, as its manifest.json lists them
 * (plain names only; nothing else in the folder is touched), so that a folder written again holds
 * this command's results alone: a chart, trace.csv or claims.csv the new command does not write
 * would otherwise stay beside its new files and read as theirs (`edelear report` among them).
 * Called once the new results are written, so a command that fails leaves the old ones; files
 * in `keep` (the new results, when they are written in place: a sweep's tables and charts) stay.
 * The folder's report.html, written by `edelear report` from the previous results, goes too;
 * when the parent folder's report page links it (a part of a report of several results, as
 * `npm start` writes), the returned note says so and what writes it anew.
 */
export function clearPreviousResults(out: string, keep: ReadonlySet<string> = new Set()): string | undefined {
  const note = removeReportPage(out) ? linkedFromParent(out) : undefined;
  // The warnings file goes whatever the manifest says (an `npm start` before stop 45 wrote it unlisted): a command that warns writes its own.
  if (!keep.has(WARNINGS_FILE)) rmSync(join(out, WARNINGS_FILE), { force: true });
  let files: unknown;
  try {
    files = (JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { files?: unknown }).files;
  } catch {
    return note; // no manifest (or not ours): nothing is known to be edelear's
  }
  if (!Array.isArray(files)) return note;
  for (const f of files) {
    if (typeof f !== 'string' || f === '' || f.includes('/') || f.includes('\\') || f === '.' || f === '..' || keep.has(f)) continue;
    try {
      rmSync(join(out, f), { force: true });
    } catch {
      // A folder by that name, or no permission: left as it is; moving the new file there will say so.
    }
  }
  return note;
}

/**
 * When the parent folder's report.html is an `edelear report` page of that folder linking
 * `out/report.html` as a part, the note that the link now leads nowhere until `edelear report out`.
 */
function linkedFromParent(out: string): string | undefined {
  const parentPage = join(out, '..', 'report.html');
  let text: string;
  try {
    text = readFileSync(parentPage, 'utf8');
  } catch {
    return undefined;
  }
  if (!text.includes(REPORT_OF_ITS_FOLDER) || !text.includes(`href="${encodeURIComponent(basename(resolve(out)))}/report.html"`)) return undefined;
  return `${parentPage} links ${join(out, 'report.html')}, which was removed with the results it showed: \`edelear report ${out}\` writes it anew`;
}

/**
 * Removes `out/report.html` when it is a page `edelear report` wrote of this folder (its head's
 * `edelear-report-of` is "": the folder the page is in): made from the folder's previous results,
 * it would show them as current. A page of another folder written here (`report X --out
 * out/report.html`), or one of a version before that mark, is left.
 */
function removeReportPage(out: string): boolean {
  const page = join(out, 'report.html');
  let head: string;
  try {
    const fd = openSync(page, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // none, or not readable: left
  }
  if (!head.includes(REPORT_OF_ITS_FOLDER)) return false;
  rmSync(page, { force: true });
  return true;
}

/** The mark in the head of a page `edelear report` wrote of the folder it is in (report/html-page.ts). */
const REPORT_OF_ITS_FOLDER = '<meta name="edelear-report-of" content="">';
