import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultsFolder } from '../../src/report/html-folder.ts';
import { reportHtml } from '../../src/report/html-page.ts';

// The main job (edelear reproduce) writes a comparison with the federated study in federated/:
// the comparison's report links the study's own report as a part.
describe('results folders inside a results folder', () => {
  it('are found by their marker file (runs/, hidden and plain folders are not parts) and linked from the report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edelear-parts-'));
    writeFileSync(join(dir, 'compare.csv'), 'arm,metric\nEDeLeaR,latency_mean_s\n');
    mkdirSync(join(dir, 'federated'));
    writeFileSync(join(dir, 'federated', 'manifest.json'), '{}');
    writeFileSync(join(dir, 'federated', 'report.html'), '<!DOCTYPE html>');
    mkdirSync(join(dir, 'a sweep'));
    writeFileSync(join(dir, 'a sweep', 'summary.csv'), 'policy\nEDeLeaR\n');
    mkdirSync(join(dir, 'runs'));
    writeFileSync(join(dir, 'runs', 'manifest.json'), '{}');
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'readme.txt'), 'x');
    // A command's staging folder (killed while writing) holds results too, but is hidden: not a part.
    mkdirSync(join(dir, '.edelear-writing-host-99999'));
    writeFileSync(join(dir, '.edelear-writing-host-99999', 'compare.csv'), 'arm\n');
    writeFileSync(join(dir, '.edelear-writing-host-99999', 'manifest.json'), '{}');
    const folder = readResultsFolder(dir);
    expect(folder.kind).toBe('comparison');
    expect(folder.parts).toEqual([
      { name: 'a sweep', kind: 'sweep', hasReport: false },
      { name: 'federated', kind: 'run', hasReport: true },
    ]);
    const html = reportHtml({ folder, libraries: [], folderHref: '' });
    expect(html).toContain('<a href="federated/report.html">federated/report.html</a>');
    expect(html).toContain('<a href="a%20sweep/">a sweep/</a>');
    expect(html).toContain(`edelear report ${join(dir, 'a sweep')}`);
  });
});
