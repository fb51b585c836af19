/**
 * Where named stores meet: one private folder per user, and the names of the
 * files a store's name maps to inside it.
 *
 * The folder is `$NDSHARE_RUNTIME_DIR` if set (tests, or several independent
 * sets of stores), else `$XDG_RUNTIME_DIR/ndshare` when `XDG_RUNTIME_DIR` is
 * an absolute path to a folder of ours (systemd creates it per login, mode
 * 0700, on tmpfs), else `<os.tmpdir()>/ndshare-<uid>`. Whichever it is, it
 * must be a real folder (not a symlink), owned by this user, mode 0700:
 * anything else is refused with `ERR_NDSHARE_RUNTIME_DIR`, because another
 * user who could write there could put a socket of theirs under a store's name.
 *
 * @module
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { native } from '../binding.js';
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';

/** Store names: 1 to 64 of `A-Z a-z 0-9 . _ -`, not starting with `.` or `-`. */
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** The longest store name. */
export const MAX_STORE_NAME = 64;

/**
 * Checks a store name: a file name part, so no `/`, no `..`, nothing hidden.
 * @throws {NdshareTypeError} for a non-string; {NdshareRangeError} for an empty, too long or unsafe name.
 */
export function checkStoreName(name: unknown, arg = 'name'): string {
  if (typeof name !== 'string') invalidType(arg, 'a store name (string)', name);
  if (!NAME_RE.test(name)) {
    invalidValue(arg, `a store name of 1 to ${MAX_STORE_NAME} letters, digits, '.', '_' or '-', not starting with '.' or '-'`, name);
  }
  return name;
}

function uid(): number {
  return process.getuid ? process.getuid() : native.handoff.uid;
}

function refuse(dir: string, why: string): never {
  throw new NdshareError(
    `The runtime folder of named stores ${dir} ${why}; named stores need a folder of ours with mode 0700 ` + '(set NDSHARE_RUNTIME_DIR to choose another)',
    { code: codes.RUNTIME_DIR, path: dir },
  );
}

/** The folder to use, before any check. */
export function runtimeDirPath(): string {
  const override = process.env.NDSHARE_RUNTIME_DIR;
  if (override !== undefined && override !== '') {
    if (!isAbsolute(override)) refuse(override, 'is not an absolute path (NDSHARE_RUNTIME_DIR)');
    return override;
  }
  const xdg = process.env.XDG_RUNTIME_DIR;
  if (xdg !== undefined && isAbsolute(xdg)) {
    let st: Stats | undefined;
    try {
      st = statSync(xdg);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory() && st.uid === uid()) return join(xdg, 'ndshare');
  }
  return join(tmpdir(), `ndshare-${uid()}`);
}

function check(dir: string, st: Stats): void {
  if (st.isSymbolicLink()) refuse(dir, 'is a symbolic link');
  if (!st.isDirectory()) refuse(dir, 'is not a folder');
  if (st.uid !== uid()) refuse(dir, `belongs to uid ${st.uid}, not to us (uid ${uid()})`);
  if ((st.mode & 0o777) !== 0o700) refuse(dir, `has mode 0${(st.mode & 0o777).toString(8)}, not 0700`);
}

/**
 * The checked runtime folder. With `create`, makes it (mode 0700) if missing;
 * without, returns undefined if it does not exist.
 * @throws {NdshareError} ERR_NDSHARE_RUNTIME_DIR if it exists but is not private to us.
 */
export function runtimeDir(create: true): string;
export function runtimeDir(create: boolean): string | undefined;
export function runtimeDir(create: boolean): string | undefined {
  const dir = runtimeDirPath();
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') refuse(dir, `cannot be examined (${(e as Error).message})`);
    if (!create) return undefined;
    try {
      mkdirSync(dir, { mode: 0o700 });
      chmodSync(dir, 0o700); // the umask may have taken bits away
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') refuse(dir, `cannot be created (${(e2 as Error).message})`);
    }
    st = lstatSync(dir);
  }
  check(dir, st);
  return dir;
}

/** The files of store `name` inside `dir`. */
export interface StorePaths {
  /** The Unix socket the serving process listens on. */
  socket: string;
  /** flock'ed exclusively by the process that serves the name. */
  serverLock: string;
  /** flock'ed shared by every process that holds the store by name. */
  holders: string;
}

/**
 * The paths of a store's files.
 * @throws {NdshareRangeError} if the socket path would exceed the system's limit.
 */
export function storePaths(dir: string, name: string): StorePaths {
  const socket = join(dir, `${name}.sock`);
  if (Buffer.byteLength(socket) > native.handoff.maxSocketPath) {
    invalidValue(
      'name',
      `a name short enough for the socket path ${socket} to fit in ${native.handoff.maxSocketPath} bytes ` + '(or a shorter NDSHARE_RUNTIME_DIR)',
      name,
    );
  }
  return { socket, serverLock: join(dir, `${name}.lock`), holders: join(dir, `${name}.holders`) };
}

/** Names with a lock file in the runtime folder (live or stale), sorted. */
export function storeNamesInDir(): string[] {
  const dir = runtimeDir(false);
  if (dir === undefined) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.lock'))
    .map((f) => f.slice(0, -'.lock'.length))
    .filter((n) => NAME_RE.test(n))
    .sort();
}
