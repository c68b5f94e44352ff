/** Human-readable console formatting of seconds, ratios and counts. */

/** Seconds with a fitting unit: "850 µs", "45.2 ms", "3.10 s". */
export function seconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 1e-3) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(1)} ms`;
  return `${s.toFixed(2)} s`;
}

/** A ratio as a percentage. */
export function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–';
}

/** An integer with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A count and its noun, plural unless one: "1 node", "2 nodes", "1,000 seeds". */
export function counted(n: number, noun: string): string {
  return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A figure to `digits` decimals with its unit; "–" when there is none (a window with no time in it: a run stopped within its warm-up). */
export function fixed(x: number, digits: number, unit = ''): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)}${unit}` : '–';
}

/** Energy with a fitting unit; "–" when there is none (no request to divide by). */
export function joules(j: number): string {
  if (!Number.isFinite(j)) return '–';
  if (j >= 1e6) return `${(j / 1e6).toFixed(2)} MJ`;
  if (j >= 1e3) return `${(j / 1e3).toFixed(2)} kJ`;
  return `${j.toFixed(2)} J`;
}

/** Left-aligned table of string cells. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}
