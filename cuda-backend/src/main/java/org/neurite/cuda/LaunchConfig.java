package org.neurite.cuda;

/**
 * Translates an OpenCL-style launch (global work-items per dimension, work-group size) into a CUDA grid
 * and block, within the limits of every CUDA device: at most 1024 threads per block, 2^31 - 1 blocks in
 * x and 65,535 in y and z.
 */
record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ) {
    static final int MAX_THREADS_PER_BLOCK = 1024;
    static final long MAX_GRID_X = Integer.MAX_VALUE;
    static final long MAX_GRID_YZ = 65_535;
    /** The block size of a one-dimensional launch that does not say. */
    static final int DEFAULT_BLOCK = 256;

    /**
     * The grid covering {@code global} work-items in blocks of {@code local} (null: {@value #DEFAULT_BLOCK}
     * in x, 1 elsewhere), or null when some dimension is empty (nothing to launch).
     *
     * @throws IllegalArgumentException when the block or grid exceeds CUDA's limits, naming the kernel
     */
    static LaunchConfig of(String kernel, long[] global, long[] local) {
        if (global.length < 1 || global.length > 3 || (local != null && local.length != global.length)) {
            throw new IllegalArgumentException("cuda: " + kernel + ": launch needs 1 to 3 dimensions, got global "
                    + java.util.Arrays.toString(global) + " local " + java.util.Arrays.toString(local));
        }
        long[] block = {1, 1, 1};
        long[] grid = {1, 1, 1};
        for (int d = 0; d < global.length; d++) {
            if (global[d] <= 0) {
                return null;
            }
            block[d] = local != null ? local[d] : d == 0 ? Math.min(DEFAULT_BLOCK, global[0]) : 1;
            if (block[d] < 1) {
                throw new IllegalArgumentException("cuda: " + kernel + ": block size " + block[d] + " in dimension " + d);
            }
            grid[d] = (global[d] + block[d] - 1) / block[d];
        }
        long threads = block[0] * block[1] * block[2];
        if (threads > MAX_THREADS_PER_BLOCK) {
            throw new IllegalArgumentException("cuda: " + kernel + ": " + threads + " threads per block, more than "
                    + MAX_THREADS_PER_BLOCK);
        }
        if (grid[0] > MAX_GRID_X || grid[1] > MAX_GRID_YZ || grid[2] > MAX_GRID_YZ) {
            throw new IllegalArgumentException("cuda: " + kernel + ": grid " + grid[0] + " x " + grid[1] + " x " + grid[2]
                    + " exceeds CUDA's limits (2^31 - 1 x 65535 x 65535); the tensor is too large for this kernel");
        }
        return new LaunchConfig((int) grid[0], (int) grid[1], (int) grid[2], (int) block[0], (int) block[1],
                (int) block[2]);
    }
}
