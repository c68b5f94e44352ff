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
  /** Events processed so far. */
  eventsProcessed = 0;
  /** The future-event list. */
  readonly queue: EventQueue;
  private readonly handlers: EventHandler[] = [];
  private stopped = false;

  constructor(initialCapacity = 1024) {
    this.queue = new EventQueue(initialCapacity);
  }

  /** Registers the handler of an event kind. */
  on(kind: number, handler: EventHandler): void {
    if (this.handlers[kind]) throw new Error(`event kind ${kind} already has a handler`);
    this.handlers[kind] = handler;
  }

  /** Schedules an event `delay` seconds from now. */
  schedule(delay: number, kind: number, subject: number): void {
    this.queue.push(this.now + delay, kind, subject);
  }

  /** Schedules an event at absolute time `time` (≥ now). */
  scheduleAt(time: number, kind: number, subject: number): void {
    this.queue.push(time, kind, subject);
  }

  /** Ends the current run after the event being handled. */
  stop(): void {
    this.stopped = true;
  }

  /** Processes events in (time, seq) order until the next one is later than `until` or stop() is called. */
  run({ until }: RunOptions): void {
    const q = this.queue;
    const handlers = this.handlers;
    let processed = 0;
    this.stopped = false;
    while (q.size > 0 && q.peekTime() <= until && !this.stopped) {
      q.pop();
      const t = q.poppedTime;
      this.now = t;
      const h = handlers[q.poppedKind];
      if (h === undefined) throw new Error(`no handler for event kind ${q.poppedKind}`);
      h(q.poppedSubject, t);
      processed++;
    }
    this.eventsProcessed += processed;
    if (!this.stopped && this.now < until) this.now = until;
  }
}
