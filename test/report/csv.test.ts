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

describe('CSV fields', () => {
  it('are quoted exactly as csv-stringify quotes them (RFC 4180), byte for byte', async () => {
    const { stringify } = await import('csv-stringify/sync');
    const { writeRows, writeStream } = await import('../../src/report/csv.ts');
    const tricky = ['plain', '', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', '"', ',', 'crlf\r\n', ' spaced ', 'ünïcödé ✓', '=1+2', "it's", 'tab\there'];
    const rows = tricky.map((s, i) => ({ name: s, i, x: i / 7, 'odd,column': s.length }));
    const columns = Object.keys(rows[0]);
    const expected = stringify(
      rows.map((r) => columns.map((c) => r[c as keyof typeof r])),
      { header: true, columns, cast: { number: (n) => String(n) } },
    );
    const dir = mkdtempSync(join(tmpdir(), 'edelear-csv-'));
    writeRows(join(dir, 'rows.csv'), rows);
    expect(readFileSync(join(dir, 'rows.csv'), 'utf8')).toBe(expected);
    writeStream(join(dir, 'stream.csv'), columns, rows.map((r) => columns.map((c) => r[c as keyof typeof r])));
    expect(readFileSync(join(dir, 'stream.csv'), 'utf8')).toBe(expected);
  });

  it('repeated down a column (the rows of a million alike devices) are written as csv-stringify writes them, each row its own', async () => {
    // writeRows keeps each column's last value and its text: runs, changes back, NaN and undefined
    // (never equal to the last value's memory by accident), a quoted string repeated, 0 after −0, and a
    // string loosely equal to the number before it ('3.0' == 3, but it is written as given).
    const { stringify } = await import('csv-stringify/sync');
    const column = [1, 1, 1, 2, 1, NaN, NaN, 'a,b', 'a,b', undefined, undefined, 'x', -0, 0, 0.1 + 0.2, 0.1 + 0.2, 3, '3.0'];
    // A missing cell (undefined) is a row without the key.
    const rows = column.map((v, i) => ({ i, ...(v === undefined ? {} : { v }), same: 'edge', n: 4 }));
    const file = join(mkdtempSync(join(tmpdir(), 'edelear-csv-')), 'runs.csv');
    writeRows(file, rows, ['i', 'v', 'same', 'n']);
    const expected = stringify(
      column.map((v, i) => [i, v, 'edge', 4]),
      { header: true, columns: ['i', 'v', 'same', 'n'], cast: { number: (n) => (Number.isNaN(n) ? '' : String(n)) } },
    );
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(readFileSync(file, 'utf8').split('\n')[5]).toBe('4,1,edge,4');
  });

  it('of a table larger than one write chunk arrive whole and in order', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'edelear-csv-')), 'big.csv');
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i, label: `node-${i}`, v: i * 0.1 }));
    writeRows(file, rows);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.length).toBe(20_002); // header, 20,000 rows, and the empty string after the last newline
    expect(lines[0]).toBe('i,label,v');
    expect(lines[12_345]).toBe(`12344,node-12344,${12_344 * 0.1}`);
    expect(lines[20_000]).toBe(`19999,node-19999,${19_999 * 0.1}`);
  });
});
