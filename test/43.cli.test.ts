// The `ndshare` command line: `serve` runs in the background as an unrelated
// process (started by a shell script); ls, stats and rm run as a program would
// run them; --json output is parsed; errors are brief, coded, non-zero.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'tape';
import * as nd from '../src/index.js';
import { startDetached, stop, stopAll } from './helpers/detached.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const runtime = mkdtempSync(join(tmpdir(), 'ndshare-cli-'));
process.env.NDSHARE_RUNTIME_DIR = runtime;

/** Runs the CLI from the sources; returns status, stdout, stderr. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = <T>(...args: string[]): T => {
  const r = cli(...args, '--json');
  if (r.status !== 0) throw new Error(`ndshare ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

test('package.json ships the CLI as a bin compiled to dist/', (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
  t.equal(pkg.bin.ndshare, './dist/cli/main.js');
  t.ok(pkg.files.includes('dist'), 'dist is published');
  t.equal(readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8').split('\n')[0], '#!/usr/bin/env node', 'a shebang (tsc keeps it)');
  if (existsSync(join(ROOT, 'dist/cli/main.js'))) {
    const out = execFileSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), '--help'], { encoding: 'utf8' });
    t.match(out, /Usage: ndshare <command>/, 'the compiled CLI runs');
  } else t.skip('dist/ not built (npm run build)');
  t.end();
});

test('help and usage errors', (t) => {
  const h = cli('--help');
  t.equal(h.status, 0);
  for (const c of ['serve', 'ls', 'stats', 'rm', '--json']) t.ok(h.stdout.includes(c), `help mentions ${c}`);
  const none = cli();
  t.equal(none.status, 2, 'no command: usage, status 2');
  for (const args of [['frob'], ['ls', 'a', 'b'], ['stats'], ['rm', 'x'], ['serve', '--name', 'x'], ['ls', '--bogus'], ['serve', '--capacity']]) {
    const r = cli(...args);
    t.equal(r.status, 2, `ndshare ${args.join(' ')}: status 2`);
    t.match(r.stderr, /^ndshare: .*\nRun 'ndshare --help' for usage\.\n$/, 'a brief message');
  }
  t.end();
});

test('serve in the background; ls, stats, rm with tables and --json; SIGINT stops it and removes its files', async (t) => {
  try {
    t.match(cli('ls').stdout, /No named stores/, 'nothing yet');
    t.deepEqual(json<{ stores: unknown[] }>('ls').stores, []);
    const d = startDetached(['src/cli/main.ts', 'serve', '--name', 'cli', '--capacity', '64MiB', '--json']);
    const started = await d.line<{ serving: boolean; name: string; pid: number; capacity: number }>();
    t.deepEqual([started.serving, started.name, started.pid, started.capacity], [true, 'cli', d.pid, 64 * 2 ** 20]);

    // A program puts objects into the daemon's store by name, then goes away.
    const store = nd.Store.open('cli');
    store.put(nd.zeros([3, 4], { dtype: 'float32' }), { name: 'w' });
    const id = store.put(nd.arange(5, { dtype: 'int32' }));
    const pinned = store.get('w');

    const stores = json<{ stores: { name: string; pid: number; capacity: number; used: number; objects: number; clients: number }[] }>('ls').stores;
    t.equal(stores.length, 1);
    const s0 = stores[0]!;
    t.deepEqual(
      [s0.name, s0.pid, s0.capacity, s0.objects, s0.clients],
      ['cli', d.pid, 64 * 2 ** 20, 2, 2],
      'ls: the daemon, capacity, objects, clients (daemon + us)',
    );
    t.ok(s0.used >= 68 && s0.used < 4096, `used ${s0.used}`);
    t.match(cli('ls').stdout, new RegExp(`^NAME\\s+PID\\s+CAPACITY\\s+USED\\s+OBJECTS\\s+CLIENTS\\ncli\\s+${d.pid}\\s+64\\.0 MiB`), 'ls table');

    type Obj = { id: string; name: string | null; dtype: string; shape: number[]; bytes: number; pins: number; state: string; ageMs: number };
    const objects = json<{ store: string; objects: Obj[] }>('ls', 'cli').objects;
    const w = objects.find((o) => o.name === 'w')!;
    const r = objects.find((o) => o.id === id)!;
    t.deepEqual([w.dtype, w.shape, w.bytes, w.pins, w.state], ['float32', [3, 4], 48, 1, 'sealed'], 'ls cli: w (pinned by us)');
    t.deepEqual([r.name, r.dtype, r.shape, r.bytes, r.pins], [null, 'int32', [5], 20, 0], 'ls cli: the unnamed one');
    t.ok(w.ageMs >= 0 && w.ageMs < 120_000, `age ${w.ageMs} ms`);
    const table = cli('ls', 'cli').stdout;
    t.match(table, /^ID\s+NAME\s+DTYPE\s+SHAPE\s+BYTES\s+PINS\s+STATE\s+AGE\n/, 'objects table header');
    t.match(table, /\bw\s+float32\s+\(3, 4\)\s+48 B\s+1\s+sealed\s+\d+(ms|s)\b/, 'objects table row');

    const st = json<{ store: string; servingPid: number; capacity: number; objects: number; pinned: number; clients: number }>('stats', 'cli');
    t.deepEqual([st.store, st.servingPid, st.capacity, st.objects, st.pinned, st.clients], ['cli', d.pid, 64 * 2 ** 20, 2, 1, 2]);
    t.match(cli('stats', 'cli').stdout, /capacity\s+64\.0 MiB \(67108864\)/, 'stats table');

    t.deepEqual(json('rm', 'cli', id), { store: 'cli', removed: id }, 'rm by id');
    t.equal(cli('rm', 'cli', 'w').status, 0, 'rm by name');
    t.false(store.has('w'), 'gone from the store');
    store.release(pinned);
    t.deepEqual(json<{ objects: Obj[] }>('ls', 'cli').objects, [], 'empty once our pin is released');
    const miss = cli('rm', 'cli', 'w');
    t.equal(miss.status, 1, 'rm of a missing object: status 1');
    t.match(miss.stderr, /^ndshare: .*\(ERR_NDSHARE_NOT_FOUND\)\n$/, 'one coded line');
    store.close();

    const taken = cli('serve', '--name', 'cli', '--capacity', '1MiB');
    t.equal(taken.status, 1, 'serving a taken name fails');
    t.match(taken.stderr, /ERR_NDSHARE_EXISTS/);

    await stop(d.pid, 'SIGINT');
    t.match(d.text(), /"stopped":true,"signal":"SIGINT"/, 'stopped cleanly on SIGINT');
    t.deepEqual(readdirSync(runtime), [], 'its files are gone');
    const gone = cli('stats', 'cli');
    t.equal(gone.status, 1);
    t.match(gone.stderr, /No store named 'cli'.*ERR_NDSHARE_NOT_FOUND/);
  } finally {
    await stopAll();
  }
});

test('serve stops on SIGTERM too; ls skips and cleans a store whose holders were all killed', async (t) => {
  try {
    const d = startDetached(['src/cli/main.ts', 'serve', '--name', 'term', '--capacity', '1MiB']);
    for (let i = 0; i < 600 && !/Serving store 'term'/.test(d.text()); i++) await new Promise((r) => setTimeout(r, 50));
    t.match(d.text(), /Serving store 'term' \(1\.00 MiB\) from pid \d+/, 'a line for people');
    await stop(d.pid, 'SIGTERM');
    t.match(d.text(), /Stopped serving 'term' \(SIGTERM\)/);
    const k = startDetached(['src/cli/main.ts', 'serve', '--name', 'killed', '--capacity', '1MiB', '--json']);
    await k.line();
    await stop(k.pid, 'SIGKILL');
    t.ok(readdirSync(runtime).includes('killed.sock'), 'kill -9 leaves the files');
    t.deepEqual(json<{ stores: unknown[] }>('ls').stores, [], 'ls does not list it');
    t.deepEqual(readdirSync(runtime), [], 'and removed its files');
    const s = cli('stats', 'killed');
    t.match(s.stderr, /No store named 'killed'/);
  } finally {
    await stopAll();
    rmSync(runtime, { recursive: true, force: true });
  }
});
