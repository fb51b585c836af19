// Prints the native sources of one build group for binding.gyp:
//   node scripts/native-sources.cjs core     every native/**/*.cc but the per-ISA units of avx2/avx512
//   node scripts/native-sources.cjs avx2     native/kernels/**/*_avx2.cc   (the -mavx2 ... static library)
//   node scripts/native-sources.cjs avx512   native/kernels/**/*_avx512.cc (the -mavx512 ... static library)
//   node scripts/native-sources.cjs store    the C ABI library libndshare_store.so: native/store/*.cc
//                                            (not binding.cc) and the platform files they use
// So a new kernel family (kernels/dispatch.h) needs no edit here or in binding.gyp:
// its <family>_<isa>.cc shells are found by name. `.inc.cc` bodies are never compiled alone.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const group = process.argv[2];
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(rel);
    else if (e.name.endsWith('.cc') && !e.name.endsWith('.inc.cc')) files.push(rel);
  }
})('native');
files.sort();
// The store's C ABI (store/capi.cc) is only in the shared library; its core (store/arena.cc,
// header.cc) is in both, so Node and Python run the same code.
const STORE_LIB = ['native/platform/futex.cc', 'native/platform/robust_mutex.cc', 'native/platform/shm.cc'];
const inStoreLib = (f) => (f.startsWith('native/store/') && !f.endsWith('/binding.cc')) || STORE_LIB.includes(f);
const isa = (f) => (/_(avx2|avx512)\.cc$/.exec(f) || [])[1] || 'core';
if (!['core', 'avx2', 'avx512', 'store'].includes(group)) throw new Error(`native-sources: unknown group '${group}'`);
const picked = group === 'store' ? files.filter(inStoreLib) : files.filter((f) => isa(f) === group && f !== 'native/store/capi.cc');
process.stdout.write(picked.join(' ') + '\n');
