import { Redis, type RedisOptions } from 'ioredis';
import { InputError } from '../../scenario/errors.ts';

/**
 * The first contact with the queue's Redis, before BullMQ's connections (which reconnect for ever,
 * as a Redis restart needs): a server that cannot be reached, or that refuses the URL's credentials,
 * is bad input — said at once with the URL without its password, exit 2 — rather than a command
 * that waits without end.
 */

/** Connects once, without retrying, and sends PING; throws an InputError naming the redacted URL and the reason. */
export async function checkRedis(connection: RedisOptions, redacted: string): Promise<void> {
  const client = new Redis({ ...connection, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: 10_000 });
  let reason: string | undefined;
  client.on('error', (e: Error) => {
    reason ??= e.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    let message = reason ?? (e instanceof Error ? e.message : String(e));
    if (connection.password) message = message.replaceAll(connection.password, '***');
    throw new InputError(`--queue ${redacted}`, [{ path: '', message: `cannot use this Redis: ${message}; expected a Redis server that is reachable and accepts the URL's user and password` }]);
  } finally {
    client.disconnect();
  }
}
