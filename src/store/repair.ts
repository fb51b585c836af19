/**
 * Repair after a client died holding the store mutex: rebuilds every derived
 * structure (refcounts, free extents, used bytes, object count, name index)
 * from the primary data (the object table and the pin lists). See the crash
 * safety rules in arena.ts.
 *
 * @module
 */
import { BLOCK_ALIGN, ClientField, ClientState, ObjectField, ObjectState, PIN_BYTES, Superblock } from './layout.js';
import type { Tables } from './tables.js';

/** Rebuilds the derived structures of `t` under the lock. Objects whose block is impossible are dropped. */
export function rebuildDerived(t: Tables): void {
  const g = t.geometry;
  const { u32, f64 } = t;
  // 1. Refcounts from the pin lists (entries past a client's pinCount are not pins).
  for (let s = 0; s < g.maxObjects; s++) u32[(t.objBase(s) + ObjectField.refcount) / 4] = 0;
  for (let c = 0; c < g.maxClients; c++) {
    const b = t.clientBase(c);
    if (Atomics.load(t.i32, (b + ClientField.state) / 4) !== ClientState.Active) continue;
    const pins = t.regions.pins + c * g.pinsPerClient * PIN_BYTES;
    const n = Math.min(u32[(b + ClientField.pinCount) / 4]!, g.pinsPerClient);
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const slot = u32[(pins + k * PIN_BYTES) / 4]!;
      const count = u32[(pins + k * PIN_BYTES + 4) / 4]!;
      if (slot >= g.maxObjects || count === 0 || t.state(slot) === ObjectState.Free) continue;
      u32[(pins + kept * PIN_BYTES) / 4] = slot;
      u32[(pins + kept * PIN_BYTES + 4) / 4] = count;
      kept++;
      u32[(t.objBase(slot) + ObjectField.refcount) / 4]! += count;
    }
    u32[(b + ClientField.pinCount) / 4] = kept;
  }
  // 2. Blocks, used bytes, object count, free extents and the name index from the object table.
  const dataStart = t.regions.dataStart;
  const dataEnd = dataStart + g.capacity;
  const live: { offset: number; bytes: number; slot: number }[] = [];
  // Blocks live clients are punching outside the lock are not free yet.
  for (let c = 0; c < g.maxClients; c++) {
    const b = t.clientBase(c);
    const pending = f64[(b + ClientField.pendingBytes) / 8]!;
    if (pending > 0 && Atomics.load(t.i32, (b + ClientField.state) / 4) === ClientState.Active) {
      live.push({ offset: f64[(b + ClientField.pendingOffset) / 8]!, bytes: pending, slot: -1 });
    }
  }
  for (let s = 0; s < g.maxObjects; s++) {
    const st = t.state(s);
    if (st === ObjectState.Free) continue;
    const rec = t.record(s);
    const ok =
      rec.blockOffset >= dataStart &&
      rec.blockOffset % BLOCK_ALIGN === 0 &&
      rec.blockBytes > 0 &&
      rec.blockBytes % BLOCK_ALIGN === 0 &&
      rec.blockOffset + rec.blockBytes <= dataEnd &&
      (st === ObjectState.Created || st === ObjectState.Sealed || st === ObjectState.Deleting);
    if (!ok) {
      t.u32[(t.objBase(s) + ObjectField.generation) / 4] = (rec.generation + 1) >>> 0;
      Atomics.store(t.i32, t.stateOffset(s) / 4, ObjectState.Free);
      continue;
    }
    live.push({ offset: rec.blockOffset, bytes: rec.blockBytes, slot: s });
  }
  live.sort((a, b) => a.offset - b.offset);
  let used = 0;
  let objects = 0;
  let cursor = dataStart;
  let nFree = 0;
  const e = t.regions.extents / 8;
  for (const blk of live) {
    if (blk.offset < cursor && blk.slot >= 0) {
      // Overlaps its predecessor: cannot both be real; drop the later one.
      t.u32[(t.objBase(blk.slot) + ObjectField.generation) / 4] = (t.generation(blk.slot) + 1) >>> 0;
      Atomics.store(t.i32, t.stateOffset(blk.slot) / 4, ObjectState.Free);
      continue;
    }
    if (blk.offset > cursor) {
      f64[e + 2 * nFree] = cursor;
      f64[e + 2 * nFree + 1] = blk.offset - cursor;
      nFree++;
    }
    cursor = Math.max(cursor, blk.offset + blk.bytes);
    if (blk.slot >= 0) {
      used += blk.bytes;
      objects++;
    }
  }
  if (cursor < dataEnd) {
    f64[e + 2 * nFree] = cursor;
    f64[e + 2 * nFree + 1] = dataEnd - cursor;
    nFree++;
  }
  t.freeCount = nFree;
  t.setSbF64(Superblock.used, used);
  t.setSbF64(Superblock.objects, objects);
  u32.fill(0, t.regions.index / 4, t.regions.index / 4 + g.indexSize);
  for (let s = 0; s < g.maxObjects; s++) {
    const st = t.state(s);
    if ((st === ObjectState.Created || st === ObjectState.Sealed) && u32[(t.objBase(s) + ObjectField.nameHash) / 4] !== 0) {
      t.indexInsert(s, u32[(t.objBase(s) + ObjectField.nameHash) / 4]!);
    }
  }
}
