package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.websocket.core.ClusterActivity;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Samples this node's events per second, connections and delivery p99 every
 * {@code activity.sample-interval}, and keeps the samples of the last {@code activity.window}: the
 * data of the dashboard's plots. In cluster mode each sample also goes to Redis, for the other nodes'
 * dashboards.
 */
@Singleton
final class ActivitySampler {
    private final WebSocketMetrics metrics;
    private final Instance<ManagerRegistry> registry;
    private final Vertx vertx;
    private final Duration interval;
    private final Duration window;
    private final int kept;
    private final ArrayDeque<ClusterActivity.Sample> samples = new ArrayDeque<>();
    // Only on the timer's thread:
    private long lastDelivered;
    private long lastNanos;
    private long timer = -1;

    @Inject
    ActivitySampler(
            WebSocketSettings settings, WebSocketMetrics metrics, Instance<ManagerRegistry> registry, Vertx vertx) {
        this.metrics = metrics;
        this.registry = registry;
        this.vertx = vertx;
        this.interval = settings.activity().sampleInterval();
        this.window = settings.activity().window();
        this.kept = (int) Math.max(1, Math.min(10_000, window.toMillis() / Math.max(1, interval.toMillis())));
    }

    void start(@Observes StartupEvent event) {
        lastDelivered = metrics.deliveredTotal();
        lastNanos = System.nanoTime();
        timer = vertx.setPeriodic(interval.toMillis(), id -> sample());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void sample() {
        long nowNanos = System.nanoTime();
        long delivered = metrics.deliveredTotal();
        double seconds = (nowNanos - lastNanos) / 1e9;
        double perSecond = Math.round((delivered - lastDelivered) / seconds * 10) / 10.0;
        lastDelivered = delivered;
        lastNanos = nowNanos;
        ManagerRegistry managers = registry.get();
        ClusterActivity.Sample sample = new ClusterActivity.Sample(
                System.currentTimeMillis(), perSecond, managers.connectionCount(), metrics.deliveryP99Millis());
        synchronized (this) {
            samples.addLast(sample);
            while (samples.size() > kept) {
                samples.removeFirst();
            }
        }
        managers.activitySampled(sample, kept, interval);
    }

    /** The samples kept, the oldest first. */
    synchronized List<ClusterActivity.Sample> samples() {
        return List.copyOf(samples);
    }

    Duration interval() {
        return interval;
    }

    Duration window() {
        return window;
    }
}
