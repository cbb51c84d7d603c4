package org.neurite.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Activation;
import org.neurite.tensor.spi.Availability;
import org.neurite.tensor.Backend;
import org.neurite.tensor.BackendInfo;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** The provider, the spec, the program cache and the memory pool, on whatever OpenCL device is here. */
class OpenClBackendTest {

    @Test
    void probeNeverThrowsAndRanksCpuOnlyOpenClBelowTheCpuBackend() {
        OpenClBackendProvider p = new OpenClBackendProvider();
        Availability a = p.probe();
        assertNotNull(a.detail());
        BackendInfo info = Backends.list().stream().filter(i -> i.name().equals("opencl")).findFirst().orElseThrow();
        assertEquals(a.available(), info.availability().available());
        if (a.available()) {
            boolean accelerator = ClDevice.all().stream().anyMatch(d -> d.type() != ClDevice.Type.CPU);
            assertEquals(accelerator ? 50 : -10, p.priority());
        }
    }

    @Test
    void withoutSignalChainingPoclIsNotStarted() {
        OpenClTestSupport.device();
        assertTrue(SignalChaining.active(), "the build preloads libjsig into test JVMs");
        ClDevice.Discovery found = ClDevice.discover(false);
        for (ClDevice d : ClDevice.all()) {
            boolean safe = SignalChaining.safeWithout(d.platformName());
            assertEquals(safe, found.devices().stream().anyMatch(f -> f.name().equals(d.name())), d::describe);
            if (!safe) {
                assertTrue(found.skipped().stream().anyMatch(r -> r.contains(d.platformName()) && r.contains("libjsig.so")),
                        found.skipped()::toString);
            }
        }
    }

    @Test
    void specsSelectDevicesAndBadOnesListThem() {
        ClDevice d = OpenClTestSupport.device();
        try (Backend b = Backends.create("opencl:" + d.platformIndex() + ":" + d.deviceIndex())) {
            assertEquals("opencl", b.name());
            assertTrue(b.device().contains(d.name()), b::device);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.create("opencl:99:0"));
        assertTrue(e.getMessage().contains("no device 99:0") && e.getMessage().contains(d.name()), e::getMessage);
    }

    @Test
    void programBinariesAreCachedOnDiskAndACorruptEntryIsRebuilt(@TempDir Path dir) throws IOException {
        ClDevice d = OpenClTestSupport.device();
        ClGemm.Config config = ClGemm.Config.forDevice(d);
        float[] expected;
        try (OpenClBackend first = new OpenClBackend(d, config, new ClProgramCache(dir))) {
            expected = runSomething(first);
            assertTrue(first.programsBuiltFromSource() > 0);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".bin")).toList();
        }
        assertEquals(2, files.size(), files::toString);   // gemm and elementwise
        try (OpenClBackend second = new OpenClBackend(d, config, new ClProgramCache(dir))) {
            assertArrayEquals(expected, runSomething(second));
            assertEquals(0, second.programsBuiltFromSource());
        }
        for (Path f : files) {
            Files.write(f, new byte[] {1, 2, 3});
        }
        try (OpenClBackend third = new OpenClBackend(d, config, new ClProgramCache(dir))) {
            assertArrayEquals(expected, runSomething(third));
            assertEquals(2, third.programsBuiltFromSource());
        }
    }

    private static float[] runSomething(Backend b) {
        try (TensorScope s = new TensorScope(b)) {
            Tensor x = s.tensor(new float[] {1, -2, 3, -4, 5, -6}, 2, 3);
            Tensor w = s.tensor(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
            Tensor y = s.zeros(2, 2);
            b.kernels().gemm(false, false, 1f, x, w, 0f, y, null, Activation.relu());
            b.kernels().activate(Activation.tanh(), y, y);
            return y.toFloatArray();
        }
    }

    /**
     * Thousands of training-style steps (GEMM with epilogue, loss and gradient with sparse labels, the
     * backward GEMMs, a bias gradient, Adam) with per-step temporaries: after the first step, no buffer
     * is created on the device any more, and the bytes held stay flat.
     */
    @Test
    void deviceMemoryStaysFlatOverManySteps() {
        try (OpenClBackend b = OpenClTestSupport.backend(); TensorScope params = new TensorScope(b)) {
            Kernels k = b.kernels();
            int batch = 16;
            int in = 20;
            int classes = 5;
            java.util.SplittableRandom r = new java.util.SplittableRandom(3);
            float[] xs = new float[batch * in];
            float[] ys = new float[batch];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) r.nextDouble(-1, 1);
            }
            for (int i = 0; i < batch; i++) {
                ys[i] = r.nextInt(classes);
            }
            Tensor x = params.tensor(xs, batch, in);
            Tensor y = params.tensor(ys, batch);
            float[] w0 = new float[in * classes];
            for (int i = 0; i < w0.length; i++) {
                w0[i] = (float) r.nextDouble(-0.1, 0.1);
            }
            Tensor w = params.tensor(w0, in, classes);
            Tensor bias = params.zeros(classes);
            Tensor mw = params.zeros(in, classes);
            Tensor vw = params.zeros(in, classes);
            Tensor mb = params.zeros(classes);
            Tensor vb = params.zeros(classes);
            LossFunction ce = LossFunction.sparseCategoricalCrossEntropy(true);
            long liveBefore = b.liveBytes();
            long deviceAfterFirst = -1;
            float firstLoss = 0;
            float lastLoss = 0;
            for (int step = 1; step <= 3000; step++) {
                try (TensorScope s = new TensorScope(b)) {
                    Tensor logits = s.zeros(batch, classes);
                    k.gemm(false, false, 1f, x, w, 0f, logits, bias, Activation.identity());
                    Tensor loss = s.zeros(1);
                    k.loss(ce, logits, y, loss);
                    Tensor g = s.zeros(batch, classes);
                    k.lossGradient(ce, logits, y, g);
                    Tensor gw = s.zeros(in, classes);
                    k.gemm(true, false, 1f, x, g, 0f, gw);
                    Tensor gb = s.zeros(classes);
                    k.sum(g, 0, gb);
                    k.adamUpdate(w, gw, mw, vw, 0.01f, 0.9f, 0.999f, 1e-7f, step, 0f);
                    k.adamUpdate(bias, gb, mb, vb, 0.01f, 0.9f, 0.999f, 1e-7f, step, 0f);
                    if (step == 1) {
                        firstLoss = loss.item();
                    }
                    if (step == 3000) {
                        lastLoss = loss.item();
                    }
                }
                assertEquals(liveBefore, b.liveBytes(), "live bytes after step " + step);
                if (step == 1) {
                    deviceAfterFirst = b.deviceBytes();
                } else {
                    assertEquals(deviceAfterFirst, b.deviceBytes(), "device bytes after step " + step);
                }
            }
            assertTrue(lastLoss < firstLoss / 4, "training did not train: " + firstLoss + " -> " + lastLoss);
        }
    }

    /** The epilogue kernel that only the CUDA backend's cuBLAS path launches, checked here on OpenCL. */
    @Test
    void theStandaloneEpilogueAddsTheBiasAndActivates() {
        try (OpenClBackend b = OpenClTestSupport.backend(); TensorScope s = new TensorScope(b)) {
            org.neurite.tensor.device.DeviceTensor c =
                    (org.neurite.tensor.device.DeviceTensor) s.tensor(new float[] {-1, 2, 3, -4, 5, -6}, 2, 3);
            org.neurite.tensor.device.DeviceTensor bias =
                    (org.neurite.tensor.device.DeviceTensor) s.tensor(new float[] {0.5f, -3f, 1f}, 3);
            b.launch("elementwise", "bias_activate", new long[] {3, 2}, new long[] {64, 4}, c.buffer(), bias.buffer(), 1,
                    Activation.Kind.RELU.ordinal(), 0f, 3, 2);
            assertArrayEquals(new float[] {0, 0, 4, 0, 2, 0}, c.toFloatArray());
        }
    }

    @Test
    void badClassIndicesAreFoundEvenAfterAValidUse() {
        try (OpenClBackend b = OpenClTestSupport.backend(); TensorScope s = new TensorScope(b)) {
            Tensor logits = s.zeros(2, 3);
            Tensor labels = s.tensor(new float[] {0, 2}, 2);
            Tensor out = s.zeros(1);
            LossFunction ce = LossFunction.sparseCategoricalCrossEntropy(true);
            b.kernels().loss(ce, logits, labels, out);
            assertEquals(Math.log(3), out.item(), 1e-6);
            labels.copyFrom(new float[] {0, 3});
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> b.kernels().loss(ce, logits, labels, out));
            assertTrue(e.getMessage().contains("class index of row 1 3.0"), e::getMessage);
            // A gathered batch inherits its source's bound, and a kernel writing the source voids it.
            Tensor all = s.tensor(new float[] {2, 1, 0, 1}, 4);
            Tensor order = s.tensor(new float[] {3, 2, 1, 0}, 4);
            Tensor batch = s.zeros(2);
            b.kernels().gatherRows(all, order, 0, batch);
            b.kernels().loss(ce, logits, batch, out);
            b.kernels().fill(all, 7f);
            b.kernels().gatherRows(all, order, 2, batch);
            assertThrows(IndexOutOfBoundsException.class, () -> b.kernels().loss(ce, logits, batch, out));
            b.kernels().scale(0f, batch);
            b.kernels().loss(ce, logits, batch, out);
            assertEquals(Math.log(3), out.item(), 1e-6);
        }
    }
}
