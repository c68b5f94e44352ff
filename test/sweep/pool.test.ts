import { describe, expect, it } from 'vitest';
import { workerEntry } from '../../src/sweep/pool.ts';

describe("a sweep's worker threads", () => {
  it('run the compiled worker from dist/ (no loader), also when the sources run and dist/ is a build of them', () => {
    expect(workerEntry('file:///p/dist/sweep/pool.js')).toEqual({ filename: 'file:///p/dist/sweep/worker.js', execArgv: undefined });
    expect(workerEntry('file:///p/src/sweep/pool.ts', () => undefined)).toEqual({ filename: 'file:///p/dist/sweep/worker.js', execArgv: undefined });
  });

  it('run the sources through tsx when dist/ is stale or missing', () => {
    const e = workerEntry(new URL('../../src/sweep/pool.ts', import.meta.url).href, () => 'no build in dist/');
    expect(e.filename).toBe(new URL('../../src/sweep/worker.ts', import.meta.url).href);
    expect(e.execArgv).toHaveLength(2);
    expect(e.execArgv![0]).toBe('--import');
    expect(e.execArgv![1]).toMatch(/^file:.*tsx/);
  });
});
