package org.neurite.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** The GEMM autotuner: its candidates, its cache, and that every candidate computes correctly. */
class ClGemmTunerTest {
    private static ClDevice fake(ClDevice.Type type, long maxGroup) {
        return new ClDevice(0, 0, null, null, "P", "OpenCL 3.0", "some device", "1", "OpenCL 3.0", type, 8, 1L << 30,
                maxGroup);
    }

    @Test
    void candidatesStartWithTheTableAndFitTheWorkGroupLimit() {
        ClDevice gpu = fake(ClDevice.Type.GPU, 256);
        ClGemm.Config table = ClGemm.Config.forDevice(gpu);
        List<ClGemm.Config> c = ClGemmTuner.candidates(gpu, table);
        assertEquals(table, c.get(0));
        assertEquals(c.size(), c.stream().distinct().count());
        assertTrue(c.stream().anyMatch(x -> x.kind() == ClGemm.Kind.PACKED));
        ClDevice small = fake(ClDevice.Type.GPU, 64);
        for (ClGemm.Config x : ClGemmTuner.candidates(small, ClGemm.Config.forDevice(small))) {
            if (x.kind() == ClGemm.Kind.TILED) {
                assertTrue((x.tsm() / x.wptm()) * (x.tsn() / x.wptn()) <= 64, x::toString);
            }
        }
        assertTrue(ClGemmTuner.enabled(gpu));
        assertFalse(ClGemmTuner.enabled(fake(ClDevice.Type.CPU, 4096)));
    }

    @Test
    void configurationsSurviveTheirTextForm() {
        ClGemm.Config c = new ClGemm.Config(ClGemm.Kind.TILED, 4, 16, 128, 128, 128, 8, 8, 8);
        assertEquals(c, ClGemm.Config.parse(c.serialize()));
    }

    /** Every candidate the tuner may pick on this device multiplies odd shapes correctly, with transposes. */
    @Test
    void everyCandidateComputesTheProduct() {
        ClDevice d = OpenClTestSupport.device();
        SplittableRandom r = new SplittableRandom(5);
        int m = 67;
        int n = 45;
        int k = 33;
        float[] a = new float[k * m];
        float[] b = new float[n * k];
        float[] bias = new float[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
        for (int j = 0; j < n; j++) {
            bias[j] = (float) r.nextDouble(-1, 1);
        }
        double[] expected = new double[m * n];   // relu(2 A^T B^T + bias), A stored [k, m], B stored [n, k]
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[p * m + i] * b[j * k + p];
                }
                expected[i * n + j] = Math.max(0, 2 * s + bias[j]);
            }
        }
        for (ClGemm.Config c : ClGemmTuner.candidates(d, ClGemm.Config.forDevice(d))) {
            try (OpenClBackend be = new OpenClBackend(d, c, ClProgramCache.fromProperties());
                 TensorScope s = new TensorScope(be)) {
                Tensor ta = s.tensor(a, k, m);
                Tensor tb = s.tensor(b, n, k);
                Tensor tc = s.zeros(m, n);
                be.kernels().gemm(true, true, 2f, ta, tb, 0f, tc, s.tensor(bias, n), Activation.relu());
                float[] got = tc.toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], 1e-4, c + ": element " + i);
                }
            }
        }
    }

    @Test
    void theChoiceIsMeasuredOnceAndCached(@TempDir Path dir) throws Exception {
        ClDevice d = OpenClTestSupport.device();
        ClGemm.Config table = ClGemm.Config.forDevice(d);
        ClProgramCache cache = new ClProgramCache(dir);
        ClGemm.Config chosen = ClGemmTuner.tuned(d, table, cache);
        assertTrue(ClGemmTuner.candidates(d, table).contains(chosen), chosen::toString);
        Path file;
        try (Stream<Path> s = Files.list(dir)) {
            file = s.filter(p -> p.getFileName().toString().startsWith("gemm-tuned-")).findFirst().orElseThrow();
        }
        assertEquals(chosen, ClGemm.Config.parse(Files.readAllLines(file).get(0)));
        // A cached choice is used as it is, without measuring again.
        ClGemm.Config other = ClGemmTuner.candidates(d, table).stream().filter(c -> !c.equals(chosen)).findFirst()
                .orElseThrow();
        Files.writeString(file, other.serialize() + "\n");
        long t0 = System.nanoTime();
        assertEquals(other, ClGemmTuner.tuned(d, table, cache));
        assertTrue((System.nanoTime() - t0) / 1e6 < 500, "took a measurement instead of reading the cache");
    }
}
