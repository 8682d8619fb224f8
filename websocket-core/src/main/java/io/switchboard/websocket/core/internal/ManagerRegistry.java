package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.ClusterActivity;
import io.switchboard.websocket.core.ClusterConnections;
import io.switchboard.websocket.core.UserConnections;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Holds the live managers, at most one per user: creation is atomic per user id, and a manager that
 * was retired for idleness is refused as a second live one (its users are sent to the live one).
 */
@Singleton
public final class ManagerRegistry implements WebSocketManagerRegistry {
    private static final Logger LOG = Logger.getLogger(ManagerRegistry.class);

    private final ConcurrentHashMap<String, UserWebSocketManager> managers = new ConcurrentHashMap<>();
    private final AtomicLong retiredUses = new AtomicLong();
    private volatile RetiredUse lastRetiredUse;
    private final Function<String, UserWebSocketManager> create;
    private final Peers peers;
    private final long idleNanos;
    private final String nodeId;
    /** Its version and readiness; {@code null} in unit tests, which have no application. */
    private final NodeDescription description;
    /** This node's activity samples; {@code null} in unit tests. */
    private final ActivitySampler activity;

    @Inject
    ManagerRegistry(
            WebSocketSettings settings,
            WebSocketMetrics metrics,
            RedisLink link,
            RedisEventStore store,
            RedisPeers redisPeers,
            NodeDescription description,
            ActivitySampler activity) {
        this.nodeId = link.nodeId();
        this.description = description;
        this.activity = activity;
        int retained = settings.retention().events();
        Clock clock = Clock.systemUTC();
        this.peers = link.enabled() ? redisPeers : Peers.SINGLE;
        this.create = userId -> new UserWebSocketManager(
                userId,
                link.enabled()
                        ? new ClusterEventLog(userId, retained, store, clock)
                        : new InMemoryEventLog(userId, retained, clock),
                settings.maxConnectionsPerUser(),
                this,
                peers,
                metrics);
        this.idleNanos = settings.retention().idleTtl().toNanos();
    }

    /** A single node with logs in memory. */
    ManagerRegistry(
            int retainedEvents, int maxConnectionsPerUser, Duration idleTtl, Clock clock, WebSocketMetrics metrics) {
        this.peers = Peers.SINGLE;
        this.nodeId = "local";
        this.description = null;
        this.activity = null;
        this.create = userId -> new UserWebSocketManager(
                userId,
                new InMemoryEventLog(userId, retainedEvents, clock),
                maxConnectionsPerUser,
                this,
                peers,
                metrics);
        this.idleNanos = idleTtl.toNanos();
    }

    /** The user's live manager; created at most once per user, even under contention. */
    UserWebSocketManager managerFor(String userId) {
        return managers.computeIfAbsent(userId, create);
    }

    /** The last use of a retired manager: whose, and when ({@link System#nanoTime()}). */
    record RetiredUse(String userId, long atNanos) {}

    /** Counts the use of a retired manager and answers the user's live one in its place. */
    UserWebSocketManager refuseRetired(UserWebSocketManager retired) {
        long uses = retiredUses.incrementAndGet();
        lastRetiredUse = new RetiredUse(retired.userId(), System.nanoTime());
        LOG.warnf(
                "a retired manager of user %s was used after its retirement; its work goes to the live manager"
                        + " (uses of retired managers so far: %d)",
                retired.userId(), uses);
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

    long retiredUses() {
        return retiredUses.get();
    }

    /** The last use of a retired manager, or {@code null} if there was none. */
    RetiredUse lastRetiredUse() {
        return lastRetiredUse;
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

    /** Events held in this node's memory, across every user's log. */
    long heldEventCount() {
        return managers.values().stream()
                .mapToLong(UserWebSocketManager::heldEvents)
                .sum();
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
    public CompletionStage<List<String>> connectedUserIds() {
        List<String> ids = new ArrayList<>();
        for (UserWebSocketManager manager : managers.values()) {
            if (manager.connectionCount() > 0 && !DeliveryCanary.isCanary(manager.userId())) {
                ids.add(manager.userId());
            }
        }
        return peers.connectedUserIds(ids).toCompletionStage();
    }

    @Override
    public CompletionStage<ClusterConnections> clusterConnections() {
        List<ClusterConnections.UserOnNode> users = new ArrayList<>();
        int connections = 0;
        for (UserConnections user : connectedUsers()) {
            users.add(new ClusterConnections.UserOnNode(
                    user.userId(), nodeId, user.connections(), user.lastEventId(), user.internal()));
            connections += user.connections();
        }
        ClusterConnections.Node self = new ClusterConnections.Node(
                nodeId,
                description == null ? "unknown" : description.version(),
                description == null || description.ready(),
                connections,
                true);
        return peers.clusterConnections(new ClusterConnections(List.of(self), users))
                .toCompletionStage();
    }

    @Override
    public CompletionStage<ClusterActivity> clusterActivity() {
        ClusterActivity here = new ClusterActivity(
                activity == null ? Duration.ZERO : activity.interval(),
                activity == null ? Duration.ZERO : activity.window(),
                List.of(new ClusterActivity.NodeActivity(
                        nodeId, true, activity == null ? List.of() : activity.samples())));
        return peers.clusterActivity(here).toCompletionStage();
    }

    /** This node took an activity sample: the other nodes are told. */
    void activitySampled(ClusterActivity.Sample sample, int kept, Duration interval) {
        peers.recordActivity(sample, kept, interval);
    }

    /** The users holding connection slots on this node, with how many. */
    Map<String, Integer> heldSlots() {
        Map<String, Integer> held = new HashMap<>();
        for (UserWebSocketManager manager : managers.values()) {
            int slots = manager.heldSlots();
            if (slots > 0) {
                held.put(manager.userId(), slots);
            }
        }
        return held;
    }

    /** The connection slots this node holds for the user: 0 when none of the user's tabs is here. */
    int heldSlots(String userId) {
        UserWebSocketManager manager = managers.get(userId);
        return manager == null ? 0 : manager.heldSlots();
    }

    /** Closes this node's connections of the user, if it has any, with 1008. */
    int disconnectHere(String userId, String reason) {
        UserWebSocketManager manager = managers.get(userId);
        return manager == null ? 0 : manager.disconnectHere(reason);
    }

    @Override
    public Optional<UserConnections> user(String userId) {
        return Optional.ofNullable(managers.get(userId)).map(UserWebSocketManager::snapshot);
    }
}
