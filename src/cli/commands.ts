/**
 * The CLI's commands over named stores: serve, ls, stats, rm. Each returns
 * what to print (a table for people, JSON with `--json`); errors propagate
 * to main.ts, which prints them briefly with a non-zero exit.
 *
 * @module
 */
import { Store } from '../store/store.js';
import { runtimeDirPath, storeNamesInDir } from '../store/runtime-dir.js';
import { codes, isNdshareError } from '../errors.js';
import { formatAge, formatBytes, table } from './format.js';

/** Parsed flags of one command. */
export interface Flags {
  json: boolean;
  [flag: string]: string | boolean | undefined;
}

/** Opens a store by name for one command, closed afterwards. */
function withStore<T>(name: string, fn: (store: Store) => T): T {
  const store = Store.open(name, { timeout: 0 });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** One row of `ndshare ls`. */
interface StoreRow {
  name: string;
  pid: number | undefined;
  capacity: number;
  used: number;
  objects: number;
  clients: number;
}

/** `ndshare ls`: the named stores of this user (stale ones are removed on the way). */
export function listStores(flags: Flags): string {
  const rows: StoreRow[] = [];
  for (const name of storeNamesInDir()) {
    try {
      rows.push(
        withStore(name, (s) => {
          const st = s.stats();
          // Our own attachment is not one of the store's users.
          return { name, pid: s.servingPid, capacity: st.capacity, used: st.used, objects: st.objects, clients: st.clients - 1 };
        }),
      );
    } catch (e) {
      // Gone (its files were just removed) or vanished between the listing and the open.
      if (isNdshareError(e) && (e.code === codes.STORE_GONE || e.code === codes.NOT_FOUND)) continue;
      throw e;
    }
  }
  if (flags.json) return JSON.stringify({ runtimeDir: runtimeDirPath(), stores: rows });
  if (rows.length === 0) return `No named stores (in ${runtimeDirPath()})`;
  return table(
    ['NAME', 'PID', 'CAPACITY', 'USED', 'OBJECTS', 'CLIENTS'],
    rows.map((r) => [r.name, String(r.pid ?? '-'), formatBytes(r.capacity), formatBytes(r.used), String(r.objects), String(r.clients)]),
  );
}

/** `ndshare ls NAME`: the objects of a store. */
export function listObjects(name: string, flags: Flags): string {
  const now = Date.now();
  const objects = withStore(name, (s) => s.list());
  // Our own `open` pins nothing, so refcounts are the store's users' pins.
  const rows = objects.map((o) => ({
    id: o.id,
    name: o.name ?? null,
    state: o.state,
    dtype: o.dtype,
    shape: o.shape,
    bytes: o.nbytes,
    pins: o.refcount,
    ageMs: Number.isFinite(o.createdAt) ? now - o.createdAt : null,
  }));
  if (flags.json) return JSON.stringify({ store: name, objects: rows });
  if (rows.length === 0) return `Store '${name}' holds no objects`;
  return table(
    ['ID', 'NAME', 'DTYPE', 'SHAPE', 'BYTES', 'PINS', 'STATE', 'AGE'],
    rows.map((r) => [
      r.id,
      r.name ?? '-',
      r.dtype,
      `(${r.shape.join(', ')}${r.shape.length === 1 ? ',' : ''})`,
      formatBytes(r.bytes),
      String(r.pins),
      r.state,
      r.ageMs === null ? '-' : formatAge(r.ageMs),
    ]),
  );
}

/** `ndshare stats NAME`. */
export function showStats(name: string, flags: Flags): string {
  const { stats, pid } = withStore(name, (s) => ({ stats: s.stats(), pid: s.servingPid }));
  const mine = { ...stats, clients: stats.clients - 1 };
  if (flags.json) return JSON.stringify({ store: name, servingPid: pid ?? null, ...mine });
  const bytes = new Set(['capacity', 'used', 'free', 'largestFree', 'largestAfterEviction', 'unevictableBytes', 'residentBytes']);
  const rows: string[][] = [['servingPid', String(pid ?? '-')]];
  for (const [k, v] of Object.entries(mine)) {
    if (typeof v === 'number') rows.push([k, bytes.has(k) ? `${formatBytes(v)} (${v})` : String(v)]);
    else for (const [lk, lv] of Object.entries(v)) rows.push([`${k}.${lk}`, String(lv)]);
  }
  return table(['STAT', 'VALUE'], rows);
}

/** `ndshare rm NAME ID|OBJECT`. */
export function removeObject(name: string, object: string, flags: Flags): string {
  withStore(name, (s) => s.delete(object));
  return flags.json ? JSON.stringify({ store: name, removed: object }) : `Removed ${object} from '${name}'`;
}

/**
 * `ndshare serve --name NAME --capacity SIZE`: creates the store and holds it
 * until SIGINT or SIGTERM, then closes it (its files go if nobody else holds it).
 */
export function serve(flags: Flags, print: (line: string) => void): Promise<void> {
  const name = String(flags.name);
  const capacity = String(flags.capacity);
  const maxObjects = flags['max-objects'];
  const store = Store.create({
    name,
    capacity: /^\d+$/.test(capacity) ? Number(capacity) : capacity,
    ...(typeof maxObjects === 'string' ? { maxObjects: Number(maxObjects) } : {}),
  });
  const info = { name, pid: process.pid, capacity: store.stats().capacity, runtimeDir: runtimeDirPath() };
  print(
    flags.json
      ? JSON.stringify({ serving: true, ...info })
      : `Serving store '${name}' (${formatBytes(info.capacity)}) from pid ${info.pid} in ${info.runtimeDir}; Ctrl-C or SIGTERM stops`,
  );
  return new Promise((resolve) => {
    // Signal handlers do not keep the event loop alive: this timer does.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stop = (signal: string): void => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      store.close();
      print(flags.json ? JSON.stringify({ stopped: true, signal, name }) : `Stopped serving '${name}' (${signal})`);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
