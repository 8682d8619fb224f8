package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.EventStoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * larger reads, and the client's own bound on unanswered commands is never reached. When Redis
 * refuses a command, the client fails its whole batch: the other commands were carried out, and their
 * callers are told that, not that they failed to be. On a Redis Cluster, whose client cannot batch
 * commands on different slots, each command is written alone.
 *
 * <p>On a single server, every new connection first loads {@link ClusterScripts#ALL}, and scripts are
 * then called by digest. Should Redis answer that it lacks one ({@code NOSCRIPT}: its scripts were
 * flushed while the connection stayed up), that command fails like any refused one, none is retried,
 * and the connection is replaced, so that the next command finds the scripts loaded again.
 */
final class RedisCommands {
    private static final Logger LOG = Logger.getLogger(RedisCommands.class);
    /** After a failed connection attempt, commands fail at once for this long instead of each trying again. */
    private static final long RETRY_CONNECT_MILLIS = 250;
    /** Commands not written yet; beyond this they are refused, so an outage or a stall cannot fill the heap. */
    private static final int MOST_WAITING = 10_000;

    /** Redis' error for a script it does not hold. */
    private static final String NO_SCRIPT = "NOSCRIPT";

    /** "[index]" in the Vert.x client's failure of a batch, before each failed command's error. */
    private static final Pattern FAILED_INDEX = Pattern.compile("\\[(\\d+)\\] ");

    /**
     * A command and its caller's promise. Whether it is written or, timed out first, never will be is
     * decided once, by whichever of the context and the timeout comes first.
     */
    private static final class Waiting {
        private final Request request;
        private final Promise<Response> promise;
        private final AtomicBoolean decided = new AtomicBoolean();

        Waiting(Request request, Promise<Response> promise) {
            this.request = request;
            this.promise = promise;
        }

        Request request() {
            return request;
        }

        Promise<Response> promise() {
            return promise;
        }

        /** Whether the context may write it now: it did not time out before. */
        boolean toWrite() {
            return decided.compareAndSet(false, true);
        }

        /** Whether it timed out before it was written: then it never will be. */
        boolean unwritten() {
            return decided.compareAndSet(false, true);
        }
    }

    private final Vertx vertx;
    private final Redis client;
    private final long timeoutMillis;
    private final String target;
    private final boolean batching;
    private final long windowNanos;
    /** Commands per batch, below the client's own bound on unanswered commands. */
    private final int mostPerBatch;
    /** Every state change happens on this context, in the order the commands were given. */
    private final Context context;
    /** Commands given on any thread and not yet taken on the context, in the order given. */
    private final ConcurrentLinkedQueue<Waiting> given = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean takeScheduled = new AtomicBoolean();

    /** Commands not written yet, in their order: waiting for a connection, or for the batch before them. */
    private final ArrayDeque<Waiting> queued = new ArrayDeque<>();
    /** Each script's SHA-1 digest, by which it is called on a single server. */
    private final Map<String, String> digests = new HashMap<>();

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
     * @param mostUnanswered the client's bound on unanswered commands ({@code quarkus.redis.max-waiting-handlers})
     */
    RedisCommands(
            Vertx vertx,
            Redis client,
            Duration timeout,
            String target,
            boolean batching,
            Duration window,
            int mostUnanswered) {
        this.vertx = vertx;
        this.client = client;
        this.timeoutMillis = timeout.toMillis();
        this.target = target;
        this.batching = batching;
        this.windowNanos = window.toNanos();
        this.mostPerBatch = Math.max(1, Math.min(500, mostUnanswered / 4));
        this.lastWriteNanos = System.nanoTime() - windowNanos;
        this.context = vertx.getOrCreateContext();
        for (String script : ClusterScripts.ALL) {
            digests.put(script, digest(script));
        }
    }

    private static String digest(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /**
     * A call of one of {@link ClusterScripts#ALL}, to which the caller adds the number of keys, the keys
     * and the arguments: by digest on a single server, whole on a Redis Cluster.
     */
    Request script(String script) {
        String digest = digests.get(script);
        if (digest == null) {
            throw new IllegalArgumentException("not one of ClusterScripts.ALL");
        }
        return batching
                ? Request.cmd(Command.EVALSHA).arg(digest)
                : Request.cmd(Command.EVAL).arg(script);
    }

    /**
     * Sends the command after every command given before it. Callbacks run on a Vert.x event loop.
     *
     * @return its answer, or an {@link EventStoreUnavailableException} if Redis did not answer in
     *     time, could not be reached, or answered with an error
     */
    Future<Response> send(Request request) {
        Promise<Response> promise = Promise.promise();
        Waiting command = new Waiting(request, promise);
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (command.unwritten()) { // behind unanswered commands: never sent, and it will not be
                promise.tryFail(new EventStoreUnavailableException(
                        "Redis (" + target + ") did not take the command within " + timeoutMillis
                                + " ms, the commands before it being unanswered; it was not sent",
                        null));
            } else if (promise.tryFail(new EventStoreUnavailableException(
                    "Redis (" + target + ") did not answer within " + timeoutMillis
                            + " ms; the command may still be carried out",
                    null))) {
                context.runOnContext(ignored -> dropConnection("a command timed out"));
            }
        });
        promise.future().onComplete(ignored -> vertx.cancelTimer(timer));
        given.add(command);
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
        if (connection == null
                && !connecting
                && System.currentTimeMillis() - lastFailedConnectMillis < RETRY_CONNECT_MILLIS) {
            command.promise().tryFail(unreachable(lastConnectFailure));
            return;
        }
        if (queued.size() >= MOST_WAITING) {
            command.promise()
                    .tryFail(new EventStoreUnavailableException(
                            "too many commands are waiting for Redis (" + target + ")", null));
            return;
        }
        queued.add(command);
        if (connection == null && !connecting) {
            connect();
        }
    }

    private void connect() {
        connecting = true;
        client.connect()
                .onComplete(result -> context.runOnContext(ignored -> {
                    if (result.failed()) {
                        connectFailed(String.valueOf(result.cause().getMessage()));
                        return;
                    }
                    RedisConnection opened = result.result();
                    if (closed) {
                        connecting = false;
                        opened.close();
                        failWaiting("the node is shutting down");
                        return;
                    }
                    opened.exceptionHandler(failure ->
                            context.runOnContext(x -> lost(opened, "the connection failed: " + failure.getMessage())));
                    opened.endHandler(x -> context.runOnContext(y -> lost(opened, "the connection was closed")));
                    if (!batching) {
                        connected(opened);
                        return;
                    }
                    List<Request> loads = new ArrayList<>();
                    ClusterScripts.ALL.forEach(script ->
                            loads.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)));
                    // a Redis that takes the connection but does not answer fails the loads, and the
                    // next command connects again
                    long unanswered = vertx.setTimer(timeoutMillis, id -> opened.close());
                    opened.batch(loads)
                            .onComplete(loaded -> context.runOnContext(x -> {
                                vertx.cancelTimer(unanswered);
                                if (loaded.succeeded()) {
                                    connected(opened);
                                    return;
                                }
                                opened.close();
                                connectFailed("could not load the scripts: "
                                        + loaded.cause().getMessage());
                            }));
                }));
    }

    /** No connection this time: the commands waiting fail, and those given soon after fail at once. */
    private void connectFailed(String why) {
        connecting = false;
        lastFailedConnectMillis = System.currentTimeMillis();
        lastConnectFailure = why;
        LOG.warnf("cannot connect to Redis (%s): %s", target, why);
        failWaiting(why);
    }

    private void connected(RedisConnection opened) {
        connecting = false;
        if (closed) {
            opened.close();
            failWaiting("the node is shutting down");
            return;
        }
        connection = opened;
        LOG.infof("connected to Redis (%s) for commands", target);
        writeReady();
    }

    /**
     * Writes the queued commands unless a batch is unanswered or the window since the last write is
     * open: all in one batch, or each alone where batches are not allowed. The answers and the timer
     * come back on this context (they are made on it).
     */
    private void writeReady() {
        RedisConnection via = connection;
        if (via == null || busy == via || queued.isEmpty() || windowTimerSet) {
            return;
        }
        if (!batching) {
            while (!queued.isEmpty()) {
                Waiting command = queued.poll();
                if (command.toWrite()) { // one that timed out is not carried out late
                    via.send(command.request())
                            .onComplete(answer -> answered(command, answer.result(), answer.cause()));
                }
            }
            return;
        }
        long now = System.nanoTime();
        long wait = lastWriteNanos + windowNanos - now;
        if (wait > 0) {
            windowTimerSet = true;
            vertx.setTimer(Math.max(1, (wait + 999_999) / 1_000_000), id -> {
                windowTimerSet = false;
                writeReady();
            });
            return;
        }
        List<Waiting> batch = new ArrayList<>(Math.min(queued.size(), mostPerBatch));
        while (!queued.isEmpty() && batch.size() < mostPerBatch) {
            Waiting next = queued.poll();
            if (next.toWrite()) {
                batch.add(next);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        lastWriteNanos = now;
        busy = via;
        if (batch.size() == 1) {
            Waiting command = batch.get(0);
            via.send(command.request()).onComplete(answer -> {
                answered(command, answer.result(), answer.cause());
                batchAnswered(via);
            });
            return;
        }
        List<Request> requests = new ArrayList<>(batch.size());
        batch.forEach(command -> requests.add(command.request()));
        via.batch(requests).onComplete(answers -> {
            if (answers.succeeded()) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).promise().tryComplete(answers.result().get(i));
                }
            } else {
                batchFailed(batch, answers.cause());
            }
            batchAnswered(via);
        });
    }

    private void answered(Waiting command, Response answer, Throwable failure) {
        if (failure == null) {
            command.promise().tryComplete(answer);
            return;
        }
        scriptsLost(failure);
        command.promise()
                .tryFail(new EventStoreUnavailableException(
                        "Redis (" + target + ") failed the command: " + failure.getMessage(), failure));
    }

    /**
     * The client fails a whole batch when Redis refused any of its commands, and names those by their
     * index. A command not named was carried out, but its answer is lost with the batch: its caller is
     * told so, and must not take it for a command that was not carried out. When the failure names no
     * command (the connection failed), each may or may not have been carried out.
     */
    private void batchFailed(List<Waiting> batch, Throwable failure) {
        scriptsLost(failure);
        String message = String.valueOf(failure.getMessage());
        boolean[] refused = new boolean[batch.size()];
        boolean named = false;
        Matcher index = FAILED_INDEX.matcher(message);
        while (index.find()) {
            int i = Integer.parseInt(index.group(1));
            if (i < refused.length) {
                refused[i] = true;
                named = true;
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            String what;
            if (!named) {
                what = "failed a batch of " + batch.size()
                        + " commands, this one among them (it may have been carried out): " + message;
            } else if (refused[i]) {
                what = "failed the command: " + message;
            } else {
                what = "carried out the command, but its answer was lost: Redis refused another command"
                        + " written with it (" + message + ")";
            }
            batch.get(i)
                    .promise()
                    .tryFail(new EventStoreUnavailableException("Redis (" + target + ") " + what, failure));
        }
    }

    /** After a NOSCRIPT, a new connection, which loads the scripts before anything else. */
    private void scriptsLost(Throwable failure) {
        if (String.valueOf(failure.getMessage()).contains(NO_SCRIPT)) {
            dropConnection("Redis no longer holds the scripts (NOSCRIPT); they are loaded again on a new connection");
        }
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
            connectForQueued();
        }
    }

    /** The connection is gone: the commands queued wait for the next one, in their order. */
    private void connectForQueued() {
        busy = null;
        if (!queued.isEmpty() && !connecting) {
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
            connectForQueued();
        }
    }

    private void failWaiting(String why) {
        while (!queued.isEmpty()) {
            queued.poll().promise().tryFail(unreachable(why));
        }
    }

    private EventStoreUnavailableException unreachable(String why) {
        return new EventStoreUnavailableException("Redis (" + target + ") is unreachable: " + why, null);
    }
}
