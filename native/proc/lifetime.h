// Worker-process lifetime: `proc.dieWithParent(signal, parentPid)`.
#ifndef NDSHARE_PROC_LIFETIME_H_
#define NDSHARE_PROC_LIFETIME_H_

#include <napi.h>

namespace ndshare {

// Adds the `proc` object to the exports.
void InitProc(Napi::Env env, Napi::Object exports);

}  // namespace ndshare

#endif  // NDSHARE_PROC_LIFETIME_H_
