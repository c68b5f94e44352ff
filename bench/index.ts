/**
 * `npm run bench`: every benchmark, each printing ratios against a baseline measured in the
 * same run (never asserted in tests).
 */
import { main as charts } from './charts.ts';
import { main as compare } from './compare.ts';
import { main as e2e } from './e2e.ts';
import { main as kernel } from './kernel.ts';
import { main as learning } from './learning.ts';
import { main as lp } from './lp.ts';
import { main as memory } from './memory.ts';
import { main as policies } from './policies.ts';
import { main as queue } from './queue.ts';
import { main as scale } from './scale.ts';
import { main as startup } from './startup.ts';
import { main as sweep } from './sweep.ts';
import { HAVE_REDIS, REDIS_SERVER } from '../test/helpers/redis.ts';

startup();
console.log();
kernel();
console.log();
await e2e();
console.log();
// Three rounds: each target judged over them (a 95 % interval). 10^6 devices take minutes and GBs: `npx tsx bench/scale.ts --devices 100000,1000000 --minutes 2 --rounds 3`.
scale([1e3, 1e4, 1e5], 30, 3);
console.log();
memory();
console.log();
learning();
console.log();
await lp();
console.log();
await policies();
console.log();
compare();
console.log();
await charts();
console.log();
sweep();
console.log();
// Distributed sweeps need redis-server (Debian package redis-server).
if (HAVE_REDIS) await queue();
else console.log(`bench/queue.ts skipped: no redis-server at ${REDIS_SERVER}`);
