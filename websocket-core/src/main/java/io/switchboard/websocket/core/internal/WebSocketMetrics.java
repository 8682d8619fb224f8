package io.switchboard.websocket.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.EventPayload;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The WebSocket layer's meters (Micrometer; {@code /q/metrics} in Prometheus form). Meters on the
 * delivery path are made once per event type, from the sealed event hierarchy, and looked up
 * without allocating.
 */
@Singleton
final class WebSocketMetrics {
    /** Delivery latency is timed for one delivery in this many (a power of two). */
    static final int LATENCY_SAMPLING = 8;
    /** The p99 of delivery latency covers the deliveries of between half this and this long ago. */
    private static final Duration P99_WINDOW = Duration.ofSeconds(10);
    /** The codes the server closes connections with; their counters exist from the start, for alerts. */
    private static final int[] SERVER_CLOSE_CODES = {1001, 1003, 1008, 1009, 1011, 1013};

    private final MeterRegistry meters;
    private final Map<String, LongAdder> emitted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Counter> errorFrames;
    private final Map<String, Counter> closes = new ConcurrentHashMap<>();
    private final Map<String, Counter> terminations = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejectedUpgrades = new ConcurrentHashMap<>();
    private final Timer deliveryLatency;
    private final AtomicLong queueFramesHighWater = new AtomicLong();
    private final AtomicLong queueBytesHighWater = new AtomicLong();
    private final LongAdder queuedBytes = new LongAdder();
    private final LongAdder queuedFrames = new LongAdder();
    private final Counter gapsRepaired;
    private final Counter emitFailures;

    @Inject
    WebSocketMetrics(MeterRegistry meters) {
        this.meters = meters;
        EventPayload.types().forEach(type -> {
            emittedCounter(type);
            deliveredCounter(type);
        });
        this.errorFrames = Stream.of(ErrorCode.values())
                .collect(Collectors.toUnmodifiableMap(
                        code -> code,
                        code -> Counter.builder("switchboard.error.frames")
                                .tag("code", code.wireName())
                                .description("error frames sent to clients")
                                .register(meters)));
        this.deliveryLatency = Timer.builder("switchboard.delivery.latency")
                .description("From an event's emission until its frame has been written to a connection's socket"
                        + " (one delivery in eight is timed)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                // the p99 of the last 5 to 10 s, for the dashboard's plots (also published as a quantile)
                .publishPercentiles(0.99)
                .distributionStatisticExpiry(P99_WINDOW)
                .distributionStatisticBufferLength(2)
                .register(meters);
        for (int code : SERVER_CLOSE_CODES) {
            terminatedCounter(Integer.toString(code));
        }
        this.gapsRepaired = Counter.builder("switchboard.cluster.gap.events")
                .description("Events that a node missed on a user's pub/sub channel and read from the user's log in"
                        + " Redis before delivering anything newer (cluster mode)")
                .register(meters);
        this.emitFailures = Counter.builder("switchboard.events.emit.failures")
                .description("Emits that failed because the event could not be stored (cluster mode: Redis)")
                .register(meters);
        Gauge.builder("switchboard.outbound.queue.high.water.frames", queueFramesHighWater, AtomicLong::get)
                .description("Most frames any connection has held written to its socket and not yet sent")
                .register(meters);
        Gauge.builder("switchboard.outbound.queue.high.water.bytes", queueBytesHighWater, AtomicLong::get)
                .description("Most bytes any connection has held written to its socket and not yet sent")
                .register(meters);
        Gauge.builder("switchboard.outbound.queued.frames", queuedFrames, LongAdder::sum)
                .description("Frames written to sockets and not yet sent, over all connections")
                .register(meters);
        Gauge.builder("switchboard.outbound.queued.bytes", queuedBytes, LongAdder::sum)
                .description("Bytes written to sockets and not yet sent, over all connections")
                .baseUnit("bytes")
                .register(meters);
    }

    // Counted in LongAdders that the counters read when scraped: an increment on the delivery path
    // then costs a LongAdder's, not a composite meter's.
    private LongAdder emittedCounter(String type) {
        return countByType(emitted, "switchboard.events.emitted", "Events appended to users' logs", type);
    }

    private LongAdder deliveredCounter(String type) {
        return countByType(delivered, "switchboard.events.delivered", "Events written to connections' sockets", type);
    }

    private LongAdder countByType(Map<String, LongAdder> counts, String name, String description, String type) {
        return counts.computeIfAbsent(type, t -> {
            LongAdder count = new LongAdder();
            FunctionCounter.builder(name, count, LongAdder::sum)
                    .tag("type", t)
                    .description(description)
                    .register(meters);
            return count;
        });
    }

    void gapRepaired(long events) {
        gapsRepaired.increment(events);
    }

    void emitFailed() {
        emitFailures.increment();
    }

    /** Publishes the registry's live state as gauges. */
    void watch(@Observes StartupEvent event, ManagerRegistry registry) {
        Gauge.builder("switchboard.connections", registry, ManagerRegistry::connectionCount)
                .description("Open WebSocket connections")
                .register(meters);
        Gauge.builder("switchboard.users", registry, ManagerRegistry::connectedUserCount)
                .description("Users with at least one open connection")
                .register(meters);
        Gauge.builder("switchboard.events.held", registry, ManagerRegistry::heldEventCount)
                .description("Events held in this node's memory across users' logs, for delivery and replay")
                .register(meters);
    }

    void emitted(String type) {
        LongAdder count = emitted.get(type);
        (count == null ? emittedCounter(type) : count).increment();
    }

    /**
     * An event was written to a socket. One delivery in {@link #LATENCY_SAMPLING} is timed, picked by
     * the low bits of its emission time: the histogram's quantiles stay those of every delivery, at an
     * eighth of the cost.
     */
    void delivered(String type, long emittedAtNanos) {
        LongAdder count = delivered.get(type);
        (count == null ? deliveredCounter(type) : count).increment();
        if ((emittedAtNanos & (LATENCY_SAMPLING - 1)) == 0) {
            deliveryLatency.record(System.nanoTime() - emittedAtNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Events written to sockets since the start, over all types. */
    long deliveredTotal() {
        long total = 0;
        for (LongAdder count : delivered.values()) {
            total += count.sum();
        }
        return total;
    }

    /** The 99th percentile of the recently timed deliveries, in milliseconds, or {@code null} if none was timed. */
    Double deliveryP99Millis() {
        for (ValueAtPercentile value : deliveryLatency.takeSnapshot().percentileValues()) {
            double millis = value.value(TimeUnit.MILLISECONDS);
            if (value.percentile() == 0.99 && millis > 0) {
                return millis;
            }
        }
        return null;
    }

    /** A frame was written to a socket, which now holds {@code frames} and {@code bytes} unsent. */
    void queued(long frames, long bytes, int frameBytes) {
        queuedFrames.increment();
        queuedBytes.add(frameBytes);
        if (frames > queueFramesHighWater.get()) {
            queueFramesHighWater.accumulateAndGet(frames, Math::max);
        }
        if (bytes > queueBytesHighWater.get()) {
            queueBytesHighWater.accumulateAndGet(bytes, Math::max);
        }
    }

    /** A frame written to a socket has been sent (or dropped with its connection). */
    void sent(int frameBytes) {
        queuedFrames.decrement();
        queuedBytes.add(-frameBytes);
    }

    void errorFrame(ErrorCode code) {
        errorFrames.get(code).increment();
    }

    /** The server decided to close a connection with that code. */
    void terminated(int code) {
        terminatedCounter(Integer.toString(code)).increment();
    }

    private Counter terminatedCounter(String code) {
        return terminations.computeIfAbsent(
                code,
                c -> Counter.builder("switchboard.connections.terminated")
                        .tag("code", c)
                        .description("Connections the server decided to close, by close code")
                        .register(meters));
    }

    /** A connection's socket has closed, whoever closed it. */
    void closed(int code) {
        closes.computeIfAbsent(
                        Integer.toString(code),
                        c -> Counter.builder("switchboard.connections.closed")
                                .tag("code", c)
                                .description("Closed connections by close code")
                                .register(meters))
                .increment();
    }

    void upgradeRejected(String reason) {
        rejectedUpgrades
                .computeIfAbsent(
                        reason,
                        r -> Counter.builder("switchboard.upgrades.rejected")
                                .tag("reason", r)
                                .description("Refused WebSocket upgrades by reason")
                                .register(meters))
                .increment();
    }
}
