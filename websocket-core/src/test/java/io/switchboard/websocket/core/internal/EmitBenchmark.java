package io.switchboard.websocket.core.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one emit (routing to the user's manager, appending to the log, waking the user's
 * connection) while the server holds 100, 1,000 or 10,000 connections of other users: it should not
 * depend on them. Lives in core's package (white box, on the class path) because connections are
 * internal; sockets are stand-ins that accept every frame at once.
 *
 * <p>Run (after {@code ./mvnw -B install -DskipTests}): {@code ./mvnw -B -pl websocket-core
 * test-compile exec:exec@jmh -Djmh.args="EmitBenchmark -f 1 -wi 3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EmitBenchmark {
    @Param({"100", "1000", "10000"})
    public int connections;

    private Vertx vertx;
    private UserWebSocketManager target;
    private final AgentThinking payload = new AgentThinking("bench", "bench", "x".repeat(120));

    @Setup
    public void connect() {
        vertx = Vertx.vertx();
        WebSocketMetrics metrics = new WebSocketMetrics(new SimpleMeterRegistry());
        ManagerRegistry registry = new ManagerRegistry(1000, 10, Duration.ofMinutes(10), Clock.systemUTC(), metrics);
        UserConnection.Limits limits = new UserConnection.Limits(1000, 1 << 20, 3000);
        for (int i = 0; i < connections; i++) {
            UserWebSocketManager manager = registry.managerFor("user-" + i);
            UserConnection connection = new UserConnection(
                    "connection-" + i,
                    socket(),
                    vertx.getOrCreateContext(),
                    manager,
                    limits,
                    new FrameRateLimiter(20, 40, 5, System.nanoTime()),
                    metrics);
            manager.attach(connection, null, null, 25_000);
        }
        target = registry.managerFor("user-0");
    }

    /** A socket that takes every frame at once and is never full. */
    private static ServerWebSocket socket() {
        return (ServerWebSocket) Proxy.newProxyInstance(
                EmitBenchmark.class.getClassLoader(),
                new Class<?>[] {ServerWebSocket.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "writeTextMessage", "close" -> Future.succeededFuture();
                    case "isClosed", "writeQueueFull" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getReturnType().isInstance(proxy) ? proxy : null;
                });
    }

    @Benchmark
    public CompletionStage<Event> emit() {
        return target.emit(payload);
    }

    @TearDown
    public void close() {
        vertx.close();
    }
}
