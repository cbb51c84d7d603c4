package org.neurite.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * GEMM's block sizes, derived from the caches as BLIS derives them for its micro-tile: {@code kc} so that the
 * {@code kc x nr} sliver of B, which stays in L1d while the {@code mr x kc} slivers of A stream past it from L2, takes
 * two thirds of L1d (measured on AVX-512 with the 8 x 32 tile and a 48 KiB L1d: kc 256 beat 224, three quarters for
 * both slivers, by 3-5% of the FMA peak at n = 1024 and 2048; larger kc means fewer passes over C); {@code mc} so
 * that the {@code mc x kc} block of A takes a quarter of L2;
 * {@code nc} so that the {@code kc x nc} panel of B takes at most an eighth of L3 (shared) and no more than 4096
 * columns. Cache sizes come from Linux's {@code /sys/devices/system/cpu/cpu0/cache}, else 32 KiB / 1 MiB / 8 MiB.
 * {@code -Dneurite.cpu.kc}, {@code .mc}, {@code .nc} override them for experiments.
 */
record Blocking(int kc, int mc, int nc, long l1, long l2, long l3) {

    static Blocking forKernel(int mr, int nr) {
        long[] caches = Caches.SIZES;
        long l1 = caches[0];
        long l2 = caches[1];
        long l3 = caches[2];
        int kc = (int) Math.max(64, Math.min(512, (l1 * 2 / 3) / (4L * nr) / 16 * 16));
        int mc = (int) Math.max(mr, Math.min(1024, (l2 / 4) / (4L * kc) / mr * mr));
        int nc = (int) Math.max(nr, Math.min(4096, (l3 / 8) / (4L * kc) / nr * nr));
        return new Blocking(Integer.getInteger("neurite.cpu.kc", kc), Integer.getInteger("neurite.cpu.mc", mc) / mr * mr,
                Integer.getInteger("neurite.cpu.nc", nc) / nr * nr, l1, l2, l3);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "kc %d, mc %d, nc %d (L1d %d KiB, L2 %d KiB, L3 %d KiB)", kc, mc, nc, l1 >> 10,
                l2 >> 10, l3 >> 10);
    }

    /** The data caches of cpu0, read once. */
    private static final class Caches {
        static final long[] SIZES = read();

        private static long[] read() {
            long[] sizes = {32 << 10, 1 << 20, 8 << 20};
            Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
            for (int i = 0; i < 8; i++) {
                Path index = dir.resolve("index" + i);
                try {
                    if (!Files.isDirectory(index)) {
                        break;
                    }
                    String type = Files.readString(index.resolve("type")).trim();
                    int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                    long size = parse(Files.readString(index.resolve("size")).trim());
                    if (!type.equals("Instruction") && level >= 1 && level <= 3 && size > 0) {
                        sizes[level - 1] = size;
                    }
                } catch (IOException | RuntimeException e) {
                    break;   // not Linux, or no such entry: the defaults stand
                }
            }
            return sizes;
        }

        private static long parse(String s) {
            long unit = 1;
            String n = s;
            if (s.endsWith("K")) {
                unit = 1 << 10;
                n = s.substring(0, s.length() - 1);
            } else if (s.endsWith("M")) {
                unit = 1 << 20;
                n = s.substring(0, s.length() - 1);
            }
            return Long.parseLong(n) * unit;
        }
    }
}
