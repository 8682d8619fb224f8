package io.switchboard.websocket.core.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The deepest any connection's outbound queue has been since startup, in frames and in bytes:
 * evidence that the bound holds whatever clients do. Published as
 * {@code switchboard.outbound.queue.high.water.frames} and {@code ...bytes}.
 */
@Singleton
final class OutboundHighWater {
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    void record(long queuedFrames, long queuedBytes) {
        if (queuedFrames > frames.get()) {
            frames.accumulateAndGet(queuedFrames, Math::max);
        }
        if (queuedBytes > bytes.get()) {
            bytes.accumulateAndGet(queuedBytes, Math::max);
        }
    }

    long frames() {
        return frames.get();
    }

    long bytes() {
        return bytes.get();
    }

    void publish(@Observes StartupEvent event, MeterRegistry meters) {
        Gauge.builder("switchboard.outbound.queue.high.water.frames", this, OutboundHighWater::frames)
                .description("Most frames any connection's outbound queue has held").register(meters);
        Gauge.builder("switchboard.outbound.queue.high.water.bytes", this, OutboundHighWater::bytes)
                .description("Most bytes any connection's outbound queue has held").register(meters);
    }
}
