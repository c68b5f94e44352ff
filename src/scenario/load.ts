import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { type Document, isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument, type YAMLError } from 'yaml';
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
  readColumn(ref: { file: string; column?: string }, path: readonly PropertyKey[], rule?: ColumnRule): Float64Array;
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
    throw new InputError(file, [{ path: '', message: `cannot read the scenario file (${ioReason(e)}); expected a YAML or JSON file` }]);
  }
  const empty = new InputError(file, [{ path: '', message: 'the file is empty; expected a scenario mapping (name, duration, nodes, links, workloads)' }]);
  if (text.trim() === '') throw empty;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new InputError(file, doc.errors.map((e) => yamlProblem(doc, lineCounter, e, /\.json$/i.test(file) ? 'JSON' : 'YAML')));
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new InputError(file, [
      { path: '', message: `refused: ${(e as Error).message}; expected at most ${MAX_ALIAS_COUNT} alias expansions (is this a YAML alias bomb?)` },
    ]);
  }
  if (raw === null || raw === undefined) throw empty;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : undefined;
    throw new InputError(file, [{ path: '', line, message: `expected a mapping of scenario keys (name, duration, nodes…), got ${typeName(raw)}` }]);
  }
  const fromSet = new Set<string>();
  for (const o of overrides) fromSet.add(applyOverride(raw as Record<string, unknown>, o, file));

  const locate = (path: readonly PropertyKey[]): number | undefined => lineOf(doc, lineCounter, path);
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    // Unknown keys first: a typo also makes the key it misspells "missing", and the typo is the real mistake.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const problems = issues.map((issue) => toProblem(issue, locate, fromSet));
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
    readColumn: (ref, path, rule) => readColumn(isAbsolute(ref.file) ? ref.file : join(dir, ref.file), ref.column, { file, path, locate }, rule),
  };
}

/** Sets `a.b[2].c=value` in the raw document; the value is read as YAML. Returns the path. */
function applyOverride(raw: Record<string, unknown>, override: string, file: string): string {
  const eq = override.indexOf('=');
  const bad = (message: string, path = '') => new InputError(`--set ${override}`, [{ path, message }]);
  if (eq <= 0) throw bad('expected path=value, e.g. --set duration="5 min" or --set workloads[0].arrivals.poisson=10/s');
  const pathText = override.slice(0, eq).trim();
  const keys: (string | number)[] = [];
  for (const part of pathText.split('.')) {
    const m = /^([A-Za-z_$][\w$-]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw bad(`expected a path like nodes[0].power.busy, got "${pathText}"`);
    // Never walk into or replace an object's prototype (`--set __proto__.x=1` would change every object).
    if (m[1] === '__proto__') throw bad(`expected a path like nodes[0].power.busy, got "${pathText}"`);
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
    const next = Object.hasOwn(obj as object, keys[i]) ? (obj as Record<string | number, unknown>)[keys[i]] : undefined;
    if (next === null || typeof next !== 'object') {
      const found = next === undefined ? 'it is not there' : `it is ${typeName(next)}`;
      throw bad(`expected a mapping or list in ${file}, but ${found} (--set changes values; it does not create mappings)`, formatPath(keys.slice(0, i + 1)));
    }
    obj = next;
  }
  const last = keys[keys.length - 1];
  // A named key on a list (`nodes.name=x`) would be silently ignored by validation, as would an index on a mapping.
  if (Array.isArray(obj) !== (typeof last === 'number')) {
    const at = formatPath(keys.slice(0, -1));
    throw bad(`expected ${Array.isArray(obj) ? 'an index such as [0]' : 'a key name'} after ${at}, which is ${typeName(obj)} in ${file}`, at);
  }
  (obj as Record<string | number, unknown>)[last] = value;
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

/** A YAML error as a problem: its line, and for a duplicate key the key's path and first line. */
function yamlProblem(doc: Document, lc: LineCounter, e: YAMLError, syntax: 'YAML' | 'JSON'): Problem {
  const line = lc.linePos(e.pos[0]).line;
  if (e.code === 'DUPLICATE_KEY') {
    const dup = duplicateKeyAt(doc.contents, e.pos[0], []);
    if (dup) {
      const first = dup.first === undefined ? '' : ` (it is first given on line ${lc.linePos(dup.first).line})`;
      return { path: formatPath(dup.path), line, message: `duplicate key "${String(dup.path[dup.path.length - 1])}"; expected each key once${first}` };
    }
  }
  return { path: '', line, message: `not valid ${syntax}: ${e.message.split('\n')[0]}` };
}

/** Finds the key starting at `offset`: its path and where the same key first appears in its mapping. */
function duplicateKeyAt(node: unknown, offset: number, path: PropertyKey[]): { path: PropertyKey[]; first?: number } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        const first = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        return { path: [...path, key], first: isScalar(first?.key) ? first.key.range?.[0] : undefined };
      }
      const found = duplicateKeyAt(pair.value, offset, [...path, key]);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const found = duplicateKeyAt(node.items[i], offset, [...path, i]);
      if (found) return found;
    }
  }
  return undefined;
}

type Issue = z.core.$ZodIssue;

/** zod's own message for a union none of whose alternatives fit (a schema's `error` replaces it). */
const ZOD_UNION_MESSAGE = 'Invalid input';

/** Turns one zod issue into a problem with a readable message (unions explained). */
function toProblem(issue: Issue, locate: (p: readonly PropertyKey[]) => number | undefined, fromSet: Set<string>): Problem {
  const { path, message } = explain(issue);
  const p = formatPath(path);
  const set = [...fromSet].some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
  return { path: p, line: set ? undefined : locate(path), message: set ? `${message} (from --set)` : message };
}

/** The path and message of an issue; a union's issue is explained by the alternative the input was meant for. */
function explain(issue: Issue): { path: PropertyKey[]; message: string } {
  const path = issue.path as PropertyKey[];
  const got = 'input' in issue ? typeName(issue.input) : 'nothing (the key is required)';
  const nested = (inner: Issue) => explain({ ...inner, path: [...path, ...inner.path] } as Issue);
  switch (issue.code) {
    case 'invalid_union': {
      if (issue.errors.length === 0) break;
      const input = issue.input;
      if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
        // A mapping is meant for the alternatives that take mappings; among those, the one whose keys it uses.
        const takesMappings = issue.errors.filter((errs) => !errs.some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')));
        const fitting = takesMappings.filter((errs) => !errs.some((e) => e.path.length === 0 && e.code === 'unrecognized_keys'));
        if (fitting.length === 1) return nested(fitting[0][0]);
        if (fitting.length === 0 && takesMappings.length > 0) {
          const unknown = Object.keys(input).filter((k) => takesMappings.every((errs) => errs.some((e) => e.path.length === 0 && e.code === 'unrecognized_keys' && e.keys.includes(k))));
          if (unknown.length > 0) return { path: [...path, unknown[0]], message: unknownKey(unknown[0], keysAt(path), `expected one of: ${describeAlternatives(path, issue.errors)}`) };
        }
      }
      // Otherwise prefer the alternative that got furthest: its deepest issue is the real mistake.
      const depth = (errs: Issue[]) => Math.max(...errs.map((e) => e.path.length + (e.code === 'unrecognized_keys' ? 0 : 0.5)));
      const ranked = issue.errors.map((errs) => ({ errs, d: depth(errs) })).sort((a, b) => b.d - a.d);
      const best = ranked[0];
      if (best.d >= 1 && ranked.filter((r) => r.d === best.d).length === 1) return nested(best.errs[0]);
      if (issue.message !== ZOD_UNION_MESSAGE) return { path, message: issue.message };
      return { path, message: `expected one of: ${describeAlternatives(path, issue.errors)}, got ${got}` };
    }
    case 'unrecognized_keys':
      return { path: [...path, issue.keys[0]], message: unknownKey(issue.keys[0], keysAt(path)) };
    case 'invalid_type':
      return { path, message: `expected ${typeWord(issue.expected)}, got ${got}` };
    case 'invalid_value':
      return { path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}` };
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') {
        const n = Array.isArray(issue.input) ? issue.input.length : undefined;
        const entries = `${bound} ${bound === 1 ? 'entry' : 'entries'}`;
        return { path, message: `expected ${issue.exact ? 'exactly' : small ? 'at least' : 'at most'} ${entries}${n === undefined ? '' : `, got ${n}`}` };
      }
      if (issue.origin === 'string') return { path, message: small && bound === 1 ? `expected a non-empty string, got ${got}` : issue.message };
      const op = small ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      return { path, message: `expected a number ${op} ${bound}, got ${got}` };
    }
    default:
      // Messages written in the schema say what was expected; add what was found.
      if (issue.message.startsWith('expected') && !issue.message.includes(', got ') && 'input' in issue) {
        return { path, message: `${issue.message}, got ${got}` };
      }
  }
  return { path, message: issue.message };
}

/** `unknown key "bandwith" (did you mean "bandwidth"?); expected one of: …` */
function unknownKey(key: string, known: string[] | undefined, expected = known ? `expected one of: ${known.join(', ')}` : ''): string {
  const close = known ? closest(key, known) : undefined;
  const hint = close ? ` (did you mean "${close}"?)` : ' (a typo?)';
  return `unknown key "${key}"${hint}${expected ? `; ${expected}` : ''}`;
}

/** The known word nearest to a typo (at most 2 edits and fewer than half its letters), if any. */
function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.ceil(word.length / 2));
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** zod's name of a type, as a scenario author would say it. */
function typeWord(expected: string): string {
  const words: Record<string, string> = { int: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', array: 'a list', tuple: 'a list', object: 'a mapping' };
  return words[expected] ?? expected;
}

/** The parts of a schema that matter for walking it by path (zod's internal definition). */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, Schema>;
  readonly element?: Schema;
  readonly items?: readonly Schema[];
  readonly options?: readonly Schema[];
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
}
interface Schema {
  readonly _zod: { readonly def: SchemaDef; readonly optin?: string };
}

/** Looks through wrappers (optional, default, a transform's input) to the schema that checks a value. */
function unwrap(s: Schema): Schema {
  for (;;) {
    const d = s._zod.def;
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The schema of the value at a path of the scenario (through unions, by the key that follows). */
function schemaAt(path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = unwrap(scenarioSchema as unknown as Schema);
  for (const k of path) {
    const d: SchemaDef = s._zod.def;
    if (d.type === 'union') s = d.options?.map(unwrap).find((o) => typeof k === 'string' && o._zod.def.shape?.[k] !== undefined);
    s = s && unwrap(s);
    const def: SchemaDef | undefined = s?._zod.def;
    if (def?.type === 'object' && typeof k === 'string') s = def.shape?.[k];
    else if (def?.type === 'array' && typeof k === 'number') s = def.element;
    else if (def?.type === 'tuple' && typeof k === 'number') s = def.items?.[k];
    else return undefined;
    if (!s) return undefined;
    s = unwrap(s);
  }
  return s;
}

/** The keys a mapping at a path may have (every alternative's, for a union); undefined when unknown. */
function keysAt(path: readonly PropertyKey[]): string[] | undefined {
  const s = schemaAt(path);
  if (!s) return undefined;
  const objects = s._zod.def.type === 'union' ? (s._zod.def.options ?? []).map(unwrap) : [s];
  const keys = objects.flatMap((o) => Object.keys(o._zod.def.shape ?? {}));
  return keys.length > 0 ? [...new Set(keys)] : undefined;
}

/** Names a union's alternatives, from the schema where the path leads to it, else from the issues. */
function describeAlternatives(path: readonly PropertyKey[], errors: Issue[][]): string {
  const s = schemaAt(path);
  let shapes: string[];
  if (s?._zod.def.type === 'union' && s._zod.def.options) {
    shapes = s._zod.def.options.map((o) => {
      const d = unwrap(o)._zod.def;
      if (d.type === 'object' && d.shape) return `{ ${Object.entries(d.shape).filter(([, v]) => v._zod.optin === undefined).map(([k]) => k).join(', ')} }`;
      if (d.type === 'literal' && d.values) return d.values.map((v) => JSON.stringify(v)).join(' | ');
      if (d.type === 'enum' && d.entries) return Object.values(d.entries).map((v) => JSON.stringify(v)).join(' | ');
      return typeWord(d.type);
    });
  } else {
    shapes = errors.map((errs) => {
      const keys = errs.filter((e) => e.path.length === 1 && !('input' in e) && (e.code === 'invalid_type' || e.code === 'invalid_union')).map((e) => String(e.path[0]));
      if (keys.length > 0) return `{ ${keys.join(', ')} }`;
      const lit = errs.find((e) => e.code === 'invalid_value');
      if (lit && lit.code === 'invalid_value') return lit.values.map((v) => JSON.stringify(v)).join(' | ');
      const t = errs.find((e) => e.code === 'invalid_type');
      return t && t.code === 'invalid_type' ? typeWord(t.expected) : '?';
    });
  }
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

/** Why a file could not be read, in words: "ENOENT: no such file". */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'a folder, not a file', EACCES: 'permission denied', ENOTDIR: 'a path through a file' };
  return code ? (words[code] ? `${code}: ${words[code]}` : code) : (e as Error).message;
}

/** A check of a CSV column's values beyond being numbers. */
export type ColumnRule = 'non-negative' | 'non-decreasing';

/**
 * Reads one numeric column of a CSV file with a header row. A missing file or column is
 * reported at the scenario's path; a bad value at the CSV file's line and column.
 * `non-decreasing` (timestamps) also requires non-negative values.
 */
export function readColumn(
  csvFile: string,
  column: string | undefined,
  from: { file: string; path: readonly PropertyKey[]; locate?: (path: readonly PropertyKey[]) => number | undefined },
  rule?: ColumnRule,
): Float64Array {
  const inScenario = (key: string, message: string) => {
    const path = [...from.path, key];
    return new InputError(from.file, [{ path: formatPath(path), line: from.locate?.(path), message }]);
  };
  let text: string;
  try {
    text = readFileSync(csvFile, 'utf8');
  } catch (e) {
    throw inScenario('file', `cannot read ${csvFile} (${ioReason(e)}); expected a CSV file, relative to the scenario's folder`);
  }
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: false, info: true }) as unknown as typeof rows;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new InputError(csvFile, [{ path: '', line, message: `not valid CSV: ${(e as Error).message}` }]);
  }
  if (rows.length < 2) throw new InputError(csvFile, [{ path: '', line: 1, message: 'expected a header row and at least one data row' }]);
  const header = rows[0].record;
  const col = column === undefined ? 0 : header.indexOf(column);
  if (col < 0) {
    throw inScenario('column', `expected a column of ${csvFile} (${header.map((h) => `"${h}"`).join(', ')}), got "${column}"`);
  }
  const values = new Float64Array(rows.length - 1);
  for (let i = 1; i < rows.length; i++) {
    const cell = rows[i].record[col];
    const v = Number(cell);
    const bad = (message: string) => new InputError(csvFile, [{ path: `column "${header[col]}"`, line: rows[i].info.lines, message }]);
    if (cell === '' || !Number.isFinite(v)) throw bad(`expected a number, got "${cell}"`);
    if (rule !== undefined && v < 0) throw bad(`expected a non-negative number, got ${cell}`);
    if (rule === 'non-decreasing' && i > 1 && v < values[i - 2]) throw bad(`expected non-decreasing values (timestamps in order), got ${cell} after ${values[i - 2]}`);
    values[i - 1] = v;
  }
  return values;
}
