package io.switchboard.websocket.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.AgentStarted;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.ErrorCode;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The WebSocket layer's meters (Micrometer; {@code /q/metrics} in Prometheus form). Meters on the
 * delivery path are made once and looked up by type without allocating.
 */
@Singleton
final class WebSocketMetrics {
    private static final String[] EVENT_TYPES = {
        AgentStarted.TYPE,
        AgentThinking.TYPE,
        ToolExecuting.TYPE,
        ToolCompleted.TYPE,
        AgentCompleted.TYPE,
        Notification.TYPE
    };

    private final MeterRegistry meters;
    private final Map<String, Counter> emitted;
    private final Map<String, Counter> delivered;
    private final Map<ErrorCode, Counter> errorFrames;
    private final Map<String, Counter> closes = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejectedUpgrades = new ConcurrentHashMap<>();
    private final Timer deliveryLatency;
    private final AtomicLong queueFramesHighWater = new AtomicLong();
    private final AtomicLong queueBytesHighWater = new AtomicLong();

    @Inject
    WebSocketMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.emitted = counters(type -> Counter.builder("switchboard.events.emitted")
                .tag("type", type)
                .description("Events appended to users' logs")
                .register(meters));
        this.delivered = counters(type -> Counter.builder("switchboard.events.delivered")
                .tag("type", type)
                .description("Events written to connections' sockets")
                .register(meters));
        this.errorFrames = Stream.of(ErrorCode.values())
                .collect(Collectors.toUnmodifiableMap(
                        code -> code,
                        code -> Counter.builder("switchboard.error.frames")
                                .tag("code", code.wireName())
                                .description("error frames sent to clients")
                                .register(meters)));
        this.deliveryLatency = Timer.builder("switchboard.delivery.latency")
                .description("From an event's emission to its frame being written to a connection's socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(meters);
        Gauge.builder("switchboard.outbound.queue.high.water.frames", queueFramesHighWater, AtomicLong::get)
                .description("Most frames any connection's outbound queue has held")
                .register(meters);
        Gauge.builder("switchboard.outbound.queue.high.water.bytes", queueBytesHighWater, AtomicLong::get)
                .description("Most bytes any connection's outbound queue has held")
                .register(meters);
    }

    private static Map<String, Counter> counters(Function<String, Counter> make) {
        return Stream.of(EVENT_TYPES).collect(Collectors.toUnmodifiableMap(type -> type, make));
    }

    /** Publishes the registry's live state as gauges. */
    void watch(@Observes StartupEvent event, ManagerRegistry registry) {
        Gauge.builder("switchboard.connections", registry, ManagerRegistry::connectionCount)
                .description("Open WebSocket connections")
                .register(meters);
        Gauge.builder("switchboard.users", registry, ManagerRegistry::connectedUserCount)
                .description("Users with at least one open connection")
                .register(meters);
    }

    void emitted(String type) {
        emitted.get(type).increment();
    }

    void delivered(String type, long emittedAtNanos) {
        delivered.get(type).increment();
        deliveryLatency.record(System.nanoTime() - emittedAtNanos, TimeUnit.NANOSECONDS);
    }

    void queueDepth(long frames, long bytes) {
        if (frames > queueFramesHighWater.get()) {
            queueFramesHighWater.accumulateAndGet(frames, Math::max);
        }
        if (bytes > queueBytesHighWater.get()) {
            queueBytesHighWater.accumulateAndGet(bytes, Math::max);
        }
    }

    void errorFrame(ErrorCode code) {
        errorFrames.get(code).increment();
    }

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
