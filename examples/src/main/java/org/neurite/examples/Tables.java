package org.neurite.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.neurite.examples.data.Csv;
import org.neurite.examples.data.SklearnData;
import org.neurite.examples.data.Split;

/** The Boston house prices table split and standardized the same way for every regression example. */
final class Tables {
    private Tables() {
    }

    /** Standardized train/test features and targets; {@code baselineRmse} is the mean predictor's test RMSE. */
    record Regression(float[] xTrain, float[] yTrain, float[] xTest, float[] yTest, int features, double baselineRmse) {
        int trainRows() {
            return yTrain.length;
        }

        int testRows() {
            return yTest.length;
        }
    }

    /** Boston: 13 features, the median value (in $1000s) as target; 80% train, 20% test, seeded. */
    static Regression boston(Path dir, long seed) throws IOException {
        Csv.Table t = Csv.read(SklearnData.locate(dir, "boston_house_prices.csv"), 2);
        int features = t.cols() - 1;
        float[] x = t.columns(0, features);
        float[] y = t.column(features);
        int[] order = Split.permutation(t.rows(), seed);
        int train = (int) Math.round(t.rows() * 0.8);
        float[] xTrain = Split.rows(x, features, order, 0, train);
        float[] xTest = Split.rows(x, features, order, train, t.rows());
        float[] yTrain = Split.rows(y, 1, order, 0, train);
        float[] yTest = Split.rows(y, 1, order, train, t.rows());
        Split.StandardScaler scaler = Split.StandardScaler.fit(xTrain, features);
        double mean = 0;
        for (float v : yTrain) {
            mean += v / yTrain.length;
        }
        double mse = 0;
        for (float v : yTest) {
            mse += (v - mean) * (v - mean) / yTest.length;
        }
        return new Regression(scaler.transform(xTrain), yTrain, scaler.transform(xTest), yTest, features, Math.sqrt(mse));
    }
}
