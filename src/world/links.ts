import type { LinkSpec } from './link.ts';

/**
 * The links: each direction of a full-duplex link is a FIFO transmitter whose service time is
 * known on entry (bytes × 8 / bandwidth), so a transfer's start is one computation (Lindley:
 * start = max(now, link free)). A transfer is reserved when it is queued and charged — bytes,
 * busy time, radio energy — only when its transmission begins: a link never reports bytes it
 * could not carry, and a transfer lost while it waited (its sender went down) was never sent.
 * Directed link 2i is link i from a to b, 2i + 1 from b to a.
 */
export class Links {
  /** Time each directed link is free (the end of the last reserved transmission). */
  private readonly free: Float64Array;
  /** Longest wait per link before a transfer is dropped (Infinity when unbounded). */
  private readonly maxWait: Float64Array;
  /** Transmission seconds of the transfers begun on each directed link since t = 0. */
  private readonly busyBegun: Float64Array;
  /** End of the transmission begun last on each directed link. */
  private readonly lastEnd: Float64Array;
  /** Bytes begun per directed link since t = 0, and busy time and bytes at warm-up. */
  readonly bytes: Float64Array;
  readonly busyAtWarmup: Float64Array;
  readonly bytesAtWarmup: Float64Array;

  constructor(readonly specs: readonly LinkSpec[]) {
    const dl = 2 * specs.length;
    this.free = new Float64Array(dl);
    this.maxWait = Float64Array.from(specs, (l) => l.maxWait ?? Infinity);
    this.busyBegun = new Float64Array(dl);
    this.lastEnd = new Float64Array(dl);
    this.bytes = new Float64Array(dl);
    this.busyAtWarmup = new Float64Array(dl);
    this.bytesAtWarmup = new Float64Array(dl);
  }

  /** Node sending on directed link d. */
  sender(d: number): number {
    const l = this.specs[d >> 1];
    return (d & 1) === 0 ? l.a : l.b;
  }

  /** Node receiving on directed link d. */
  receiver(d: number): number {
    const l = this.specs[d >> 1];
    return (d & 1) === 0 ? l.b : l.a;
  }

  /**
   * Queues a transfer of `bytes` on directed link d: returns the time its transmission begins,
   * or NaN when it would wait longer than the link's buffer allows (it is then not sent).
   */
  reserve(d: number, bytes: number, now: number): number {
    const free = this.free[d];
    const start = free > now ? free : now;
    if (start - now > this.maxWait[d >> 1]) return NaN;
    this.free[d] = start + (bytes * 8) / this.specs[d >> 1].bandwidth;
    return start;
  }

  /** The transmission reserved at `start` begins: charges its bytes and busy time; returns when its last bit is sent. */
  begin(d: number, bytes: number, start: number): number {
    const tx = (bytes * 8) / this.specs[d >> 1].bandwidth;
    this.bytes[d] += bytes;
    this.busyBegun[d] += tx;
    const end = start + tx;
    this.lastEnd[d] = end;
    return end;
  }

  /** Transmission seconds of directed link d up to time t (t ≥ the last begun transmission's start). */
  busyUntil(d: number, t: number): number {
    // Transmissions begin back to back in FIFO order, so only the last begun one can extend beyond t.
    const beyond = this.lastEnd[d] - t;
    return beyond > 0 ? this.busyBegun[d] - beyond : this.busyBegun[d];
  }

  /** Seconds of transmission reserved but not yet sent on directed link d at `now` (its backlog). */
  backlog(d: number, now: number): number {
    const b = this.free[d] - now;
    return b > 0 ? b : 0;
  }

  /** Snapshot at the end of warm-up. */
  snapshot(now: number): void {
    for (let d = 0; d < this.bytes.length; d++) this.busyAtWarmup[d] = this.busyUntil(d, now);
    this.bytesAtWarmup.set(this.bytes);
  }
}
