// Named stores across real, unrelated processes (started by a shell script,
// not children of this test): two services share an array by name; the store
// survives its creator's normal exit and its kill -9 (a survivor takes over
// serving the name); stale handles and gone stores give coded errors; nothing
// is left in the runtime folder or /dev/shm once every process has exited.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'tape';
import * as nd from '../src/index.js';
import { native } from '../src/binding.js';
import { type Detached, startDetached, stop, stopAll } from './helpers/detached.js';

const runtime = mkdtempSync(join(tmpdir(), 'ndshare-rt-'));
process.env.NDSHARE_RUNTIME_DIR = runtime;
const shmBefore = new Set(readdirSync('/dev/shm'));
const N = 1000;
const SUM_X = (N * (N - 1)) / 2;

type Line = {
  pid: number;
  event: string;
  sums?: number[];
  sum?: number;
  ySum?: number | null;
  servingPid?: number;
  handle?: nd.StoreHandle;
  code?: string;
  message?: string;
  clients?: number;
};

const svc = (...args: string[]): Detached => startDetached(['test/fixtures/named-service.ts', ...args]);
const ready = (d: Detached): Promise<Line> => d.line<Line>((o) => o.event === 'ready' || o.event === 'error');
const done = (d: Detached): Promise<Line> => d.line<Line>((o) => o.event === 'done' || o.event === 'error');
const filesOf = (name: string): string[] =>
  readdirSync(runtime)
    .filter((f) => f.startsWith(`${name}.`))
    .sort();

test('names are checked: empty, "/", "..", hidden, too long give coded errors', (t) => {
  for (const bad of ['', '/', 'a/b', '..', '.hidden', '-x', 'x'.repeat(65), 'a b', 'é']) {
    t.throws(
      () => nd.Store.create({ name: bad, capacity: '1MiB' }),
      (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
      `create ${JSON.stringify(bad)}`,
    );
    t.throws(
      () => nd.Store.open(bad),
      (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
      `open ${JSON.stringify(bad)}`,
    );
  }
  t.throws(
    () => nd.Store.open(42 as unknown as string),
    (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_INVALID_ARG_TYPE',
  );
  t.throws(
    () => nd.Store.open('ok', { timeout: -1 }),
    (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.end();
});

test('a name nobody created: NOT_FOUND at once, or after the timeout', (t) => {
  t.throws(
    () => nd.Store.open('nobody'),
    (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_NOT_FOUND' && /No store named 'nobody'/.test(e.message),
  );
  const t0 = performance.now();
  t.throws(
    () => nd.Store.open('nobody', { timeout: 150 }),
    (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_NOT_FOUND',
  );
  t.ok(performance.now() - t0 >= 140, 'waited for the timeout');
  t.end();
});

test('in one process: a taken name is EXISTS; open shares the bytes; the last close removes the files', (t) => {
  const a = nd.Store.create({ name: 'local', capacity: '4MiB' });
  t.equal(a.name, 'local');
  t.equal(a.servingPid, process.pid, 'the creator serves the name');
  t.deepEqual(filesOf('local'), ['local.holders', 'local.lock', 'local.sock']);
  t.throws(
    () => nd.Store.create({ name: 'local', capacity: '4MiB' }),
    (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_EXISTS',
  );
  a.put(nd.arange(10), { name: 'r' });
  const b = nd.Store.open('local');
  const r = b.get('r');
  t.deepEqual(r.toArray(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  b.release(r);
  a.close();
  t.deepEqual(filesOf('local'), ['local.holders', 'local.lock', 'local.sock'], 'b still holds it: the files stay');
  b.close();
  t.deepEqual(filesOf('local'), [], 'the last holder removed them');
  t.throws(
    () => nd.Store.open('local'),
    (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_NOT_FOUND',
  );
  // The name is free again.
  nd.Store.create({ name: 'local', capacity: '1MiB' }).close();
  t.deepEqual(filesOf('local'), []);
  t.end();
});

test('the runtime folder must be ours and private (mode 0700, not a symlink)', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'ndshare-rtcheck-'));
  const saved = process.env.NDSHARE_RUNTIME_DIR;
  try {
    const open = join(base, 'open');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    process.env.NDSHARE_RUNTIME_DIR = open;
    t.throws(
      () => nd.Store.create({ name: 's', capacity: '1MiB' }),
      (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_RUNTIME_DIR' && /mode 0755/.test(e.message),
      'mode 0755 refused',
    );
    const link = join(base, 'link');
    const priv = join(base, 'private');
    mkdirSync(priv, { mode: 0o700 });
    symlinkSync(priv, link);
    process.env.NDSHARE_RUNTIME_DIR = link;
    t.throws(
      () => nd.Store.create({ name: 's', capacity: '1MiB' }),
      (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_RUNTIME_DIR' && /symbolic link/.test(e.message),
      'a symlink refused',
    );
    process.env.NDSHARE_RUNTIME_DIR = 'relative/dir';
    t.throws(
      () => nd.Store.open('s'),
      (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_RUNTIME_DIR',
      'a relative path refused',
    );
    const fresh = join(base, 'fresh');
    process.env.NDSHARE_RUNTIME_DIR = fresh;
    const old = process.umask(0o077 ^ 0o777); // a umask that would leave no bits: the folder is still 0700
    try {
      nd.Store.create({ name: 's', capacity: '1MiB' }).close();
    } finally {
      process.umask(old);
    }
    t.pass('a missing folder is created with mode 0700 whatever the umask');
  } finally {
    process.env.NDSHARE_RUNTIME_DIR = saved;
    rmSync(base, { recursive: true, force: true });
  }
  t.end();
});

test('the native handoff checks every argument', (t) => {
  const h = native.handoff;
  const bad: [string, () => unknown, string][] = [
    ['serve: empty path', () => h.serve('', 3, new Uint8Array(1)), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['serve: path too long', () => h.serve(`/tmp/${'x'.repeat(200)}`, 3, new Uint8Array(1)), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['serve: fd -1', () => h.serve('/tmp/x.sock', -1, new Uint8Array(1)), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['serve: payload not bytes', () => h.serve('/tmp/x.sock', 3, 'x' as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['serve: empty payload', () => h.serve('/tmp/x.sock', 3, new Uint8Array(0)), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['serve: payload too large', () => h.serve('/tmp/x.sock', 3, new Uint8Array(4097)), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['stop: not a server', () => h.stop({} as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['connect: timeout 0', () => h.connect('/tmp/x.sock', 0), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['connect: missing socket', () => h.connect(join(runtime, 'none.sock'), 100), 'ERR_NDSHARE_NATIVE'],
    ['lockOpen: create not boolean', () => h.lockOpen('/tmp/x', 1 as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['tryLock: fd 1.5', () => h.tryLock(1.5, true), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['tryLock: closed fd', () => h.tryLock(1_000_000, true), 'ERR_NDSHARE_NATIVE'],
    ['sameFile: path not a string', () => h.sameFile(3, 7 as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
  ];
  for (const [what, fn, code] of bad) t.throws(fn, (e: { code?: string }) => e.code === code, `${what}: ${code}`);
  try {
    h.connect(join(runtime, 'none.sock'), 100);
  } catch (e) {
    t.equal((e as { errno?: number }).errno, 2, 'errno travels with the error (ENOENT)');
  }
  t.end();
});

test(
  'the server hands the fd only to processes of its own uid (SO_PEERCRED)',
  { skip: process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv') },
  async (t) => {
    // As root, a socket anyone may connect to, and a client running as nobody.
    const dir = mkdtempSync(join(tmpdir(), 'ndshare-uid-'));
    chmodSync(dir, 0o755);
    const sock = join(dir, 's.sock');
    // The server thread counts a connection after its send or close returns, so the client can see
    // the answer first: counters are read once they settle (2 s at most).
    const settled = async (what: 'served' | 'refused', n: number): Promise<number> => {
      const end = Date.now() + 2000;
      while (native.handoff.served(server)[what] < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      return native.handoff.served(server)[what];
    };
    const store = nd.Store.create({ capacity: '1MiB' });
    const server = native.handoff.serve(sock, store.fd, new TextEncoder().encode('{}'));
    try {
      chmodSync(sock, 0o777);
      const addon = join(process.cwd(), 'build/Release/ndshare.node');
      const asNobody = (code: string): string => {
        const r = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', code], {
          encoding: 'utf8',
          timeout: 30_000,
        });
        return r.stdout + r.stderr;
      };
      // A plain socket client (no check of its own): the server reads its uid and closes without a word.
      const raw = asNobody(
        `let n = 0; require('net').connect(${JSON.stringify(sock)}).on('data', (d) => (n += d.length)).on('error', (e) => console.log('ERROR ' + e.code)).on('close', () => console.log(n ? 'GOT ' + n : 'REFUSED'));`,
      );
      t.equal(raw.trim(), 'REFUSED', 'a client of another uid gets nothing');
      t.equal(await settled('refused', 1), 1, 'the server counted one refusal');
      // ndshare's own client checks the server's uid as well.
      const checked = asNobody(
        `const a = require(${JSON.stringify(addon)}); try { a.handoff.connect(${JSON.stringify(sock)}, 2000); console.log('GOT'); } catch (e) { console.log('REFUSED ' + e.message); }`,
      );
      t.match(checked, /^REFUSED .*the server runs as uid 0, not ours/, 'the client refuses a server of another uid');
      const mine = native.handoff.connect(sock, 2000);
      t.ok(mine.fd > 2, 'our own uid gets the fd');
      t.equal(mine.uid, 0);
      native.shm.close(mine.fd);
      t.equal(await settled('served', 1), 1, 'the server counted one handover');
    } finally {
      native.handoff.stop(server);
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
    t.end();
  },
);

test('two unrelated services share an array by name; it survives the creator exiting normally', async (t) => {
  try {
    const a = svc('create', 'svc', String(N));
    const ra = await ready(a);
    t.equal(ra.event, 'ready', 'the creator made the store');
    const b = svc('hold', 'svc');
    const rb = await ready(b);
    t.equal(rb.sum, SUM_X, 'the second service reads x by name, without a handle');
    t.equal(rb.servingPid, a.pid, 'served by the creator');
    const p = svc('put', 'svc', 'y', '10');
    t.equal((await done(p)).event, 'done', 'a third service puts y');
    await stop(a.pid, 'SIGTERM'); // process.exit: the exit hook gives up the name
    const c = svc('check', 'svc');
    const rc = await done(c);
    t.equal(rc.event, 'done', `a new process opens by name after the creator exited (${rc.message ?? ''})`);
    t.equal(rc.sum, SUM_X, 'x is intact');
    t.equal(rc.ySum, 45, 'and so is y');
    t.equal(rc.servingPid, b.pid, 'the survivor serves the name now');
    // The survivor's handle works (it names the survivor, not the dead creator).
    const at = svc('attach', JSON.stringify(rb.handle));
    t.equal((await done(at)).sum, SUM_X, "the survivor's handle attaches");
    const stale = svc('attach', JSON.stringify(ra.handle));
    const rs = await done(stale);
    t.equal(rs.code, 'ERR_NDSHARE_STORE_GONE', "the exited creator's handle: STORE_GONE");
    t.match(rs.message ?? '', new RegExp(`handle's process ${a.pid} has exited`), rs.message);
    await stop(b.pid, 'SIGTERM');
    t.deepEqual(filesOf('svc'), [], 'the last process out removed the socket and lock files');
  } finally {
    await stopAll();
  }
});

test('kill -9 of the creator: a survivor takes over, a third process still opens by name', async (t) => {
  try {
    const a = svc('create', 'k9', String(N));
    t.equal((await ready(a)).event, 'ready');
    const b = svc('hold', 'k9');
    t.equal((await ready(b)).sum, SUM_X);
    await stop(a.pid, 'SIGKILL');
    const c = svc('check', 'k9');
    const rc = await done(c);
    t.equal(rc.event, 'done', `opened after kill -9 of the creator (${rc.message ?? ''})`);
    t.equal(rc.sum, SUM_X, 'the bytes survived');
    t.equal(rc.servingPid, b.pid, 'the survivor serves');
    t.deepEqual(filesOf('k9'), ['k9.holders', 'k9.lock', 'k9.sock']);
    await stop(b.pid, 'SIGTERM');
    t.deepEqual(filesOf('k9'), [], 'no files once the survivor exits');
  } finally {
    await stopAll();
  }
});

test('two survivors: exactly one serves; when it is killed too, the other takes over', async (t) => {
  try {
    const a = svc('create', 'race', String(N));
    await ready(a);
    const b1 = svc('hold', 'race');
    const b2 = svc('hold', 'race');
    t.equal((await ready(b1)).sum, SUM_X);
    t.equal((await ready(b2)).sum, SUM_X);
    await stop(a.pid, 'SIGKILL');
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const r = await done(svc('check', 'race'));
      t.equal(r.sum, SUM_X, `check ${i}: ${r.message ?? 'ok'}`);
      seen.add(r.servingPid!);
    }
    t.equal(seen.size, 1, 'one server at a time');
    const server = [...seen][0]!;
    t.ok(server === b1.pid || server === b2.pid, 'a survivor');
    const other = server === b1.pid ? b2 : b1;
    await stop(server, 'SIGKILL');
    const r = await done(svc('check', 'race'));
    t.equal(r.sum, SUM_X, `open after both killed but one (${r.message ?? ''})`);
    t.equal(r.servingPid, other.pid, 'the last survivor serves');
    await stop(other.pid, 'SIGTERM');
    t.deepEqual(filesOf('race'), []);
  } finally {
    await stopAll();
  }
});

test('four processes opening and closing by name at once, while the creator exits: every open succeeds', async (t) => {
  try {
    const a = svc('create', 'churn', String(N));
    await ready(a);
    const b = svc('hold', 'churn');
    await ready(b);
    const churners = [0, 1, 2, 3].map(() => svc('churn', 'churn', '25'));
    await new Promise((r) => setTimeout(r, 1500));
    await stop(a.pid, 'SIGTERM');
    for (const c of churners) {
      const r = await done(c);
      t.deepEqual(r, { ...r, event: 'done', sums: [SUM_X] }, `pid ${c.pid}: 25 opens, all read x (${r.message ?? 'ok'})`);
    }
    await stop(b.pid, 'SIGTERM');
    t.deepEqual(filesOf('churn'), [], 'no files left');
  } finally {
    await stopAll();
  }
});

test('every holder killed: STORE_GONE says so, and the stale files are removed', async (t) => {
  try {
    const a = svc('create', 'dead', String(N));
    const ra = await ready(a);
    await stop(a.pid, 'SIGKILL');
    t.deepEqual(filesOf('dead'), ['dead.holders', 'dead.lock', 'dead.sock'], 'kill -9 leaves the files');
    t.throws(
      () => nd.Store.open('dead'),
      (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_STORE_GONE' && /Store 'dead' is gone: no process holds it/.test(e.message),
    );
    t.deepEqual(filesOf('dead'), [], 'the opener cleaned them up');
    t.throws(
      () => nd.Store.attach(ra.handle!),
      (e: nd.NdshareError) => e.code === 'ERR_NDSHARE_STORE_GONE' && /has exited/.test(e.message),
      'stale handle',
    );
    // The name can be taken again over stale files.
    const b = svc('create', 'dead', '10');
    await ready(b);
    await stop(b.pid, 'SIGKILL');
    const c = nd.Store.create({ name: 'dead', capacity: '1MiB' });
    t.equal(c.servingPid, process.pid, 'stale files of a killed creator do not block a new store');
    c.close();
    t.deepEqual(filesOf('dead'), []);
  } finally {
    await stopAll();
  }
});

test('nothing is left behind: the runtime folder is empty, /dev/shm has nothing new', (t) => {
  t.deepEqual(readdirSync(runtime), [], 'runtime folder empty');
  const added = readdirSync('/dev/shm').filter((f) => !shmBefore.has(f) && /ndshare/.test(f));
  t.deepEqual(added, [], 'no ndshare file in /dev/shm (segments are memfds)');
  rmSync(runtime, { recursive: true, force: true });
  t.end();
});
