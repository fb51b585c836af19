/**
 * Argument validation shared by every public function: one `checkOptions`.
 *
 * DESIGN §3.1 point 10: options are never ignored. An option NumPy has but
 * ndshare does not (yet) is `ERR_NDSHARE_UNSUPPORTED` naming it; an option
 * NumPy does not have is `ERR_NDSHARE_INVALID_ARG_VALUE` naming it. A key
 * whose value is `undefined` counts as absent.
 *
 * @module
 */
import { codes, invalidType, NdshareRangeError } from './errors.js';

/** What a function accepts in its options object. */
export interface OptionRules {
  /** The function, for messages (e.g. 'nd.sum'). */
  readonly fn: string;
  /** The options ndshare supports. */
  readonly known: readonly string[];
  /** Options NumPy's function has that ndshare does not support yet. */
  readonly numpyOnly?: readonly string[];
}

/**
 * Checks an options argument: `undefined` (no options) or a plain object (not
 * null, not an array). With `rules`, every key must be a known option.
 *
 * @returns the options, or `{}` for undefined.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `options` is not an object.
 * @throws {NdshareRangeError} ERR_NDSHARE_UNSUPPORTED for an option NumPy has that ndshare lacks;
 *   ERR_NDSHARE_INVALID_ARG_VALUE for an option NumPy does not have either.
 */
export function checkOptions<T extends object>(options: T | undefined, rules?: OptionRules, arg = 'options'): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalidType(arg, 'an options object', options);
  }
  if (rules !== undefined) {
    for (const key of Object.keys(options)) {
      if (rules.known.includes(key) || (options as Record<string, unknown>)[key] === undefined) continue;
      if (rules.numpyOnly?.includes(key)) {
        throw new NdshareRangeError(`${rules.fn}: option '${key}' (${arg}.${key}) of NumPy is not supported yet`, { code: codes.UNSUPPORTED });
      }
      throw new NdshareRangeError(`${rules.fn}: unknown option '${key}' (${arg}.${key}); the options are ${rules.known.join(', ')}`, {
        code: codes.INVALID_ARG_VALUE,
      });
    }
  }
  return options;
}
