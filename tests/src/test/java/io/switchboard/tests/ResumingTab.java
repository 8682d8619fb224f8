package io.switchboard.tests;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.ResyncRequired;
import io.switchboard.websocket.api.ServerFrame;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A browser tab as the protocol asks clients to behave: on its own thread it reads one user's events,
 * and whenever its connection ends (closed by the server, a node gone) it connects again, to whichever
 * node {@code nodes} names next, with the {@code epoch} and {@code last_event_id} it has. It records
 * every departure from 1..N, every {@code resync_required}, and the titles of the notifications.
 */
final class ResumingTab implements AutoCloseable {
    private final String userId;
    private final String token;
    private final Supplier<URI> nodes;
    private final SequenceCheck check;
    private final List<String> titles = new CopyOnWriteArrayList<>();
    private final List<String> connections = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile String epoch;
    private volatile int resyncs;
    private volatile int reconnects;
    private volatile boolean stopped;
    private volatile boolean dropped;
    private volatile WsClient current;

    /** @param nodes the {@code ws://.../ws} address to connect to next; called for every connection */
    ResumingTab(String userId, String token, Supplier<URI> nodes) {
        this.userId = userId;
        this.token = token;
        this.nodes = nodes;
        this.check = new SequenceCheck(userId);
        this.thread = new Thread(this::run, "tab-" + userId);
        thread.setDaemon(true);
    }

    /** Starts the tab and waits until its first connection is established. */
    ResumingTab open() throws InterruptedException {
        thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (connections.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tab of " + userId + " never connected");
            }
            Thread.sleep(10);
        }
        return this;
    }

    private void run() {
        while (!stopped) {
            URI base = nodes.get();
            String query = epoch == null ? "" : "?epoch=" + epoch + "&last_event_id=" + lastApplied();
            WsClient client;
            try {
                client = WsClient.connect(URI.create(base + query), token);
            } catch (RuntimeException | AssertionError e) {
                pause(200); // that node is down or refused: try the next
                continue;
            }
            current = client;
            dropped = false;
            if (epoch == null) {
                epoch = client.established().epoch();
            }
            connections.add(base.getAuthority());
            try {
                while (!stopped && !dropped && !client.closedByServer()) {
                    String text = client.poll(Duration.ofMillis(200));
                    if (text != null) {
                        apply(FrameCodec.decodeServerFrame(text));
                    }
                }
                String late;
                while ((late = client.poll()) != null) {
                    apply(FrameCodec.decodeServerFrame(late));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                client.abort();
            }
            if (!stopped) {
                reconnects++;
                pause(50);
            }
        }
    }

    private void apply(ServerFrame frame) {
        if (frame instanceof Event event) {
            synchronized (check) {
                check.accept(event);
            }
            if (event.payload() instanceof Notification notification) {
                titles.add(notification.title());
            }
        } else if (frame instanceof ResyncRequired resync) {
            resyncs++;
            synchronized (check) {
                check.resyncRequired(1);
            }
            epoch = resync.epoch();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long lastApplied() {
        synchronized (check) {
            return check.lastApplied();
        }
    }

    /** Waits until the tab has applied event {@code id}; false if the time ran out first. */
    boolean awaitApplied(long id, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (lastApplied() < id) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    boolean clean(long expected) {
        synchronized (check) {
            return check.clean(expected);
        }
    }

    String report(long expected) {
        synchronized (check) {
            return check.report(expected) + ", resync_required " + resyncs + ", reconnects " + reconnects + ", via "
                    + new LinkedHashSet<>(connections);
        }
    }

    int resyncs() {
        return resyncs;
    }

    int reconnects() {
        return reconnects;
    }

    /** The titles of the notifications received, in order. */
    List<String> titles() {
        return new ArrayList<>(titles);
    }

    /** The {@code host:port} of every node the tab has been connected to, in order. */
    List<String> connections() {
        return List.copyOf(connections);
    }

    /** Drops the current connection as a network failure would; the tab reconnects. */
    void drop() {
        WsClient client = current;
        if (client != null) {
            dropped = true;
            client.abort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5_000);
        WsClient client = current;
        if (client != null) {
            client.abort();
        }
    }
}
