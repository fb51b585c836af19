/**
 * Complex fields of text files, as NumPy's `loadtxt` reads them
 * (`'1+2j'`, `'(1+2j)'`, `'-2.5j'`, `'3'`, `'nan+infj'`; lowercase `j` only, as NumPy) and as
 * `savetxt` writes them (`' (%s+%sj)'` per column, `'+-'` written as `'-'`).
 *
 * @module
 */

/**
 * The parts of a complex field, or undefined when it is not one. `real`
 * parses one float the way the caller parses real fields.
 */
export function parseComplexField(s: string, real: (s: string) => number | undefined): [number, number] | undefined {
  let t = s.trim();
  if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  if (t === '') return undefined;
  if (t[t.length - 1] !== 'j') {
    const re = real(t);
    return re === undefined ? undefined : [re, 0];
  }
  const body = t.slice(0, -1);
  // The sign that starts the imaginary part: the last + or - not at the start and not after an exponent's e.
  let k = -1;
  for (let i = body.length - 1; i > 0; i--) {
    const c = body[i];
    if ((c === '+' || c === '-') && body[i - 1] !== 'e' && body[i - 1] !== 'E') {
      k = i;
      break;
    }
  }
  if (k < 0) {
    const im = real(body);
    return im === undefined ? undefined : [0, im];
  }
  const re = real(body.slice(0, k));
  const im = real(body.slice(k));
  return re === undefined || im === undefined ? undefined : [re, im];
}

/** savetxt's format of one complex column for a one-spec `fmt`: NumPy's `' (%s+%sj)'`. */
export function complexColumnFormat(fmt: string): string {
  return ` (${fmt}+${fmt}j)`;
}
