// Platform layer: tying a worker process's life to its parent's.
#ifndef NDSHARE_PLATFORM_LIFETIME_H_
#define NDSHARE_PLATFORM_LIFETIME_H_

namespace ndshare {
namespace platform {

// Asks the kernel to send `signal` to this process when the thread that
// forked it dies (Linux prctl(PR_SET_PDEATHSIG)), then checks that the parent
// is still `expected_parent` (it may have died before the call). Returns 0,
// or -1 with errno: ENOSYS where the platform has no such call, ESRCH when
// the parent is already gone.
int DieWithParent(int signal, int expected_parent);

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_LIFETIME_H_
