import type { Topology } from './topology.ts';

/**
 * Routes in use, interned: a route id names the directed links from one node to another for
 * one payload size (least-latency routing, {@link Topology}). Each (from, to, bytes) is routed
 * once, the first time a plan needs it. A route is stored where its id points — its length,
 * then its directed links — so a hop reads one place in memory, not three arrays.
 */
export class RouteTable {
  /** Route id r: data[r] = its number of links, data[r + 1 …] = its directed links in order. */
  data = new Int32Array(64);
  private used = 0;
  /** Route ids per payload size, then per (from, to) as from × nodes + to (no string made per query). */
  private readonly ids = new Map<number, Map<number, number>>();
  /** Ids of route parts, by `r/from/to`. */
  private readonly parts = new Map<string, number>();
  /** The links of the route being interned (reused). */
  private readonly links: number[] = [];

  constructor(private readonly topology: Topology) {}

  /** The route id from `from` to `to` for a payload of `bytes`; −1 when `to` is unreachable. */
  id(from: number, to: number, bytes: number): number {
    let pairs = this.ids.get(bytes);
    if (pairs === undefined) this.ids.set(bytes, (pairs = new Map()));
    const key = from * this.topology.nodeCount + to;
    let r = pairs.get(key);
    if (r === undefined) {
      const links = this.links;
      if (!this.topology.routeLinks(from, to, bytes, links)) return -1;
      r = this.used;
      const need = r + 1 + links.length;
      if (need > this.data.length) {
        const data = new Int32Array(Math.max(need, this.data.length * 2));
        data.set(this.data.subarray(0, this.used));
        this.data = data;
      }
      this.data[r] = links.length;
      for (let h = 0; h < links.length; h++) this.data[r + 1 + h] = links[h];
      this.used = need;
      pairs.set(key, r);
    }
    return r;
  }

  /** The route id of hops [from, to) of route r (a part of it, interned like the whole routes). */
  segment(r: number, from: number, to: number): number {
    if (from === 0 && to === this.data[r]) return r;
    const key = `${r}/${from}/${to}`;
    let s = this.parts.get(key);
    if (s === undefined) {
      const links = Array.from(this.data.subarray(r + 1 + from, r + 1 + to));
      s = this.used;
      const need = s + 1 + links.length;
      if (need > this.data.length) {
        const data = new Int32Array(Math.max(need, this.data.length * 2));
        data.set(this.data.subarray(0, this.used));
        this.data = data;
      }
      this.data[s] = links.length;
      this.data.set(links, s + 1);
      this.used = need;
      this.parts.set(key, s);
    }
    return s;
  }

  /** Number of links of route r. */
  length(r: number): number {
    return this.data[r];
  }

  /** Directed link of hop h (from 0) of route r. */
  link(r: number, h: number): number {
    return this.data[r + 1 + h];
  }
}
