/* Elementwise kernels and data movement: one work-item per element (or per (column, row) pair). */

__kernel void activate(int kind, float alpha, __global const float* x, __global float* y, int n) {
    int i = get_global_id(0);
    if (i < n) {
        y[i] = neu_activate(kind, alpha, x[i]);
    }
}

__kernel void activate_backward(int kind, float alpha, __global const float* y, __global const float* dy,
                              __global float* dx, int n) {
    int i = get_global_id(0);
    if (i < n) {
        dx[i] = dy[i] * neu_derivative(kind, alpha, y[i]);
    }
}

__kernel void axpy(float alpha, __global const float* x, __global float* y, int n) {
    int i = get_global_id(0);
    if (i < n) {
        y[i] = fma(alpha, x[i], y[i]);
    }
}

__kernel void scale(float alpha, __global float* x, int n) {
    int i = get_global_id(0);
    if (i < n) {
        x[i] = alpha * x[i];
    }
}

__kernel void add(__global const float* a, __global const float* b, __global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        out[i] = a[i] + b[i];
    }
}

__kernel void multiply(__global const float* a, __global const float* b, __global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        out[i] = a[i] * b[i];
    }
}

__kernel void clip(__global const float* x, float lo, float hi, __global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        float v = x[i];
        out[i] = isnan(v) ? v : fmin(fmax(v, lo), hi);   /* fmin/fmax drop NaN: keep it */
    }
}

__kernel void affine_columns(__global const float* x, __global const float* scale, __global const float* shift,
                           __global float* out, int cols, int n) {
    int i = get_global_id(0);
    if (i < n) {
        int j = i % cols;
        out[i] = x[i] * scale[j] + shift[j];
    }
}

/* global (cols, rows) */
__kernel void copy_columns(__global const float* src, int srcCol, int srcWidth, __global float* dst, int dstCol,
                         int dstWidth, int cols, int rows) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j < cols && r < rows) {
        dst[r * dstWidth + dstCol + j] = src[r * srcWidth + srcCol + j];
    }
}

/* global (len, count); the indices were validated by the host. */
__kernel void gather_rows(__global const float* src, __global const float* indices, int offset, __global float* dst,
                        int len, int count) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j < len && r < count) {
        int from = (int) indices[offset + r];
        dst[r * len + j] = src[from * len + j];
    }
}

/*
 * The GEMM epilogue on its own, in place: c[r, j] = f(c[r, j] + bias[j]), for a GEMM done by a library
 * (cuBLAS) that has no such epilogue. global (cols, rows)
 */
__kernel void bias_activate(__global float* c, __global const float* bias, int hasBias, int act, float actAlpha,
                          int cols, int rows) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j < cols && r < rows) {
        long i = (long) r * cols + j;
        float v = c[i];
        if (hasBias) {
            v += bias[j];
        }
        c[i] = neu_activate(act, actAlpha, v);
    }
}
