import { EventQueue } from './queue.ts';

/** Handles every event of one kind; `subject` is the event's index payload. */
export type EventHandler = (subject: number, time: number) => void;

/** Options of {@link Simulator.run}. */
export interface RunOptions {
  /** Simulated time (s) at which the run stops; events at exactly `until` still run. */
  readonly until: number;
}

/**
 * The simulation loop: a clock, the future-event list and one handler per event kind
 * (kinds are small integers of one discriminated union, registered by the world).
 */
export class Simulator {
  /** Current simulated time, seconds. */
  now = 0;
  /** Events handled so far (cancelled events are not counted). */
  eventsProcessed = 0;
  /** The future-event list. */
  readonly queue: EventQueue;
  private readonly handlers: EventHandler[] = [];
  private stopped = false;
  /**
   * One function for every event, when set (the world's switch over its kinds: V8 can inline the
   * handlers into its arms, where a call through the table of handlers cannot be); it passes the
   * kinds it has no arm for to {@link handle}.
   */
  dispatch: ((kind: number, subject: number, time: number) => void) | undefined;

  constructor(initialCapacity = 1024) {
    this.queue = new EventQueue(initialCapacity);
  }

  /** Registers the handler of an event kind. */
  on(kind: number, handler: EventHandler): void {
    if (this.handlers[kind]) throw new Error(`event kind ${kind} already has a handler`);
    this.handlers[kind] = handler;
  }

  /** Runs the registered handler of an event kind (a dispatcher's fallback). */
  handle(kind: number, subject: number, time: number): void {
    const h = this.handlers[kind];
    if (h === undefined) throw new Error(`no handler for event kind ${kind}`);
    h(subject, time);
  }

  /** Schedules an event `delay` seconds from now (delay finite and ≥ 0, else RangeError). */
  schedule(delay: number, kind: number, subject: number): void {
    this.scheduleAt(this.now + delay, kind, subject);
  }

  /** Schedules an event at absolute time `time` (finite and ≥ now, else RangeError). */
  scheduleAt(time: number, kind: number, subject: number): void {
    // `!(time >= now)` also catches NaN; a NaN or infinite time would corrupt the heap order
    // or stall the clock, so it is refused where the bug is, not where it shows up.
    if (!(time >= this.now) || time === Infinity) throw badTime(kind, time, this.now);
    this.queue.push(time, kind, subject);
  }

  /** Schedules a cancellable event at absolute time `time` (same checks as scheduleAt); returns its handle. */
  scheduleCancellable(time: number, kind: number, subject: number): number {
    if (!(time >= this.now) || time === Infinity) throw badTime(kind, time, this.now);
    return this.queue.pushCancellable(time, kind, subject);
  }

  /** Cancels a pending event by handle; false when it already ran or was already cancelled. */
  cancel(handle: number): boolean {
    return this.queue.cancel(handle);
  }

  /** Ends the current run after the event being handled. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Processes events in (time, seq) order until the next one is later than `until`, none is
   * left, or stop() is called. In the first two cases the clock then moves to `until` when it
   * is finite (the world is observed at `until`); with until = Infinity it stays at the last
   * event's time. After stop() it stays at the stopping event's time.
   */
  run({ until }: RunOptions): void {
    if (Number.isNaN(until)) throw new RangeError(`cannot run until t = NaN (now ${this.now} s)`);
    const q = this.queue;
    const handlers = this.handlers;
    const dispatch = this.dispatch;
    let processed = 0;
    this.stopped = false;
    try {
      // popUntil skips cancelled entries. The event it takes stays at the top of the queue, so
      // that a push from its handler can be written over it (see EventQueue).
      while (!this.stopped && q.popUntil(until)) {
        const t = q.poppedTime;
        this.now = t;
        if (dispatch !== undefined) dispatch(q.poppedKind, q.poppedSubject, t);
        else {
          const h = handlers[q.poppedKind];
          if (h === undefined) throw new Error(`no handler for event kind ${q.poppedKind}`);
          h(q.poppedSubject, t);
        }
        processed++;
      }
    } finally {
      // Kept in a local during the loop; added even when a handler throws.
      this.eventsProcessed += processed;
    }
    if (!this.stopped && until !== Infinity && this.now < until) this.now = until;
  }
}

/** The error of an unschedulable time (kept out of scheduleAt so the hot path stays small). */
function badTime(kind: number, time: number, now: number): RangeError {
  return new RangeError(`cannot schedule event kind ${kind} at t = ${time} (now ${now} s)`);
}
