package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.EventStoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayDeque;
import org.jboss.logging.Logger;

/**
 * Sends commands to Redis over one connection, in the order they are given: two appends for the same
 * user, given in that order from any threads, run in Redis in that order. Every command answers within
 * the timeout or fails with an {@link EventStoreUnavailableException}; while Redis cannot be reached,
 * commands fail at once instead of queueing, and the next command after a short pause tries again.
 */
final class RedisCommands {
    private static final Logger LOG = Logger.getLogger(RedisCommands.class);
    /** After a failed connection attempt, commands fail at once for this long instead of each trying again. */
    private static final long RETRY_CONNECT_MILLIS = 250;
    /** Commands waiting for a connection; beyond this they are refused, so an outage cannot fill the heap. */
    private static final int MOST_WAITING = 10_000;

    private record Waiting(Request request, Promise<Response> promise) {}

    private final Vertx vertx;
    private final Redis client;
    private final long timeoutMillis;
    private final String target;
    /** Every state change happens on this context, in the order the commands were given. */
    private final Context context;

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private RedisConnection connection;
    private boolean connecting;
    private long lastFailedConnectMillis;
    private String lastConnectFailure;
    private volatile boolean closed;

    RedisCommands(Vertx vertx, Redis client, Duration timeout, String target) {
        this.vertx = vertx;
        this.client = client;
        this.timeoutMillis = timeout.toMillis();
        this.target = target;
        this.context = vertx.getOrCreateContext();
    }

    /**
     * Sends the command after every command given before it. Callbacks run on a Vert.x event loop.
     *
     * @return its answer, or an {@link EventStoreUnavailableException} if Redis did not answer in
     *     time, could not be reached, or answered with an error
     */
    Future<Response> send(Request request) {
        Promise<Response> promise = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (promise.tryFail(new EventStoreUnavailableException(
                    "Redis (" + target + ") did not answer within " + timeoutMillis
                            + " ms; the command may still be carried out",
                    null))) {
                context.runOnContext(ignored -> dropConnection("a command timed out"));
            }
        });
        promise.future().onComplete(ignored -> vertx.cancelTimer(timer));
        context.runOnContext(ignored -> dispatch(new Waiting(request, promise)));
        return promise.future();
    }

    /** Closes the connection; commands given afterwards fail. */
    void close() {
        closed = true;
        context.runOnContext(ignored -> {
            if (connection != null) {
                connection.close();
                connection = null;
            }
            failWaiting("the node is shutting down");
        });
    }

    private void dispatch(Waiting command) {
        if (command.promise().future().isComplete()) {
            return; // timed out before its turn: do not carry it out late
        }
        if (closed) {
            command.promise().tryFail(new EventStoreUnavailableException("the node is shutting down", null));
            return;
        }
        if (connection != null) {
            forward(connection, command);
            return;
        }
        if (!connecting && System.currentTimeMillis() - lastFailedConnectMillis < RETRY_CONNECT_MILLIS) {
            command.promise().tryFail(unreachable(lastConnectFailure));
            return;
        }
        if (waiting.size() >= MOST_WAITING) {
            command.promise()
                    .tryFail(new EventStoreUnavailableException(
                            "too many commands are waiting for Redis (" + target + ")", null));
            return;
        }
        waiting.add(command);
        if (!connecting) {
            connect();
        }
    }

    private void connect() {
        connecting = true;
        client.connect()
                .onComplete(result -> context.runOnContext(ignored -> {
                    connecting = false;
                    if (result.failed()) {
                        lastFailedConnectMillis = System.currentTimeMillis();
                        lastConnectFailure = String.valueOf(result.cause().getMessage());
                        LOG.warnf("cannot connect to Redis (%s): %s", target, lastConnectFailure);
                        failWaiting(lastConnectFailure);
                        return;
                    }
                    RedisConnection opened = result.result();
                    if (closed) {
                        opened.close();
                        failWaiting("the node is shutting down");
                        return;
                    }
                    opened.exceptionHandler(failure ->
                            context.runOnContext(x -> lost(opened, "the connection failed: " + failure.getMessage())));
                    opened.endHandler(x -> context.runOnContext(y -> lost(opened, "the connection was closed")));
                    connection = opened;
                    LOG.infof("connected to Redis (%s) for commands", target);
                    while (!waiting.isEmpty()) {
                        Waiting next = waiting.poll();
                        if (!next.promise().future().isComplete()) {
                            forward(opened, next);
                        }
                    }
                }));
    }

    private void forward(RedisConnection via, Waiting command) {
        via.send(command.request()).onComplete(answer -> {
            if (answer.succeeded()) {
                command.promise().tryComplete(answer.result());
            } else {
                command.promise()
                        .tryFail(new EventStoreUnavailableException(
                                "Redis (" + target + ") failed the command: "
                                        + answer.cause().getMessage(),
                                answer.cause()));
            }
        });
    }

    private void lost(RedisConnection which, String why) {
        if (connection == which) {
            connection = null;
            LOG.warnf("lost the command connection to Redis (%s): %s", target, why);
        }
    }

    /** A command timed out: the connection may be stuck, so the next command opens a new one. */
    private void dropConnection(String why) {
        if (connection != null) {
            RedisConnection stuck = connection;
            connection = null;
            LOG.warnf("closing the command connection to Redis (%s): %s", target, why);
            stuck.close();
        }
    }

    private void failWaiting(String why) {
        while (!waiting.isEmpty()) {
            waiting.poll().promise().tryFail(unreachable(why));
        }
    }

    private EventStoreUnavailableException unreachable(String why) {
        return new EventStoreUnavailableException("Redis (" + target + ") is unreachable: " + why, null);
    }
}
