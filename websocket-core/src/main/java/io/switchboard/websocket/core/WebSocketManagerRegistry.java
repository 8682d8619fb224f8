package io.switchboard.websocket.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A read-only view of the live managers and their connections. Inject it as a CDI bean. Only core
 * registers managers and connections; every value returned is a snapshot. The counts and snapshots
 * are this node's; {@link #connectedUserIds()} covers every node of a cluster.
 */
public interface WebSocketManagerRegistry {

    /** How many managers are live (one per user at most). */
    int managerCount();

    /** How many users have at least one open connection. */
    int connectedUserCount();

    /** How many connections are open, over all users. */
    int connectionCount();

    /** The users that have at least one open connection, sorted by user id. */
    List<UserConnections> connectedUsers();

    /**
     * The ids of the users that have at least one open connection on any node, Switchboard's own
     * internal users left out, in no particular order: whom a broadcast reaches. On a single node it
     * is complete at once; in cluster mode it asks Redis, and fails with an
     * {@link EventStoreUnavailableException} if Redis does not answer.
     */
    CompletionStage<List<String>> connectedUserIds();

    /**
     * Every live node and each user's open connections on each node; on a single node, complete at
     * once. In cluster mode it asks Redis, and fails with an {@link EventStoreUnavailableException} if
     * Redis does not answer.
     */
    CompletionStage<ClusterConnections> clusterConnections();

    /**
     * Every live node's samples of its events per second, connections and delivery p99 over the
     * activity window; on a single node, complete at once. In cluster mode it asks Redis, and fails
     * with an {@link EventStoreUnavailableException} if Redis does not answer.
     */
    CompletionStage<ClusterActivity> clusterActivity();

    /** The state of one user, if a manager exists for them. */
    Optional<UserConnections> user(String userId);
}
