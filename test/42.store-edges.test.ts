// The store's edge cases (issue 10): fds it does not own, capacity that
// fails before evicting, pin limits, unsealed objects, strict ids.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'tape';
import * as nd from '../src/index.js';
import { codes, NdshareError } from '../src/index.js';
import { throwsCoded } from './helpers/assert.js';

/** A real file of `mib` MiB filled with a byte pattern, opened read-write; returns its fd. */
function unrelatedFile(dir: string, mib: number): { fd: number; path: string } {
  const path = join(dir, `unrelated-${mib}.bin`);
  const fd = openSync(path, 'w+');
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + 1) & 0xff || 1;
  for (let m = 0; m < mib; m++) writeSync(fd, chunk, 0, chunk.length, m * chunk.length);
  return { fd, path };
}

/** Bytes of the file at `fd` that are zero (a punched hole reads as zeros; the pattern has none). */
function zeroBytes(fd: number): number {
  const buf = Buffer.alloc(1 << 20);
  let zeros = 0;
  for (let pos = 0; ; pos += buf.length) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) return zeros;
    for (let i = 0; i < n; i++) if (buf[i] === 0) zeros++;
  }
}

test('a failed attach with a caller-owned fd never closes it; the live store never touches an unrelated file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-fd-'));
  try {
    // 1. The caller's fd is a plain file (not a store): attach fails and the fd stays the caller's.
    const plain = unrelatedFile(dir, 1);
    throwsCoded(t, 'attach over a plain file', () => nd.Store.attach(
      { kind: 'ndshare-store', version: 1, pid: process.pid, fd: plain.fd, token: '0'.repeat(32) }, { fd: plain.fd }),
      NdshareError, codes.CORRUPT_HEADER);
    t.doesNotThrow(() => fstatSync(plain.fd), 'the caller\'s fd is still open after the failed attach');
    closeSync(plain.fd);

    // 2. The caller passes the live store's own fd with a wrong token: attach fails, the store keeps its fd.
    const store = nd.Store.create({ capacity: '64MiB', retainFreed: 0 });
    const storeFd = store.fd;
    const wrong = { ...store.handle, token: 'f'.repeat(32) };
    throwsCoded(t, 'attach with a wrong token', () => nd.Store.attach(wrong, { fd: storeFd }), NdshareError, codes.CORRUPT_HEADER);
    // If the failed attach had closed storeFd, this file would get its number.
    const victim = unrelatedFile(dir, 64);
    t.doesNotThrow(() => fstatSync(storeFd), 'the store\'s fd is still open');
    // A large free past the retain budget punches a hole: in the store's segment, never in the file.
    const big = store.empty([4 * 2 ** 20], { dtype: 'uint8' });
    big.fill(1);
    store.release(big);
    t.equal(zeroBytes(victim.fd), 0, 'no byte of the unrelated file became zero');
    store.close();
    t.doesNotThrow(() => fstatSync(victim.fd), 'closing the store did not close the unrelated file');
    closeSync(victim.fd);

    // 3. A successful attach through a caller's fd does not take it over either.
    const owner = nd.Store.create({ capacity: '8MiB' });
    owner.put(nd.arange(10), { name: 'r' });
    const callerFd = openSync(`/proc/self/fd/${owner.fd}`, 'r+');
    const other = nd.Store.attach(owner.handle, { fd: callerFd });
    t.equal(other.get('r').get(9), 9);
    t.notEqual(other.fd, callerFd, 'the store works on its own duplicate');
    other.close();
    t.doesNotThrow(() => fstatSync(callerFd), 'close() left the caller\'s fd open');
    closeSync(callerFd);
    owner.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.end();
});
