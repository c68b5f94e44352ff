import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRows } from '../../src/report/csv.ts';

describe('CSV numbers', () => {
  it("are written in JavaScript's shortest round-trip form (the same on every machine), NaN as an empty cell", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'edelear-csv-')), 't.csv');
    // ECMAScript's Number::toString fixes every digit: no locale, no platform printf.
    const values = [0.1 + 0.2, 1 / 3, 1e21, 123456789012345680000, 5e-7, 0.000001, -0, 2 ** 53 + 2, NaN, Infinity, 1234.5];
    writeRows(file, values.map((v, i) => ({ i, v })));
    expect(readFileSync(file, 'utf8')).toBe(
      [
        'i,v',
        '0,0.30000000000000004',
        '1,0.3333333333333333',
        '2,1e+21',
        '3,123456789012345680000',
        '4,5e-7',
        '5,0.000001',
        '6,0',
        '7,9007199254740994',
        '8,',
        '9,Infinity',
        '10,1234.5',
        '',
      ].join('\n'),
    );
  });
});
