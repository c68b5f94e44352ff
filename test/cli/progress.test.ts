import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { duration, PLAIN_EVERY_MS, SHOW_AFTER_MS, startProgress } from '../../src/cli/progress.ts';

/** A stream that keeps what is written; a terminal when `tty`. */
function sink(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY: tty, columns: 200, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('progress', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['performance', 'Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('on a pipe: nothing for the first 2 s, then a plain line at most every 5 s with amount, rate and ETA, and a last line', () => {
    const out = sink(false);
    const p = startProgress({ label: 'simulating', total: 600, unit: 's', quiet: false, stream: out.stream });
    vi.advanceTimersByTime(SHOW_AFTER_MS - 1);
    p.update(100);
    expect(out.text()).toBe('');
    vi.advanceTimersByTime(1);
    // 150 of 600 s in 2 s: 75 s per wall second, 450 s left → 6 s.
    p.update(150, 'IID split');
    expect(out.text()).toBe('simulating: 150 of 600 s (25%) · 75 s per wall second · ETA 6 s · IID split\n');
    vi.advanceTimersByTime(PLAIN_EVERY_MS - 1);
    p.update(400);
    expect(out.text().split('\n')).toHaveLength(2);
    vi.advanceTimersByTime(1);
    // 450 of 600 s in 7 s: 64.3 s per wall second, 150 s left → 2.3 s, shown as 2 s.
    p.update(450);
    expect(out.text().split('\n')[1]).toBe('simulating: 450 of 600 s (75%) · 64.3 s per wall second · ETA 2 s');
    p.stop();
    expect(out.text().split('\n')[2]).toBe('simulating: done in 7 s');
    // Stopped by Ctrl-C: not "done" (helper-80: an interrupted sweep printed "sweep: done in 4 s").
    const cut = sink(false);
    const q = startProgress({ label: 'sweep', total: 10, unit: 'runs', quiet: false, stream: cut.stream });
    vi.advanceTimersByTime(SHOW_AFTER_MS);
    q.update(3);
    q.stop(true);
    expect(cut.text().split('\n')[1]).toMatch(/^sweep: stopped after \d+ s$/);
  });

  it('on a terminal: a bar redrawn in place after 2 s, cleared when the work ends', () => {
    const out = sink(true);
    const p = startProgress({ label: 'training', total: 50, unit: 'rounds', quiet: false, stream: out.stream });
    p.update(1);
    expect(out.text()).toBe('');
    vi.advanceTimersByTime(4000);
    // 10 of 50 rounds in 4 s: 2.5 rounds per wall second, 40 left → 16 s.
    p.update(10);
    expect(out.text()).toContain('training ');
    expect(out.text()).toContain('10 of 50 rounds (20%) · 2.5 rounds per wall second · ETA 16 s');
    expect(out.text()).not.toContain('\n');
    p.stop();
    expect(out.text()).toContain('\x1B[2K'); // the line is cleared
  });

  it.each([
    { what: 'work that ends within 2 s', tty: false, quiet: false, ms: 1500 },
    { what: '--quiet on a pipe', tty: false, quiet: true, ms: 60_000 },
    { what: '--quiet on a terminal', tty: true, quiet: true, ms: 60_000 },
  ])('$what shows nothing, not even on stop', ({ tty, quiet, ms }) => {
    const out = sink(tty);
    const p = startProgress({ label: 'simulating', total: 600, unit: 's', quiet, stream: out.stream });
    vi.advanceTimersByTime(ms);
    p.update(300);
    p.stop();
    expect(out.text()).toBe('');
  });

  it('writes durations as a person reads them', () => {
    expect([0.4, 45, 185, 7620].map(duration)).toEqual(['under 1 s', '45 s', '3 min 05 s', '2 h 07 min']);
  });
});
