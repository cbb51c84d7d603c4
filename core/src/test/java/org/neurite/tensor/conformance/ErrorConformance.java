package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** Bad input gets a clear exception naming the operation and the offending values, on every backend. */
public abstract class ErrorConformance extends ConformanceBase {

    private static <T extends Throwable> void fails(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    () -> "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void gemmNamesBothShapesWhenInnerDimensionsDiffer() {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor a = s.zeros(32, 784);
            Tensor b = s.zeros(300, 100);
            Tensor c = s.zeros(32, 100);
            fails(IllegalArgumentException.class, () -> kernels.gemm(false, false, 1f, a, b, 0f, c),
                    "gemm: inner dimensions differ: [32, 784] x [300, 100]");
            Tensor bt = s.zeros(100, 784);
            Tensor wrong = s.zeros(32, 99);
            fails(IllegalArgumentException.class, () -> kernels.gemm(false, true, 1f, a, bt, 0f, wrong),
                    "gemm", "[32, 99]", "[32, 100]");
            fails(IllegalArgumentException.class,
                    () -> kernels.gemm(false, true, 1f, a, bt, 0f, c, s.zeros(99), Activation.relu()), "bias", "[99]");
            fails(IllegalArgumentException.class, () -> kernels.gemm(false, false, 1f, s.zeros(2, 3, 4), b, 0f, c),
                    "gemm", "rank 2", "[2, 3, 4]");
        }
    }

    @Test
    void elementwiseShapeMismatchNamesOperationAndShapes() {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor a = s.zeros(2, 3);
            Tensor b = s.zeros(3, 2);
            fails(IllegalArgumentException.class, () -> kernels.add(a, b, s.zeros(2, 3)), "add", "[2, 3]", "[3, 2]");
            fails(IllegalArgumentException.class, () -> kernels.activate(Activation.relu(), a, b), "activate");
            fails(IllegalArgumentException.class, () -> kernels.sum(a, 0, s.zeros(2)), "sum", "3");
            fails(IllegalArgumentException.class, () -> kernels.sum(a, 2, s.zeros(2)), "axis");
            fails(IllegalArgumentException.class, () -> kernels.loss(LossFunction.mse(), a, b, s.zeros(1)),
                    "loss", "[2, 3]", "[3, 2]");
            fails(IllegalArgumentException.class,
                    () -> kernels.adamUpdate(a, a, a, b, 0.1f, 0.9f, 0.999f, 1e-7f, 1, 0f), "adamUpdate", "[3, 2]");
            fails(IllegalArgumentException.class,
                    () -> kernels.adamUpdate(a, a, a, a, 0.1f, 0.9f, 0.999f, 1e-7f, 0, 0f), "adamUpdate", "step");
            fails(IllegalArgumentException.class, () -> kernels.sgdUpdate(a, a, null, -1f, 0f, false),
                    "sgdUpdate", "learningRate");
        }
    }

    @Test
    void badIndicesAreNamed() {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor logits = s.zeros(2, 3);
            fails(IndexOutOfBoundsException.class, () -> kernels.loss(LossFunction.sparseCategoricalCrossEntropy(true),
                    logits, s.tensor(new float[] {1, 3}, 2), s.zeros(1)), "class index", "3.0");
            fails(IllegalArgumentException.class, () -> kernels.gatherRows(s.zeros(5, 2), s.zeros(4), 2, s.zeros(3, 2)),
                    "gatherRows", "out of range");
        }
    }

    @Test
    void closedTensorsFailClearly() {
        Tensor t = backend.tensor(new float[] {1, 2, 3}, 3);
        Tensor out = backend.zeros(Shape.of(3));
        t.close();
        fails(IllegalStateException.class, () -> kernels.activate(Activation.relu(), t, out), "activate", "closed");
        fails(IllegalStateException.class, t::toFloatArray, "toFloatArray", "closed");
        fails(IllegalStateException.class, t::close, "already closed");
        out.close();
    }

    @Test
    void tensorsOfAnotherBackendInstanceAreRefused() {
        try (Backend other = createBackend(); TensorScope s = new TensorScope(backend);
             Tensor foreign = other.zeros(Shape.of(2, 2))) {
            Tensor mine = s.zeros(2, 2);
            fails(IllegalArgumentException.class, () -> kernels.add(mine, foreign, mine), "add", "another backend");
        }
    }

    @Test
    void hostTransferChecksLengths() {
        fails(IllegalArgumentException.class, () -> backend.tensor(new float[5], 2, 3), "5", "[2, 3]");
        try (Tensor t = backend.zeros(Shape.of(2, 2))) {
            fails(IllegalArgumentException.class, () -> t.copyFrom(new float[3]), "copyFrom", "[2, 2]");
        }
    }

    @Test
    void liveBytesFollowAllocations() {
        long before = backend.liveBytes();
        Tensor t = backend.zeros(Shape.of(10, 10));
        assertEquals(before + 400, backend.liveBytes());
        t.close();
        assertEquals(before, backend.liveBytes());
    }

    @Test
    void unknownBackendNameListsTheInstalledOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.create("warp-drive"));
        assertTrue(e.getMessage().contains("unknown backend 'warp-drive'"), e::getMessage);
        assertTrue(e.getMessage().contains(backend.name()), () -> "table lacks " + backend.name() + ": " + e.getMessage());
    }

    /**
     * The lifetime contract: closing a backend frees its open tensors; kernels (even a {@code Kernels} obtained
     * before) and tensor reads then throw naming the backend, instead of hanging or reading freed memory; closing
     * such a tensor is a no-op; the backend's second close too.
     */
    @Test
    void closingTheBackendFreesItsTensorsAndEveryLaterUseThrows() {
        Backend b = createBackend();
        org.neurite.tensor.Kernels k = b.kernels();
        Tensor a = b.tensor(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor c = b.zeros(Shape.of(2, 2));
        k.gemm(false, false, 1f, a, a, 0f, c);
        assertEquals(22f, c.toFloatArray()[3]);
        b.close();
        assertEquals(0, b.liveBytes(), "close must free the tensors still open");
        fails(IllegalStateException.class, () -> k.gemm(false, false, 1f, a, a, 0f, c), "gemm",
                "its " + b.name() + " backend was closed");
        fails(IllegalStateException.class, () -> k.activate(Activation.relu(), a, c), "activate", "backend was closed");
        fails(IllegalStateException.class, a::toFloatArray, "toFloatArray", "backend was closed");
        fails(IllegalStateException.class, () -> b.zeros(Shape.of(1)), "closed");
        assertTrue(a.isClosed());
        a.close();   // already freed by the backend: nothing to do
        b.close();
    }

    /** The safety net: tensors dropped without close() are freed once the garbage collector finds them. */
    @Test
    void droppedTensorsAreFreedByTheSafetyNet() throws InterruptedException {
        try (Backend b = createBackend()) {
            long base = b.liveBytes();
            for (int i = 0; i < 50; i++) {
                b.zeros(Shape.of(1000));   // dropped at once
            }
            assertEquals(base + 50 * 4000L, b.liveBytes());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (b.liveBytes() != base && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(base, b.liveBytes(), "dropped tensors were never freed");
            try (Tensor t = b.zeros(Shape.of(3))) {
                assertEquals(3, t.toFloatArray().length);   // the backend carries on
            }
        }
    }

    /** An accelerator backend dropped without close() has its device (context, queue, pool) released by a Cleaner. */
    @Test
    void droppedDeviceBackendsReleaseTheirDevice() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend instanceof org.neurite.tensor.device.DeviceBackend,
                "a device backend (the CPU backend's threads are checked in its own module)");
        long before = org.neurite.tensor.device.DeviceBackend.releasedUnclosed();
        for (int i = 0; i < 3; i++) {
            Backend b = createBackend();
            try (Tensor t = b.zeros(Shape.of(10))) {
                b.kernels().fill(t, 1f);
                assertEquals(1f, t.toFloatArray()[9]);
            }
            // dropped without close()
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (org.neurite.tensor.device.DeviceBackend.releasedUnclosed() < before + 3 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(org.neurite.tensor.device.DeviceBackend.releasedUnclosed() >= before + 3,
                "dropped backends were not released");
        try (Tensor t = backend.zeros(Shape.of(4))) {
            assertEquals(4, t.toFloatArray().length);   // the backend under test carries on
        }
    }
}
