{
  "targets": [
    {
      "target_name": "ndshare",
      "sources": [
        "native/addon.cc",
        "native/kernels/cast.cc",
        "native/kernels/math.cc",
        "native/kernels/iter.cc",
        "native/kernels/elementwise/elementwise.cc",
        "native/kernels/elementwise/isa_baseline.cc",
        "native/kernels/reduce/reduce.cc",
        "native/kernels/reduce/isa_baseline.cc",
        "native/kernels/matmul/matmul.cc",
        "native/kernels/matmul/isa_baseline.cc",
        "native/kernels/sort/sort.cc",
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
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": [
        "-fno-exceptions"
      ],
      "cflags_cc!": [
        "-fno-exceptions"
      ],
      "cflags_cc": [
        "-std=c++17",
        "-O3",
        "-fno-strict-aliasing",
        "-Wall",
        "-Wextra",
        "-Wno-unused-parameter",
        "-fno-math-errno"
      ],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "conditions": [
        [
          "target_arch=='x64'",
          {
            "dependencies": [
              "ndshare_avx2",
              "ndshare_avx512"
            ]
          }
        ]
      ]
    }
  ],
  "conditions": [
    [
      "target_arch=='x64'",
      {
        "targets": [
          {
            "target_name": "ndshare_avx2",
            "type": "static_library",
            "sources": [
              "native/kernels/elementwise/isa_avx2.cc",
              "native/kernels/reduce/isa_avx2.cc",
              "native/kernels/matmul/isa_avx2.cc"
            ],
            "include_dirs": [
              "<!(node -p \"require('node-addon-api').include_dir\")",
              "native"
            ],
            "defines": [
              "NAPI_VERSION=8",
              "NODE_ADDON_API_DISABLE_DEPRECATED"
            ],
            "cflags!": [
              "-fno-exceptions"
            ],
            "cflags_cc!": [
              "-fno-exceptions"
            ],
            "cflags_cc": [
              "-std=c++17",
              "-O3",
              "-fno-strict-aliasing",
              "-fno-math-errno",
              "-fPIC",
              "-Wall",
              "-Wextra",
              "-Wno-unused-parameter",
              "-mavx2",
              "-mfma",
              "-mf16c"
            ],
            "xcode_settings": {
              "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
              "MACOSX_DEPLOYMENT_TARGET": "11.0",
              "OTHER_CPLUSPLUSFLAGS": [
                "-mavx2",
                "-mfma",
                "-mf16c"
              ]
            }
          },
          {
            "target_name": "ndshare_avx512",
            "type": "static_library",
            "sources": [
              "native/kernels/elementwise/isa_avx512.cc",
              "native/kernels/reduce/isa_avx512.cc",
              "native/kernels/matmul/isa_avx512.cc"
            ],
            "include_dirs": [
              "<!(node -p \"require('node-addon-api').include_dir\")",
              "native"
            ],
            "defines": [
              "NAPI_VERSION=8",
              "NODE_ADDON_API_DISABLE_DEPRECATED"
            ],
            "cflags!": [
              "-fno-exceptions"
            ],
            "cflags_cc!": [
              "-fno-exceptions"
            ],
            "cflags_cc": [
              "-std=c++17",
              "-O3",
              "-fno-strict-aliasing",
              "-fno-math-errno",
              "-fPIC",
              "-Wall",
              "-Wextra",
              "-Wno-unused-parameter",
              "-mavx512f",
              "-mavx512dq",
              "-mavx512bw",
              "-mavx512vl",
              "-mfma",
              "-mf16c",
              "-mavx2"
            ],
            "xcode_settings": {
              "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
              "MACOSX_DEPLOYMENT_TARGET": "11.0",
              "OTHER_CPLUSPLUSFLAGS": [
                "-mavx512f",
                "-mavx512dq",
                "-mavx512bw",
                "-mavx512vl",
                "-mfma",
                "-mf16c",
                "-mavx2"
              ]
            }
          }
        ]
      }
    ]
  ]
}