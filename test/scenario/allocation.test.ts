import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';

// scenarios/validation/partitioned.yaml: one node partitioned { a: 0.5, b: 0.5 }, workloads a and b.
const file = fileURLToPath(new URL('../../scenarios/validation/partitioned.yaml', import.meta.url));
/** The scenario built with `policies` set to these (the file has no policies mapping to change a key of). */
const build = (policies?: object) => buildWorldSpec(loadScenario(file, policies ? [`policies=${JSON.stringify(policies)}`] : []), loadCatalog());

describe('policies.allocation', () => {
  it('defaults to static (the declared shares); edelear re-allocates the partitioned node; none builds it first come, first served', () => {
    const declared = build();
    expect(declared.allocation?.name).toBe('static');
    expect(declared.nodes[0]).toMatchObject({ scheduler: 'partitioned', shares: [0.5, 0.5, 0] });
    const edelear = build({ allocation: 'edelear', interval: '5 s' });
    expect(edelear.allocation).toMatchObject({ name: 'edelear', reallocates: true });
    expect(edelear.interval).toBe(5);
    const none = build({ allocation: 'none' });
    expect(none.nodes[0].scheduler).toBeUndefined(); // fcfs
    expect(none.nodes[0].shares).toBeUndefined();
  });

  it('edelear without a monitoring interval is an error at policies.allocation; an unknown name lists the policies', () => {
    const noInterval = () => build({ allocation: 'edelear' });
    expect(noInterval).toThrow(InputError);
    expect(noInterval).toThrow(/policies\.allocation.*expected policies\.interval with allocation "edelear"/s);
    expect(() => build({ allocation: 'fair' })).toThrow(/"edelear", "equal", "static", "none"/);
  });

  it('is described in the JSON Schema', () => {
    const s = scenarioJsonSchema() as Record<string, any>;
    const allocation = s.properties.policies.properties.allocation;
    // The short form (a name) and the long form ({ edelear: { step, … } }).
    expect(allocation.anyOf[0].enum).toEqual(['edelear', 'equal', 'static', 'none']);
    expect(Object.keys(allocation.anyOf[1].properties.edelear.properties).sort()).toEqual(['floor', 'iterations', 'smoothing', 'step', 'tolerance']);
    expect(allocation.description).toMatch(/max-min fair/);
  });
});
