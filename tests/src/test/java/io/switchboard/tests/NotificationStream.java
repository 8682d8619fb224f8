package io.switchboard.tests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A caller emitting a steady stream of notifications for one user through the HTTP API, titled
 * {@code <prefix>-1}, {@code <prefix>-2}, ..., each to the next live node in turn. It remembers which
 * emits the server confirmed (202) and which it refused or did not answer, with the answers.
 */
final class NotificationStream implements AutoCloseable {
    private final ClusterNodes nodes;
    private final String userId;
    private final String prefix;
    private final long pauseMillis;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;

    NotificationStream(ClusterNodes nodes, String userId, String prefix, Duration pause) {
        this.nodes = nodes;
        this.userId = userId;
        this.prefix = prefix;
        this.pauseMillis = pause.toMillis();
        this.thread = new Thread(this::run, "emitter-" + userId);
        thread.setDaemon(true);
    }

    NotificationStream start() {
        thread.start();
        return this;
    }

    private void run() {
        int turn = 0;
        while (!stopped) {
            List<String> live = nodes.names();
            if (live.isEmpty()) {
                pause();
                continue;
            }
            String node = live.get(turn++ % live.size());
            String title = prefix + "-" + sent.incrementAndGet();
            try {
                HttpResponse<String> answer = nodes.notify(node, userId, title);
                if (answer.statusCode() == 202) {
                    confirmed.add(title);
                } else {
                    refusals.add(title + ": " + answer.statusCode() + " "
                            + answer.headers().firstValue("Content-Type").orElse("") + " " + answer.body());
                }
            } catch (Exception e) {
                refusals.add(title + ": no answer from " + node + ": " + e);
            }
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    /** The titles whose emit the server confirmed. */
    Set<String> confirmed() {
        return Set.copyOf(confirmed);
    }

    /** The emits that were refused or not answered, with the answer. */
    List<String> refusals() {
        return List.copyOf(refusals);
    }

    int sent() {
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(15_000);
    }
}
