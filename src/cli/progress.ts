import { createRequire } from 'node:module';
import type { SingleBar } from 'cli-progress';

/**
 * Progress of long work on standard error: a bar on a terminal (cli-progress), plain lines on a
 * file or pipe, nothing for work that ends within {@link SHOW_AFTER_MS} or under `--quiet`. The
 * work calls `update` as often as it likes: an update costs a clock read until something is due.
 */

/** What a piece of work reports on: `update(done)` with done in [0, total], then `stop()`. */
export interface Progress {
  /** Records how much is done (in the unit of `total`), with an optional note ("IID split, round 3"). */
  update(done: number, detail?: string): void;
  /** Ends the display: a bar is cleared, plain lines end with one saying how long the work took (`interrupted`: that it was stopped, not done). */
  stop(interrupted?: boolean): void;
}

/** Options of {@link startProgress}. */
export interface ProgressOptions {
  /** What the work is, e.g. "simulating". */
  readonly label: string;
  /** The amount of work in all, in `unit`. */
  readonly total: number;
  /** Unit of `done` and `total`, e.g. "s" (simulated seconds) or "rounds". */
  readonly unit: string;
  /** Show nothing at all. */
  readonly quiet: boolean;
  /** Where to write (default process.stderr). */
  readonly stream?: NodeJS.WriteStream;
}

/** Work that ends sooner than this shows no progress, ms. */
export const SHOW_AFTER_MS = 2000;
/** Plain lines (a stream that is not a terminal) come at most this often, ms. */
export const PLAIN_EVERY_MS = 5000;

const SILENT: Progress = { update: () => {}, stop: () => {} };

/** Starts timing a piece of work; nothing is shown until {@link SHOW_AFTER_MS} have passed. */
export function startProgress(opts: ProgressOptions): Progress {
  if (opts.quiet) return SILENT;
  const stream = opts.stream ?? process.stderr;
  return stream.isTTY === true ? new BarProgress(opts, stream) : new PlainProgress(opts, stream);
}

/** Shared arithmetic: elapsed wall time, rate since the start and the estimated time left. */
abstract class TimedProgress implements Progress {
  protected readonly t0 = performance.now();
  protected done = 0;
  protected detail: string | undefined;

  constructor(protected readonly opts: ProgressOptions) {}

  update(done: number, detail?: string): void {
    this.done = done;
    this.detail = detail;
    const elapsed = performance.now() - this.t0;
    if (elapsed >= SHOW_AFTER_MS) this.show(elapsed);
  }

  abstract stop(interrupted?: boolean): void;

  /** Shows the state, `elapsed` ms after the start (called only past {@link SHOW_AFTER_MS}). */
  protected abstract show(elapsed: number): void;

  /** "312 of 600 s (52%)". */
  protected amount(): string {
    const { total, unit } = this.opts;
    const pct = total > 0 ? Math.min(100, Math.floor((100 * this.done) / total)) : 0;
    return `${figure(this.done)} of ${figure(total)} ${unit} (${pct}%)`;
  }

  /** "210 s per wall second · ETA 1 min 10 s" ("ETA –" before anything is done). */
  protected pace(elapsed: number): string {
    const rate = this.done / (elapsed / 1000);
    const left = this.opts.total - this.done;
    const eta = rate > 0 ? duration(left / rate) : '–';
    return `${figure(rate)} ${this.opts.unit} per wall second · ETA ${eta}`;
  }

  protected note(): string {
    return this.detail ? ` · ${this.detail}` : '';
  }
}

/** Plain lines on a stream that is not a terminal (a log file, CI). */
class PlainProgress extends TimedProgress {
  private lastLine = -Infinity;
  private lines = 0;

  constructor(
    opts: ProgressOptions,
    private readonly stream: NodeJS.WritableStream,
  ) {
    super(opts);
  }

  protected show(elapsed: number): void {
    if (elapsed - this.lastLine < PLAIN_EVERY_MS) return;
    this.lastLine = elapsed;
    this.lines++;
    this.stream.write(`${this.opts.label}: ${this.amount()} · ${this.pace(elapsed)}${this.note()}\n`);
  }

  stop(interrupted = false): void {
    if (this.lines === 0) return;
    this.lines = 0;
    this.stream.write(`${this.opts.label}: ${interrupted ? 'stopped after' : 'done in'} ${duration((performance.now() - this.t0) / 1000)}\n`);
  }
}

/** A bar redrawn in place on a terminal. */
class BarProgress extends TimedProgress {
  private bar: SingleBar | undefined;

  constructor(
    opts: ProgressOptions,
    private readonly stream: NodeJS.WriteStream,
  ) {
    super(opts);
  }

  protected show(elapsed: number): void {
    const payload = { amount: this.amount(), pace: this.pace(elapsed), note: this.note() };
    if (this.bar) {
      this.bar.update(this.done, payload);
      return;
    }
    // Loaded on first display only: most runs end before it.
    const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
    this.bar = new SingleBar({
      stream: this.stream,
      format: `${this.opts.label} {bar} {amount} · {pace}{note}`,
      barsize: 24,
      clearOnComplete: true,
      // No SIGINT listener and the cursor left visible: Ctrl-C must stop a simulation that
      // holds the event loop at once, and leave the terminal as it was.
      hideCursor: false,
      gracefulExit: false,
    });
    this.bar.start(this.opts.total, this.done, payload);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/** A count for a progress line: whole above 100, else three significant digits at most. */
function figure(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(3)));
}

/** Seconds as "under 1 s", "45 s", "3 min 05 s", "2 h 07 min". */
export function duration(s: number): string {
  if (!Number.isFinite(s)) return '–';
  const t = Math.max(0, Math.round(s));
  if (t < 1) return 'under 1 s';
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min ${String(t % 60).padStart(2, '0')} s`;
  return `${Math.floor(t / 3600)} h ${String(Math.floor((t % 3600) / 60)).padStart(2, '0')} min`;
}
