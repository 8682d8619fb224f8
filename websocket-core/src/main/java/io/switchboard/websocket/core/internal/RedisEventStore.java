package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.core.EventStoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The users' logs in Redis, for the {@link ClusterEventLog}s of this node: appends (one script, so
 * one round trip, whatever the number of tabs and nodes), reads, and the users' channels.
 */
@Singleton
final class RedisEventStore {
    /** What the append script answers in place of an epoch when a command in it failed. */
    private static final String REFUSED = "!";

    private final RedisLink link;
    private final ClusterKeys keys;
    private final WebSocketMetrics metrics;
    private final String retention;
    private final String idleTtlMillis;
    private final String logTtlMillis;
    /** The logs listening to their channel, which must catch up when the subscriptions come back. */
    private final Set<ClusterEventLog> listening = ConcurrentHashMap.newKeySet();

    @Inject
    RedisEventStore(RedisLink link, WebSocketSettings settings, WebSocketMetrics metrics) {
        this.link = link;
        this.keys = link.keys();
        this.metrics = metrics;
        this.retention = Integer.toString(settings.retention().events());
        this.idleTtlMillis = Long.toString(settings.retention().idleTtl().toMillis());
        this.logTtlMillis = Long.toString(logTtlMillis(settings.retention().idleTtl()));
        link.onResubscribed(() -> listening.forEach(ClusterEventLog::catchUp));
    }

    /** A user's keys and channel, named once for the life of the user's log on this node. */
    record UserKeys(String userId, String events, String meta, String channel) {}

    UserKeys keysOf(String userId) {
        return new UserKeys(userId, keys.events(userId), keys.meta(userId), keys.channel(userId));
    }

    /**
     * The TTL a user's log is given: a tenth above the idle TTL, so that an append renews it only once
     * it fell below the idle TTL, once in that tenth, and most appends write no expiry.
     */
    static long logTtlMillis(Duration idleTtl) {
        return idleTtl.toMillis() + idleTtl.toMillis() / 10;
    }

    /** Appends an event whose text lacks only its id; gives the id Redis assigned. */
    Future<Long> append(UserKeys user, String type, FrameCodec.EventText text) {
        Request append = link.script(ClusterScripts.APPEND)
                .arg(2)
                .arg(user.events())
                .arg(user.meta())
                .arg(InMemoryEventLog.newEpoch())
                .arg(retention)
                .arg(idleTtlMillis)
                .arg(user.channel())
                .arg(type)
                .arg(text.beforeId())
                .arg(text.afterId())
                .arg(logTtlMillis);
        return link.send(append).map(reply -> {
            if (REFUSED.equals(reply.get(0).toString())) {
                throw new EventStoreUnavailableException(
                        "Redis refused to append an event of user " + user.userId() + ": " + reply.get(1), null);
            }
            return reply.get(1).toLong();
        });
    }

    /**
     * The log's epoch (minted if Redis has none), its newest id, and the events from {@code from} (0:
     * none) to the newest that the stream still keeps.
     */
    Future<ClusterEventLog.Snapshot> open(UserKeys user, long from) {
        Request open = link.script(ClusterScripts.OPEN)
                .arg(2)
                .arg(user.events())
                .arg(user.meta())
                .arg(InMemoryEventLog.newEpoch())
                .arg(logTtlMillis)
                .arg(from)
                .arg(0);
        return link.send(open)
                .map(reply -> new ClusterEventLog.Snapshot(
                        reply.get(0).toString(), reply.get(1).toLong(), entries(reply.get(2))));
    }

    /** Stream entries {@code [id, [t, type, j, json]]} as the ring keeps them. */
    private static List<LoggedEvent> entries(Response reply) {
        if (reply == null) {
            return List.of();
        }
        List<LoggedEvent> events = new ArrayList<>(reply.size());
        long now = System.nanoTime();
        for (Response entry : reply) {
            String id = entry.get(0).toString();
            Response fields = entry.get(1);
            String type = null;
            String json = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String field = fields.get(i).toString();
                if ("t".equals(field)) {
                    String read = fields.get(i + 1).toString();
                    type = LoggedEvent.knownType(read, 0, read.length());
                } else if ("j".equals(field)) {
                    json = fields.get(i + 1).toString();
                }
            }
            if (type != null && json != null) {
                events.add(new LoggedEvent(
                        Long.parseLong(id, 0, id.indexOf('-'), 10), type, json, LoggedEvent.utf8Length(json), now));
            }
        }
        return events;
    }

    /** Listens to the user's channel for that log; done once Redis confirms. */
    Future<Void> subscribe(ClusterEventLog log, UserKeys user, Consumer<String> handler) {
        listening.add(log);
        return link.subscribe(user.channel(), handler);
    }

    void unsubscribe(ClusterEventLog log, UserKeys user) {
        listening.remove(log);
        link.unsubscribe(user.channel());
    }

    void later(long delayMillis, Runnable task) {
        link.later(delayMillis, task);
    }

    /** A gap of that many ids was filled from the stream. */
    void gapRepaired(long events) {
        metrics.gapRepaired(events);
    }
}
