// Checked element access for tests under noUncheckedIndexedAccess: the
// element must exist, else the test fails loudly (never an `undefined` that
// compares equal by accident).

/** `a[i]`, throwing if `i` is outside `a` (or the element is missing). */
export function at<T>(a: ArrayLike<T> | { readonly [key: string]: T }, i: number | string): T {
  const v = (a as Record<string | number, T | undefined>)[i];
  if (v === undefined) throw new RangeError(`at(): no element ${JSON.stringify(i)} (length ${(a as ArrayLike<T>).length ?? 'n/a'})`);
  return v;
}
