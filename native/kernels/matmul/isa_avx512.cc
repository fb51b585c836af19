// matmul kernels compiled for the avx512 instruction set (placeholder).
