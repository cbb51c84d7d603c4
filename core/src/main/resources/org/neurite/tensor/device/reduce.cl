/*
 * Row-wise kernels (softmax and row reductions: one work-group of ROW_WG items per row), column
 * reductions (one work-item per column), and whole-tensor reductions (one work-group).
 */

/* global (ROW_WG * rows), local ROW_WG */
__kernel void softmax(__global const float* x, __global float* y, int cols) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0);
    int l = get_local_id(0);
    __global const float* xr = x + (long) r * cols;
    __global float* yr = y + (long) r * cols;
    float m = -INFINITY;
    for (int j = l; j < cols; j += ROW_WG) {
        m = neu_max(m, xr[j]);
    }
    m = wg_max(scratch, m);
    float s = 0.0f;
    for (int j = l; j < cols; j += ROW_WG) {
        float e = exp(xr[j] - m);
        yr[j] = e;
        s += e;
    }
    s = wg_sum(scratch, s);
    float inv = 1.0f / s;
    for (int j = l; j < cols; j += ROW_WG) {
        yr[j] *= inv;
    }
}

/* dx = y * (dy - sum(dy * y)); global (ROW_WG * rows), local ROW_WG */
__kernel void softmax_backward(__global const float* y, __global const float* dy, __global float* dx, int cols) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0);
    int l = get_local_id(0);
    long o = (long) r * cols;
    float dot = 0.0f;
    for (int j = l; j < cols; j += ROW_WG) {
        dot += dy[o + j] * y[o + j];
    }
    dot = wg_sum(scratch, dot);
    for (int j = l; j < cols; j += ROW_WG) {
        dx[o + j] = y[o + j] * (dy[o + j] - dot);
    }
}

/* out[r] = scale * sum_j x[r, j] (scale 1 for sum, 1/cols for mean); global (ROW_WG * rows), local ROW_WG */
__kernel void sum_rows(__global const float* x, __global float* out, int cols, float scale) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0);
    int l = get_local_id(0);
    long o = (long) r * cols;
    float s = 0.0f;
    for (int j = l; j < cols; j += ROW_WG) {
        s += x[o + j];
    }
    s = wg_sum(scratch, s);
    if (l == 0) {
        out[r] = s * scale;
    }
}

__kernel void max_rows(__global const float* x, __global float* out, int cols) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0);
    int l = get_local_id(0);
    long o = (long) r * cols;
    float m = -INFINITY;
    for (int j = l; j < cols; j += ROW_WG) {
        m = neu_max(m, x[o + j]);
    }
    m = wg_max(scratch, m);
    if (l == 0) {
        out[r] = m;
    }
}

/* out[j] = scale * sum_r x[r, j]; global (cols) */
__kernel void sum_cols(__global const float* x, __global float* out, int rows, int cols, float scale) {
    int j = get_global_id(0);
    if (j < cols) {
        float s = 0.0f;
        for (int r = 0; r < rows; r++) {
            s += x[(long) r * cols + j];
        }
        out[j] = s * scale;
    }
}

__kernel void max_cols(__global const float* x, __global float* out, int rows, int cols) {
    int j = get_global_id(0);
    if (j < cols) {
        float m = -INFINITY;
        for (int r = 0; r < rows; r++) {
            m = neu_max(m, x[(long) r * cols + j]);
        }
        out[j] = m;
    }
}

/* The first index of each row's largest element (NaNs never win, as on the CPU); global (rows) */
__kernel void argmax_rows(__global const float* x, __global float* out, int rows, int cols) {
    int r = get_global_id(0);
    if (r < rows) {
        long o = (long) r * cols;
        int best = 0;
        float bv = x[o];
        for (int j = 1; j < cols; j++) {
            float v = x[o + j];
            if (v > bv || (isnan(v) && !isnan(bv))) {   /* the first NaN wins, as NumPy's argmax */
                bv = v;
                best = j;
            }
        }
        out[r] = (float) best;
    }
}

/*
 * First stage of a large sum: partial[g] = the sum of the elements g * ROW_WG + l + k * groups * ROW_WG.
 * global (groups * ROW_WG), local ROW_WG; sum_all then adds the partials.
 */
__kernel void sum_partial(__global const float* x, int n, int groups, __global float* partial) {
    __local float scratch[ROW_WG];
    int l = get_local_id(0);
    int g = get_group_id(0);
    long stride = (long) groups * ROW_WG;
    float s = 0.0f;
    for (long i = (long) g * ROW_WG + l; i < n; i += stride) {
        s += x[i];
    }
    s = wg_sum(scratch, s);
    if (l == 0) {
        partial[g] = s;
    }
}

/* out[0] = scale * sum of x[0..n); one work-group of ROW_WG items. */
__kernel void sum_all(__global const float* x, int n, float scale, __global float* out) {
    __local float scratch[ROW_WG];
    int l = get_local_id(0);
    float s = 0.0f;
    for (int i = l; i < n; i += ROW_WG) {
        s += x[i];
    }
    s = wg_sum(scratch, s);
    if (l == 0) {
        out[0] = s * scale;
    }
}

/*
 * What the host needs to trust x as an index tensor: out[0] = 1 if some element is not a non-negative
 * integer (or is NaN), else 0; out[1] = the largest element (0 when n is 0). One work-group of ROW_WG items.
 */
__kernel void index_stats(__global const float* x, int n, __global float* out) {
    __local float scratch[ROW_WG];
    int l = get_local_id(0);
    float bad = 0.0f;
    float m = 0.0f;
    for (int i = l; i < n; i += ROW_WG) {
        float v = x[i];
        if (!(v >= 0.0f) || v != floor(v)) {
            bad = 1.0f;
        } else {
            m = fmax(m, v);
        }
    }
    bad = wg_max(scratch, bad);
    m = wg_max(scratch, m);
    if (l == 0) {
        out[0] = bad;
        out[1] = m;
    }
}
