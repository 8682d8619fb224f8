package io.switchboard.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmarks' clock: runs steps at a constant rate, handing each the time it was meant to run
 * (epoch microseconds), so that latency is measured from the schedule. The load driver and the raw
 * baseline share it, so both follow exactly the same schedule.
 */
public final class ConstantRate {

    /** One step of the schedule. */
    @FunctionalInterface
    public interface Step {
        void run(long index, long intendedEpochMicros);
    }

    private ConstantRate() {}

    /** Runs {@code total} steps, {@code perSecond} a second, on the calling thread. */
    public static void run(int perSecond, long total, Step step) {
        long startNanos = System.nanoTime();
        long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        double intervalNanos = 1e9 / perSecond;
        for (long i = 0; i < total; i++) {
            long offset = (long) (i * intervalNanos);
            long wait = startNanos + offset - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            step.run(i, startMicros + TimeUnit.NANOSECONDS.toMicros(offset));
        }
    }
}
