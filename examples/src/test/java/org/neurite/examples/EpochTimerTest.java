package org.neurite.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochTimerTest {

    /** Steps of the first epoch (JIT warm-up) are left out; each later step counts once, timed end to end. */
    @Test
    void stepTimesCountTheStepsAfterTheFirstEpoch() throws InterruptedException {
        EpochTimer timer = new EpochTimer();
        assertEquals("no steps after the first epoch", timer.stepTimes());
        for (int epoch = 0; epoch < 3; epoch++) {
            timer.onEpochBegin(epoch, null);
            for (int step = 0; step < 20; step++) {
                Thread.sleep(1);
                timer.onBatchEnd(step, Double.NaN, null);
            }
            timer.onEpochEnd(epoch, Map.of(), null);
        }
        String s = timer.stepTimes();
        assertTrue(s.endsWith("(40 steps after the first epoch)"), s);
        // each step slept at least 1 ms, so every percentile reads at least 1000 us
        String p10 = s.substring(s.indexOf("p10 ") + 4, s.indexOf(" us"));
        assertTrue(Double.parseDouble(p10) >= 1000, s);
        assertEquals(3, timer.seconds().size());
    }
}
