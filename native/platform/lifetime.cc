#include "platform/lifetime.h"

#include <cerrno>

#if defined(__linux__)
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace ndshare {
namespace platform {

int DieWithParent(int signal, int expected_parent) {
#if defined(__linux__)
  if (prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0) != 0) return -1;
  // Closes the race with a parent that died before prctl: we were re-parented.
  if (getppid() != expected_parent) {
    errno = ESRCH;
    return -1;
  }
  return 0;
#else
  (void)signal;
  (void)expected_parent;
  errno = ENOSYS;
  return -1;
#endif
}

}  // namespace platform
}  // namespace ndshare
