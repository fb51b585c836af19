{
  "targets": [
    {
      "target_name": "ndshare",
      "sources": [
        "native/addon.cc",
        "native/kernels/cast.cc",
        "native/util/errors.cc",
        "native/memory/buffers.cc",
        "native/platform/pages.cc",
        "native/platform/lifetime.cc",
        "native/proc/lifetime.cc",
        "native/platform/shm.cc",
        "native/platform/futex.cc",
        "native/platform/robust_mutex.cc",
        "native/shm/args.cc",
        "native/shm/segment.cc",
        "native/sync/sync.cc",
        "native/sync/mutex.cc",
        "native/sync/futex.cc",
        "native/sync/async_waits.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-strict-aliasing", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      }
    }
  ]
}
