/** One problem found in an input file. */
export interface Problem {
  /** Path inside the file, e.g. `nodes[3].power.busy` ('' for the whole file). */
  readonly path: string;
  /** What is wrong and what was expected. */
  readonly message: string;
  /** 1-based line in the file, where known. */
  readonly line?: number;
}

/**
 * Bad input (a scenario, a data file, a trace, a CLI flag): carries the file and every
 * problem found, each with its path and line; the CLI prints it and exits with code 2.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'InputError';
  }
}

/** What the CLI prints on stderr for an input error before it exits 2 (cli/main.ts). */
export function printedInputError(e: InputError): string {
  return `error: ${e.message}\n`;
}

/** `file:line: path: message` (parts omitted where unknown). */
export function formatProblem(file: string, p: Problem): string {
  const where = p.line !== undefined ? `${file}:${p.line}` : file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Formats a path of keys and indices as `nodes[3].power.busy`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s += s ? `.${String(k)}` : String(k);
  }
  return s;
}

/** Why a file could not be read, in words: "ENOENT: no such file". */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'a folder, not a file', EACCES: 'permission denied', ENOTDIR: 'a path through a file' };
  return code ? (words[code] ? `${code}: ${words[code]}` : code) : (e as Error).message;
}
