package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.UserConnections;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Holds the live managers, at most one per user: creation is atomic per user id, and a manager that
 * was retired for idleness is refused as a second live one (its users are sent to the live one).
 */
@Singleton
public final class ManagerRegistry implements WebSocketManagerRegistry {
    private static final Logger LOG = Logger.getLogger(ManagerRegistry.class);

    private final ConcurrentHashMap<String, UserWebSocketManager> managers = new ConcurrentHashMap<>();
    private final AtomicLong refusedDuplicates = new AtomicLong();
    private final Function<String, UserWebSocketManager> create;
    private final long idleNanos;

    @Inject
    ManagerRegistry(WebSocketSettings settings, WebSocketMetrics metrics) {
        this(
                settings.retention().events(),
                settings.maxConnectionsPerUser(),
                settings.retention().idleTtl(),
                Clock.systemUTC(),
                metrics);
    }

    ManagerRegistry(
            int retainedEvents, int maxConnectionsPerUser, Duration idleTtl, Clock clock, WebSocketMetrics metrics) {
        this.create = userId -> new UserWebSocketManager(
                userId, new InMemoryEventLog(userId, retainedEvents, clock), maxConnectionsPerUser, this, metrics);
        this.idleNanos = idleTtl.toNanos();
    }

    /** The user's live manager; created at most once per user, even under contention. */
    UserWebSocketManager managerFor(String userId) {
        return managers.computeIfAbsent(userId, create);
    }

    /** Counts the use of a retired manager and answers the user's live one in its place. */
    UserWebSocketManager refuseRetired(UserWebSocketManager retired) {
        long refused = refusedDuplicates.incrementAndGet();
        LOG.warnf(
                "a retired manager of user %s was used after its retirement; its work goes to the live manager"
                        + " (refused duplicates: %d)",
                retired.userId(), refused);
        return managerFor(retired.userId());
    }

    /** Retires and forgets the managers idle for the configured time, with their logs. */
    int evictIdle(long nowNanos) {
        int evicted = 0;
        for (Map.Entry<String, UserWebSocketManager> entry : managers.entrySet()) {
            if (entry.getValue().retireIfIdle(nowNanos, idleNanos)
                    && managers.remove(entry.getKey(), entry.getValue())) {
                evicted++;
            }
        }
        return evicted;
    }

    /** At shutdown: every connection of every user gets its waiting events, then a close with 1001. */
    void finishAll(String reason) {
        managers.values().forEach(manager -> manager.finishAll(reason));
    }

    long refusedDuplicates() {
        return refusedDuplicates.get();
    }

    /** The most managers held for any one user: 1 unless the registry is broken. */
    int maxManagersPerUser() {
        return managers.values().stream()
                .collect(Collectors.groupingBy(UserWebSocketManager::userId, Collectors.counting()))
                .values()
                .stream()
                .mapToInt(Long::intValue)
                .max()
                .orElse(0);
    }

    @Override
    public int managerCount() {
        return managers.size();
    }

    @Override
    public int connectedUserCount() {
        return (int)
                managers.values().stream().filter(m -> m.connectionCount() > 0).count();
    }

    @Override
    public int connectionCount() {
        return managers.values().stream()
                .mapToInt(UserWebSocketManager::connectionCount)
                .sum();
    }

    @Override
    public List<UserConnections> connectedUsers() {
        return managers.values().stream()
                .map(UserWebSocketManager::snapshot)
                .filter(user -> user.connections() > 0)
                .sorted(Comparator.comparing(UserConnections::userId))
                .toList();
    }

    @Override
    public Optional<UserConnections> user(String userId) {
        return Optional.ofNullable(managers.get(userId)).map(UserWebSocketManager::snapshot);
    }
}
