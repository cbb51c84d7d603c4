package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * The cross-entropy gradient splits its rows over the threads once a batch is large enough: the split result
 * must equal the one-thread result exactly, and a bad label in the helper thread's rows must still surface,
 * naming its row.
 */
class CpuCrossEntropyTest {
    private static final int ROWS = 5_000;
    private static final int COLS = 10;

    @Test
    void gradientOnTwoThreadsEqualsOneThread() {
        SplittableRandom r = new SplittableRandom(11);
        float[] logits = new float[ROWS * COLS];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) r.nextDouble(-6, 6);
        }
        float[] labels = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = r.nextInt(COLS);
        }
        LossFunction f = LossFunction.sparseCategoricalCrossEntropy(true);
        float[][] grads = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            try (CpuBackend b = CpuBackend.builder().threads(threads).build(); TensorScope s = new TensorScope(b)) {
                Tensor g = s.zeros(Shape.of(ROWS, COLS));
                b.kernels().lossGradient(f, s.tensor(logits, ROWS, COLS), s.tensor(labels, ROWS), g);
                grads[threads - 1] = g.toFloatArray();
            }
        }
        for (int i = 0; i < grads[0].length; i++) {
            assertEquals(grads[0][i], grads[1][i], "element " + i);
        }
        // each row of softmax - one-hot sums to 0
        for (int row = 0; row < ROWS; row += 997) {
            double sum = 0;
            for (int j = 0; j < COLS; j++) {
                sum += grads[1][row * COLS + j];
            }
            assertEquals(0, sum, 1e-9, "row " + row);
        }
    }

    @Test
    void aBadLabelInTheHelperThreadsRowsIsReported() {
        float[] labels = new float[ROWS];
        labels[ROWS - 1] = COLS;   // one past the last class, in the second half
        try (CpuBackend b = CpuBackend.builder().threads(2).build(); TensorScope s = new TensorScope(b)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> b.kernels().lossGradient(LossFunction.sparseCategoricalCrossEntropy(true),
                            s.zeros(Shape.of(ROWS, COLS)), s.tensor(labels, ROWS), s.zeros(Shape.of(ROWS, COLS))));
            assertTrue(e.getMessage().contains("class index of row " + (ROWS - 1) + " 10.0"), e.getMessage());
        }
    }
}
