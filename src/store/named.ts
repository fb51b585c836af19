/**
 * Named stores: how processes of one user find a store by name, and who
 * serves the name while any of them holds it.
 *
 * Three files per name in the runtime folder (src/store/runtime-dir.ts):
 *
 * - `<name>.lock`: flock'ed **exclusively** by the one process that serves
 *   the name. Taking it is how a process becomes the server, so two
 *   survivors can never serve at once.
 * - `<name>.holders`: flock'ed **shared** by every process that holds the
 *   store by name (the creator and every `Store.open`). If an exclusive
 *   `LOCK_NB` on it succeeds, no process holds the store: it is gone.
 * - `<name>.sock`: the server's Unix socket. A native thread accepts, checks
 *   the peer's uid (SO_PEERCRED) and sends the segment's fd (SCM_RIGHTS) with
 *   a small JSON payload (the store's token, the server's pid).
 *
 * Takeover: a holder that does not serve tries the server lock every 100 ms
 * (an unref'd timer). When the server exits (normally or `kill -9`: the
 * kernel drops its locks), the first holder to get the lock removes the stale
 * socket and serves the name with its own fd of the segment.
 *
 * Cleanup: whoever finds both locks free (holders exclusive, server lock
 * exclusive) removes the three files: the last process to close, or an opener
 * that finds a store left behind by processes that were all killed. Files are
 * only removed under both locks; a process that locked a file checks that the
 * path still names it (`sameFile`), so a removed-and-recreated file is never
 * mistaken for the live one.
 *
 * @module
 */
import { constants as osConstants } from 'node:os';
import { native } from '../binding.js';
import type { NativeHandoffServer } from '../binding.js';
import { codes, NdshareError } from '../errors.js';
import { checkStoreName, runtimeDir, runtimeDirPath, storePaths, type StorePaths } from './runtime-dir.js';

/** How often a holder that does not serve tries to take over. */
const TAKEOVER_INTERVAL_MS = 100;
/** How long `open` waits for a survivor to take over, whatever its timeout. */
const TAKEOVER_GRACE_MS = 3000;
/** Send/receive timeout of one connection to the server. */
const CONNECT_TIMEOUT_MS = 2000;

const E = osConstants.errno;
/** Errors of connect/recvmsg that mean "nobody serves the socket right now". */
const RETRYABLE = new Set<number>([E.ENOENT, E.ECONNREFUSED, E.ECONNRESET, E.EPIPE, E.EAGAIN]);

function errnoOf(e: unknown): number | undefined {
  const n = (e as { errno?: unknown } | null)?.errno;
  return typeof n === 'number' ? n : undefined;
}

function closeFd(fd: number): void {
  if (fd >= 0) native.shm.close(fd);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));
}

/** Removes a store's files. Only under both locks (see the module comment). */
function removeFiles(paths: StorePaths): void {
  native.handoff.remove(paths.socket);
  native.handoff.remove(paths.holders);
  native.handoff.remove(paths.serverLock);
}

/** What a server sends with the fd. */
interface Payload {
  v: 1;
  name: string;
  token: string;
  pid: number;
}

function decodePayload(bytes: Uint8Array, name: string): Payload {
  let p: Partial<Payload>;
  try {
    p = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Payload>;
  } catch {
    p = {};
  }
  if (p.v !== 1 || p.name !== name || typeof p.token !== 'string' || !/^[0-9a-f]{32}$/.test(p.token) || !Number.isSafeInteger(p.pid)) {
    throw new NdshareError(`The server of store '${name}' sent an unexpected answer`, { code: codes.CORRUPT_HEADER });
  }
  return p as Payload;
}

/** Links still open in this process, closed at exit so the last one out removes the files. */
const liveLinks = new Set<NamedLink>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const link of [...liveLinks]) {
      try {
        link.close();
      } catch {
        // Exiting anyway: a failed cleanup leaves stale files, which the next opener removes.
      }
    }
  });
}

/** What `connect` got from the server. */
export interface Connected {
  link: NamedLink;
  /** Our fd of the segment (ours to close). */
  fd: number;
  /** The store's token (hex). */
  token: string;
  /** The pid of the process that answered. */
  serverPid: number;
}

type Attempt = { state: 'ok'; connected: Connected } | { state: 'absent' | 'gone' | 'held' | 'retry' };

/**
 * This process's hold on a store's name: the shared holders lock, the server
 * lock fd (locked while serving), the serving thread or the takeover timer.
 * One per Store opened or created by name; closed with it, or at exit.
 */
export class NamedLink {
  readonly name: string;
  readonly paths: StorePaths;
  #holdersFd: number;
  #lockFd: number;
  #segmentFd = -1;
  #token = '';
  #server: NativeHandoffServer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #serverPid: number;
  /** The Store this link belongs to: a named store lives in this process until close() or exit. */
  // Written, never read: a strong reference that keeps the Store (and so its segment) alive.
  // eslint-disable-next-line no-unused-private-class-members
  #owner: object | undefined;

  private constructor(name: string, paths: StorePaths, holdersFd: number, lockFd: number, serverPid: number) {
    this.name = name;
    this.paths = paths;
    this.#holdersFd = holdersFd;
    this.#lockFd = lockFd;
    this.#serverPid = serverPid;
    liveLinks.add(this);
    installExitHook();
  }

  /**
   * Reserves `name` for a new store: takes the server lock and checks that no
   * process holds a store of that name (stale files of dead processes are reused).
   * @throws {NdshareError} ERR_NDSHARE_EXISTS if a live store has that name.
   */
  static reserve(name: string): NamedLink {
    checkStoreName(name, 'options.name');
    const dir = runtimeDir(true);
    const paths = storePaths(dir, name);
    for (;;) {
      const lockFd = native.handoff.lockOpen(paths.serverLock, true);
      if (!native.handoff.tryLock(lockFd, true)) {
        closeFd(lockFd);
        throw new NdshareError(`A store named '${name}' exists: a live process serves it (${paths.socket})`, { code: codes.EXISTS, store: name });
      }
      if (!native.handoff.sameFile(lockFd, paths.serverLock)) {
        closeFd(lockFd); // removed by a cleanup while we opened it: start over with the new file
        continue;
      }
      let holdersFd = -1;
      try {
        holdersFd = native.handoff.lockOpen(paths.holders, true);
        if (!native.handoff.tryLock(holdersFd, true)) {
          throw new NdshareError(`A store named '${name}' exists: live processes hold it (one is taking over serving it)`, { code: codes.EXISTS, store: name });
        }
        // Nobody holds it: the name is ours. Become a holder like everyone else.
        native.handoff.unlock(holdersFd);
        if (!native.handoff.tryLock(holdersFd, false)) throw new NdshareError(`A store named '${name}' is being opened`, { code: codes.EXISTS, store: name });
      } catch (e) {
        closeFd(holdersFd);
        closeFd(lockFd);
        throw e;
      }
      return new NamedLink(name, paths, holdersFd, lockFd, process.pid);
    }
  }

  /**
   * Finds the store named `name` and receives its fd from the serving process.
   * Waits up to `timeoutMs` for the name to appear, and up to 3 s for a
   * survivor to take over a store whose server just exited.
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND (no such store), ERR_NDSHARE_STORE_GONE (its
   *   processes have all exited), ERR_NDSHARE_TIMEOUT (held, but nobody took over serving it).
   */
  static connect(name: string, timeoutMs: number): Connected {
    checkStoreName(name);
    const start = performance.now();
    let gone = false;
    let heldSince: number | undefined;
    for (;;) {
      const dir = runtimeDir(false);
      const r: Attempt = dir === undefined ? { state: 'absent' } : NamedLink.#attempt(name, storePaths(dir, name));
      if (r.state === 'ok') return r.connected;
      const now = performance.now();
      if (r.state === 'gone') gone = true;
      // Held but not served (a takeover), or a lock briefly taken by another process's
      // create/close/cleanup: transient, waited for up to TAKEOVER_GRACE_MS whatever the timeout.
      if (r.state === 'held' || r.state === 'retry') heldSince ??= now;
      else heldSince = undefined;
      const limit = heldSince !== undefined ? Math.max(start + timeoutMs, heldSince + TAKEOVER_GRACE_MS) : start + timeoutMs;
      if (now >= limit) {
        if (r.state === 'held' || r.state === 'retry') {
          throw new NdshareError(
            `Store '${name}' is held by live processes but none of them served it within ${Math.round(now - start)} ms ` +
              '(a holder takes over from its event loop, which may be busy)',
            { code: codes.TIMEOUT, store: name },
          );
        }
        if (gone) {
          throw new NdshareError(`Store '${name}' is gone: no process holds it`, { code: codes.STORE_GONE, store: name });
        }
        throw new NdshareError(`No store named '${name}' (none in ${runtimeDirPath()})`, { code: codes.NOT_FOUND, store: name });
      }
      sleepSync(Math.min(20, limit - now));
    }
  }

  static #attempt(name: string, paths: StorePaths): Attempt {
    let holdersFd: number;
    try {
      holdersFd = native.handoff.lockOpen(paths.holders, false);
    } catch (e) {
      if (errnoOf(e) !== E.ENOENT) throw e;
      return NamedLink.#withoutHolders(paths);
    }
    // Until it is handed to a link, the holders fd is closed on every way out, once.
    let linked = false;
    try {
      // Not getting it shared: an exclusive probe (create, close, cleanup) is in progress.
      if (!native.handoff.tryLock(holdersFd, false)) return { state: 'retry' };
      if (!native.handoff.sameFile(holdersFd, paths.holders)) return { state: 'retry' };
      let got: ReturnType<typeof native.handoff.connect>;
      try {
        got = native.handoff.connect(paths.socket, CONNECT_TIMEOUT_MS);
      } catch (e) {
        const n = errnoOf(e);
        if (n === undefined || !RETRYABLE.has(n)) throw e;
        // Nobody serves. Does anyone else hold it?
        native.handoff.unlock(holdersFd);
        if (!native.handoff.tryLock(holdersFd, true)) return { state: 'held' };
        return NamedLink.#cleanupIfFree(paths);
      }
      let lockFd: number;
      let payload: Payload;
      try {
        payload = decodePayload(got.payload, name);
        lockFd = native.handoff.lockOpen(paths.serverLock, true);
      } catch (e) {
        closeFd(got.fd);
        throw e;
      }
      const link = new NamedLink(name, paths, holdersFd, lockFd, payload.pid);
      linked = true;
      return { state: 'ok', connected: { link, fd: got.fd, token: payload.token, serverPid: payload.pid } };
    } finally {
      if (!linked) closeFd(holdersFd);
    }
  }

  /** The holders file is missing: nothing there, a creator between its two files, or a half-removed store. */
  static #withoutHolders(paths: StorePaths): Attempt {
    let lockFd: number;
    try {
      lockFd = native.handoff.lockOpen(paths.serverLock, false);
    } catch (e) {
      if (errnoOf(e) === E.ENOENT) return { state: 'absent' };
      throw e;
    }
    try {
      if (!native.handoff.tryLock(lockFd, true)) return { state: 'retry' };
      if (native.handoff.sameFile(lockFd, paths.serverLock)) {
        removeFiles(paths);
        return { state: 'gone' };
      }
      return { state: 'retry' };
    } finally {
      closeFd(lockFd);
    }
  }

  /** Under the holders lock (exclusive): removes the files if nobody serves either. */
  static #cleanupIfFree(paths: StorePaths): Attempt {
    let lockFd: number;
    try {
      lockFd = native.handoff.lockOpen(paths.serverLock, false);
    } catch (e) {
      if (errnoOf(e) !== E.ENOENT) throw e;
      native.handoff.remove(paths.socket);
      native.handoff.remove(paths.holders);
      return { state: 'gone' };
    }
    try {
      // A creator holds the server lock between its two locks: not gone, just new.
      if (!native.handoff.tryLock(lockFd, true)) return { state: 'retry' };
      if (!native.handoff.sameFile(lockFd, paths.serverLock)) return { state: 'retry' };
      removeFiles(paths);
      return { state: 'gone' };
    } finally {
      closeFd(lockFd);
    }
  }

  /**
   * Starts serving (the creator) or waiting to take over (an opener), with
   * this process's own fd of the segment. `owner` is kept alive with the link.
   */
  start(owner: object, segmentFd: number, token: string, serve: boolean): void {
    this.#owner = owner;
    this.#segmentFd = segmentFd;
    this.#token = token;
    if (serve) {
      this.#serve();
      return;
    }
    this.#timer = setInterval(() => this.#tryTakeOver(), TAKEOVER_INTERVAL_MS);
    this.#timer.unref();
  }

  /** True while this process serves the name. */
  get serving(): boolean {
    return this.#server !== undefined;
  }

  /** The pid of the serving process, as last known here. */
  get serverPid(): number {
    return this.#server !== undefined ? process.pid : this.#serverPid;
  }

  /** Connections answered by this process's serving thread so far. */
  get served(): number {
    return this.#server !== undefined ? native.handoff.served(this.#server).served : 0;
  }

  #serve(): void {
    // We hold the server lock: any socket file there is a dead server's.
    native.handoff.remove(this.paths.socket);
    const payload: Payload = { v: 1, name: this.name, token: this.#token, pid: process.pid };
    this.#server = native.handoff.serve(this.paths.socket, this.#segmentFd, new TextEncoder().encode(JSON.stringify(payload)));
    this.#serverPid = process.pid;
  }

  #tryTakeOver(): void {
    if (this.#closed || this.#server !== undefined) return;
    try {
      if (!native.handoff.tryLock(this.#lockFd, true)) return;
      if (!native.handoff.sameFile(this.#lockFd, this.paths.serverLock)) {
        // The lock file was removed by hand: make a new one and try again next time.
        native.handoff.unlock(this.#lockFd);
        closeFd(this.#lockFd);
        this.#lockFd = -1;
        this.#lockFd = native.handoff.lockOpen(this.paths.serverLock, true);
        return;
      }
      this.#serve();
      clearInterval(this.#timer);
      this.#timer = undefined;
    } catch {
      // Could not serve this time (out of fds, a socket path problem): give the lock back, retry later.
      if (this.#lockFd >= 0) native.handoff.unlock(this.#lockFd);
    }
  }

  /**
   * Gives up the name: stops serving (a surviving holder takes over), and if
   * no other process holds the store, removes its files. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    liveLinks.delete(this);
    this.#owner = undefined;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    const wasServing = this.#server !== undefined;
    if (this.#server !== undefined) native.handoff.stop(this.#server);
    this.#server = undefined;
    try {
      native.handoff.unlock(this.#holdersFd);
      let last = native.handoff.tryLock(this.#holdersFd, true);
      if (last && !wasServing) {
        last = this.#lockFd >= 0 && native.handoff.tryLock(this.#lockFd, true) && native.handoff.sameFile(this.#lockFd, this.paths.serverLock);
      }
      if (last) removeFiles(this.paths);
    } finally {
      closeFd(this.#holdersFd);
      closeFd(this.#lockFd);
      this.#holdersFd = -1;
      this.#lockFd = -1;
    }
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }
}
