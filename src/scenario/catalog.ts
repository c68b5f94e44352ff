import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DnnModel } from '../world/model.ts';
import { NODE_KINDS } from '../world/node.ts';
import { InputError, formatPath } from './errors.ts';
import { toSI } from './units.ts';

/** The project's data folder (model zoo and device profiles). */
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
});

const modelFileSchema = z.object({
  name: z.string(),
  title: z.string(),
  source: z.string().min(1),
  input: z.object({ bytes: z.number().positive() }),
  layers: z
    .array(z.object({ name: z.string(), type: z.string(), flops: z.number().min(0), params: z.number().int().min(0), outputBytes: z.number().positive() }))
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
}

/** The model zoo and device profiles, read from data files. */
export interface Catalog {
  readonly models: ReadonlyMap<string, DnnModel>;
  readonly profiles: ReadonlyMap<string, DeviceProfile>;
}

let cached: Catalog | undefined;

/** Reads (once) every model and device profile under {@link DATA_DIR}. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const models = new Map<string, DnnModel>();
  for (const [file, raw] of readJsonDir(join(DATA_DIR, 'models'))) {
    const m = parseWith(modelFileSchema, raw, file);
    models.set(m.name, new DnnModel({ name: m.name, inputBytes: m.input.bytes, layers: m.layers }));
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
    });
  }
  cached = { models, profiles };
  return cached;
}

function readJsonDir(dir: string): [string, unknown][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      try {
        return [file, JSON.parse(readFileSync(file, 'utf8'))];
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
