package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.ClusterActivity;
import io.switchboard.websocket.core.ClusterConnections;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * What a node must agree on with the other nodes: the connection slots of each user, who is
 * connected where, closing a user's connections everywhere, and what each node has been doing. A single node agrees with itself
 * ({@link #SINGLE}); in cluster mode {@link RedisPeers} agrees through Redis.
 */
interface Peers {
    /** One node alone: its own counts are the whole truth. */
    Peers SINGLE = new Peers() {
        @Override
        public Future<Boolean> reserve(String userId, int heldHere, int most) {
            return Future.succeededFuture(true);
        }

        @Override
        public void hold(String userId, int heldHere) {}

        @Override
        public Future<List<String>> connectedUserIds(List<String> here) {
            return Future.succeededFuture(here);
        }

        @Override
        public void disconnectElsewhere(String userId, String reason) {}

        @Override
        public Future<ClusterConnections> clusterConnections(ClusterConnections here) {
            return Future.succeededFuture(here);
        }

        @Override
        public void recordActivity(ClusterActivity.Sample sample, int kept, Duration interval) {}

        @Override
        public Future<ClusterActivity> clusterActivity(ClusterActivity here) {
            return Future.succeededFuture(here);
        }
    };

    /**
     * Takes a connection slot of the user on this node, if the user's slots on every node allow it.
     *
     * @param heldHere the slots this node holds for the user with the new one
     * @return whether it was taken; failed if the other nodes could not be asked
     */
    Future<Boolean> reserve(String userId, int heldHere, int most);

    /** This node now holds that many slots of the user; 0 means the user has no connection here. */
    void hold(String userId, int heldHere);

    /** Every user with a connection on any node, given those on this node. */
    Future<List<String>> connectedUserIds(List<String> here);

    /** Closes the user's connections on the other nodes, with 1008 and that reason. */
    void disconnectElsewhere(String userId, String reason);

    /** Every live node and its users' connections, given this node's own, which are taken as they are. */
    Future<ClusterConnections> clusterConnections(ClusterConnections here);

    /**
     * Tells the other nodes this node's newest activity sample, one of those taken every
     * {@code interval}; they keep its {@code kept} newest.
     */
    void recordActivity(ClusterActivity.Sample sample, int kept, Duration interval);

    /** Every live node's activity, given this node's own, which is taken as it is. */
    Future<ClusterActivity> clusterActivity(ClusterActivity here);
}
