import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file of a results folder that keeps what the command warned of (one warning a line), and its notes, when it gave any. */
export const WARNINGS_FILE = 'warnings.txt';

/** What begins a note's line in {@link WARNINGS_FILE} (what a run met that is no error: cli/warnings.ts `afterRunNotes`); a warning's line has no prefix. */
export const NOTE = 'note: ';

/** Writes `lines` as {@link WARNINGS_FILE} into `dir` and returns its name, or nothing when there are none. */
export function writeWarnings(dir: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  writeFileSync(join(dir, WARNINGS_FILE), `${lines.join('\n')}\n`);
  return [WARNINGS_FILE];
}
