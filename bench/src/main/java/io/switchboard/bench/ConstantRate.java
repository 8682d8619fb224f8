package io.switchboard.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmarks' clock: runs steps at a constant rate, handing each the time it was meant to run,
 * so that latency is measured from the schedule. The load driver and the raw baseline share it, so
 * both follow exactly the same schedule.
 *
 * <p>The times are microseconds of {@link System#nanoTime()}, which every JVM on one Linux machine
 * reads from the same monotonic clock, so the generator compares them with its own. The wall clock
 * is not used: measured against it, latency in some runs rose steadily through a 30 s window, to
 * 150 ms on both servers alike, while every event was delivered on schedule.
 */
public final class ConstantRate {

    /** One step of the schedule. */
    @FunctionalInterface
    public interface Step {
        void run(long index, long intendedMicros);
    }

    private ConstantRate() {}

    /** Runs {@code total} steps, {@code perSecond} a second, on the calling thread. */
    public static void run(int perSecond, long total, Step step) {
        long startNanos = System.nanoTime();
        double intervalNanos = 1e9 / perSecond;
        for (long i = 0; i < total; i++) {
            long offset = (long) (i * intervalNanos);
            long wait = startNanos + offset - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            step.run(i, TimeUnit.NANOSECONDS.toMicros(startNanos + offset));
        }
    }
}
