package io.switchboard.websocket.core;

import java.time.Duration;
import java.util.List;

/**
 * What each live node has been doing lately: one sample every {@code sampleInterval}, the newest last,
 * for as long as {@code switchboard.websocket.activity.window} (10 minutes by default). On a single
 * node, that node alone; in cluster mode, every live node's samples from Redis, where each node writes
 * its own as it takes them.
 *
 * @param sampleInterval how often each node takes a sample
 * @param window         how far back each node keeps its samples
 * @param nodes          the live nodes, sorted by id
 */
public record ClusterActivity(Duration sampleInterval, Duration window, List<NodeActivity> nodes) {

    public ClusterActivity {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node's samples, the oldest first.
     *
     * @param self whether it is the node that answered
     */
    public record NodeActivity(String nodeId, boolean self, List<Sample> samples) {

        public NodeActivity {
            samples = List.copyOf(samples);
        }
    }

    /**
     * One node at one moment.
     *
     * @param epochMillis         when the sample was taken
     * @param eventsPerSecond     events written to the node's connections per second since the sample before
     * @param connections         the node's open connections
     * @param deliveryP99Millis   the 99th percentile of delivery latency (from an event's emission until
     *                            its frame was written to a socket) over the last 5 to 10 seconds, or
     *                            {@code null} when no delivery was timed then
     */
    public record Sample(long epochMillis, double eventsPerSecond, int connections, Double deliveryP99Millis) {}
}
