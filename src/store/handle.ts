/**
 * Opening a store's segment from a handle (`{pid, fd, token}`): through
 * `/proc/<pid>/fd/<fd>` of the process that published it. A handle is only
 * as good as that process: once it exits or closes the store, the path is
 * gone, and this says so with `ERR_NDSHARE_STORE_GONE` instead of an errno.
 *
 * @module
 */
import { existsSync, readlinkSync } from 'node:fs';
import { native } from '../binding.js';
import { codes, NdshareError } from '../errors.js';

/** The prefix of the memfd name every store segment is created with. */
export const STORE_MEMFD_PREFIX = 'ndshare-store';

/**
 * Opens and maps the segment a handle names.
 * @throws {NdshareError} ERR_NDSHARE_STORE_GONE if the process has exited or no longer holds a store
 *   under that fd; ERR_NDSHARE_NATIVE for other failures (another user's process: EACCES).
 */
export function openByHandle(pid: number, fd: number): { fd: number; buffer: SharedArrayBuffer } {
  const path = `/proc/${pid}/fd/${fd}`;
  if (!existsSync(`/proc/${pid}`)) {
    throw new NdshareError(`The handle's process ${pid} has exited: attach with a handle from a live process, or by name (Store.open)`, {
      code: codes.STORE_GONE,
      pid,
      fd,
    });
  }
  let target: string | undefined;
  try {
    target = readlinkSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new NdshareError(`The handle's process ${pid} no longer holds the store (its fd ${fd} is closed)`, {
        code: codes.STORE_GONE,
        pid,
        fd,
      });
    }
    // EACCES and the like: let open() report it with its errno.
  }
  if (target !== undefined && !target.startsWith(`/memfd:${STORE_MEMFD_PREFIX}`)) {
    throw new NdshareError(`The handle's process ${pid} no longer holds the store: its fd ${fd} is now ${target}`, { code: codes.STORE_GONE, pid, fd });
  }
  try {
    return native.shm.open(path);
  } catch (e) {
    if ((e as { errno?: number }).errno === 2 /* ENOENT: it exited or closed between the checks */) {
      throw new NdshareError(`The handle's process ${pid} has exited or closed the store`, { code: codes.STORE_GONE, pid, fd, cause: e });
    }
    throw e;
  }
}
