package io.switchboard.websocket.core.internal;

import io.netty.channel.EventLoop;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One open connection of a user. It pulls the user's events from the log in order, from a cursor,
 * through a bounded outbound queue (frames handed to the socket and not yet written to it); every
 * frame goes through the connection's own Vert.x context, so the socket sees them in order.
 *
 * <p>Once {@link #terminate} has decided to close it, the connection leaves its manager and receives
 * nothing more; if the client does not answer the close within the close timeout, its TCP connection
 * is cut, so that a client that stopped reading cannot hold memory.
 */
final class UserConnection {
    private static final Logger LOG = Logger.getLogger(UserConnection.class);
    private static final int BATCH = 64;
    /** Batches one drain may send before it yields the event loop to the other connections on it. */
    private static final int BATCHES_PER_TURN = 4;

    /** What bounds one connection; the same for all of them. */
    record Limits(int maxFrames, int maxBytes, long slowConsumerTimeoutMillis, long closeTimeoutMillis) {}

    private final WebSocketConnection socket;
    private final Context context;
    private final Vertx vertx;
    private final HttpConnection transport;
    private final UserWebSocketManager manager;
    private final Limits limits;
    private final FrameRateLimiter rateLimiter;
    private final WebSocketMetrics metrics;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger inFlightFrames = new AtomicInteger();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private volatile long cursor;
    private volatile long lastSeenNanos = System.nanoTime();
    private long blockedSinceNanos;
    private long lastPingNanos = System.nanoTime();
    private Heartbeats heartbeats;
    private long expiryTimer = -1;
    private long closeTimer = -1;

    UserConnection(
            WebSocketConnection socket,
            Context context,
            Vertx vertx,
            HttpConnection transport,
            UserWebSocketManager manager,
            Limits limits,
            FrameRateLimiter rateLimiter,
            WebSocketMetrics metrics) {
        this.socket = socket;
        this.context = context;
        this.vertx = vertx;
        this.transport = transport;
        this.manager = manager;
        this.limits = limits;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
    }

    String id() {
        return socket.id();
    }

    String userId() {
        return manager.userId();
    }

    UserWebSocketManager manager() {
        return manager;
    }

    boolean closing() {
        return closing.get();
    }

    /** Sets where delivery starts: the id of the last event this connection is taken to have. */
    void startAfter(long eventId) {
        cursor = eventId;
    }

    // ---- outbound ----

    /** Asks for the events after the cursor to be sent; cheap to call for every event. */
    void wake() {
        if (!closing.get() && drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(ignored -> drain(false));
        }
    }

    /** Sends a frame that is not an event of the log (a reply), after the frames handed over before it. */
    void reply(String json) {
        context.runOnContext(ignored -> {
            if (!closing.get()) {
                write(json, LoggedEvent.utf8Length(json), null);
            }
        });
    }

    private void drain(boolean unbounded) {
        drainScheduled.set(false);
        for (int turn = 0; !closing.get(); turn++) {
            if (turn == BATCHES_PER_TURN && !unbounded) {
                wake(); // more may be waiting: continue after the other connections of this event loop
                return;
            }
            int room = unbounded ? BATCH : Math.min(BATCH, limits.maxFrames() - inFlightFrames.get());
            if (room <= 0 || (!unbounded && inFlightBytes.get() >= limits.maxBytes())) {
                blocked();
                return;
            }
            List<LoggedEvent> events = manager.eventsAfter(cursor, room);
            if (events == null) {
                terminate(1013, "fell behind the events the server keeps; resume to catch up");
                return;
            }
            if (events.isEmpty()) {
                blockedSinceNanos = 0;
                return;
            }
            for (LoggedEvent event : events) {
                write(event.json(), event.bytes(), event);
                cursor = event.eventId();
            }
        }
    }

    /** Hands a frame to the socket; {@code event} is the log event it carries, or {@code null} for a reply. */
    private void write(String json, int bytes, LoggedEvent event) {
        metrics.queueDepth(inFlightFrames.incrementAndGet(), inFlightBytes.addAndGet(bytes));
        socket.sendText(json)
                .subscribe()
                .with(
                        sent -> {
                            if (event != null) {
                                metrics.delivered(event.event().type(), event.appendedNanos());
                            }
                            written(bytes);
                        },
                        failure -> written(bytes));
    }

    private void written(int bytes) {
        int frames = inFlightFrames.decrementAndGet();
        long pendingBytes = inFlightBytes.addAndGet(-bytes);
        if (blockedSinceNanos != 0 && frames < limits.maxFrames() && pendingBytes < limits.maxBytes()) {
            blockedSinceNanos = 0; // the client is reading: progress restarts the slow-consumer clock
            wake();
        }
    }

    /** The queue is full: if events wait, start the clock after which the connection counts as too slow. */
    private void blocked() {
        if (blockedSinceNanos != 0 || cursor >= manager.latestEventId()) {
            return;
        }
        long since = System.nanoTime();
        blockedSinceNanos = since;
        vertx.setTimer(limits.slowConsumerTimeoutMillis(), id -> {
            if (blockedSinceNanos == since) {
                terminate(1013, "too slow to keep up; resume to catch up");
            }
        });
    }

    // ---- inbound ----

    /** Notes that the client sent something (a frame or a pong). */
    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    FrameRateLimiter.Verdict admitFrame() {
        long now = System.nanoTime();
        lastSeenNanos = now;
        return rateLimiter.onFrame(now);
    }

    // ---- lifetime ----

    /** The event loop the connection's socket lives on. */
    EventLoop eventLoop() {
        return ((ContextInternal) context).nettyEventLoop();
    }

    /** Starts the heartbeat watch and, when the credential expires, the expiry close. */
    void watch(Long credentialExpiresAtMillis, Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
        heartbeats.add(this);
        if (credentialExpiresAtMillis != null) {
            long delay = credentialExpiresAtMillis - System.currentTimeMillis();
            if (delay <= 0) {
                terminate(1008, "credential expired");
            } else {
                expiryTimer = vertx.setTimer(delay, id -> terminate(1008, "credential expired"));
            }
        }
    }

    /**
     * Decides to close the connection: from now on it receives no event. The close frame follows
     * the frames already handed to the socket. Safe from any thread; only the first call counts.
     */
    void terminate(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        manager.detach(this);
        LOG.infof("closing connection: user=%s connection=%s code=%d reason=%s", userId(), id(), code, reason);
        context.runOnContext(ignored -> {
            cancelTimers();
            socket.close(new CloseReason(code, reason)).subscribe().with(closed -> {}, failure -> abort());
            closeTimer = vertx.setTimer(limits.closeTimeoutMillis(), id -> abort());
        });
    }

    /** At shutdown: sends every event still waiting, whatever the queue bound, then closes with that code. */
    void finish(int code, String reason) {
        context.runOnContext(ignored -> {
            if (!closing.get()) {
                drain(true);
                terminate(code, reason);
            }
        });
    }

    /** The socket has closed, whoever closed it. */
    void closed() {
        closing.set(true);
        manager.detach(this);
        context.runOnContext(ignored -> {
            cancelTimers();
            if (closeTimer >= 0) {
                vertx.cancelTimer(closeTimer);
            }
        });
    }

    /**
     * On the connection's event loop, once per heartbeat tick: closes it when the client has sent
     * nothing for two intervals, otherwise pings it when an interval has passed since the last ping.
     */
    void heartbeat(long nowNanos, long intervalNanos) {
        if (closing.get()) {
            return;
        }
        if (nowNanos - lastSeenNanos > 2 * intervalNanos) {
            terminate(1001, "no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(2 * intervalNanos) + " ms");
        } else if (nowNanos - lastPingNanos >= intervalNanos) {
            lastPingNanos = nowNanos;
            socket.sendPing(Buffer.buffer()).subscribe().with(sent -> {}, failure -> {});
        }
    }

    private void cancelTimers() {
        if (heartbeats != null) {
            heartbeats.remove(this);
        }
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
        }
    }

    /** Cuts the TCP connection of a client that does not complete the close. */
    private void abort() {
        if (transport instanceof ConnectionBase base) {
            base.channel().close();
        } else if (transport != null) {
            transport.close();
        }
    }
}
