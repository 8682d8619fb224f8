package io.switchboard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Recorder;

/**
 * The load generator's client side: many WebSocket connections on a few Vert.x event loops, each
 * checking its user's events for loss, duplication, reordering and foreign events, and recording
 * emit-to-receive latency against the events' intended send times (no coordinated omission), which
 * an {@code agent_thinking} carries in its reasoning and a notification in its body.
 */
final class LoadClient implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int CONNECTS_IN_FLIGHT = 200;

    final Recorder latencyMicros = new Recorder(3);
    final AtomicLong delivered = new AtomicLong();
    /** When the latest event arrived ({@link System#nanoTime()}). */
    volatile long lastDeliveryNanos;

    final List<Tab> tabs = new ArrayList<>();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(100_000)
            .setMaxFrameSize(1 << 20)
            .setMaxMessageSize(1 << 20));
    private final List<WebSocket> sockets = new ArrayList<>();

    /**
     * Opens one connection per entry, {@code CONNECTS_IN_FLIGHT} at a time.
     *
     * @param uri      the request URI of a connection for a user
     * @param header   the Authorization header of a user, or {@code null}
     * @return connections opened per second
     */
    double connect(int port, List<String> users, Function<String, String> uri, Function<String, String> header)
            throws Exception {
        Semaphore slots = new Semaphore(CONNECTS_IN_FLIGHT);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (String user : users) {
            slots.acquire();
            Tab tab = new Tab(user);
            WebSocketConnectOptions options = new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI(uri.apply(user));
            String authorization = header.apply(user);
            if (authorization != null) {
                options.addHeader("Authorization", authorization);
            }
            CompletableFuture<Void> opened = new CompletableFuture<>();
            all.add(opened);
            Future<WebSocket> connecting = client.connect(options);
            connecting.onComplete(result -> {
                slots.release();
                if (result.failed()) {
                    opened.completeExceptionally(result.cause());
                    return;
                }
                WebSocket socket = result.result();
                socket.textMessageHandler(text -> onFrame(tab, text));
                synchronized (sockets) {
                    sockets.add(socket);
                    tabs.add(tab);
                }
                opened.complete(null);
            });
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return users.size() / ((System.nanoTime() - start) / 1e9);
    }

    private void onFrame(Tab tab, String text) {
        String type = null;
        String user = null;
        long eventId = 0;
        long intendedMicros = 0;
        try (JsonParser parser = JSON.createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "type" -> type = parser.getText();
                    case "user_id" -> user = parser.getText();
                    case "event_id" -> eventId = parser.getLongValue();
                    case "reasoning", "body" -> {
                        String carrier = parser.getText();
                        intendedMicros = Long.parseLong(carrier.substring(0, carrier.indexOf('|')));
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (!"agent_thinking".equals(type) && !"notification".equals(type)) {
            return;
        }
        long nowMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime()); // the clock ConstantRate reads
        latencyMicros.recordValue(Math.max(0, nowMicros - intendedMicros));
        delivered.incrementAndGet();
        lastDeliveryNanos = System.nanoTime();
        tab.event(user, eventId);
    }

    int openConnections() {
        synchronized (sockets) {
            return (int) sockets.stream().filter(s -> !s.isClosed()).count();
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
