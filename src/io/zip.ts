/**
 * The ZIP container of `.npz` files: a writer of stored or deflated members
 * and a lazy reader (the central directory first, each member on demand),
 * with ZIP64 both ways (NumPy writes every member with `force_zip64=True`).
 *
 * Format: PKWARE's APPNOTE.TXT (local file header 0x04034b50, central
 * directory header 0x02014b50, end of central directory 0x06054b50, ZIP64
 * end record 0x06064b50 and its locator 0x07064b50, ZIP64 extra field 0x0001).
 * Deflate and CRC-32 come from Node's zlib; no dependency.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { codes, NdshareError } from '../errors.js';

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const U32_MAX = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;

function corrupt(path: string, what: string): never {
  throw new NdshareError(`Corrupt .npz (zip) file '${path}': ${what}`, { code: codes.CORRUPT_FILE, path });
}

/** MS-DOS date and time of `d` (local time), as zip headers store them. */
function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

/** One member to write. */
export interface ZipInput {
  name: string;
  /** The member's bytes, as chunks (a .npy header and its data, say). */
  chunks: readonly Uint8Array[];
}

/**
 * The chunks of a zip archive holding `members`, stored or deflated. A
 * member's sizes and offset go to a ZIP64 extra field when they do not fit
 * 32 bits (readers such as Python's zipfile and NumPy follow it).
 */
export function zipChunks(members: readonly ZipInput[], compress: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const { date, time } = dosDateTime(new Date());
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    let crc = 0;
    let usize = 0;
    for (const c of m.chunks) {
      crc = crc32(c, crc);
      usize += c.length;
    }
    let body: readonly Uint8Array[] = m.chunks;
    if (compress) body = [deflateRawSync(m.chunks.length === 1 ? m.chunks[0]! : Buffer.concat(m.chunks as Uint8Array[]))];
    const csize = body.reduce((s, c) => s + c.length, 0);
    const zip64 = usize >= U32_MAX || csize >= U32_MAX || offset >= U32_MAX;
    const utf8 = /[^\x20-\x7e]/.test(m.name) ? 0x800 : 0;
    const method = compress ? DEFLATED : STORED;
    const version = zip64 ? 45 : 20;
    // Local header (sizes in its ZIP64 extra when large).
    const localExtra = zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (zip64) {
      localExtra.writeUInt16LE(0x0001, 0);
      localExtra.writeUInt16LE(16, 2);
      localExtra.writeBigUInt64LE(BigInt(usize), 4);
      localExtra.writeBigUInt64LE(BigInt(csize), 12);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(version, 4);
    local.writeUInt16LE(utf8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(zip64 ? U32_MAX : csize, 18);
    local.writeUInt32LE(zip64 ? U32_MAX : usize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    out.push(local, name, localExtra, ...body);
    // Central header.
    const centralExtra = zip64 ? Buffer.alloc(28) : Buffer.alloc(0);
    if (zip64) {
      centralExtra.writeUInt16LE(0x0001, 0);
      centralExtra.writeUInt16LE(24, 2);
      centralExtra.writeBigUInt64LE(BigInt(usize), 4);
      centralExtra.writeBigUInt64LE(BigInt(csize), 12);
      centralExtra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(CENTRAL_SIG, 0);
    c.writeUInt16LE((3 << 8) | version, 4); // made by: Unix
    c.writeUInt16LE(version, 6);
    c.writeUInt16LE(utf8, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(zip64 ? U32_MAX : csize, 20);
    c.writeUInt32LE(zip64 ? U32_MAX : usize, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(centralExtra.length, 30);
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    c.writeUInt32LE(zip64 ? U32_MAX : offset, 42);
    central.push(c, name, centralExtra);
    offset += local.length + name.length + localExtra.length + csize;
  }
  const cdSize = central.reduce((s, b) => s + b.length, 0);
  const cdOffset = offset;
  out.push(...central);
  const n = members.length;
  if (n >= 0xffff || cdSize >= U32_MAX || cdOffset >= U32_MAX) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(ZIP64_EOCD_SIG, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE((3 << 8) | 45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(n), 24);
    z.writeBigUInt64LE(BigInt(n), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(ZIP64_LOCATOR_SIG, 0);
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16);
    out.push(z, loc);
  }
  const e = Buffer.alloc(22);
  e.writeUInt32LE(EOCD_SIG, 0);
  e.writeUInt16LE(Math.min(n, 0xffff), 8);
  e.writeUInt16LE(Math.min(n, 0xffff), 10);
  e.writeUInt32LE(Math.min(cdSize, U32_MAX), 12);
  e.writeUInt32LE(Math.min(cdOffset, U32_MAX), 16);
  out.push(e);
  return out;
}

/** A member found in the central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly csize: number;
  readonly usize: number;
  readonly localOffset: number;
}

/** A zip archive open for reading: the directory read at open, members read on demand. */
export class ZipReader {
  readonly path: string;
  readonly entries: ReadonlyMap<string, ZipEntry>;
  #fd: number | undefined;
  #size: number;

  constructor(path: string) {
    this.path = path;
    const fd = openSync(path, 'r');
    try {
      this.#size = fstatSync(fd).size;
      this.entries = this.#directory(fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.#fd = fd;
  }

  get closed(): boolean {
    return this.#fd === undefined;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #read(fd: number, pos: number, len: number): Buffer {
    if (pos < 0 || len < 0 || pos + len > this.#size)
      corrupt(this.path, `a record at byte ${pos} of ${len} bytes reaches beyond the end of the file (${this.#size} bytes)`);
    const b = Buffer.allocUnsafeSlow(len);
    let off = 0;
    while (off < len) {
      const n = readSync(fd, b, off, len - off, pos + off);
      if (n === 0) corrupt(this.path, 'the file shrank while it was read');
      off += n;
    }
    return b;
  }

  #directory(fd: number): Map<string, ZipEntry> {
    const tailLen = Math.min(this.#size, 22 + 0xffff);
    const tail = this.#read(fd, this.#size - tailLen, tailLen);
    let e = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        e = i;
        break;
      }
    }
    if (e < 0) corrupt(this.path, 'no end of central directory record (not a zip file, or truncated)');
    let count = tail.readUInt16LE(e + 10);
    let cdSize = tail.readUInt32LE(e + 12);
    let cdOffset = tail.readUInt32LE(e + 16);
    const eocdPos = this.#size - tailLen + e;
    if (eocdPos >= 20) {
      const loc = this.#read(fd, eocdPos - 20, 20);
      if (loc.readUInt32LE(0) === ZIP64_LOCATOR_SIG) {
        const z = this.#read(fd, Number(loc.readBigUInt64LE(8)), 56);
        if (z.readUInt32LE(0) !== ZIP64_EOCD_SIG) corrupt(this.path, 'bad ZIP64 end of central directory record');
        count = Number(z.readBigUInt64LE(32));
        cdSize = Number(z.readBigUInt64LE(40));
        cdOffset = Number(z.readBigUInt64LE(48));
      }
    }
    const cd = this.#read(fd, cdOffset, cdSize);
    const map = new Map<string, ZipEntry>();
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIG) corrupt(this.path, `central directory entry ${k} is malformed`);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let csize = cd.readUInt32LE(p + 20);
      let usize = cd.readUInt32LE(p + 24);
      const nlen = cd.readUInt16LE(p + 28);
      const xlen = cd.readUInt16LE(p + 30);
      const clen = cd.readUInt16LE(p + 32);
      let localOffset = cd.readUInt32LE(p + 42);
      if (p + 46 + nlen + xlen + clen > cd.length) corrupt(this.path, `central directory entry ${k} is truncated`);
      const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nlen);
      // ZIP64 extra: the 32-bit fields that are 0xFFFFFFFF, in order usize, csize, offset.
      let x = p + 46 + nlen;
      const xend = x + xlen;
      while (x + 4 <= xend) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          if (usize === U32_MAX && q + 8 <= x + 4 + len) {
            usize = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (csize === U32_MAX && q + 8 <= x + 4 + len) {
            csize = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (localOffset === U32_MAX && q + 8 <= x + 4 + len) localOffset = Number(cd.readBigUInt64LE(q));
        }
        x += 4 + len;
      }
      if (flags & 1) corrupt(this.path, `member '${name}' is encrypted`);
      map.set(name, { name, method, crc, csize, usize, localOffset });
      p += 46 + nlen + xlen + clen;
    }
    return map;
  }

  /** The uncompressed bytes of a member, CRC checked. */
  read(entry: ZipEntry): Uint8Array {
    const fd = this.#fd;
    if (fd === undefined) throw new NdshareError(`The .npz file '${this.path}' is closed`, { code: codes.CLOSED });
    const h = this.#read(fd, entry.localOffset, 30);
    if (h.readUInt32LE(0) !== LOCAL_SIG) corrupt(this.path, `no local header for member '${entry.name}'`);
    const start = entry.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
    const raw = this.#read(fd, start, entry.csize);
    let data: Uint8Array;
    if (entry.method === STORED) data = raw;
    else if (entry.method === DEFLATED) {
      try {
        data = inflateRawSync(raw);
      } catch (e) {
        corrupt(this.path, `member '${entry.name}' does not inflate: ${(e as Error).message}`);
      }
      // A fresh, unshared buffer: the array may be a view over it.
      if (data.byteOffset !== 0) data = new Uint8Array(data);
    } else {
      throw new NdshareError(
        `Member '${entry.name}' of '${this.path}' uses zip compression method ${entry.method}; ndshare reads stored (0) and deflated (8) members`,
        {
          code: codes.UNSUPPORTED,
        },
      );
    }
    if (data.length !== entry.usize) corrupt(this.path, `member '${entry.name}' has ${data.length} bytes, the directory says ${entry.usize}`);
    if (crc32(data) >>> 0 !== entry.crc) corrupt(this.path, `member '${entry.name}' fails its CRC-32 check`);
    return data;
  }
}
