/**
 * What the file functions (.npy, safetensors) share: the path argument and
 * the atomic write.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidType, invalidValue } from '../errors.js';

/**
 * A file path from a string or a `file:` URL.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for anything else.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty string or another URL scheme.
 */
export function checkPath(path: unknown): string {
  if (path instanceof URL) {
    if (path.protocol !== 'file:') invalidValue('path', 'a file: URL', path.href);
    return fileURLToPath(path);
  }
  if (typeof path !== 'string') invalidType('path', 'a string or a file: URL', path);
  if (path.length === 0) invalidValue('path', 'a non-empty string', path);
  return path;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30));
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or the directory vanished: nothing left to clean
  }
}

/**
 * Writes `chunks` to `path` atomically: under a temporary name in the same
 * directory, flushed to disk, then renamed over `path`, so a crash never
 * leaves a partial file there (an existing file is replaced whole or not at
 * all). File-system errors are Node's own.
 */
export function writeFileAtomically(path: string, chunks: readonly Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx');
  let written = false;
  try {
    for (const c of chunks) writeAll(fd, c);
    fsyncSync(fd);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) removeQuietly(tmp);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
}
