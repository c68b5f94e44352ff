import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commitOfStatus, gitCommit } from '../../src/report/manifest.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHA = '0123456789abcdef0123456789abcdef01234567';

describe("manifest.json's gitCommit", () => {
  it('reads the commit and dirtiness from `git status --porcelain=v2 --branch` (outputs written by hand from git-status(1))', () => {
    expect(commitOfStatus(`# branch.oid ${SHA}\n# branch.head main\n`)).toBe(SHA);
    expect(commitOfStatus(`# branch.oid ${SHA}\n# branch.head main\n# branch.upstream origin/main\n# branch.ab +1 -0\n`)).toBe(SHA);
    expect(commitOfStatus(`# branch.oid ${SHA}\n# branch.head (detached)\n1 .M N... 100644 100644 100644 ${SHA} ${SHA} src/a.ts\n`)).toBe(`${SHA}+dirty`);
    expect(commitOfStatus(`# branch.oid ${SHA}\n# branch.head main\n2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 b.ts\ta.ts\n`)).toBe(`${SHA}+dirty`);
    expect(commitOfStatus(`# branch.oid ${SHA}\n# branch.head main\nu UU N... 100644 100644 100644 100644 ${SHA} ${SHA} ${SHA} a.ts\n`)).toBe(`${SHA}+dirty`);
    // Before the first commit `git rev-parse HEAD` fails: no commit to name.
    expect(commitOfStatus('# branch.oid (initial)\n# branch.head main\n')).toBeNull();
    expect(commitOfStatus('')).toBeNull();
  });

  it('equals what `git rev-parse HEAD` and `git status --porcelain` say of this checkout (null outside a work tree)', async () => {
    const got = await gitCommit();
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
    const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
    const expected = head.status !== 0 || status.status !== 0 ? null : `${head.stdout.trim()}${status.stdout.trim() ? '+dirty' : ''}`;
    expect(got).toBe(expected);
  });
});
