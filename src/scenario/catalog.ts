import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { accuracyProfile, parseAccuracyFile, type AccuracyFile, type AccuracyProfile, type ZooAccuracy } from '../policies/compression/accuracy-profile.ts';
import { DnnModel } from '../world/model.ts';
import { NODE_KINDS } from '../world/node.ts';
import { InputError, formatPath } from './errors.ts';
import { decodeUtf8 } from './utf8.ts';
import { toSI } from './units.ts';

/** The project's data folder (model zoo, device profiles, accuracy profiles). */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

const cited = <T extends z.ZodType>(value: T) => z.object({ value, source: z.string().min(1) });

const profileFileSchema = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.enum(NODE_KINDS),
  compute: z.object({ fp32: cited(z.string()).optional(), fp16: cited(z.string()).optional(), int8: cited(z.string()).optional() }),
  slots: cited(z.number().int().min(1)),
  memory: cited(z.string()),
  power: z.object({ idle: cited(z.string()), busy: cited(z.string()) }),
  sparseKernels: cited(z.boolean()).optional(),
  batching: z.object({ t0: cited(z.string()), t1: cited(z.string()), note: z.string().optional() }).optional(),
});

const publishedTop1 = z.strictObject({ top1: z.number().min(0).max(100), source: z.string().min(1) });

const modelFileSchema = z.object({
  name: z.string(),
  title: z.string(),
  source: z.string().min(1),
  input: z.object({ bytes: z.number().positive() }),
  accuracy: z.strictObject({ fp32: publishedTop1, int8: publishedTop1.optional() }).optional(),
  layers: z
    .array(
      z.object({
        name: z.string(),
        type: z.string(),
        flops: z.number().min(0),
        params: z.number().int().min(0),
        outputBytes: z.number().positive(),
        // The graph (required in zoo files: a missing one would silently read as a chain and
        // understate the bytes at splits inside residual blocks); see DnnModel.liveBytes.
        inputs: z.array(z.string()).min(1),
      }),
    )
    .min(1),
});

/** A device profile in SI units. */
export interface DeviceProfile {
  readonly name: string;
  readonly title: string;
  readonly kind: (typeof NODE_KINDS)[number];
  readonly compute: { fp32?: number; fp16?: number; int8?: number };
  readonly slots: number;
  readonly memory: number;
  readonly power: { idle: number; busy: number };
  /** The kernels its figures were measured with skip pruned weights (a cited flag; absent = dense kernels). */
  readonly sparseKernels?: boolean;
  /**
   * Its batch cost t(b) = t0 + b·t1 (s), cited for a reference model, and fixedShare = t0 / (t0 + t1):
   * the share of one request's compute a batch pays once (absent: no published batch figures).
   */
  readonly batching?: { readonly t0: number; readonly t1: number; readonly fixedShare: number };
}

/** The model zoo, device profiles and accuracy profiles, read from data files. */
export interface Catalog {
  readonly models: ReadonlyMap<string, DnnModel>;
  readonly profiles: ReadonlyMap<string, DeviceProfile>;
  /**
   * Accuracy profiles of the zoo models whose file publishes an fp32 top-1: the zoo file's fp32
   * (and int8) figures joined with data/accuracy/<model>.json where there is one.
   */
  readonly accuracy: ReadonlyMap<string, AccuracyProfile>;
}

let cached: Catalog | undefined;

/** Reads (once) every model and device profile under {@link DATA_DIR}. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const models = new Map<string, DnnModel>();
  const zooAccuracy = new Map<string, { file: string; accuracy: ZooAccuracy | undefined }>();
  for (const [file, raw] of readJsonDir(join(DATA_DIR, 'models'))) {
    const m = parseWith(modelFileSchema, raw, file);
    let model: DnnModel;
    try {
      model = new DnnModel({ name: m.name, inputBytes: m.input.bytes, layers: m.layers });
    } catch (e) {
      throw new InputError(file, [{ path: 'layers', message: (e as Error).message }]);
    }
    models.set(m.name, model);
    zooAccuracy.set(m.name, { file, accuracy: m.accuracy });
  }
  const profiles = new Map<string, DeviceProfile>();
  for (const [file, raw] of readJsonDir(join(DATA_DIR, 'devices'))) {
    const p = parseWith(profileFileSchema, raw, file);
    const si = (v: string, q: Parameters<typeof toSI>[1], path: string): number => {
      try {
        return toSI(v, q);
      } catch (e) {
        throw new InputError(file, [{ path, message: (e as Error).message }]);
      }
    };
    const compute: DeviceProfile['compute'] = {};
    for (const prec of ['fp32', 'fp16', 'int8'] as const) {
      const c = p.compute[prec];
      if (c) compute[prec] = si(c.value, 'throughput', `compute.${prec}.value`);
    }
    profiles.set(p.name, {
      name: p.name,
      title: p.title,
      kind: p.kind,
      compute,
      slots: p.slots.value,
      memory: si(p.memory.value, 'bytes', 'memory.value'),
      power: { idle: si(p.power.idle.value, 'power', 'power.idle.value'), busy: si(p.power.busy.value, 'power', 'power.busy.value') },
      ...(p.sparseKernels ? { sparseKernels: p.sparseKernels.value } : {}),
      ...(p.batching ? { batching: batchCost(si(p.batching.t0.value, 'time', 'batching.t0.value'), si(p.batching.t1.value, 'time', 'batching.t1.value'), file) } : {}),
    });
  }
  cached = { models, profiles, accuracy: readAccuracy(join(DATA_DIR, 'accuracy'), zooAccuracy) };
  return cached;
}

/** A profile's batch cost from its t0 and t1 (both > 0 s). */
function batchCost(t0: number, t1: number, file: string): NonNullable<DeviceProfile['batching']> {
  if (!(t0 >= 0 && t1 > 0)) throw new InputError(file, [{ path: 'batching', message: `expected t0 ≥ 0 s and t1 > 0 s, got ${t0} and ${t1}` }]);
  return { t0, t1, fixedShare: t0 / (t0 + t1) };
}

/**
 * The accuracy profiles: each data/accuracy/<model>.json (parsed by `parseAccuracyFile`) must
 * name a zoo model whose file publishes an fp32 top-1 (the reference its points' changes are
 * added to); every zoo model with an fp32 top-1 gets a profile, with or without such a file.
 */
export function readAccuracy(dir: string, zoo: ReadonlyMap<string, { file: string; accuracy: ZooAccuracy | undefined }>): Map<string, AccuracyProfile> {
  const files = new Map<string, AccuracyFile>();
  for (const [file, raw] of readJsonDir(dir)) {
    let parsed: AccuracyFile;
    try {
      parsed = parseAccuracyFile(raw);
    } catch (e) {
      if (!(e instanceof z.ZodError)) throw e;
      throw new InputError(
        file,
        e.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
      );
    }
    if (`${parsed.model}.json` !== basename(file)) {
      throw new InputError(file, [{ path: 'model', message: `expected "${basename(file, '.json')}" (the file's name), got "${parsed.model}"` }]);
    }
    const entry = zoo.get(parsed.model);
    if (!entry) throw new InputError(file, [{ path: 'model', message: `expected a zoo model (data/models): ${[...zoo.keys()].join(', ')}; got "${parsed.model}"` }]);
    if (!entry.accuracy) {
      throw new InputError(file, [{ path: 'model', message: `expected a model whose zoo file (${entry.file}) publishes its fp32 top-1 in accuracy.fp32: the points' changes are added to it` }]);
    }
    files.set(parsed.model, parsed);
  }
  const profiles = new Map<string, AccuracyProfile>();
  for (const [model, { accuracy }] of zoo) {
    if (accuracy) profiles.set(model, accuracyProfile(model, accuracy, files.get(model)));
  }
  return profiles;
}

function readJsonDir(dir: string): [string, unknown][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const text = decodeUtf8(file, readFileSync(file));
      try {
        return [file, JSON.parse(text)];
      } catch (e) {
        throw new InputError(file, [{ path: '', message: `not valid JSON: ${(e as Error).message}` }]);
      }
    });
}

function parseWith<T extends z.ZodType>(schema: T, raw: unknown, file: string): z.output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    throw new InputError(
      file,
      r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  const out = r.data as { name?: string };
  if (out.name !== undefined && `${out.name}.json` !== basename(file)) {
    throw new InputError(file, [{ path: 'name', message: `expected "${basename(file, '.json')}" (the file's name), got "${out.name}"` }]);
  }
  return r.data;
}
