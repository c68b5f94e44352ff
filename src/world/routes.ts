import type { Topology } from './topology.ts';

/**
 * Routes in use, interned: a route id names the directed links from one node to another for
 * one payload size (least-latency routing, {@link Topology}). Each (from, to, bytes) is routed
 * once, the first time a plan needs it.
 */
export class RouteTable {
  /** Directed links of every route, back to back; route id r spans [start[r], start[r] + length[r]). */
  readonly links: number[] = [];
  readonly start: number[] = [];
  readonly length: number[] = [];
  private readonly ids = new Map<string, number>();

  constructor(private readonly topology: Topology) {}

  /** The route id from `from` to `to` for a payload of `bytes`; −1 when `to` is unreachable. */
  id(from: number, to: number, bytes: number): number {
    const key = `${from}/${to}/${bytes}`;
    let r = this.ids.get(key);
    if (r === undefined) {
      const route = this.topology.route(from, to, bytes);
      if (!route) return -1;
      r = this.start.length;
      this.start.push(this.links.length);
      this.length.push(route.links.length);
      this.links.push(...route.links);
      this.ids.set(key, r);
    }
    return r;
  }
}
