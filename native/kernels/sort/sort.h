// The `sort` export of the addon: sorting, selection, searching and counting
// kernels over contiguous rows (sort.cc; keys and radix sort in keys.h).
#ifndef NDSHARE_KERNELS_SORT_SORT_H_
#define NDSHARE_KERNELS_SORT_SORT_H_

#include <napi.h>

namespace ndshare {
namespace kernels {

void InitSort(Napi::Env env, Napi::Object exports);

// count.cc: adds runs, intRange, bincount and histogram to the `sort` object.
void AddCountFunctions(Napi::Env env, Napi::Object sort);

}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_SORT_SORT_H_
