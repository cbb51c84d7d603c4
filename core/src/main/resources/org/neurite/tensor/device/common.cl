/*
 * Shared by every kernel family (prepended to each program's source). Activation kinds are the ordinals
 * of org.neurite.tensor.Activation.Kind; the definitions match the CPU backend's ScalarMath.
 *
 * These sources are also the CUDA backend's: cuda-backend/src/main/cuda/opencl_compat.cuh defines
 * NEURITE_CUDA and maps the OpenCL C used here (kernel, global, local, barrier, get_global_id, ...) to
 * CUDA, so keep to that subset, write helper functions as DEVICE_FN, local-memory parameters as
 * LOCAL_ARG, and put OpenCL-only code (vector types) under #ifndef NEURITE_CUDA.
 */
#ifndef NEURITE_CUDA
#define DEVICE_FN inline
#define LOCAL_ARG __local
#define REQD_WG(x, y) __attribute__((reqd_work_group_size(x, y, 1)))
#define ZERO4 ((float4) (0.0f))
#endif
#define ACT_IDENTITY 0
#define ACT_HEAVISIDE 1
#define ACT_SIGN 2
#define ACT_SIGMOID 3
#define ACT_TANH 4
#define ACT_RELU 5
#define ACT_LEAKY_RELU 6
#define ACT_ELU 7
#define ACT_SELU 8
#define ACT_SOFTPLUS 9

#define SELU_SCALE 1.0507009873554804934193349852946f
#define SELU_ALPHA 1.6732632423543772848170429916717f

/* Work-group size of the kernels that reduce one row per work-group (a power of two, set by the host). */
#ifndef ROW_WG
#define ROW_WG 64
#endif

DEVICE_FN float neu_sigmoid(float x) {
    if (x >= 0.0f) {
        return 1.0f / (1.0f + exp(-x));
    }
    float e = exp(x);
    return e / (1.0f + e);
}

DEVICE_FN float neu_activate(int kind, float alpha, float x) {
    switch (kind) {
        case ACT_IDENTITY: return x;
        case ACT_HEAVISIDE: return x >= 0.0f ? 1.0f : (x < 0.0f ? 0.0f : NAN);
        case ACT_SIGN: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : (x == 0.0f ? 0.0f : NAN));
        case ACT_SIGMOID: return neu_sigmoid(x);
        case ACT_TANH: return tanh(x);
        /* x <= 0 is false for NaN: NaN takes the x branch and stays NaN (as everywhere in Neurite) */
        case ACT_RELU: return x <= 0.0f ? 0.0f : x;
        case ACT_LEAKY_RELU: return x <= 0.0f ? alpha * x : x;
        case ACT_ELU: return x <= 0.0f ? alpha * expm1(x) : x;
        case ACT_SELU: return SELU_SCALE * (x <= 0.0f ? SELU_ALPHA * expm1(x) : x);
        case ACT_SOFTPLUS: return fmax(x, 0.0f) + log1p(exp(-fabs(x)));
        default: return NAN;
    }
}

#ifndef NEURITE_CUDA
/* neu_activate on eight lanes at once (the GEMM epilogue); the same definitions, NaN handling included. */
DEVICE_FN float8 neu_activate8(int kind, float alpha, float8 x) {
    const float8 zero = (float8) (0.0f);
    const float8 one = (float8) (1.0f);
    switch (kind) {
        case ACT_IDENTITY: return x;
        case ACT_HEAVISIDE: return select(select(zero, one, x >= zero), x, isnan(x));
        case ACT_SIGN: return select(select(select(zero, -one, x < zero), one, x > zero), x, isnan(x));
        case ACT_SIGMOID: {
            float8 e = exp(-fabs(x));
            return select(e / (one + e), one / (one + e), x >= zero);
        }
        case ACT_TANH: return tanh(x);
        case ACT_RELU: return select(x, zero, x <= zero);
        case ACT_LEAKY_RELU: return select(x, alpha * x, x <= zero);
        case ACT_ELU: return select(x, alpha * expm1(x), x <= zero);
        case ACT_SELU: return SELU_SCALE * select(x, SELU_ALPHA * expm1(x), x <= zero);
        case ACT_SOFTPLUS: return fmax(x, zero) + log1p(exp(-fabs(x)));
        default: return (float8) (NAN);
    }
}
#endif

/* f'(x) expressed through the output y = f(x). */
DEVICE_FN float neu_derivative(int kind, float alpha, float y) {
    switch (kind) {
        case ACT_IDENTITY: return 1.0f;
        case ACT_HEAVISIDE:
        case ACT_SIGN: return isnan(y) ? NAN : 0.0f;
        case ACT_SIGMOID: return y * (1.0f - y);
        case ACT_TANH: return 1.0f - y * y;
        case ACT_RELU: return y > 0.0f ? 1.0f : (y <= 0.0f ? 0.0f : NAN);
        case ACT_LEAKY_RELU: return y > 0.0f ? 1.0f : (y <= 0.0f ? alpha : NAN);
        case ACT_ELU: return y > 0.0f ? 1.0f : y + alpha;
        case ACT_SELU: return y >= 0.0f ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;   /* selu'(0) = scale, as TF */
        case ACT_SOFTPLUS: return -expm1(-y);
        default: return NAN;
    }
}

/* The larger of two values, NaN winning (as NumPy's max): a NaN in the data must not vanish. */
DEVICE_FN float neu_max(float a, float b) {
    return (isnan(a) || a > b) ? a : b;
}

/*
 * Tree reductions over one work-group of ROW_WG items. Every item must call them (they hold barriers);
 * each returns the result to every item.
 */
DEVICE_FN float wg_sum(LOCAL_ARG float* scratch, float v) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_WG / 2; s > 0; s >>= 1) {
        if (l < s) {
            scratch[l] += scratch[l + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

DEVICE_FN float wg_max(LOCAL_ARG float* scratch, float v) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_WG / 2; s > 0; s >>= 1) {
        if (l < s) {
            scratch[l] = neu_max(scratch[l], scratch[l + s]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}
