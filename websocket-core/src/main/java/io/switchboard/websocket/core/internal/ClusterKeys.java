package io.switchboard.websocket.core.internal;

import java.util.regex.Pattern;

/**
 * The names of Switchboard's keys and channels in Redis. Every key of one user carries the same hash
 * tag, <code>{user}</code>, so that in a Redis Cluster they all live in one slot and one script may
 * touch them together. Braces and {@code %} in a user id are percent-encoded, so that no user id can
 * end the tag early.
 */
final class ClusterKeys {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final String prefix;

    ClusterKeys(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "switchboard.cluster.key-prefix must be 1-64 characters of A-Za-z0-9_.:-, was '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    /** The hash tag of a user (or a node), with the braces. */
    String tag(String id) {
        StringBuilder tag = new StringBuilder(id.length() + 2).append('{');
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            switch (c) {
                case '{' -> tag.append("%7B");
                case '}' -> tag.append("%7D");
                case '%' -> tag.append("%25");
                default -> tag.append(c);
            }
        }
        return tag.append('}').toString();
    }

    /** The user's log: a stream whose entry {@code n-0} is the event with id {@code n}. */
    String events(String userId) {
        return prefix + ':' + tag(userId) + ":events";
    }

    /** The log's epoch and the last id it assigned: a hash with fields {@code epoch} and {@code seq}. */
    String meta(String userId) {
        return prefix + ':' + tag(userId) + ":meta";
    }

    /** The user's connection slots: a hash of node id to {@code count:expiry-millis}. */
    String slots(String userId) {
        return prefix + ':' + tag(userId) + ":slots";
    }

    /** Where every appended event of the user is published: {@code epoch id type json}. */
    String channel(String userId) {
        return prefix + ':' + tag(userId) + ":channel";
    }

    /** Which run holds the user's thread: the run's id, expiring unless its node renews it. */
    String threadRun(String userId, String threadId) {
        return prefix + ':' + tag(userId) + ":thread:" + threadId;
    }

    /** Which node runs that run of the user: the node's id, expiring with the thread's claim. */
    String run(String userId, String runId) {
        return prefix + ':' + tag(userId) + ":run:" + runId;
    }

    /** What a consumer keeps for the user's thread ({@code ThreadMemory}): a list, the oldest entry first. */
    String threadMemory(String userId, String threadId) {
        return prefix + ':' + tag(userId) + ":memory:" + threadId;
    }

    /** A one-time ticket. */
    String ticket(String value) {
        return prefix + ":ticket:" + value;
    }

    /** The live nodes: a sorted set of node id by the time (epoch millis) until which it counts as alive. */
    String nodes() {
        return prefix + ":nodes";
    }

    /** The users with a connection on that node: a hash of user id to the connections it holds (open or opening). */
    String nodeUsers(String nodeId) {
        return prefix + ":node:" + tag(nodeId) + ":users";
    }

    /** How a node stands: a hash of {@code version}, {@code ready} (1 or 0) and {@code connections}. */
    String nodeInfo(String nodeId) {
        return prefix + ":node:" + tag(nodeId) + ":info";
    }

    /** A node's recent activity: a list of samples, {@code epochMillis eventsPerSecond connections p99Millis|-}, oldest first. */
    String nodeActivity(String nodeId) {
        return prefix + ":node:" + tag(nodeId) + ":activity";
    }

    /** Where a node builds its next hash of users before it replaces the hash: same slot as the hash. */
    String nodeUsersNext(String nodeId) {
        return nodeUsers(nodeId) + ":next";
    }

    /** Orders for every node, such as closing a user's connections. */
    String control() {
        return prefix + ":control";
    }

    /** Orders for the node running a run, such as cancelling it. */
    String runControl() {
        return prefix + ":runs";
    }
}
