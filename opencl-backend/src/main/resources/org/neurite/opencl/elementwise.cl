/* Elementwise kernels and data movement: one work-item per element (or per (column, row) pair). */

kernel void activate(int kind, float alpha, global const float* x, global float* y, int n) {
    int i = get_global_id(0);
    if (i < n) {
        y[i] = neu_activate(kind, alpha, x[i]);
    }
}

kernel void activate_backward(int kind, float alpha, global const float* y, global const float* dy,
                              global float* dx, int n) {
    int i = get_global_id(0);
    if (i < n) {
        dx[i] = dy[i] * neu_derivative(kind, alpha, y[i]);
    }
}

kernel void axpy(float alpha, global const float* x, global float* y, int n) {
    int i = get_global_id(0);
    if (i < n) {
        y[i] = fma(alpha, x[i], y[i]);
    }
}

kernel void scale(float alpha, global float* x, int n) {
    int i = get_global_id(0);
    if (i < n) {
        x[i] = alpha * x[i];
    }
}

kernel void add(global const float* a, global const float* b, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        out[i] = a[i] + b[i];
    }
}

kernel void multiply(global const float* a, global const float* b, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        out[i] = a[i] * b[i];
    }
}

kernel void clip(global const float* x, float lo, float hi, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        out[i] = fmin(fmax(x[i], lo), hi);
    }
}

kernel void affine_columns(global const float* x, global const float* scale, global const float* shift,
                           global float* out, int cols, int n) {
    int i = get_global_id(0);
    if (i < n) {
        int j = i % cols;
        out[i] = x[i] * scale[j] + shift[j];
    }
}

/* global (cols, rows) */
kernel void copy_columns(global const float* src, int srcCol, int srcWidth, global float* dst, int dstCol,
                         int dstWidth, int cols, int rows) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j < cols && r < rows) {
        dst[r * dstWidth + dstCol + j] = src[r * srcWidth + srcCol + j];
    }
}

/* global (len, count); the indices were validated by the host. */
kernel void gather_rows(global const float* src, global const float* indices, int offset, global float* dst,
                        int len, int count) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j < len && r < count) {
        int from = (int) indices[offset + r];
        dst[r * len + j] = src[from * len + j];
    }
}
