import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';
import { toSI } from '../../src/scenario/units.ts';

describe('JSON Schema for editors', () => {
  it('is draft 2020-12, forbids unknown keys and documents quantities with their units', () => {
    const s = scenarioJsonSchema() as Record<string, any>;
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(expect.arrayContaining(['name', 'duration', 'nodes']));
    expect(s.properties.links.items.properties.bandwidth.description).toMatch(/bandwidth: a number in bit\/s or a string with a unit, e.g. "54 Mbit\/s"/);
    expect(s.properties.duration.type).toEqual(["number", "string"]);
    const node = s.properties.nodes.items;
    expect(node.additionalProperties).toBe(false);
    expect(Object.keys(node.properties)).toEqual(expect.arrayContaining(['name', 'kind', 'profile', 'count', 'compute', 'slots', 'memory', 'power', 'battery', 'trust', 'failures']));
  });
});

describe('units', () => {
  it('converts the spellings scenario files use to SI', () => {
    expect(toSI('54 Mbit/s', 'bandwidth')).toBe(54e6);
    expect(toSI('1 Gbps', 'bandwidth')).toBe(1e9);
    expect(toSI('15 ms', 'time')).toBeCloseTo(0.015, 15);
    expect(toSI('10 min', 'time')).toBe(600);
    expect(toSI('6.4 W', 'power')).toBe(6.4);
    expect(toSI('2 GiB', 'bytes')).toBe(2 * 2 ** 30);
    expect(toSI('150 KiB', 'bytes')).toBe(150 * 1024);
    expect(toSI('1.2 TFLOP/s', 'throughput')).toBe(1.2e12);
    expect(toSI('0.6 GFLOP', 'flops')).toBe(0.6e9);
    expect(toSI('5/s', 'rate')).toBe(5);
    expect(toSI('300/min', 'rate')).toBe(5);
    expect(toSI('10 Wh', 'energy')).toBe(36000);
    expect(toSI('50 nJ/bit', 'energyPerBit')).toBeCloseTo(50e-9, 20);
    expect(toSI(3, 'time')).toBe(3);
  });

  it('refuses unknown and incompatible units', () => {
    expect(() => toSI('5 kg', 'bandwidth')).toThrow(/expected a bandwidth/);
    expect(() => toSI('5 parsecs/s', 'bandwidth')).toThrow(/expected a bandwidth/);
    expect(() => toSI('ms', 'time')).toThrow(/without a number/);
  });
});

describe('data files', () => {
  const dir = fileURLToPath(new URL('../../data/devices/', import.meta.url));
  it('every device profile loads, and every figure in it cites a source', () => {
    const catalog = loadCatalog();
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(catalog.profiles.size).toBe(files.length);
    for (const f of files) {
      const raw = JSON.parse(readFileSync(`${dir}${f}`, 'utf8'));
      const cited = [...Object.values(raw.compute), raw.slots, raw.memory, raw.power.idle, raw.power.busy] as { source: string }[];
      for (const c of cited) expect(c.source.length).toBeGreaterThan(20);
    }
    // Raspberry Pi 4: 7.56 GFLOP/s fp32 (MLPerf v0.7, MobileNetV3-Large), 2.7 W idle, 6.4 W busy (pidramble).
    const pi = catalog.profiles.get('raspberry-pi-4')!;
    expect(pi.compute.fp32).toBe(7.56e9);
    expect(pi.power).toEqual({ idle: 2.7, busy: 6.4 });
  });
});

describe('--set creates a missing mapping on its path, never a list entry', () => {
  it('policies.partitioning=edelear on a file without policies: (scale-layers.yaml); cache.capacity on a node without a cache', () => {
    const file = fileURLToPath(new URL('../../scenarios/bench/scale-layers.yaml', import.meta.url));
    expect(readFileSync(file, 'utf8')).not.toMatch(/^policies:/m);
    const { scenario } = loadScenario(file, ['policies.partitioning=edelear', 'nodes[2].cache.capacity=500']);
    expect(scenario.policies.partitioning).toEqual({ policy: 'edelear', objective: 'latency' });
    // The cache's other keys take their defaults (policy edelear, no lookup time).
    expect(scenario.nodes[2].cache).toMatchObject({ capacity: { unit: 'entries', value: 500 }, policy: 'edelear' });
  });
});

describe('a union refused names the nested keys of its alternatives', () => {
  it('learning.algorithm: fedprox written bare says { fedprox: { mu } } (helper-79: "{ fedprox }" did not say how to write it)', () => {
    const load = () => loadScenario(fileURLToPath(new URL('../../scenarios/federated.yaml', import.meta.url)), ['learning.algorithm=fedprox']);
    expect(load).toThrow(/learning\.algorithm: expected one of: "fedavg", \{ fedprox: \{ mu \} \}, got string "fedprox"/);
  });
});
