package org.neurite.nn;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Keras's progress bar: {@code 850/1719 [=============>...............] - ETA: 1s - loss: 0.5123}, redrawn
 * in place at most every quarter second, then one line per epoch with its time ({@code verbose=1}); or, for
 * files and pipes, only that line per epoch without the bar or carriage returns ({@code verbose=2}).
 */
final class ProgressBar {
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int WIDTH = 30;

    /** The clock, in nanoseconds; tests replace it to drive redraws deterministically. */
    static volatile LongSupplier clock = System::nanoTime;

    private final PrintStream out;
    private final boolean inPlace;
    private final int steps;
    private final long start = clock.getAsLong();
    private long lastDraw;
    private int lastLength;

    ProgressBar(PrintStream out, boolean inPlace, int epoch, int epochs, int steps) {
        this.out = out;
        this.inPlace = inPlace;
        this.steps = steps;
        out.printf(Locale.ROOT, "Epoch %d/%d%n", epoch, epochs);
    }

    /** Whether a redraw is due: the caller only then pays for reading the loss back from the device. */
    boolean due(int step) {
        return inPlace && step < steps && clock.getAsLong() - lastDraw >= REDRAW_NANOS;
    }

    void show(int step, double loss, String metrics) {
        lastDraw = clock.getAsLong();
        double elapsed = (lastDraw - start) / 1e9;
        double eta = elapsed / step * (steps - step);
        draw(String.format(Locale.ROOT, "%s - ETA: %s - loss: %.4f%s", bar(step), time(eta), loss, metrics), "");
    }

    void finish(double loss, String metrics) {
        double elapsed = (clock.getAsLong() - start) / 1e9;
        if (!inPlace) {
            out.printf(Locale.ROOT, "%d/%d - %s - %s/step - loss: %.4f%s%n", steps, steps, time(elapsed),
                    time(elapsed / steps), loss, metrics);
            out.flush();
            return;
        }
        draw(String.format(Locale.ROOT, "%s - %s %s/step - loss: %.4f%s", bar(steps), time(elapsed),
                time(elapsed / steps), loss, metrics), System.lineSeparator());
    }

    /** Redraws the line in place, blanking what a longer previous line left behind. */
    private void draw(String line, String end) {
        String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
        out.print("\r" + line + pad + end);
        out.flush();
        lastLength = end.isEmpty() ? line.length() : 0;
    }

    /**
     * Whether the JVM's standard output is a terminal: {@code System.console()} exists only with a terminal before
     * JDK 22; from 22 on it may exist without one and {@code Console.isTerminal()} says.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        if (Runtime.version().feature() < 22) {
            return true;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private String bar(int step) {
        int width = String.valueOf(steps).length();
        int done = (int) ((long) WIDTH * step / steps);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%" + width + "d/%d [", step, steps));
        for (int i = 0; i < WIDTH; i++) {
            b.append(i < done ? '=' : i == done ? '>' : '.');
        }
        return b.append(']').toString();
    }

    private static String time(double seconds) {
        if (seconds >= 1) {
            return String.format(Locale.ROOT, "%.0fs", seconds);
        }
        if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.0fms", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.0fus", seconds * 1e6);
    }
}
