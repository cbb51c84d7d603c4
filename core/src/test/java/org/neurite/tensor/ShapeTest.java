package org.neurite.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void matrixViewOfEveryRank() {
        assertEquals(1, Shape.of().size());
        assertEquals(1, Shape.of().rows());
        assertEquals(1, Shape.of(5).rows());
        assertEquals(5, Shape.of(5).cols());
        assertEquals(6, Shape.of(2, 3, 4).rows());
        assertEquals(4, Shape.of(2, 3, 4).dim(-1));
        assertEquals("[32, 784]", Shape.of(32, 784).toString());
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
    }

    @Test
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(1 << 16, 1 << 16));
        assertThrows(IndexOutOfBoundsException.class, () -> Shape.of(2, 3).dim(2));
        // 2^64 overflows a long to 0: it was accepted as an empty shape
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.of(65536, 65536, 65536, 65536));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("[65536, 65536, 65536, 65536]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(Integer.MAX_VALUE, 2));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(0, -1));
        assertEquals(0, Shape.of(0, Integer.MAX_VALUE, Integer.MAX_VALUE).size());
        assertEquals(Shape.MAX_SIZE, Shape.of(Shape.MAX_SIZE).size());
    }

    @Test
    void parametersAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Activation.leakyRelu(-0.1f));
        assertThrows(IllegalArgumentException.class, () -> Activation.elu(0f));
        assertThrows(IllegalArgumentException.class, () -> LossFunction.huber(0f));
        assertThrows(IllegalArgumentException.class, () -> new LossFunction(LossFunction.Kind.MSE, true, 0));
    }
}
