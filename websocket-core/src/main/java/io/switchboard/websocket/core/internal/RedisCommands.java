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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Sends commands to Redis over one connection, in the order they are given: two appends for the same
 * user, given in that order from any threads, run in Redis in that order. Every command answers within
 * the timeout or fails with an {@link EventStoreUnavailableException}; while Redis cannot be reached,
 * commands fail at once instead of queueing, and the next command after a short pause tries again.
 *
 * <p>On a single Redis server, commands are written in batches, one at a time: while a batch is
 * unanswered, or within the write window after the last write, the commands given meanwhile wait and
 * then go together, in one write. After a quiet spell a command goes at once; under load, Redis reads,
 * runs and answers many commands per turn of its loop, the subscribers get their messages in fewer,
 * larger reads, and the client's own bound on unanswered commands is never reached. A command that
 * Redis refuses fails the other commands of its batch too, which Redis may have carried out, as when a
 * command times out. On a Redis Cluster, whose client cannot batch commands on different slots, each
 * command is written alone.
 */
final class RedisCommands {
    private static final Logger LOG = Logger.getLogger(RedisCommands.class);
    /** After a failed connection attempt, commands fail at once for this long instead of each trying again. */
    private static final long RETRY_CONNECT_MILLIS = 250;
    /** Commands waiting for a connection; beyond this they are refused, so an outage cannot fill the heap. */
    private static final int MOST_WAITING = 10_000;
    /** Commands per batch, below the client's own bound on unanswered commands (2,048 by default). */
    private static final int MOST_PER_BATCH = 500;

    private record Waiting(Request request, Promise<Response> promise) {}

    private final Vertx vertx;
    private final Redis client;
    private final long timeoutMillis;
    private final String target;
    private final boolean batching;
    private final long windowNanos;
    /** Every state change happens on this context, in the order the commands were given. */
    private final Context context;
    /** Commands given on any thread and not yet taken on the context, in the order given. */
    private final ConcurrentLinkedQueue<Waiting> given = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean takeScheduled = new AtomicBoolean();

    /** Commands waiting for a connection. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Commands waiting, while there is a connection, for the batch before them to be answered. */
    private final ArrayDeque<Waiting> ready = new ArrayDeque<>();

    private RedisConnection connection;
    /** The connection while a batch written to it is unanswered, otherwise {@code null}. */
    private RedisConnection busy;

    private long lastWriteNanos;
    private boolean windowTimerSet;

    private boolean connecting;
    private long lastFailedConnectMillis;
    private String lastConnectFailure;
    private volatile boolean closed;

    /**
     * @param batching whether commands may be written in batches: not on a Redis Cluster, where one
     *     batch may only touch one slot
     * @param window   the least time between two writes of batches
     */
    RedisCommands(Vertx vertx, Redis client, Duration timeout, String target, boolean batching, Duration window) {
        this.vertx = vertx;
        this.client = client;
        this.timeoutMillis = timeout.toMillis();
        this.target = target;
        this.batching = batching;
        this.windowNanos = window.toNanos();
        this.lastWriteNanos = System.nanoTime() - windowNanos;
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
        given.add(new Waiting(request, promise));
        if (takeScheduled.compareAndSet(false, true)) {
            context.runOnContext(ignored -> take());
        }
        return promise.future();
    }

    /** Takes, on the context, every command given so far: one hop for all that came meanwhile. */
    private void take() {
        takeScheduled.set(false);
        Waiting command;
        while ((command = given.poll()) != null) {
            dispatch(command);
        }
        writeReady();
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
            if (ready.size() >= MOST_WAITING) {
                command.promise().tryFail(tooManyWaiting());
            } else {
                ready.add(command);
            }
            return;
        }
        if (!connecting && System.currentTimeMillis() - lastFailedConnectMillis < RETRY_CONNECT_MILLIS) {
            command.promise().tryFail(unreachable(lastConnectFailure));
            return;
        }
        if (waiting.size() >= MOST_WAITING) {
            command.promise().tryFail(tooManyWaiting());
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
                    ready.addAll(waiting);
                    waiting.clear();
                    writeReady();
                }));
    }

    /**
     * Writes the ready commands unless a batch is unanswered or the window since the last write is
     * open: all in one batch, or each alone where batches are not allowed. The answers and the timer
     * come back on this context (they are made on it).
     */
    private void writeReady() {
        RedisConnection via = connection;
        if (via == null || busy == via || ready.isEmpty() || windowTimerSet) {
            return;
        }
        if (batching) {
            long now = System.nanoTime();
            long wait = lastWriteNanos + windowNanos - now;
            if (wait > 0) {
                windowTimerSet = true;
                vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> {
                    windowTimerSet = false;
                    writeReady();
                });
                return;
            }
            lastWriteNanos = now;
        }
        List<Waiting> batch = new ArrayList<>(Math.min(ready.size(), MOST_PER_BATCH));
        while (!ready.isEmpty() && batch.size() < MOST_PER_BATCH) {
            Waiting next = ready.poll();
            if (!next.promise().future().isComplete()) { // one that timed out is not carried out late
                batch.add(next);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        if (!batching) {
            batch.forEach(command -> via.send(command.request())
                    .onComplete(answer -> answered(command, answer.result(), answer.cause(), 1)));
            return;
        }
        busy = via;
        if (batch.size() == 1) {
            Waiting command = batch.get(0);
            via.send(command.request()).onComplete(answer -> {
                answered(command, answer.result(), answer.cause(), 1);
                batchAnswered(via);
            });
            return;
        }
        List<Request> requests = new ArrayList<>(batch.size());
        batch.forEach(command -> requests.add(command.request()));
        via.batch(requests).onComplete(answers -> {
            for (int i = 0; i < batch.size(); i++) {
                answered(
                        batch.get(i),
                        answers.succeeded() ? answers.result().get(i) : null,
                        answers.cause(),
                        batch.size());
            }
            batchAnswered(via);
        });
    }

    private void answered(Waiting command, Response answer, Throwable failure, int batchSize) {
        if (failure == null) {
            command.promise().tryComplete(answer);
            return;
        }
        String what = batchSize == 1
                ? "failed the command: "
                : "failed a batch of " + batchSize + " commands, this one among them (Redis may have carried it out): ";
        command.promise()
                .tryFail(new EventStoreUnavailableException(
                        "Redis (" + target + ") " + what + failure.getMessage(), failure));
    }

    private void batchAnswered(RedisConnection via) {
        if (busy == via) {
            busy = null;
            writeReady();
        }
    }

    private void lost(RedisConnection which, String why) {
        if (connection == which) {
            connection = null;
            LOG.warnf("lost the command connection to Redis (%s): %s", target, why);
            reconnectReady();
        }
    }

    /** The connection is gone: the commands that were ready wait for the next one, in their order. */
    private void reconnectReady() {
        busy = null;
        if (ready.isEmpty()) {
            return;
        }
        waiting.addAll(ready);
        ready.clear();
        if (!connecting) {
            connect();
        }
    }

    /** A command timed out: the connection may be stuck, so the next command opens a new one. */
    private void dropConnection(String why) {
        if (connection != null) {
            RedisConnection stuck = connection;
            connection = null;
            LOG.warnf("closing the command connection to Redis (%s): %s", target, why);
            stuck.close();
            reconnectReady();
        }
    }

    private void failWaiting(String why) {
        while (!waiting.isEmpty()) {
            waiting.poll().promise().tryFail(unreachable(why));
        }
        while (!ready.isEmpty()) {
            ready.poll().promise().tryFail(unreachable(why));
        }
    }

    private EventStoreUnavailableException tooManyWaiting() {
        return new EventStoreUnavailableException("too many commands are waiting for Redis (" + target + ")", null);
    }

    private EventStoreUnavailableException unreachable(String why) {
        return new EventStoreUnavailableException("Redis (" + target + ") is unreachable: " + why, null);
    }
}
