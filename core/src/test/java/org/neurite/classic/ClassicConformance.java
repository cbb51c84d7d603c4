package org.neurite.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.conformance.ConformanceBase;
import org.neurite.nn.Adam;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Loss;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Tensor;

/** Threshold logic units, the perceptron and Hebb's rule against their known results, on a backend. */
public abstract class ClassicConformance extends ConformanceBase {
    private static final float[] TRUTH = {0, 0, 0, 1, 1, 0, 1, 1};
    private static final float[] XOR = {0, 1, 1, 0};

    @Test
    void thresholdLogicUnitsComputeTheirTruthTables() {
        assertArrayEquals(new float[] {0, 1}, ThresholdLogicUnit.identity().apply(backend, new float[] {0, 1}, 2));
        assertArrayEquals(new float[] {0, 0, 0, 1}, ThresholdLogicUnit.and(2).apply(backend, TRUTH, 4));
        assertArrayEquals(new float[] {0, 1, 1, 1}, ThresholdLogicUnit.or(2).apply(backend, TRUTH, 4));
        assertArrayEquals(new float[] {0, 0, 1, 0}, ThresholdLogicUnit.andNot().apply(backend, TRUTH, 4));
        float[] three = {1, 1, 1, 1, 1, 0, 0, 1, 1};
        assertArrayEquals(new float[] {1, 0, 0}, ThresholdLogicUnit.and(3).apply(backend, three, 3));
    }

    /** Iris (Fisher 1936), petal length and width, label 1 for setosa: the classic separable case. */
    static float[][] irisSetosaVsRest() throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ClassicConformance.class.getResourceAsStream("/data/iris.csv"), StandardCharsets.UTF_8))) {
            in.readLine();   // "150,4,setosa,versicolor,virginica"
            for (String line; (line = in.readLine()) != null && !line.isBlank(); ) {
                String[] f = line.split(",");
                rows.add(new float[] {Float.parseFloat(f[2]), Float.parseFloat(f[3]), f[4].trim().equals("0") ? 1 : 0});
            }
        }
        float[] x = new float[rows.size() * 2];
        float[] y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            x[2 * i] = rows.get(i)[0];
            x[2 * i + 1] = rows.get(i)[1];
            y[i] = rows.get(i)[2];
        }
        return new float[][] {x, y};
    }

    @Test
    void perceptronSeparatesIrisSetosaFromTheRest() throws IOException {
        float[][] iris = irisSetosaVsRest();
        assertEquals(150, iris[1].length);
        Perceptron p = new Perceptron(2, Activation.heaviside(), 0.1f, 42);
        List<Integer> mistakes = p.fit(iris[0], iris[1], 100);
        assertEquals(0, mistakes.get(mistakes.size() - 1), "did not converge: " + mistakes);
        assertArrayEquals(iris[1], p.predict(backend, iris[0], 150));
    }

    @Test
    void perceptronWithSignOutputLearnsBipolarOr() {
        float[] x = {-1, -1, -1, 1, 1, -1, 1, 1};
        float[] y = {-1, 1, 1, 1};
        Perceptron p = new Perceptron(2, Activation.sign(), 0.5f, 1);
        List<Integer> mistakes = p.fit(x, y, 50);
        assertEquals(0, mistakes.get(mistakes.size() - 1), mistakes.toString());
        assertArrayEquals(y, p.predict(backend, x, 4));
    }

    @Test
    void perceptronCannotLearnXorButABackpropNetworkCan() {
        Perceptron p = new Perceptron(2, Activation.heaviside(), 0.1f, 7);
        List<Integer> mistakes = p.fit(TRUTH, XOR, 200);
        assertEquals(200, mistakes.size(), "a perceptron claimed to separate XOR");
        assertTrue(mistakes.stream().allMatch(m -> m > 0), mistakes.toString());
        try (Tensor x = backend.tensor(TRUTH, 4, 2); Tensor y = backend.tensor(XOR, 4, 1);
             Sequential mlp = new Sequential(backend, 2, 1, new Dense(4, "tanh"), new Dense(1, "sigmoid"))) {
            mlp.compile(Loss.binaryCrossEntropy(), new Adam(0.05f));
            mlp.fit(x, y, FitOptions.epochs(400).batchSize(4));
            float[] out = mlp.predict(x, 4);
            for (int i = 0; i < 4; i++) {
                assertEquals(XOR[i], out[i] > 0.5f ? 1f : 0f, "MLP on XOR row " + i + ": " + out[i]);
            }
        }
    }

    @Test
    void hebbsRuleLearnsBipolarAndAndOrInOnePass() {
        float[] x = {-1, -1, -1, 1, 1, -1, 1, 1};
        float[] and = {-1, -1, -1, 1};
        float[] or = {-1, 1, 1, 1};
        for (float[] target : new float[][] {and, or}) {
            HebbianUnit h = new HebbianUnit(2, 1f);
            h.train(x, target);
            for (int i = 0; i < 4; i++) {
                assertEquals(target[i], h.predict(new float[] {x[2 * i], x[2 * i + 1]}), "row " + i);
            }
        }
        HebbianUnit xor = new HebbianUnit(2, 1f);
        xor.train(x, new float[] {-1, 1, 1, -1});
        assertArrayEquals(new float[] {0, 0}, xor.weights(), "XOR's correlations cancel: Hebb learns nothing");
    }
}
