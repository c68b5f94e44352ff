import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { type Document, isMap, LineCounter, parse as parseYaml, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError, type Problem, formatPath } from './errors.ts';
import { type Scenario, scenarioSchema } from './schema.ts';
import { typeName } from './units.ts';

/** A scenario read from a file and validated, with what is needed to point at its lines. */
export interface LoadedScenario {
  /** The file as given on the command line. */
  readonly file: string;
  readonly scenario: Scenario;
  /** 1-based line of a path inside the file, where known. */
  locate(path: readonly PropertyKey[]): number | undefined;
  /** Reads a numeric CSV column named in the scenario (relative to the scenario's folder). */
  readColumn(ref: { file: string; column?: string }, path: readonly PropertyKey[]): Float64Array;
}

/** Aliases a document may expand before it is refused (guards against YAML alias bombs). */
const MAX_ALIAS_COUNT = 1000;

/**
 * Reads, parses and validates a scenario file (YAML or JSON). `--set path=value`
 * overrides are applied before validation. Every problem is an {@link InputError}.
 */
export function loadScenario(file: string, overrides: readonly string[] = []): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, [{ path: '', message: `cannot read the scenario file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  if (text.trim() === '') {
    throw new InputError(file, [{ path: '', message: 'the file is empty; expected a scenario mapping (name, duration, nodes, links, workloads)' }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      file,
      doc.errors.map((e) => ({ path: '', line: e.linePos?.[0].line, message: `not valid YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new InputError(file, [{ path: '', message: `refused: ${(e as Error).message} (more than ${MAX_ALIAS_COUNT} alias expansions)` }]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(file, [{ path: '', line: 1, message: `expected a mapping of scenario keys (name, duration, nodes…), got ${typeName(raw)}` }]);
  }
  const fromSet = new Set<string>();
  for (const o of overrides) fromSet.add(applyOverride(raw as Record<string, unknown>, o, file));

  const locate = (path: readonly PropertyKey[]): number | undefined => lineOf(doc, lineCounter, path);
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => toProblem(issue, locate, fromSet));
    throw new InputError(file, dedupe(problems));
  }
  const scenario = result.data;
  if (scenario.warmup >= scenario.duration) {
    throw new InputError(file, [{ path: 'warmup', line: locate(['warmup']), message: `expected a warm-up shorter than the duration (${scenario.duration} s), got ${scenario.warmup} s` }]);
  }
  const dir = dirname(file);
  return {
    file,
    scenario,
    locate,
    readColumn: (ref, path) => readColumn(resolve(dir, ref.file), ref.column, { file, path, line: locate(path) }),
  };
}

/** Sets `a.b[2].c=value` in the raw document; the value is read as YAML. Returns the path. */
function applyOverride(raw: Record<string, unknown>, override: string, file: string): string {
  const eq = override.indexOf('=');
  const bad = (message: string) => new InputError(`--set ${override}`, [{ path: '', message }]);
  if (eq <= 0) throw bad('expected path=value, e.g. --set duration="5 min" or --set workloads[0].arrivals.poisson=10/s');
  const pathText = override.slice(0, eq).trim();
  const keys: (string | number)[] = [];
  for (const part of pathText.split('.')) {
    const m = /^([A-Za-z_$][\w$-]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw bad(`"${pathText}" is not a path like nodes[0].power.busy`);
    keys.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
  }
  let value: unknown;
  try {
    value = parseYaml(override.slice(eq + 1));
  } catch (e) {
    throw bad(`the value is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  let obj: unknown = raw;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = (obj as Record<string | number, unknown>)[keys[i]];
    if (next === null || typeof next !== 'object') {
      throw bad(`${formatPath(keys.slice(0, i + 1))} does not exist in ${file}`);
    }
    obj = next;
  }
  (obj as Record<string | number, unknown>)[keys[keys.length - 1]] = value;
  return formatPath(keys);
}

function lineOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lc.linePos(node.range[0]).line;
    // A key without a node of its own (e.g. an unknown key): find the pair's key in its parent map.
    if (n > 0) {
      const parent = doc.getIn(path.slice(0, n - 1) as unknown[], true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === path[n - 1]);
        const r = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (r) return lc.linePos(r[0]).line;
      }
    }
  }
  return undefined;
}

type Issue = z.core.$ZodIssue;

/** Turns one zod issue into a problem with a readable message (unions explained). */
function toProblem(issue: Issue, locate: (p: readonly PropertyKey[]) => number | undefined, fromSet: Set<string>): Problem {
  let path = issue.path as PropertyKey[];
  let message = issue.message;
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Prefer the alternative that got furthest: its deepest issue is the real mistake.
    const depth = (errs: Issue[]) => Math.max(...errs.map((e) => e.path.length + (e.code === 'unrecognized_keys' ? 0 : 0.5)));
    const ranked = issue.errors.map((errs) => ({ errs, d: depth(errs) })).sort((a, b) => b.d - a.d);
    const best = ranked[0];
    if (best.d >= 1 && ranked.filter((r) => r.d === best.d).length === 1) {
      return toProblem({ ...best.errs[0], path: [...path, ...best.errs[0].path] } as Issue, locate, fromSet);
    }
    message = `expected one of: ${describeAlternatives(issue.errors)}`;
  } else if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]];
    message = `unknown key "${issue.keys.join('", "')}" (a typo?)`;
  } else if (issue.code === 'invalid_type') {
    message = `expected ${issue.expected}, got ${issue.input === undefined ? 'nothing (the key is required)' : typeName(issue.input)}`;
  } else if (issue.code === 'invalid_value') {
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${typeName(issue.input)}`;
  }
  const p = formatPath(path);
  const set = [...fromSet].some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
  return { path: p, line: set ? undefined : locate(path), message: set ? `${message} (from --set)` : message };
}

function describeAlternatives(errors: Issue[][]): string {
  const shapes = errors.map((errs) => {
    const keys = errs.filter((e) => e.code === 'invalid_type' && e.path.length === 1).map((e) => String(e.path[0]));
    if (keys.length > 0) return `{ ${keys.join(', ')} }`;
    const lit = errs.find((e) => e.code === 'invalid_value');
    if (lit && lit.code === 'invalid_value') return lit.values.map((v) => JSON.stringify(v)).join(' | ');
    const t = errs.find((e) => e.code === 'invalid_type');
    return t && t.code === 'invalid_type' ? t.expected : '?';
  });
  return [...new Set(shapes)].join(', ');
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Reads one numeric column of a CSV file with a header row; errors name the CSV file, line and column. */
export function readColumn(
  csvFile: string,
  column: string | undefined,
  from: { file: string; path: readonly PropertyKey[]; line?: number },
): Float64Array {
  let text: string;
  try {
    text = readFileSync(csvFile, 'utf8');
  } catch (e) {
    throw new InputError(from.file, [{ path: formatPath(from.path), line: from.line, message: `cannot read ${csvFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (e) {
    throw new InputError(csvFile, [{ path: '', message: `not valid CSV: ${(e as Error).message}` }]);
  }
  if (rows.length < 2) throw new InputError(csvFile, [{ path: '', line: 1, message: 'expected a header row and at least one data row' }]);
  const header = rows[0];
  const col = column === undefined ? 0 : header.indexOf(column);
  if (col < 0) {
    throw new InputError(csvFile, [{ path: '', line: 1, message: `no column "${column}"; the columns are ${header.map((h) => `"${h}"`).join(', ')}` }]);
  }
  const values = new Float64Array(rows.length - 1);
  for (let i = 1; i < rows.length; i++) {
    const cell = rows[i][col];
    const v = Number(cell);
    if (cell === '' || !Number.isFinite(v)) {
      throw new InputError(csvFile, [{ path: `column "${header[col]}"`, line: i + 1, message: `expected a number, got "${cell}"` }]);
    }
    values[i - 1] = v;
  }
  return values;
}
