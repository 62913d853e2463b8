"""Provides float arithmetic that follows PyTorch's CPU kernels bit for bit: the cascade sum
(`cascade`), Sleef's vectorised float32 functions (`sleef`), glibc's expf/exp2f for the scalar
tails (`glibc`), the vector widths and `vec::` element orders (`vec`), and softmax /
log_softmax forward and backward (`softmax`)."""
