// elementwise kernels compiled for the baseline instruction set (placeholder).
