/*
 * Losses: per-element or per-row terms into a scratch buffer, which the host then sums with sum_all
 * (scaled by 1/n or 1/rows), and the gradients of the mean loss. Kinds are the ordinals of
 * org.neurite.tensor.LossFunction.Kind; definitions match the CPU backend's CpuLosses.
 */
#define LOSS_MSE 0
#define LOSS_MAE 1
#define LOSS_HUBER 2
#define LOSS_BCE 3
#define LOSS_CCE 4
#define LOSS_SCCE 5
#define EPS 1e-7f

DEVICE_FN float clip_probability(float q) {
    return isnan(q) ? q : fmin(fmax(q, EPS), 1.0f - EPS);   /* fmin/fmax drop NaN: keep it */
}

/* sign() maps NaN to 0; the gradient must keep it, as Java's Math.signum does */
DEVICE_FN float neu_sign_nan(float e) {
    return isnan(e) ? e : sign(e);
}

__kernel void loss_terms_elem(int kind, int fromLogits, float delta, __global const float* p, __global const float* t,
                            __global float* terms, int n) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float e = p[i] - t[i];
    float v;
    switch (kind) {
        case LOSS_MSE: v = e * e; break;
        case LOSS_MAE: v = fabs(e); break;
        case LOSS_HUBER: {
            float a = fabs(e);
            v = a <= delta ? 0.5f * a * a : delta * (a - 0.5f * delta);
            break;
        }
        case LOSS_BCE:
            if (fromLogits) {
                float z = p[i];
                v = fmax(z, 0.0f) - z * t[i] + log1p(exp(-fabs(z)));
            } else {
                float q = clip_probability(p[i]);
                v = -(t[i] * log(q) + (1.0f - t[i]) * log(1.0f - q));
            }
            break;
        default: v = NAN;
    }
    terms[i] = v;
}

__kernel void loss_grad_elem(int kind, int fromLogits, float delta, __global const float* p, __global const float* t,
                           __global float* g, int n) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float e = p[i] - t[i];
    float v;
    switch (kind) {
        case LOSS_MSE: v = 2.0f * e; break;
        case LOSS_MAE: v = neu_sign_nan(e); break;
        case LOSS_HUBER: v = fabs(e) <= delta ? e : delta * neu_sign_nan(e); break;
        case LOSS_BCE:
            if (fromLogits) {
                v = neu_sigmoid(p[i]) - t[i];
            } else {
                float q = p[i];
                v = (q < EPS || q > 1.0f - EPS) ? 0.0f : (q - t[i]) / (q * (1.0f - q));
            }
            break;
        default: v = NAN;
    }
    g[i] = v / n;
}

/* The target of element (r, j): one-hot from a class index when sparse. */
DEVICE_FN float target_of(int sparse, __global const float* t, int r, int j, int cols) {
    return sparse ? ((int) t[r] == j ? 1.0f : 0.0f) : t[(long) r * cols + j];
}

/* log(sum(exp(row))), stably; every item of the work-group gets it. */
DEVICE_FN float row_log_sum_exp(LOCAL_ARG float* scratch, __global const float* pr, int cols) {
    int l = get_local_id(0);
    float m = -INFINITY;
    for (int j = l; j < cols; j += ROW_WG) {
        m = neu_max(m, pr[j]);
    }
    m = wg_max(scratch, m);
    float s = 0.0f;
    for (int j = l; j < cols; j += ROW_WG) {
        s += exp(pr[j] - m);
    }
    s = wg_sum(scratch, s);
    return m + log(s);
}

/*
 * The sum of row r's predictions (of the clipped ones if clipped); every item of the work-group gets it. Keras 3
 * rescales a row of probabilities to sum 1 before categorical cross-entropy, and sparse categorical cross-entropy
 * on probabilities is -log_softmax(log(clip(p)))[y] = -log(clip(p_y)) + log(sum clip(p)).
 */
DEVICE_FN float row_sum(LOCAL_ARG float* scratch, __global const float* pr, int cols, int clipped) {
    int l = get_local_id(0);
    float s = 0.0f;
    for (int j = l; j < cols; j += ROW_WG) {
        s += clipped ? clip_probability(pr[j]) : pr[j];
    }
    return wg_sum(scratch, s);
}

/* Cross-entropy of each row into terms[r]; global (ROW_WG * rows), local ROW_WG. Class indices validated. */
__kernel void loss_terms_rows(int sparse, int fromLogits, __global const float* p, __global const float* t,
                            __global float* terms, int cols) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0);
    int l = get_local_id(0);
    __global const float* pr = p + (long) r * cols;
    /* Both reductions run unconditionally: PoCL mishandles work-group barriers reached through two differently
       guarded calls in a row (the values came back wrong), and a uniform call costs one pass over a short row. */
    float lse = row_log_sum_exp(scratch, pr, cols);
    float sum = row_sum(scratch, pr, cols, sparse);
    if (fromLogits) {
        sum = 1.0f;
    } else {
        lse = 0.0f;
    }
    float scale = sparse ? 1.0f : sum;   /* categorical: q = p / sum; sparse: q = clip(p), log(sum) added */
    float s = 0.0f;
    for (int j = l; j < cols; j += ROW_WG) {
        float target = target_of(sparse, t, r, j, cols);
        /* zero targets add nothing (no 0 * -inf), but a NaN prediction makes the row NaN, as on the CPU */
        if (target != 0.0f || isnan(pr[j])) {
            s -= (isnan(pr[j]) ? 1.0f : target) * (fromLogits ? pr[j] - lse : log(clip_probability(pr[j] / scale)));
        }
    }
    s = wg_sum(scratch, s);
    if (l == 0) {
        terms[r] = s + (!fromLogits && sparse ? log(sum) : 0.0f);
    }
}

__kernel void loss_grad_rows(int sparse, int fromLogits, __global const float* p, __global const float* t,
                           __global float* g, int rows, int cols) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0);
    int l = get_local_id(0);
    __global const float* pr = p + (long) r * cols;
    __global float* gr = g + (long) r * cols;
    float lse = row_log_sum_exp(scratch, pr, cols);   /* unconditional: see loss_terms_rows */
    float sum = row_sum(scratch, pr, cols, sparse);
    if (fromLogits) {
        sum = 1.0f;
    }
    /* categorical on probabilities: d/dp_k = (A - m_k t_k / q_k) / sum, q = p / sum, m the clip's mask,
       A = sum_j m_j t_j; sparse: m_k (1 / sum - [k = y] / c_k) with c = clip(p), sum = sum c */
    float a = 0.0f;
    for (int j = l; j < cols; j += ROW_WG) {
        float q = pr[j] / sum;
        if (q >= EPS && q <= 1.0f - EPS) {
            a += target_of(sparse, t, r, j, cols);
        }
    }
    a = wg_sum(scratch, a);   /* unconditional, as the reductions above; used by categorical on probabilities */
    for (int j = l; j < cols; j += ROW_WG) {
        float target = target_of(sparse, t, r, j, cols);
        float v;
        if (fromLogits) {
            v = exp(pr[j] - lse) - target;
        } else if (sparse) {
            float q = pr[j];
            v = (q < EPS || q > 1.0f - EPS) ? 0.0f : 1.0f / sum - target / q;
        } else {
            float q = pr[j] / sum;
            float own = (q < EPS || q > 1.0f - EPS || target == 0.0f) ? 0.0f : target / q;
            v = (a - own) / sum;
        }
        gr[j] = v / rows;
    }
}
