package org.neurite.cpu;

import org.neurite.tensor.Activation;

/** Plain loops: the fallback without the Vector API, and the base the vectorized ops extend. */
class ScalarOps implements ElementOps {

    @Override
    public void activate(Activation f, float[] x, float[] y, int from, int to) {
        Activation.Kind kind = f.kind();
        float alpha = f.alpha();
        for (int i = from; i < to; i++) {
            y[i] = ScalarMath.activate(kind, alpha, x[i]);
        }
    }

    @Override
    public void activateBackward(Activation f, float[] y, float[] dy, float[] dx, int from, int to) {
        Activation.Kind kind = f.kind();
        float alpha = f.alpha();
        for (int i = from; i < to; i++) {
            dx[i] = dy[i] * ScalarMath.derivative(kind, alpha, y[i]);
        }
    }

    @Override
    public void biasActivate(float[] c, int off, float[] bias, int biasOff, int n, Activation f) {
        if (bias != null) {
            for (int j = 0; j < n; j++) {
                c[off + j] += bias[biasOff + j];
            }
        }
        if (f.kind() != Activation.Kind.IDENTITY) {
            activate(f, c, c, off, off + n);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] *= alpha;
        }
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] + b[i];
        }
    }

    @Override
    public void multiply(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public float sum(float[] x, int from, int to) {
        float s = 0;
        for (int i = from; i < to; i++) {
            s += x[i];
        }
        return s;
    }

    @Override
    public double expShiftSum(float[] x, int off, int n, float shift, float[] out, int outOff) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[off + j] - shift);
            if (out != null) {
                out[outOff + j] = e;
            }
            sum += e;
        }
        return sum;
    }

    @Override
    public float max(float[] x, int from, int to) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            // NaN wins, as in NumPy: a NaN in the data should not vanish in a reduction.
            if (x[i] > m || Float.isNaN(x[i])) {
                m = x[i];
                if (Float.isNaN(m)) {
                    return m;
                }
            }
        }
        return m;
    }

    @Override
    public void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float lrT, float beta1,
                     float beta2, float epsilon, float decay) {
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + c1 * gi;
            float vi = beta2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] - decay * w[i] - lrT * mi / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    @Override
    public void sgdMomentum(float[] w, float[] g, float[] vel, int from, int to, float lr, float momentum,
                            boolean nesterov) {
        for (int i = from; i < to; i++) {
            float v = momentum * vel[i] - lr * g[i];
            vel[i] = v;
            w[i] += nesterov ? momentum * v - lr * g[i] : v;
        }
    }

    @Override
    public void rmsprop(float[] w, float[] g, float[] s, int from, int to, float lr, float rho, float epsilon) {
        float c = 1 - rho;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float si = rho * s[i] + c * gi * gi;
            s[i] = si;
            w[i] -= lr * gi / (float) Math.sqrt(si + epsilon);
        }
    }

    @Override
    public void adagrad(float[] w, float[] g, float[] acc, int from, int to, float lr, float epsilon) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float a = acc[i] + gi * gi;
            acc[i] = a;
            w[i] -= lr * gi / (float) Math.sqrt(a + epsilon);
        }
    }
}
