package io.switchboard.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Optional argument: how many event loops serve the connections (1 by default). */
    public static void main(String[] args) throws Exception {
        int eventLoops = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        RawBaselineServer baseline = new RawBaselineServer();
        // One server per event loop on a shared free port (a negative port asks Vert.x for that):
        // Vert.x spreads the accepted connections over them, as Quarkus' HTTP server does.
        AtomicInteger actualPort = new AtomicInteger();
        vertx.deployVerticle(
                        () -> new AbstractVerticle() {
                            @Override
                            public void start(Promise<Void> started) {
                                baseline.listen(vertx, -1)
                                        .<Void>map(port -> {
                                            actualPort.set(port);
                                            return null;
                                        })
                                        .onComplete(started);
                            }
                        },
                        new DeploymentOptions().setInstances(eventLoops))
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        int port = actualPort.get();
        System.out.println("LISTENING " + port);
    }

    private Future<Integer> listen(Vertx vertx, int port) {
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
        return server.listen(port, "127.0.0.1").map(HttpServer::actualPort);
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
