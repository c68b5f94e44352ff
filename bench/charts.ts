/**
 * Rendering a latency CDF of 100,000 requests to SVG and PNG (issue 11: under 2 s). The chart is
 * the one `edelear compare` draws (report/cdf.ts), its 100,000 samples reduced to their exact
 * empirical CDF at ≤ 1,000 points in JS first; the baseline, measured in the same process and in
 * alternating order, hands vega all 100,000 points of the same CDF. Prints the median wall time of
 * each (≥ 3 rounds) and the median of the per-round ratios; never asserted in tests.
 *
 *   npx tsx bench/charts.ts [--rounds R]   (R ≥ 3, default 3)
 */
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { cdfRows, seriesLatencyCdfChart } from '../src/report/cdf.ts';
import { renderPng, renderSvg } from '../src/report/render.ts';
import { benchFlags, median } from './measure.ts';

const SAMPLES = 100_000;

/** Log-normal latencies (median 30 ms, σ = 0.5): a request latency's long right tail, seeded. */
function latencies(n: number): Float64Array {
  const rng = seedrandom('bench-charts');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - rng();
    const v = rng();
    out[i] = 0.03 * Math.exp(0.5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

/** Wall seconds of building the spec from the samples and rendering it to SVG and PNG; `points`: the CDF's points. */
async function renderOnce(samples: Float64Array, points: number): Promise<{ seconds: number; svgBytes: number; pngBytes: number }> {
  const t0 = performance.now();
  const spec = seriesLatencyCdfChart(cdfRows('bench', samples, points), { seriesTitle: 'policy', source: `${samples.length} log-normal samples` });
  const svg = await renderSvg(spec);
  const png = renderPng(svg);
  return { seconds: (performance.now() - t0) / 1000, svgBytes: svg.length, pngBytes: png.length };
}

export async function main(rounds = 3): Promise<void> {
  const samples = latencies(SAMPLES);
  const arms = [
    { name: 'CDF at ≤ 1,000 points', points: 1000 },
    { name: 'all 100,000 points', points: SAMPLES },
  ];
  await renderOnce(samples, 1000); // warm: loads vega, the font metrics and resvg
  const times = new Map<string, number[]>(arms.map((a) => [a.name, []]));
  const ratios: number[] = [];
  let sizes = '';
  for (let r = 0; r < rounds; r++) {
    const round = new Map<string, number>();
    for (const arm of r % 2 === 0 ? arms : [...arms].reverse()) {
      const x = await renderOnce(samples, arm.points);
      round.set(arm.name, x.seconds);
      times.get(arm.name)!.push(x.seconds);
      if (r === 0) sizes += `${arm.name}: SVG ${(x.svgBytes / 1024).toFixed(0)} KiB, PNG ${(x.pngBytes / 1024).toFixed(0)} KiB; `;
    }
    ratios.push(round.get(arms[1].name)! / round.get(arms[0].name)!);
  }
  console.log(`charts: a ${SAMPLES.toLocaleString('en-US')}-sample latency CDF to SVG and PNG (spec built from the samples, vega SVG, resvg PNG at 2×), median of ${rounds} rounds`);
  for (const a of arms) console.log(`  ${a.name.padEnd(24)} ${median(times.get(a.name)!).toFixed(3)} s  (rounds: ${times.get(a.name)!.map((t) => t.toFixed(3)).join(', ')})`);
  console.log(`  all points ÷ aggregated: ${median(ratios).toFixed(1)}× (median of per-round ratios); target: aggregated < 2 s`);
  console.log(`  ${sizes.trim()}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/charts.ts [--rounds R]   (R ≥ 3, default 3)';
  await main(benchFlags('bench/charts.ts', usage, ['--rounds']).whole('--rounds', 3));
}
