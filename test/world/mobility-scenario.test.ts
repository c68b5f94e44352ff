import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { overloadedLinks } from '../../src/world/offered-load.ts';

const dir = mkdtempSync(join(tmpdir(), 'edelear-mobility-scenario-'));
const catalog = loadCatalog();

const BASE = `name: m
duration: 100 s
nodes:
  - { name: dev, kind: device, count: 4, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: ap, kind: gateway, count: 2, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: edge, kind: edge, count: 2, compute: { fp32: 10 GFLOP/s }, memory: 10 GB, power: { idle: 0 W, busy: 0 W } }
links:
  - { between: [dev-*, ap-*], pairing: round-robin, bandwidth: 100 Mbit/s, delay: 1 ms }
  - { between: [ap-*, edge-*], pairing: round-robin, bandwidth: 1 Gbit/s, delay: 1 ms }
  - { between: [edge-1, edge-2], bandwidth: 1 Gbit/s, delay: 5 ms }
models:
  - { name: task, input: 10 kB, layers: [{ name: t, flops: 0.1 GFLOP, output: 1 kB }] }
workloads:
  - { on: dev-*, model: task, arrivals: { poisson: 1/s }, placement: { nearest: edge } }
`;
const NOMADIC = `mobility:
  model: nomadic
  placeTypes: [{ name: A, dwell: { exponential: { mean: 10 s } } }]
  places: [{ accessPoint: ap-*, type: A }]
`;

function file(name: string, text: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, text);
  return f;
}

/** The problems a scenario's load and build report (path and message), or [] when it builds. */
function problems(text: string, name: string): { path: string; message: string }[] {
  try {
    buildWorldSpec(loadScenario(file(name, text)), catalog);
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => ({ path: p.path, message: p.message }));
  }
}

describe('the mobility section of a scenario', () => {
  it('builds the moving devices (by default every device linked to a place), their access links and the places in order', () => {
    const spec = buildWorldSpec(loadScenario(file('ok', BASE + NOMADIC)), catalog);
    const m = spec.mobility!;
    const names = (a: Int32Array) => Array.from(a, (k) => spec.nodes[k].name);
    expect(names(m.devices)).toEqual(['dev-1', 'dev-2', 'dev-3', 'dev-4']);
    expect(names(m.places)).toEqual(['ap-1', 'ap-2']);
    expect(Array.from(m.accessLinks)).toEqual([0, 1, 2, 3]); // links are made in order: dev-i's is the i-th
    expect(m.inFlight).toBe('lost');
    expect(m.follow?.every((f) => f !== undefined && f.among.map((k) => spec.nodes[k].name).join() === 'edge-1,edge-2')).toBe(true);
    expect(m.model.name).toBe('nomadic');
  });

  it('reports bad sections with the path inside the file and what was expected', () => {
    expect(problems(BASE + NOMADIC.replace('type: A', 'type: B'), 'type')).toEqual([{ path: 'mobility.places[0].type', message: 'unknown place type "B"; expected one of A' }]);
    expect(problems(BASE + NOMADIC.replace('accessPoint: ap-*', 'accessPoint: gw-*'), 'pattern')[0].path).toBe('mobility.places[0].accessPoint');
    expect(problems(BASE + NOMADIC.replace('accessPoint: ap-*', 'accessPoint: [ap-1, ap-1]'), 'twice')[0]).toEqual({
      path: 'mobility.places[0].accessPoint[1]',
      message: 'expected each access point in one place, but ap-1 is already a place (mobility.places[0].accessPoint[0])',
    });
    // A device with two links cannot move: its access link would be ambiguous.
    const twoLinks = BASE.replace('  - { between: [edge-1, edge-2]', '  - { between: [dev-1, edge-1], bandwidth: 1 Gbit/s }\n  - { between: [edge-1, edge-2]');
    expect(problems(twoLinks + NOMADIC.replace('model: nomadic', 'model: nomadic\n  devices: dev-*'), 'two-links')).toEqual([
      { path: 'mobility.devices', message: "expected each moving device to have exactly one link (its radio to a place's access point), but dev-1 has 2" },
    ]);
    // Left to the default, it stays where it is, and the build says so (helper-84: silently stationary).
    const stayed = buildWorldSpec(loadScenario(file('two-links-default', twoLinks + NOMADIC)), catalog);
    expect(Array.from(stayed.mobility!.devices, (k) => stayed.nodes[k].name)).toEqual(['dev-2', 'dev-3', 'dev-4']);
    expect(stayed.buildWarnings.map((w) => [w.path, w.message])).toEqual([
      ['mobility', "device dev-1 has a link to a place's access point and others besides, so it does not move (a moving device has one link, its radio); give it one link, or name the devices that move in devices:"],
    ]);
    expect(problems(BASE + NOMADIC.replace('model: nomadic', 'model: nomadic\n  next: nearest'), 'next')[0].path).toBe('mobility.next');
    const rwp = `mobility:
  model: random-waypoint
  area: { width: 100, height: 100 }
  speed: { min: 1, max: 2 }
  range: 50
  accessPoints: [{ node: ap-1, at: [10, 10] }, { node: ap-2, at: [150, 10] }]
`;
    expect(problems(BASE + rwp, 'rwp')).toEqual([{ path: 'mobility.accessPoints[1].at', message: 'expected a position inside the area (0…100 × 0…100 m), got [150, 10]' }]);
    expect(problems(BASE + rwp.replace('150, 10', '90, 10').replace('max: 2', 'max: 0.5'), 'speed')).toEqual([{ path: 'mobility.speed.max', message: 'expected max ≥ min (1 m/s), got 0.5 m/s' }]);
    // Lengths and speeds with units (helper-84: "1 km", "5 km/h" were refused as "expected a number"): 0.1 km = 100 m, 7.2 km/h = 2 m/s.
    const withUnits = rwp.replace('150, 10', '90, 10').replace('width: 100,', 'width: 0.1 km,').replace('max: 2', 'max: 7.2 km/h').replace('range: 50', 'range: 50 m');
    expect(problems(BASE + withUnits, 'units')).toEqual([]);
    expect(problems(BASE + withUnits.replace('range: 50 m', 'range: 5 s'), 'units-bad')).toEqual([{ path: 'mobility.range', message: 'expected a length such as "1.5 km" (a bare number is in m), got "5 s", which is not a length' }]);
  });

  it('the CLI exits 2 with file:line: path: message and no stack trace', () => {
    const bad = file('cli', BASE + NOMADIC.replace('type: A', 'type: B'));
    const bin = fileURLToPath(new URL('../../bin/edelear.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'validate', bad], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:18: mobility.places[0].type: unknown place type "B"; expected one of A`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('an unknown mobility model', () => {
  it('is said as an enum is: the models there are and what was written (helper-84: "Invalid discriminator value. Expected …")', () => {
    const fixture = fileURLToPath(new URL('../fixtures/good/partitioned-mobility.yaml', import.meta.url));
    expect(() => loadScenario(fixture, ['mobility.model=trace'])).toThrow('mobility.model: expected one of "nomadic", "random-waypoint", got string "trace" (from --set)');
  });
});

describe('mobility.csv', () => {
  it('gives the device-seconds and share of the window at each place, and the moves made (helper-84: nothing said where devices were)', () => {
    // One device, 100 s, no warm-up, two places of one type (dwell exponential, mean 10 s): the shares add to 1, the seconds to 100.
    const out = mkdtempSync(join(tmpdir(), 'edelear-mobility-csv-'));
    const bin = fileURLToPath(new URL('../../bin/edelear.js', import.meta.url));
    const fixture = fileURLToPath(new URL('../fixtures/good/partitioned-mobility.yaml', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'run', fixture, '--out', out, '--quiet', '--no-charts'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const rows = parse(readFileSync(join(out, 'mobility.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.place, x.access_point])).toEqual([['0', 'ap-1'], ['1', 'ap-2'], ['(all)', '']]);
    expect(Number(rows[0].device_seconds) + Number(rows[1].device_seconds)).toBeCloseTo(100, 9);
    expect(Number(rows[0].time_share) + Number(rows[1].time_share)).toBeCloseTo(1, 12);
    expect(Number(rows[2].device_seconds)).toBeCloseTo(100, 9);
    const moves = Number(rows[2].moves);
    expect(moves).toBeGreaterThan(0);
    expect(Number(rows[2].moves_per_device_hour)).toBeCloseTo((moves * 3600) / 100, 9);
  });
});

describe("the check of the declared load with moving devices", () => {
  it('spreads a nomadic device’s traffic over the places by its share of time there, to the node its placement follows it to (helper-84: counted at its linked place, a false overload under --strict)', () => {
    // 40 cameras linked to ap-1, nomadic over ap-1 (dwell 30 s) and ap-2 (10 s): 3/4 of their time
    // at ap-1. Each sends 1.5 MiB at λ: 40 × λ × 12.58 Mbit/s to the nearest edge, over 1 Gbit/s.
    const text = (rate: string) => `name: mob-load
duration: 300 s
nodes:
  - { name: cam, kind: device, profile: raspberry-pi-4, count: 40 }
  - { name: ap, kind: gateway, profile: raspberry-pi-4, count: 2 }
  - { name: edge, kind: edge, profile: jetson-xavier-nx, count: 2 }
links:
  - { between: [cam-*, ap-1], bandwidth: 54 Gbit/s, delay: 2 ms }
  - { between: [ap-1, edge-1], bandwidth: 1 Gbit/s, delay: 1 ms }
  - { between: [ap-2, edge-2], bandwidth: 1 Gbit/s, delay: 1 ms }
  - { between: [ap-1, ap-2], bandwidth: 10 Gbit/s, delay: 20 ms }
workloads:
  - { name: classify, on: cam-*, model: mobilenet-v2, arrivals: { poisson: ${rate} }, input: 1.5 MiB }
policies:
  placement: { nearest: edge }
mobility:
  model: nomadic
  placeTypes:
    - { name: A, dwell: { exponential: { mean: 30 s } } }
    - { name: B, dwell: { exponential: { mean: 10 s } } }
  places:
    - { accessPoint: ap-1, type: A }
    - { accessPoint: ap-2, type: B }
`;
    const rho = (rate: string) => {
      const spec = buildWorldSpec(loadScenario(file(`mob-load-${rate.replace('/', '')}`, text(rate))), loadCatalog());
      const byName = (a: string, b: string) => overloadedLinks(spec).find((o) => { const l = spec.links[o.link >> 1]; const [x, y] = (o.link & 1) === 0 ? [l.a, l.b] : [l.b, l.a]; return spec.nodes[x].name === a && spec.nodes[y].name === b; });
      return { up1: byName('ap-1', 'edge-1')?.rho, up2: byName('ap-2', 'edge-2')?.rho };
    };
    // 2/s: 1,006.6 Mbit/s in all, 0.75 of it through ap-1 (ρ 0.755): no overload, where counting every camera at ap-1 gave ρ 1.007.
    expect(rho('2/s')).toEqual({ up1: undefined, up2: undefined });
    // 2.8/s: ap-1→edge-1 at 0.75 × 1,409.3 Mbit/s / 1 Gbit/s = 1.057; ap-2→edge-2 at 0.352.
    const over = rho('2.8/s');
    expect(over.up1).toBeCloseTo((0.75 * 40 * 2.8 * 1.5 * 2 ** 20 * 8) / 1e9, 9);
    expect(over.up2).toBeUndefined();
  });
});
