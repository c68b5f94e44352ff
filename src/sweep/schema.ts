import { readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { COMPARE_METRICS, RUN_COUNTS } from '../metrics/compare.ts';
import { namesReference } from '../scenario/arm-names.ts';
import { InputError, ioReason, type Problem } from '../scenario/errors.ts';
import { unknownKey } from '../scenario/issues.ts';
import { typeName } from '../scenario/units.ts';
import { decodeUtf8 } from '../scenario/utf8.ts';

/**
 * The sweep file (`edelear sweep FILE`, YAML or JSON): a base scenario, the parameters to vary
 * (scenario paths as `--set` takes them, each with a list of values or a linear or log range),
 * the design (the full grid of the parameters' values, or a list of points), the arms to run at
 * every point (the names `edelear compare --arms` takes; the scenario as written is always one,
 * named EDeLeaR where it uses one of EDeLeaR's own policies and `as-written` where it uses none —
 * either name asks for it) and the replications (seeds seed … seed + n − 1, every arm on the same ones).
 */

/** Most points a sweep may have (grid or list): each is at least one run per arm and replication, planned in memory. */
export const MAX_POINTS = 100_000;

/** Most runs a sweep may ask for (points × arms × replications): each is planned in memory before any runs (10^9 replications ran V8 out of memory). */
export const MAX_RUNS = 1_000_000;

/** The keys of a range under parameters. */
const RANGE_KEYS = ['from', 'to', 'steps', 'scale'];

/** The keys of a sweep file. */
const SWEEP_KEYS = ['name', 'description', 'scenario', 'seed', 'replications', 'design', 'parameters', 'points', 'policies', 'metrics'] as const;

/** `--set`'s path syntax: keys and [indices], e.g. `workloads[0].arrivals.poisson`. */
const PATH_PART = /^[A-Za-z_$][\w$-]*(\[\d+\])*$/;

/** A sweep file's name field, and the results folder under results/: letters, digits, `.`, `_`, `-`. */
const NAME = /^[\w][\w.-]*$/;

/** A number, optionally followed by its unit ("5/s", "54 Mbit/s"): the bounds of a range. */
const NUMBER_WITH_UNIT = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(.*)$/i;

const bound = z.union([z.number(), z.string()], { error: (i) => `expected a number, or a number with a unit such as "5/s", got ${typeName(i.input)}` });

const rangeSchema = z.strictObject({
  from: bound,
  to: bound,
  steps: z.number({ error: (i) => `expected the number of values (an integer ≥ 2), got ${typeName(i.input)}` }).int('expected an integer ≥ 2').min(2, 'expected at least 2 steps (the two ends)').max(MAX_POINTS, `expected at most ${MAX_POINTS.toLocaleString('en-US')} steps (a sweep of more points than that is a study of its own: split it)`),
  scale: z.enum(['linear', 'log'], { error: (i) => `expected linear or log, got ${typeName(i.input)}` }).default('linear'),
});

/** A range of values: `steps` values from `from` to `to`, evenly spaced on a linear or log scale. */
export type Range = z.infer<typeof rangeSchema>;

/**
 * A list of values, or a range. A mapping is read as a range, so its own problem is the one told
 * (`steps: expected an integer ≥ 2`, an unknown key at its line), not that it is neither.
 */
const listSchema = z.array(z.unknown()).min(1, 'expected at least one value');
const valuesSchema = z.unknown().transform((v, ctx): unknown[] | Range => {
  const isMapping = v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!Array.isArray(v) && !isMapping) {
    ctx.addIssue({ code: 'custom', message: `expected a list of values or a range { from, to, steps, scale: linear|log }, got ${typeName(v)}` });
    return z.NEVER;
  }
  const parsed = Array.isArray(v) ? listSchema.safeParse(v) : rangeSchema.safeParse(v);
  if (parsed.success) return parsed.data;
  // Unknown keys first: a misspelt key also makes the key it misspells missing, and the typo is the mistake.
  const issues = [...parsed.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) ctx.addIssue({ code: 'custom', path: [...issue.path, k], message: unknownKey(k, RANGE_KEYS) });
    } else {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  }
  return z.NEVER;
});

const sweepFileSchema = z.strictObject({
  name: z.string().regex(NAME, 'expected a name of letters, digits, ".", "_" and "-" (it names the results folder)').optional(),
  description: z.string().optional(),
  scenario: z.string({ error: (i) => `expected the base scenario's path (relative to the sweep file), got ${i.input === undefined ? 'nothing (the key is required)' : typeName(i.input)}` }).min(1),
  seed: z.number().int().nonnegative().optional(),
  replications: z.number().int('expected a whole number of replications').min(1, 'expected at least 1 replication').max(MAX_RUNS, `expected at most ${MAX_RUNS.toLocaleString('en-US')} replications`).default(5),
  design: z.enum(['grid', 'points'], { error: (i) => `expected grid or points, got ${typeName(i.input)}` }).default('grid'),
  parameters: z.record(z.string(), valuesSchema).optional(),
  points: z.array(z.record(z.string(), z.unknown(), { error: (i) => `expected a mapping of scenario path → value, got ${typeName(i.input)}` })).min(1, 'expected at least one point').max(MAX_POINTS, `expected at most ${MAX_POINTS.toLocaleString('en-US')} points`).optional(),
  policies: z.array(z.string().min(1)).min(1, 'expected at least one arm').optional(),
  metrics: z.array(z.string().min(1)).min(1, 'expected at least one metric').optional(),
});

/** Every metric a sweep can summarize: compare's figures and the run counts it gives beside them. */
export const SWEEP_METRICS: readonly string[] = [...COMPARE_METRICS.map((m) => m.metric), ...RUN_COUNTS];

/** One point of the design: per parameter (in {@link Sweep.parameters}' order) its value, or undefined where the point leaves the scenario's own. */
export type Point = readonly unknown[];

/** A sweep file read, validated and expanded into its points. */
export interface Sweep {
  /** The sweep file as given. */
  readonly file: string;
  /** The file's text (what the manifest hashes). */
  readonly text: string;
  /** The `name` field, or the file's name without its extension. */
  readonly name: string;
  /** The base scenario's path, resolved against the sweep file's folder. */
  readonly scenario: string;
  /** The first seed (absent: each point's scenario's own seed). */
  readonly seed?: number;
  readonly replications: number;
  /** The swept scenario paths, in the file's order: the parameter columns of summary.csv. */
  readonly parameters: readonly string[];
  /** The points, in the file's order (a grid: the first parameter varies slowest). */
  readonly points: readonly Point[];
  /** The arms' names to run: those given, EDeLeaR first when the file does not name it. */
  readonly policies: readonly string[];
  /** The arms' names as the file gives them (`policies[i]`). */
  readonly givenPolicies: readonly string[];
  readonly metrics: readonly string[];
  /** 1-based line of a path in the sweep file, where known. */
  locate(path: readonly PropertyKey[]): number | undefined;
}

/** Reads, validates and expands a sweep file. Every problem is an {@link InputError} naming the file, the path and the line. */
export function loadSweep(file: string, reference = 'EDeLeaR'): Sweep {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(file, [{ path: '', message: `cannot read the sweep file (${ioReason(e)}); expected a YAML or JSON file` }]);
  }
  const text = decodeUtf8(file, bytes);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(file, doc.errors.map((e) => ({ path: '', line: lineCounter.linePos(e.pos[0]).line, message: `not valid YAML: ${e.message.split('\n')[0]}` })));
  }
  const locate = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  // `at`: where to point when the path itself is not in the file (a missing key: the key that asks for it).
  const fail = (problems: { path: readonly PropertyKey[]; at?: readonly PropertyKey[]; message: string }[]): never => {
    throw new InputError(file, problems.map((p): Problem => ({ path: sweepPath(p.path), line: locate(p.at ?? p.path), message: p.message })));
  };
  const raw: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    fail([{ path: [], message: `expected a mapping (scenario, parameters, policies, replications…), got ${typeName(raw ?? undefined)}` }]);
  }
  const keys = raw as Record<string, unknown>;
  if (!('scenario' in keys) && ('nodes' in keys || 'workloads' in keys)) {
    fail([{ path: [], message: 'expected a sweep file (a base scenario and the parameters to vary), got a scenario file (it has nodes or workloads and no scenario:): run it with `edelear run FILE` or `edelear compare FILE`, or write a sweep file whose scenario: names it' }]);
  }
  const parsed = sweepFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    fail(
      parsed.error.issues.flatMap((i) =>
        // An unknown key at its own line, with the nearest known one.
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ path: [...(i.path as PropertyKey[]), k], message: unknownKey(k, i.path.length === 0 ? [...SWEEP_KEYS] : undefined) }))
          : [{ path: i.path as PropertyKey[], message: issueMessage(i) }],
      ),
    );
  }
  const s = parsed.data!;
  const problems: { path: PropertyKey[]; at?: PropertyKey[]; message: string }[] = [];

  let parameters: string[];
  let points: Point[];
  if (s.design === 'grid') {
    if (s.points !== undefined) problems.push({ path: ['points'], message: 'points are for design: points; a grid takes its values from parameters' });
    const entries = Object.entries(s.parameters ?? {});
    parameters = entries.map(([p]) => p);
    const lists = entries.map(([p, v]) => {
      if (Array.isArray(v)) return v;
      const r = rangeValues(v);
      if (typeof r === 'string') {
        problems.push({ path: ['parameters', p], message: r });
        return [];
      }
      return r;
    });
    const size = lists.reduce((a, l) => a * l.length, 1);
    if (size > MAX_POINTS) {
      problems.push({ path: ['parameters'], message: `expected at most ${MAX_POINTS.toLocaleString('en-US')} points, got ${lists.map((l) => l.length).join(' × ')} = ${size.toLocaleString('en-US')} (the grid crosses every parameter's values): fewer steps, or design: points` });
      points = [];
    } else {
      points = grid(lists);
    }
  } else {
    if (s.parameters !== undefined) problems.push({ path: ['parameters'], message: 'design: points gives each point\'s values in points; expected no parameters' });
    if (s.points === undefined) problems.push({ path: ['points'], at: ['design'], message: 'expected a list of points (each a mapping of scenario path → value) for design: points' });
    parameters = [...new Set((s.points ?? []).flatMap((p) => Object.keys(p)))];
    points = (s.points ?? []).map((p) => parameters.map((k) => (Object.hasOwn(p, k) ? p[k] : undefined)));
  }
  const where = s.design === 'grid' ? 'parameters' : 'points';
  for (const p of parameters) {
    if (!p.split('.').every((part) => PATH_PART.test(part)) || p.split('.').some((part) => part.startsWith('__proto__'))) {
      problems.push({ path: [where, p], message: `expected a scenario path such as nodes[0].count or workloads[0].arrivals.poisson, got "${p}"` });
      continue;
    }
    // A path inside another: the outer one's value replaces the inner one's at every point, and the rows would be labelled with values never run.
    const outer = parameters.find((q) => q !== p && (p.startsWith(`${q}.`) || p.startsWith(`${q}[`)));
    if (outer !== undefined) problems.push({ path: [where, p], message: `expected parameters that do not overlap: "${p}" lies inside "${outer}", whose values replace it at every point` });
    if (p === 'learning' || p.startsWith('learning.') || p.startsWith('learning[')) {
      problems.push({ path: [where, p], message: 'expected a path outside learning: a sweep simulates the inference workloads only, as compare does, and runs no learning study (sweep it with edelear run --set, one value at a time)' });
    }
  }
  const metrics = s.metrics ?? SWEEP_METRICS;
  s.metrics?.forEach((m, i) => {
    if (!SWEEP_METRICS.includes(m)) problems.push({ path: ['metrics', i], message: `expected one of: ${SWEEP_METRICS.join(', ')}; got "${m}"` });
  });
  const given = s.policies ?? [];
  const policies = given.some(namesReference) ? given : [reference, ...given];
  const seen = new Set<string>();
  given.forEach((p, i) => {
    // EDeLeaR and as-written are one arm: the scenario as written.
    const key = namesReference(p) ? 'the scenario as written' : p.toLowerCase();
    if (seen.has(key)) problems.push({ path: ['policies', i], message: `"${p}" is named twice${namesReference(p) ? ' (EDeLeaR and as-written both name the scenario as written)' : ''}; expected each arm once` });
    seen.add(key);
  });
  const runs = points.length * policies.length * s.replications;
  if (runs > MAX_RUNS) problems.push({ path: ['replications'], message: `expected at most ${MAX_RUNS.toLocaleString('en-US')} runs, got ${points.length.toLocaleString('en-US')} points × ${policies.length} arm${policies.length === 1 ? '' : 's'} × ${s.replications.toLocaleString('en-US')} replications = ${runs.toLocaleString('en-US')}: fewer of them, or several sweeps` });
  if (problems.length > 0) fail(problems);
  return {
    file,
    text,
    name: s.name ?? basename(file, extname(file)),
    scenario: isAbsolute(s.scenario) ? s.scenario : join(dirname(file), s.scenario),
    ...(s.seed === undefined ? {} : { seed: s.seed }),
    replications: s.replications,
    parameters,
    points,
    policies,
    givenPolicies: given,
    metrics,
    locate,
  };
}

/** A zod issue's message in the form the CLI prints ("expected …, got …"). */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith('expected')) return issue.message;
  if (issue.code === 'invalid_type') {
    const got = 'input' in issue ? (issue.input === undefined ? 'nothing (the key is required)' : typeName(issue.input)) : 'something else';
    const expected: Record<string, string> = { int: 'an integer', array: 'a list', object: 'a mapping', record: 'a mapping of scenario path → values', number: 'a number', string: 'a string', boolean: 'true or false' };
    return `expected ${expected[issue.expected] ?? `a ${issue.expected}`}, got ${got}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'number') return `expected a number ≥ ${String(issue.minimum)}`;
  return issue.message;
}

/** A path in the sweep file as text; a key that is itself a scenario path (with dots or brackets) is quoted: `parameters["nodes[0].count"]`. */
function sweepPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else if (/[.[\]]/.test(String(k))) s += `[${JSON.stringify(String(k))}]`;
    else s += s ? `.${String(k)}` : String(k);
  }
  return s;
}

/** Significant digits a range's values keep: 1 + 0.1·k stays 1.3, not 1.3000000000000003, and a log range ends at its `to`. */
const RANGE_DIGITS = 12;

/** The values of a range, or what is wrong with it. Bounds with a unit give strings "value unit" with the unit as written. */
export function rangeValues(r: Range): unknown[] | string {
  const from = splitUnit(r.from);
  const to = splitUnit(r.to);
  if (from === undefined || to === undefined) return `expected from and to as numbers, or numbers with a unit such as "5/s"; got ${JSON.stringify(r.from)} and ${JSON.stringify(r.to)}`;
  if (from.unit.trim() !== to.unit.trim()) return `expected from and to in the same unit, got "${from.unit.trim()}" and "${to.unit.trim()}"`;
  if (r.scale === 'log' && !(from.value > 0 && to.value > 0)) return `expected from and to above 0 on a log scale, got ${from.value} and ${to.value}`;
  const values: unknown[] = [];
  for (let i = 0; i < r.steps; i++) {
    const f = i / (r.steps - 1);
    const x = r.scale === 'log' ? from.value * Math.pow(to.value / from.value, f) : from.value + (to.value - from.value) * f;
    const v = Number(x.toPrecision(RANGE_DIGITS));
    values.push(from.unit === '' && typeof r.from === 'number' && typeof r.to === 'number' ? v : `${v}${from.unit}`);
  }
  return values;
}

function splitUnit(b: number | string): { value: number; unit: string } | undefined {
  if (typeof b === 'number') return Number.isFinite(b) ? { value: b, unit: '' } : undefined;
  const m = NUMBER_WITH_UNIT.exec(b);
  if (!m) return undefined;
  return { value: Number(m[1]), unit: m[2].trimEnd() };
}

/** The full cross product of the lists, the first list varying slowest (nested loops in the file's order). */
export function grid(lists: readonly (readonly unknown[])[]): Point[] {
  let points: unknown[][] = [[]];
  for (const values of lists) points = points.flatMap((p) => values.map((v) => [...p, v]));
  return points;
}
