package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw baseline: a plain Vert.x WebSocket server doing the same per-user push as Switchboard with
 * no log, no authentication and no guarantees. {@code /ws?user=u} connects a user;
 * {@code POST /emit?prefix&users&rate&seconds} emits the same events at the same schedule;
 * {@code POST /broadcast?body=b} sends one notification to every connected user, with its own id.
 */
public final class RawBaselineServer {
    static final String PADDING = "x".repeat(60);

    private final Map<String, List<ServerWebSocket>> sockets = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> eventIds = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        new RawBaselineServer().listen(Vertx.vertx());
    }

    private void listen(Vertx vertx) throws Exception {
        HttpServer server = vertx.createHttpServer()
                .webSocketHandler(this::accept)
                .requestHandler(request -> {
                    if (request.path().equals("/broadcast")) {
                        broadcast(request.getParam("body"));
                        request.response().setStatusCode(202).end();
                    } else if (request.path().equals("/emit")) {
                        String prefix = request.getParam("prefix");
                        int users = Integer.parseInt(request.getParam("users"));
                        int rate = Integer.parseInt(request.getParam("rate"));
                        int seconds = Integer.parseInt(request.getParam("seconds"));
                        Thread emitter =
                                new Thread(() -> emit(prefix, users, rate, (long) rate * seconds), "baseline-emitter");
                        emitter.setDaemon(true);
                        emitter.start();
                        request.response().setStatusCode(202).end();
                    } else {
                        request.response().setStatusCode(404).end();
                    }
                });
        int port = server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .actualPort();
        System.out.println("LISTENING " + port);
    }

    private void accept(ServerWebSocket socket) {
        String query = socket.query() == null ? "" : socket.query();
        String user = query.startsWith("user=") ? query.substring(5) : "anonymous";
        List<ServerWebSocket> own = sockets.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>());
        own.add(socket);
        socket.closeHandler(ignored -> own.remove(socket));
        socket.writeTextMessage("{\"type\":\"connection_established\",\"user_id\":\"" + user + "\"}");
    }

    /** One notification to every connected user, each with the user's next id, as Switchboard sends it. */
    private void broadcast(String body) {
        String timestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        sockets.forEach((user, own) -> {
            long eventId = eventIds.computeIfAbsent(user, u -> new AtomicLong()).incrementAndGet();
            String json = "{\"type\":\"notification\",\"event_id\":" + eventId + ",\"user_id\":\"" + user
                    + "\",\"timestamp\":\"" + timestamp + "\",\"level\":\"info\",\"title\":\"bench\",\"body\":\""
                    + body + "\"}";
            for (ServerWebSocket socket : own) {
                socket.writeTextMessage(json);
            }
        });
    }

    private void emit(String prefix, int users, int rate, long total) {
        ConstantRate.run(rate, total, (i, intendedMicros) -> {
            String user = prefix + (i % users);
            long eventId = eventIds.computeIfAbsent(user, u -> new AtomicLong()).incrementAndGet();
            String json = "{\"type\":\"agent_thinking\",\"event_id\":" + eventId + ",\"user_id\":\"" + user
                    + "\",\"timestamp\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                    + "\",\"thread_id\":\"bench\",\"run_id\":\"bench\",\"reasoning\":\"" + intendedMicros + "|"
                    + PADDING
                    + "\"}";
            for (ServerWebSocket socket : sockets.getOrDefault(user, List.of())) {
                socket.writeTextMessage(json);
            }
        });
    }
}
