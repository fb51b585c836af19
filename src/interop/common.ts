/**
 * What the scijs and stdlib bridges share: the dtype names both libraries
 * spell as NumPy does, and shape/stride checks.
 *
 * @module
 */
import type { DType, TypedArrayConstructor } from '../ndarray/dtypes.js';

/** A foreign dtype name -> ndshare dtype and the typed array class its `data` must be. */
export type ForeignDTypeTable = Readonly<Record<string, readonly [DType, TypedArrayConstructor]>>;

/** The names scijs and stdlib share with NumPy; each bridge adds its own aliases. */
export const COMMON_DTYPES: ForeignDTypeTable = {
  float64: ['float64', Float64Array],
  float32: ['float32', Float32Array],
  int8: ['int8', Int8Array],
  int16: ['int16', Int16Array],
  int32: ['int32', Int32Array],
  uint8: ['uint8', Uint8Array],
  uint16: ['uint16', Uint16Array],
  uint32: ['uint32', Uint32Array],
};

/** The entry for a foreign dtype name, or undefined (never an inherited property). */
export function lookupDType(table: ForeignDTypeTable, name: string): readonly [DType, TypedArrayConstructor] | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** True for an array of numbers (a shape or a list of strides). */
export function isArrayOfNumbers(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => typeof d === 'number');
}
