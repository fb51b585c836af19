// matmul kernels compiled for the avx2 instruction set (placeholder).
