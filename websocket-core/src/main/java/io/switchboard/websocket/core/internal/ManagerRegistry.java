package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.UserConnections;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Holds the live managers, at most one per user: creation is atomic per user id. */
@Singleton
public final class ManagerRegistry implements WebSocketManagerRegistry {
    private final ConcurrentHashMap<String, UserWebSocketManager> managers = new ConcurrentHashMap<>();

    /** The user's manager; {@code create} runs at most once per user, even under contention. */
    UserWebSocketManager managerFor(String userId, Function<String, UserWebSocketManager> create) {
        return managers.computeIfAbsent(userId, create);
    }

    @Override
    public int managerCount() {
        return managers.size();
    }

    @Override
    public int connectedUserCount() {
        return (int) managers.values().stream().filter(m -> m.connectionCount() > 0).count();
    }

    @Override
    public int connectionCount() {
        return managers.values().stream().mapToInt(UserWebSocketManager::connectionCount).sum();
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
