/*
 * Row-wise kernels (softmax and row reductions: one work-group of ROW_WG items per row), column
 * reductions (one work-item per column), and whole-tensor reductions (one work-group).
 */

/* global (ROW_WG * rows), local ROW_WG */
kernel void softmax(global const float* x, global float* y, int cols) {
    local float scratch[ROW_WG];
    int r = get_group_id(0);
    int l = get_local_id(0);
    global const float* xr = x + (long) r * cols;
    global float* yr = y + (long) r * cols;
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
kernel void softmax_backward(global const float* y, global const float* dy, global float* dx, int cols) {
    local float scratch[ROW_WG];
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
kernel void sum_rows(global const float* x, global float* out, int cols, float scale) {
    local float scratch[ROW_WG];
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

kernel void max_rows(global const float* x, global float* out, int cols) {
    local float scratch[ROW_WG];
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
kernel void sum_cols(global const float* x, global float* out, int rows, int cols, float scale) {
    int j = get_global_id(0);
    if (j < cols) {
        float s = 0.0f;
        for (int r = 0; r < rows; r++) {
            s += x[(long) r * cols + j];
        }
        out[j] = s * scale;
    }
}

kernel void max_cols(global const float* x, global float* out, int rows, int cols) {
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
kernel void argmax_rows(global const float* x, global float* out, int rows, int cols) {
    int r = get_global_id(0);
    if (r < rows) {
        long o = (long) r * cols;
        int best = 0;
        float bv = x[o];
        for (int j = 1; j < cols; j++) {
            float v = x[o + j];
            if (v > bv) {
                bv = v;
                best = j;
            }
        }
        out[r] = (float) best;
    }
}

/* out[0] = scale * sum of x[0..n); one work-group of ROW_WG items. */
kernel void sum_all(global const float* x, int n, float scale, global float* out) {
    local float scratch[ROW_WG];
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
kernel void index_stats(global const float* x, int n, global float* out) {
    local float scratch[ROW_WG];
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
