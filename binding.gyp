{
  "target_defaults": {
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
      "-fvisibility=hidden",
      "-fvisibility-inlines-hidden",
      "-Wall",
      "-Wextra",
      "-Wno-unused-parameter"
    ]
  },
  "targets": [
    {
      "target_name": "ndshare_store",
      "type": "shared_library",
      "product_prefix": "lib",
      "sources": [
        "<!@(node scripts/native-sources.cjs store)"
      ],
      "ldflags": [
        "-pthread"
      ]
    },
    {
      "target_name": "ndshare",
      "sources": [
        "<!@(node scripts/native-sources.cjs core)"
      ],
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
              "<!@(node scripts/native-sources.cjs avx2)"
            ],
            "cflags_cc": [
              "-mavx2",
              "-mfma",
              "-mf16c"
            ]
          },
          {
            "target_name": "ndshare_avx512",
            "type": "static_library",
            "sources": [
              "<!@(node scripts/native-sources.cjs avx512)"
            ],
            "cflags_cc": [
              "-mavx512f",
              "-mavx512dq",
              "-mavx512bw",
              "-mavx512vl",
              "-mavx2",
              "-mfma",
              "-mf16c"
            ]
          }
        ]
      }
    ]
  ]
}
