package org.neurite.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (row-major). Immutable.
 *
 * <pre>{@code
 * Shape s = Shape.of(32, 784);   // 32 rows, 784 columns
 * s.rank();  // 2
 * s.size();  // 25088
 * }</pre>
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        this.size = checkedSize(dims);
        this.dims = dims;
    }

    /** The largest number of elements a shape may have: what one Java {@code float[]} can hold. */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 8;

    /**
     * The number of elements of {@code dims}, computed exactly: a negative dimension, or a product past
     * {@link #MAX_SIZE} (including one that would overflow a {@code long}), is refused with the numbers.
     */
    public static long checkedSize(int... dims) {
        long n = 1;
        boolean zero = false;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Shape: negative dimension " + d + " in " + Arrays.toString(dims));
            }
            zero |= d == 0;
        }
        if (zero) {
            return 0;
        }
        for (int d : dims) {
            n *= d;   // both factors are at most MAX_SIZE here, so this cannot overflow a long
            if (n > MAX_SIZE) {
                throw new IllegalArgumentException("Shape: " + Arrays.toString(dims) + " has more than " + MAX_SIZE
                        + " elements, more than one tensor can hold");
            }
        }
        return n;
    }

    /** A shape with the given dimensions; a scalar is {@code Shape.of()}. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end, as in NumPy. */
    public int dim(int axis) {
        int a = axis < 0 ? dims.length + axis : axis;
        if (a < 0 || a >= dims.length) {
            throw new IndexOutOfBoundsException("Shape" + this + ": no axis " + axis);
        }
        return dims[a];
    }

    /** Total number of elements. */
    public int size() {
        return (int) size;
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** For a matrix: the number of rows; a vector counts as one row. */
    public int rows() {
        if (dims.length == 0) {
            return 1;
        }
        if (cols() != 0) {
            return (int) (size / cols());
        }
        // an empty matrix view: its row count alone must still fit
        return Math.toIntExact(checkedSize(Arrays.copyOf(dims, dims.length - 1)));
    }

    /** For a matrix: the number of columns (the last dimension); a scalar has one. */
    public int cols() {
        return dims.length == 0 ? 1 : dims[dims.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [32, 784]}, the form used in every error message. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
