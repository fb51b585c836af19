/**
 * Byte counts as numbers or strings: `1048576`, `'512MiB'`, `'2GiB'`, `'1.5GB'`, `'64 KiB'`.
 *
 * @module
 */
import { invalidType, invalidValue } from '../errors.js';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Parses a byte count.
 * @throws {NdshareTypeError} for a value that is neither a number nor a string.
 * @throws {NdshareRangeError} for a malformed string or a count outside [1, 2^46].
 * @example parseBytes('2GiB') // 2147483648
 */
export function parseBytes(value: unknown, arg: string): number {
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
    const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
    if (!m || unit === undefined) invalidValue(arg, "a byte count like 1048576, '512MiB' or '2GiB'", value);
    bytes = Math.floor(Number(m[1]) * unit);
  } else return invalidType(arg, "a number of bytes or a string like '2GiB'", value);
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 2 ** 46) invalidValue(arg, 'a whole number of bytes in [1, 2^46]', value);
  return bytes;
}
