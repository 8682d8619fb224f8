package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.EventStoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Redis pub/sub for one node, over one connection of its own to one Redis server (any node of a Redis
 * Cluster: classic pub/sub reaches every node). When the connection is lost (a network failure, a
 * Redis restart, {@code CLIENT KILL TYPE pubsub}), it connects again, to the next server in turn,
 * subscribes to every channel again and then tells its owner, who reads from the logs whatever was
 * published meanwhile.
 */
final class RedisSubscriber {
    private static final Logger LOG = Logger.getLogger(RedisSubscriber.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long LONGEST_RETRY_MILLIS = 2_000;
    /** Channels per SUBSCRIBE command when subscribing again to all of them. */
    private static final int CHANNELS_PER_COMMAND = 500;

    private final Vertx vertx;
    private final List<String> servers;
    private final long timeoutMillis;
    private final long pingMillis;
    private final Runnable onResubscribed;
    private final Context context;
    private final Map<String, Consumer<String>> handlers = new HashMap<>();
    private final Map<String, Promise<Void>> unconfirmed = new HashMap<>();
    /** SUBSCRIBE commands sent on this connection and not confirmed yet, per channel. */
    private final Map<String, Integer> outstanding = new HashMap<>();
    /** One client per server, made when first tried and kept: each new client registers its meters again. */
    private final Map<String, Redis> clients = new HashMap<>();

    private RedisConnection connection;
    private int server;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private volatile boolean ready;
    private volatile String problem = "not connected yet";
    private boolean closed;
    private long lastAnswerNanos;

    /**
     * @param servers        Redis URIs, such as {@code redis://127.0.0.1:6379}, tried in turn
     * @param onResubscribed called on a Vert.x thread each time the subscriptions are in place again
     *                       after the connection was lost
     */
    RedisSubscriber(
            Vertx vertx, List<String> servers, Duration timeout, Duration pingInterval, Runnable onResubscribed) {
        this.vertx = vertx;
        this.pingMillis = Math.max(100, pingInterval.toMillis());
        this.servers = List.copyOf(servers);
        this.timeoutMillis = timeout.toMillis();
        this.onResubscribed = onResubscribed;
        this.context = vertx.getOrCreateContext();
    }

    void start() {
        context.runOnContext(ignored -> connect(false));
        vertx.setPeriodic(pingMillis, id -> context.runOnContext(ignored -> ping()));
    }

    /** A connection that stopped answering (a half-open TCP connection) looks like an idle one: ask it. */
    private void ping() {
        RedisConnection asked = connection;
        if (asked == null || !ready || closed) {
            return;
        }
        long sent = System.nanoTime();
        // on RESP3 the answer completes the send; on RESP2 it arrives as a message (see onPush)
        asked.send(Request.cmd(Command.PING)).onSuccess(reply -> context.runOnContext(x -> answered()));
        vertx.setTimer(
                timeoutMillis,
                id -> context.runOnContext(ignored -> {
                    if (lastAnswerNanos - sent < 0) {
                        lost(asked, "no answer to PING within " + timeoutMillis + " ms");
                    }
                }));
    }

    private void answered() {
        lastAnswerNanos = System.nanoTime();
    }

    void close() {
        context.runOnContext(ignored -> {
            closed = true;
            ready = false;
            problem = "closed";
            if (connection != null) {
                connection.close();
            }
            clients.values().forEach(Redis::close);
        });
    }

    /** Whether the connection is up and every subscription is confirmed. */
    boolean ready() {
        return ready;
    }

    /** Why the subscriptions are not in place, while they are not. */
    String problem() {
        return problem;
    }

    /**
     * Subscribes the handler (called on a Vert.x thread) to the channel, in place of any handler it had.
     *
     * @return done once Redis has confirmed the subscription, so that nothing published afterwards is
     *     missed; failed with an {@link EventStoreUnavailableException} if it does not confirm in time
     */
    Future<Void> subscribe(String channel, Consumer<String> handler) {
        Promise<Void> confirmed = Promise.promise();
        context.runOnContext(ignored -> {
            boolean known = handlers.put(channel, handler) != null;
            Promise<Void> pending = unconfirmed.get(channel);
            if (known && pending == null && ready) {
                confirmed.complete();
                return;
            }
            if (pending == null) {
                pending = Promise.promise();
                unconfirmed.put(channel, pending);
            }
            pending.future().onComplete(confirmed);
            if (!known && connection != null) {
                // even if an earlier SUBSCRIBE is unconfirmed: an UNSUBSCRIBE may have been sent after it
                outstanding.merge(channel, 1, Integer::sum);
                connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
            }
        });
        vertx.setTimer(
                timeoutMillis,
                id -> confirmed.tryFail(new EventStoreUnavailableException(
                        "Redis did not confirm the subscription to " + channel + " within " + timeoutMillis + " ms",
                        null)));
        return confirmed.future();
    }

    /** Stops the channel's messages. */
    void unsubscribe(String channel) {
        context.runOnContext(ignored -> {
            if (handlers.remove(channel) != null && connection != null) {
                connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel));
            }
        });
    }

    private void connect(boolean again) {
        if (closed) {
            return;
        }
        String uri = servers.get(server % servers.size());
        Redis client =
                clients.computeIfAbsent(uri, u -> Redis.createClient(vertx, new RedisOptions().setConnectionString(u)));
        client.connect()
                .onComplete(result -> context.runOnContext(ignored -> {
                    if (result.failed()) {
                        problem = "cannot connect to Redis ("
                                + RedisLink.redacted(List.of(uri)).get(0) + ") for pub/sub: "
                                + result.cause().getMessage();
                        retry(again);
                        return;
                    }
                    RedisConnection opened = result.result();
                    if (closed) {
                        opened.close();
                        return;
                    }
                    connection = opened;
                    opened.handler(this::onPush);
                    opened.exceptionHandler(failure -> context.runOnContext(x -> lost(opened, failure.getMessage())));
                    opened.endHandler(x -> context.runOnContext(y -> lost(opened, "the connection was closed")));
                    retryMillis = FIRST_RETRY_MILLIS;
                    subscribeAll(opened, again, uri);
                }));
    }

    /** Subscribes to every channel on a new connection; ready once Redis has confirmed them all. */
    private void subscribeAll(RedisConnection opened, boolean again, String uri) {
        List<String> channels = new ArrayList<>(handlers.keySet());
        List<Future<Void>> confirmations = new ArrayList<>();
        unconfirmed.keySet().removeIf(channel -> {
            if (handlers.containsKey(channel)) {
                return false;
            }
            unconfirmed.get(channel).tryComplete(); // unsubscribed while disconnected: nothing to confirm
            return true;
        });
        outstanding.clear();
        for (String channel : channels) {
            Promise<Void> confirmed = unconfirmed.computeIfAbsent(channel, c -> Promise.promise());
            confirmations.add(confirmed.future());
            outstanding.put(channel, 1);
        }
        vertx.setTimer(
                timeoutMillis,
                id -> context.runOnContext(ignored -> {
                    if (connection == opened && !ready) {
                        lost(opened, "Redis did not confirm the subscriptions within " + timeoutMillis + " ms");
                    }
                }));
        for (int from = 0; from < channels.size(); from += CHANNELS_PER_COMMAND) {
            Request subscribe = Request.cmd(Command.SUBSCRIBE);
            for (String channel : channels.subList(from, Math.min(channels.size(), from + CHANNELS_PER_COMMAND))) {
                subscribe.arg(channel);
            }
            opened.send(subscribe);
        }
        Future.all(confirmations)
                .onComplete(done -> context.runOnContext(ignored -> {
                    if (connection != opened) {
                        return;
                    }
                    if (done.failed()) {
                        lost(
                                opened,
                                "the subscriptions were not confirmed: "
                                        + done.cause().getMessage());
                        return;
                    }
                    ready = true;
                    problem = null;
                    LOG.infof(
                            "subscribed to %d channels on Redis (%s)",
                            channels.size(), RedisLink.redacted(List.of(uri)).get(0));
                    if (again) {
                        onResubscribed.run();
                    }
                }));
    }

    private void onPush(Response push) {
        if (push == null) {
            return;
        }
        if (push.type() != ResponseType.MULTI && push.type() != ResponseType.PUSH) {
            if ("PONG".equalsIgnoreCase(push.toString())) { // the answer to PING, on RESP3
                answered();
            }
            return;
        }
        if (push.size() < 2) {
            return;
        }
        String kind = push.get(0).toString();
        if ("pong".equals(kind)) { // the answer to PING in subscribed mode, on RESP2
            answered();
            return;
        }
        if (push.size() < 3) {
            return;
        }
        String channel = push.get(1).toString();
        if ("message".equals(kind)) {
            Consumer<String> handler = handlers.get(channel);
            if (handler != null) {
                handler.accept(push.get(2).toString());
            }
        } else if ("subscribe".equals(kind) && outstanding.merge(channel, -1, Integer::sum) <= 0) {
            outstanding.remove(channel);
            Promise<Void> confirmed = unconfirmed.remove(channel);
            if (confirmed != null) {
                confirmed.tryComplete();
            }
        }
    }

    private void lost(RedisConnection which, String why) {
        if (connection != which || closed) {
            return;
        }
        connection = null;
        ready = false;
        outstanding.clear();
        problem = "the pub/sub connection to Redis was lost: " + why;
        LOG.warnf("%s; subscribing again", problem);
        which.close();
        retry(true);
    }

    private void retry(boolean again) {
        server++;
        long delay = retryMillis;
        retryMillis = Math.min(LONGEST_RETRY_MILLIS, retryMillis * 2);
        vertx.setTimer(delay, id -> context.runOnContext(ignored -> connect(again)));
    }
}
