/**
 * Turns zod's validation issues into problems a person can act on: the path, the line, and
 * what was expected — unions explained by the alternative that was meant, unknown keys with
 * the closest known key, types named in plain words.
 */
import type { z } from 'zod';
import { type Problem, formatPath } from './errors.ts';
import { scenarioSchema } from './schema.ts';
import { typeName } from './units.ts';

type Issue = z.core.$ZodIssue;

/** zod's own message for a union none of whose alternatives fit (a schema's `error` replaces it). */
const ZOD_UNION_MESSAGE = 'Invalid input';

/** Turns one zod issue into a problem with a readable message (unions explained). */
export function toProblem(issue: Issue, locate: (p: readonly PropertyKey[]) => number | undefined, fromSet: Set<string>): Problem {
  const { path, message } = explain(issue);
  return problemAt(path, message, locate, fromSet);
}

/** A problem at a path: with the path's line in the file, or marked as coming from `--set`. */
export function problemAt(path: readonly PropertyKey[], message: string, locate: (p: readonly PropertyKey[]) => number | undefined, fromSet: Set<string>): Problem {
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
      if (issue.errors.length === 0) {
        // A discriminated union's key with a value none takes (`mobility.model: trace`): said as an enum is (helper-84: zod's own words).
        const d = issue as Issue & { options?: readonly unknown[]; discriminator?: string; input?: unknown };
        if (Array.isArray(d.options)) {
          const value = d.input !== null && typeof d.input === 'object' && d.discriminator !== undefined ? (d.input as Record<string, unknown>)[d.discriminator] : undefined;
          return { path, message: `expected one of ${d.options.map((v) => JSON.stringify(v)).join(', ')}, got ${typeName(value)}` };
        }
        break;
      }
      const input = issue.input;
      if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
        // A mapping is meant for the alternatives that take mappings; among those, the one whose keys it uses.
        const takesMappings = issue.errors.filter((errs) => !errs.some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')));
        const fitting = takesMappings.filter((errs) => !errs.some((e) => e.path.length === 0 && e.code === 'unrecognized_keys'));
        if (fitting.length === 1) return nested(fitting[0][0]);
        if (fitting.length === 0 && takesMappings.length > 0) {
          const unknown = Object.keys(input).filter((k) => takesMappings.every((errs) => errs.some((e) => e.path.length === 0 && e.code === 'unrecognized_keys' && e.keys.includes(k))));
          if (unknown.length > 0) {
            // A name the union takes as a bare word, written as a mapping (`{ all-local: {} }`): it takes no settings.
            const names = issue.errors.flatMap((errs) => errs.flatMap((e) => (e.path.length === 0 && e.code === 'invalid_value' ? e.values : [])));
            const key = unknown[0];
            if (names.includes(key)) {
              const withSettings = (keysAt(path) ?? []).map((k) => `{ ${k}: { … } }`);
              const others = withSettings.length > 0 ? `; only ${withSettings.join(', ')} ${withSettings.length === 1 ? 'takes' : 'take'} settings` : '';
              return { path: [...path, key], message: `"${key}" takes no settings: write it as a bare name (${formatPath(path)}: ${key}), not as a mapping${others}` };
            }
            return { path: [...path, key], message: unknownKey(key, [...(keysAt(path) ?? []), ...names.map(String)], `expected one of: ${describeAlternatives(path, issue.errors)}`) };
          }
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
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      // A union chosen by a key (mobility's `model`): the chosen alternative's keys, and which other alternative has this one (helper-90: `range` under nomadic read "did you mean \"range\"?").
      const chosen = chosenAlternative(path, 'input' in issue ? issue.input : undefined);
      if (chosen) {
        const expected = `expected one of: ${chosen.keys.join(', ')}`;
        if (chosen.others(key).length > 0) {
          return { path: [...path, key], message: `unknown key "${key}" with ${chosen.discriminator}: ${chosen.value} (it is a key of ${chosen.discriminator}: ${chosen.others(key).join(' or ')}); ${expected}` };
        }
        return { path: [...path, key], message: unknownKey(key, chosen.keys, expected) };
      }
      return { path: [...path, key], message: unknownKey(key, keysAt(path)) };
    }
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
export function unknownKey(key: string, known: string[] | undefined, expected = known ? `expected one of: ${known.join(', ')}` : ''): string {
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
  /** A discriminated union's key. */
  readonly discriminator?: string;
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

/** The schema of the value at a path of the scenario (through unions, by the key that follows; wrappers and a transform's output looked through). */
export function schemaAt(path: readonly PropertyKey[]): Schema | undefined {
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

/**
 * For a mapping at a path whose schema is a union chosen by a key (zod's discriminated union) and
 * whose input names an alternative: that key and value, the alternative's keys, and the other
 * alternatives' values that have a given key. Undefined otherwise.
 */
function chosenAlternative(path: readonly PropertyKey[], input: unknown): { discriminator: string; value: string; keys: string[]; others: (key: string) => string[] } | undefined {
  const s = schemaAt(path);
  const d = s?._zod.def;
  if (d?.type !== 'union' || !d.discriminator || !d.options || typeof input !== 'object' || input === null) return undefined;
  const disc = d.discriminator;
  const value = (input as Record<string, unknown>)[disc];
  const valuesOf = (o: Schema) => {
    const v = o._zod.def.shape?.[disc];
    return v ? (unwrap(v)._zod.def.values ?? []).map(String) : [];
  };
  const options = d.options.map(unwrap);
  const mine = options.find((o) => valuesOf(o).includes(String(value)));
  if (!mine) return undefined;
  return {
    discriminator: disc,
    value: String(value),
    keys: Object.keys(mine._zod.def.shape ?? {}),
    others: (key) => options.filter((o) => o !== mine && o._zod.def.shape?.[key] !== undefined).flatMap(valuesOf),
  };
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
      if (d.type === 'object' && d.shape) return `{ ${requiredKeys(d.shape).map(([k, v]) => `${k}${nestedShape(v)}`).join(', ')} }`;
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

/** The keys of an object schema's shape that must be written (not optional, no default). */
function requiredKeys(shape: Record<string, Schema>): [string, Schema][] {
  return Object.entries(shape).filter(([, v]) => v._zod.optin === undefined);
}

/** A key's value when it is an object itself, one level deep (`: { mu }`; `: { … }` when none of its keys is required), else nothing: `{ fedprox }` did not say how to write it (helper-79). */
function nestedShape(value: Schema): string {
  const d = unwrap(value)._zod.def;
  if (d.type !== 'object' || !d.shape) return '';
  const keys = requiredKeys(d.shape).map(([k]) => k);
  return `: { ${keys.length > 0 ? keys.join(', ') : '…'} }`;
}

/** Drops repeated problems (same path and message). */
export function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

