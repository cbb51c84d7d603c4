/* Optimizer updates, in place, one work-item per parameter; the same arithmetic as the CPU backend's. */

__kernel void sgd(__global float* w, __global const float* g, float lr, int n) {
    int i = get_global_id(0);
    if (i < n) {
        w[i] = fma(-lr, g[i], w[i]);
    }
}

__kernel void sgd_momentum(__global float* w, __global const float* g, __global float* vel, float lr, float momentum,
                         int nesterov, int n) {
    int i = get_global_id(0);
    if (i < n) {
        float v = momentum * vel[i] - lr * g[i];
        vel[i] = v;
        w[i] += nesterov ? momentum * v - lr * g[i] : v;
    }
}

__kernel void adam(__global float* w, __global const float* g, __global float* m, __global float* v, float lrT, float beta1,
                 float beta2, float epsilon, float decay, int n) {
    int i = get_global_id(0);
    if (i < n) {
        float gi = g[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i] - decay * w[i] - lrT * mi / (sqrt(vi) + epsilon);
    }
}

__kernel void nadam(__global float* w, __global const float* g, __global float* m, __global float* v, float lr, float beta1,
                  float beta2, float epsilon, float cm, float cg, float vc, int n) {
    int i = get_global_id(0);
    if (i < n) {
        float gi = g[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= lr * (cm * mi + cg * gi) / (sqrt(vi / vc) + epsilon);
    }
}

__kernel void rmsprop(__global float* w, __global const float* g, __global float* s, float lr, float rho, float epsilon,
                    int n) {
    int i = get_global_id(0);
    if (i < n) {
        float gi = g[i];
        float si = rho * s[i] + (1.0f - rho) * gi * gi;
        s[i] = si;
        w[i] -= lr * gi / sqrt(si + epsilon);
    }
}

__kernel void adagrad(__global float* w, __global const float* g, __global float* acc, float lr, float epsilon, int n) {
    int i = get_global_id(0);
    if (i < n) {
        float gi = g[i];
        float a = acc[i] + gi * gi;
        acc[i] = a;
        w[i] -= lr * gi / sqrt(a + epsilon);
    }
}
