package io.switchboard.websocket.core;

import java.util.List;

/**
 * Who is connected where: every live node and each user's open connections on each node. On a single
 * node, that node alone; in cluster mode, every node as it last reported itself to Redis (at most
 * {@code switchboard.cluster.refresh-interval} ago), except the node that answers, which reports what
 * it holds now.
 *
 * @param nodes the live nodes, sorted by id
 * @param users one entry per user and node with an open connection, sorted by user id, then node id
 */
public record ClusterConnections(List<Node> nodes, List<UserOnNode> users) {

    public ClusterConnections {
        nodes = List.copyOf(nodes);
        users = List.copyOf(users);
    }

    /**
     * A live node.
     *
     * @param version     the application's version on it
     * @param ready       whether its readiness checks were all UP
     * @param connections its open connections, over all users
     * @param self        whether it is the node that answered
     */
    public record Node(String nodeId, String version, boolean ready, int connections, boolean self) {}

    /**
     * One user's open connections on one node.
     *
     * @param lastEventId the newest id of the user's log, 0 if none (or if Redis did not say)
     * @param internal    whether the user is Switchboard's own (the delivery canary), not a person
     */
    public record UserOnNode(String userId, String nodeId, int connections, long lastEventId, boolean internal) {}
}
