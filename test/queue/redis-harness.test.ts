import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, expectRedis, redisTestsRun, startRedis } from '../helpers/redis.ts';

/*
 * The test harness itself (test/helpers/redis.ts): a real redis-server with persistence keeps a
 * written key across restart() and a crash (SIGKILL: appendfsync always), and one started with an
 * ACL user and password refuses clients without them.
 */

const RUN = redisTestsRun('test/queue/redis-harness.test.ts');

describe.skipIf(!RUN)('Redis test harness', () => {
  let open: RedisServer;
  let secured: RedisServer;

  beforeAll(async () => {
    expectRedis();
    [open, secured] = await Promise.all([startRedis(), startRedis({ user: 'edelear', password: 'pa:ss@w/rd' })]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), secured?.stop()]);
  });

  it('keeps a written key across restart() and kill() on the same port', async () => {
    const write = new Redis(open.url);
    await write.set('edelear:harness', 'kept');
    await write.quit();
    await open.restart();
    const after = new Redis(open.url);
    expect(await after.get('edelear:harness')).toBe('kept');
    await after.set('edelear:crash', 'kept too');
    await after.quit();
    await open.kill();
    await open.restart();
    const again = new Redis(open.url);
    expect([await again.get('edelear:harness'), await again.get('edelear:crash')]).toEqual(['kept', 'kept too']);
    await again.quit();
    expect(new URL(open.url).port).toBe(String(open.port));
    expect(readdirSync(open.dir).join(' ')).toContain('appendonly');
  });

  it('requires the ACL user and password when given', async () => {
    expect(secured.url).toBe(`redis://edelear:${encodeURIComponent('pa:ss@w/rd')}@127.0.0.1:${secured.port}/0`);
    const good = new Redis(secured.url);
    expect(await good.acl('WHOAMI')).toBe('edelear');
    await good.quit();
    // Raw RESP (inline commands), so the server's own replies are checked, not a client's reading of them.
    expect(await reply(secured.port, 'PING')).toMatch(/^-NOAUTH /);
    expect(await reply(secured.port, 'AUTH edelear wrong')).toMatch(/^-WRONGPASS /);
    expect(await reply(secured.port, 'AUTH pa:ss@w/rd')).toMatch(/^-WRONGPASS /); // the default user is off
    expect(await reply(secured.port, 'AUTH edelear pa:ss@w/rd')).toBe('+OK');
  });
});

/** The first reply line of one inline command sent to 127.0.0.1:port. */
function reply(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.on('error', reject);
  });
}
