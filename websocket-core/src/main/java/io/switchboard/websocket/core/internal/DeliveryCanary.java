package io.switchboard.websocket.core.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.FrameException;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.api.ServerFrame;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Proves end to end that events are delivered: every interval it emits a probe event for a reserved
 * internal user, through that user's manager and log, to a real WebSocket connection over loopback
 * that it keeps open (authenticated by an internal ticket; no token can claim the user). Readiness
 * ({@code websocket-delivery}) goes DOWN when no probe has arrived for the configured silence.
 */
@Singleton
final class DeliveryCanary {
    /**
     * The reserved users start with this; bearer tokens and ticket requests for them are refused. A
     * single node's canary is this user; in cluster mode each node has its own, suffixed with the
     * node's id, so that each node proves its own path through Redis.
     */
    static final String USER_ID = "switchboard-canary";

    private static final String PROBE_TITLE = "delivery probe";
    private static final Logger LOG = Logger.getLogger(DeliveryCanary.class);

    /** What the canary knows now. */
    record State(
            boolean enabled,
            boolean connected,
            long probesSent,
            long probesReceived,
            long sinceLastDeliveryMillis,
            long lastLatencyMillis,
            long runningMillis) {}

    private final String userId;
    private final ManagerFactory managers;
    private final TicketStore tickets;
    private final Vertx vertx;
    private final WebSocketSettings.Canary settings;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final long createdNanos = System.nanoTime();
    private volatile long lastDeliveryNanos;
    private volatile long lastLatencyNanos;
    private volatile WebSocket socket;
    private volatile boolean connecting;
    private ScheduledExecutorService prober;
    private WebSocketClient client;

    @Inject
    DeliveryCanary(
            ManagerFactory managers, TicketStore tickets, Vertx vertx, WebSocketSettings settings, RedisLink link) {
        this.userId = link.enabled() ? USER_ID + '-' + link.nodeId() : USER_ID;
        this.managers = managers;
        this.tickets = tickets;
        this.vertx = vertx;
        this.settings = settings.canary();
    }

    void start(@Observes StartupEvent event, MeterRegistry meters) {
        if (!settings.enabled()) {
            return;
        }
        Gauge.builder("switchboard.canary.silence", this, canary -> canary.silenceSeconds())
                .description("Seconds since the delivery canary's last probe arrived (since startup if none has)")
                .baseUnit("seconds")
                .register(meters);
        client = vertx.createWebSocketClient();
        // Its own thread: a stalled delivery path blocks the prober, never an event loop.
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-canary");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.interval().toMillis();
        prober.scheduleWithFixedDelay(this::probe, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (prober != null) {
            prober.shutdownNow();
        }
    }

    private void probe() {
        try {
            if (socket == null && !connecting) {
                connect();
            }
            managers.managerFor(userId)
                    .emit(new Notification(NotificationLevel.INFO, PROBE_TITLE, Long.toString(System.nanoTime()), null))
                    .whenComplete((event, failure) -> {
                        if (failure == null) {
                            sent.incrementAndGet();
                        } else {
                            LOG.warnf("the delivery canary could not store a probe: %s", failure.getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warnf(e, "the delivery canary could not send a probe");
        }
    }

    /** The port the HTTP server listens on, known once it has started (a configured 0 is replaced then). */
    private static int listeningPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(0);
    }

    private void connect() {
        int port = listeningPort();
        if (port <= 0) {
            return;
        }
        connecting = true;
        tickets.issue(userId, null)
                .compose(ticket -> client.connect(port, "127.0.0.1", "/ws?ticket=" + ticket.value()))
                .onComplete(result -> {
                    connecting = false;
                    if (result.failed()) {
                        LOG.warnf(
                                "the delivery canary could not connect: %s",
                                result.cause().getMessage());
                        return;
                    }
                    WebSocket opened = result.result();
                    opened.textMessageHandler(this::onFrame);
                    opened.closeHandler(ignored -> socket = null);
                    socket = opened;
                });
    }

    private void onFrame(String text) {
        try {
            ServerFrame frame = FrameCodec.decodeServerFrame(text);
            if (frame instanceof Event event
                    && event.payload() instanceof Notification probe
                    && PROBE_TITLE.equals(probe.title())) {
                long now = System.nanoTime();
                lastLatencyNanos = now - Long.parseLong(probe.body());
                lastDeliveryNanos = now;
                received.incrementAndGet();
            }
        } catch (FrameException | NumberFormatException e) {
            LOG.warnf("the delivery canary received a frame it does not understand: %s", e.getMessage());
        }
    }

    /** Whether the user is one of the canaries' reserved users. */
    static boolean isCanary(String userId) {
        return userId.startsWith(USER_ID);
    }

    private double silenceSeconds() {
        long last = lastDeliveryNanos;
        return (System.nanoTime() - (last == 0 ? createdNanos : last)) / 1e9;
    }

    State state() {
        long now = System.nanoTime();
        long last = lastDeliveryNanos;
        return new State(
                settings.enabled(),
                socket != null,
                sent.get(),
                received.get(),
                last == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(now - last),
                TimeUnit.NANOSECONDS.toMillis(lastLatencyNanos),
                TimeUnit.NANOSECONDS.toMillis(now - createdNanos));
    }

    /** Why delivery counts as broken, or {@code null} when it works (or has not had time to show it yet). */
    String failure() {
        State state = state();
        long silence = settings.maxSilence().toMillis();
        if (!state.enabled()) {
            return null;
        }
        if (state.sinceLastDeliveryMillis() < 0) {
            return state.runningMillis() <= silence
                    ? null
                    : "no probe event has arrived since startup (" + state.runningMillis() + " ms)";
        }
        return state.sinceLastDeliveryMillis() <= silence
                ? null
                : "no probe event has arrived for " + state.sinceLastDeliveryMillis() + " ms";
    }
}
