package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.switchboard.websocket.core.EventStoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * A node's link to Redis in cluster mode, which is on when {@code quarkus.redis.hosts} is set: its
 * id among the nodes, the key names, one connection for commands (Quarkus' Redis client, so every
 * {@code quarkus.redis.*} key applies) and one for pub/sub. Without that key, nothing here connects.
 */
@Singleton
final class RedisLink {
    private static final Logger LOG = Logger.getLogger(RedisLink.class);
    /** Last at shutdown: the connections close, runs end and nodes leave before the link to Redis goes. */
    private static final int SHUTDOWN_PRIORITY = 9000;

    private static final List<String> SUPPORTED_CLIENT_TYPES = List.of("standalone", "cluster");

    private final boolean enabled;
    private final String clientType;
    private final List<String> servers;
    private final ClusterSettings settings;
    private final ClusterKeys keys;
    private final String nodeId;
    private final Vertx vertx;
    private final Instance<Redis> client;
    private final List<Runnable> onResubscribed = new CopyOnWriteArrayList<>();
    private volatile RedisCommands commands;
    private volatile RedisSubscriber subscriber;

    @Inject
    RedisLink(ClusterSettings settings, Vertx vertx, Instance<Redis> client) {
        this.servers = ConfigProvider.getConfig()
                .getOptionalValues("quarkus.redis.hosts", String.class)
                .orElse(List.of());
        this.enabled = !servers.isEmpty();
        this.clientType = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.redis.client-type", String.class)
                .orElse("standalone");
        if (enabled && !SUPPORTED_CLIENT_TYPES.contains(clientType)) {
            // the subscriber connects to the listed servers themselves: with sentinel they are no data nodes
            throw new IllegalStateException("quarkus.redis.client-type=" + clientType
                    + " is not supported in cluster mode: use standalone (one Redis) or cluster (a Redis Cluster)");
        }
        this.settings = settings;
        this.keys = new ClusterKeys(settings.keyPrefix());
        this.nodeId = settings.nodeId().orElseGet(RedisLink::defaultNodeId);
        this.vertx = vertx;
        this.client = client;
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return host + '-' + ProcessHandle.current().pid() + '-' + HexFormat.of().formatHex(random);
    }

    /** Whether this node is in cluster mode. */
    boolean enabled() {
        return enabled;
    }

    String nodeId() {
        return nodeId;
    }

    ClusterKeys keys() {
        return keys;
    }

    ClusterSettings settings() {
        return settings;
    }

    /** The Redis servers, without credentials. */
    List<String> servers() {
        return redacted(servers);
    }

    /** Connects, once; called by whoever needs Redis first. */
    synchronized void start() {
        if (!enabled || commands != null) {
            return;
        }
        String target = String.join(",", redacted(servers));
        commands = new RedisCommands(
                vertx,
                client.get(),
                settings.redisTimeout(),
                target,
                "standalone".equals(clientType),
                settings.writeWindow(),
                ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.redis.max-waiting-handlers", Integer.class)
                        .orElse(2048));
        subscriber = new RedisSubscriber(vertx, servers, settings.redisTimeout(), settings.refreshInterval(), () -> {
            for (Runnable listener : onResubscribed) {
                listener.run();
            }
        });
        subscriber.start();
        LOG.infof(
                "cluster mode: node %s on Redis %s (%s), key prefix '%s'",
                nodeId, target, clientType, settings.keyPrefix());
    }

    /** The servers without credentials, for logs and health checks. */
    static List<String> redacted(List<String> servers) {
        List<String> shown = new ArrayList<>();
        for (String server : servers) {
            try {
                URI uri = URI.create(server);
                shown.add(
                        uri.getHost() == null ? "?" : uri.getHost() + ':' + (uri.getPort() < 0 ? 6379 : uri.getPort()));
            } catch (IllegalArgumentException e) {
                shown.add("?");
            }
        }
        return shown;
    }

    /** Sends a command after every command sent before it; see {@link RedisCommands#send}. */
    Future<Response> send(Request request) {
        if (commands == null) {
            start();
        }
        return commands.send(request);
    }

    /** A call of one of {@link ClusterScripts#ALL}; see {@link RedisCommands#script}. */
    Request script(String script) {
        if (commands == null) {
            start();
        }
        return commands.script(script);
    }

    /** Subscribes to a channel; see {@link RedisSubscriber#subscribe}. */
    Future<Void> subscribe(String channel, Consumer<String> handler) {
        if (subscriber == null) {
            start();
        }
        return subscriber.subscribe(channel, handler);
    }

    void unsubscribe(String channel) {
        if (subscriber != null) {
            subscriber.unsubscribe(channel);
        }
    }

    /** Runs each time the subscriptions are back after a lost pub/sub connection. */
    void onResubscribed(Runnable listener) {
        onResubscribed.add(listener);
    }

    /** Whether pub/sub is connected with every subscription confirmed. */
    boolean subscribed() {
        return subscriber != null && subscriber.ready();
    }

    /** Why pub/sub is not ready, or {@code null}. */
    String subscriptionProblem() {
        return subscriber == null ? "not started" : subscriber.problem();
    }

    /** Runs the task on a Vert.x thread after the delay. */
    void later(long delayMillis, Runnable task) {
        vertx.setTimer(delayMillis, id -> task.run());
    }

    /** The failure to give a caller when cluster mode is asked for a feature without Redis. */
    static EventStoreUnavailableException unavailable(Throwable failure) {
        return failure instanceof EventStoreUnavailableException known
                ? known
                : new EventStoreUnavailableException("Redis failed: " + failure.getMessage(), failure);
    }

    void stop(@Observes @Priority(SHUTDOWN_PRIORITY) ShutdownEvent event) {
        RedisCommands openCommands;
        RedisSubscriber openSubscriber;
        synchronized (this) {
            openCommands = commands;
            openSubscriber = subscriber;
        }
        if (openSubscriber != null) {
            openSubscriber.close();
        }
        if (openCommands != null) {
            openCommands.close();
        }
    }
}
