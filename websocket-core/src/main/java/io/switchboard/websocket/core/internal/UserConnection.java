package io.switchboard.websocket.core.internal;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One open connection of a user. It pulls the user's events from the log in order, from a cursor,
 * and writes them to its socket while the socket's write queue has room: the transport's own
 * writability (Netty's high-water mark, set to {@code outbound.max-bytes}) and a count of the frames
 * written and not yet sent both bound it. Every frame goes through the connection's own event loop,
 * so the socket sees them in order.
 *
 * <p>Once {@link #terminate} has decided to close it, the connection leaves its manager, receives
 * nothing more and reads nothing more.
 */
final class UserConnection {
    private static final Logger LOG = Logger.getLogger(UserConnection.class);
    /** Events one drain may send before it yields the event loop to the other connections on it. */
    private static final int EVENTS_PER_TURN = 32;
    /** The most a WebSocket frame header takes: 2 bytes, 8 of length, 4 of mask (never sent by a server). */
    private static final int FRAME_HEADER_BYTES = 14;

    /** What bounds one connection; the same for all of them. */
    record Limits(int maxFrames, int maxBytes, long slowConsumerTimeoutMillis) {}

    private final String id;
    private final ServerWebSocket socket;
    private final Context context;
    private final Vertx vertx;
    private final UserWebSocketManager manager;
    private final Limits limits;
    private final FrameRateLimiter rateLimiter;
    private final WebSocketMetrics metrics;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long cursor;
    /** Set while the events the connection resumed after are still to be sent. */
    private volatile boolean replaying;

    private volatile long lastSeenNanos = System.nanoTime();
    // Only on the connection's event loop:
    private int pendingFrames;
    private long pendingBytes;
    private long blockedSinceNanos;
    private long lastPingNanos = System.nanoTime();
    private long expiryTimer = -1;
    private Heartbeats heartbeats;

    UserConnection(
            String id,
            ServerWebSocket socket,
            Context context,
            UserWebSocketManager manager,
            Limits limits,
            FrameRateLimiter rateLimiter,
            WebSocketMetrics metrics) {
        this.id = id;
        this.socket = socket;
        this.context = context;
        this.vertx = context.owner();
        this.manager = manager;
        this.limits = limits;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        socket.setWriteQueueMaxSize(limits.maxBytes());
        socket.drainHandler(ignored -> unblocked());
    }

    String id() {
        return id;
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
        replaying = eventId < manager.latestEventId();
    }

    /** The id of the last event handed to the socket (or taken to be had, at the start). */
    long sentUpTo() {
        return cursor;
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
        int budget = unbounded ? Integer.MAX_VALUE : EVENTS_PER_TURN;
        while (!closing.get()) {
            long next = cursor + 1;
            if (next > manager.latestEventId()) {
                blockedSinceNanos = 0;
                if (replaying) {
                    replaying = false;
                    manager.replayed();
                }
                return;
            }
            if (!unbounded && full()) {
                blocked();
                return;
            }
            if (budget-- == 0) {
                wake(); // more may be waiting: continue after the other connections of this event loop
                return;
            }
            LoggedEvent event = manager.logged(next);
            if (event == null) {
                terminate(1013, "fell behind the events the server keeps; resume to catch up");
                return;
            }
            write(event.json(), event.bytes(), event);
            cursor = next;
        }
    }

    /**
     * Whether the connection holds as much as it may: the frames written and not yet sent reach a
     * bound, or the socket's write queue is over its high-water mark ({@code max-bytes}). Netty counts
     * the same bytes as we do, plus a few bytes of frame header each, so below half the bound the
     * transport cannot be full and is not asked (asking takes the connection's lock).
     */
    private boolean full() {
        if (pendingFrames >= limits.maxFrames() || pendingBytes >= limits.maxBytes()) {
            return true;
        }
        return pendingBytes + FRAME_HEADER_BYTES * pendingFrames >= limits.maxBytes() / 2 && transportFull();
    }

    private boolean transportFull() {
        try {
            return socket.writeQueueFull();
        } catch (IllegalStateException closed) { // closed before our close handler has run
            return true;
        }
    }

    /** Hands a frame to the socket; {@code event} is the log event it carries, or {@code null} for a reply. */
    private void write(String json, int bytes, LoggedEvent event) {
        pendingFrames++;
        pendingBytes += bytes;
        metrics.queued(pendingFrames, pendingBytes, bytes);
        // The callback keeps what the metrics need, not the event: the socket holds the frame's bytes
        // already, and the text must not stay in the heap beside them until the client reads.
        String type = event == null ? null : event.type();
        long appendedNanos = event == null ? 0 : event.appendedNanos();
        socket.writeTextMessage(json).onComplete(result -> {
            pendingFrames--;
            pendingBytes -= bytes;
            metrics.sent(bytes);
            if (type != null && result.succeeded()) {
                metrics.delivered(type, appendedNanos);
            }
            if (blockedSinceNanos != 0 && !full()) {
                unblocked();
            }
        });
    }

    /** The client is reading again: progress restarts the slow-consumer clock. */
    private void unblocked() {
        blockedSinceNanos = 0;
        wake();
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

    /** Starts the heartbeat watch and, when the credential expires, the expiry close; on the event loop. */
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
     * Decides to close the connection: from now on it receives no event and nothing it sends is read.
     * The close frame follows the frames already handed to the socket. Safe from any thread; only the
     * first call counts.
     */
    void terminate(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        manager.detach(this);
        LOG.infof("closing connection: user=%s connection=%s code=%d reason=%s", userId(), id, code, reason);
        metrics.terminated(code);
        context.runOnContext(ignored -> {
            cancelTimers();
            if (!socket.isClosed()) {
                socket.pause();
                socket.close((short) code, reason);
            }
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

    /** The socket has closed, whoever closed it; on the event loop. */
    void closed() {
        closing.set(true);
        manager.detach(this);
        cancelTimers();
    }

    /** Sets when the connection counts as last pinged, which decides when it is pinged next; on the event loop. */
    void lastPingAt(long nanos) {
        lastPingNanos = nanos;
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
        } else if (nowNanos - lastPingNanos >= intervalNanos && !socket.isClosed()) {
            lastPingNanos = nowNanos;
            socket.writePing(Buffer.buffer());
        }
    }

    private void cancelTimers() {
        if (heartbeats != null) {
            heartbeats.remove(this);
            heartbeats = null;
        }
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
    }
}
