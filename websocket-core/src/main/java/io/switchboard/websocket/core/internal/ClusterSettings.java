package io.switchboard.websocket.core.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Cluster mode, under {@code switchboard.cluster}. A node is in cluster mode when
 * {@code quarkus.redis.hosts} is set; these keys only tune it.
 */
@ConfigMapping(prefix = "switchboard.cluster")
public interface ClusterSettings {

    /**
     * What every Redis key and channel of Switchboard starts with; nodes that share it share users.
     * Letters, digits and {@code _.:-} only.
     */
    @WithDefault("switchboard")
    String keyPrefix();

    /**
     * This node's name in Redis (connection slots, presence, logs). Unset, it is the host name, the
     * process id and a random suffix, new at every start.
     */
    Optional<String> nodeId();

    /** How long a command to Redis may take before its caller is told that Redis is unavailable. */
    @WithDefault("2S")
    Duration redisTimeout();

    /**
     * Commands to a single Redis server are written in batches, one batch unanswered at a time and at
     * most one write per this window: a command given less than this after the last write, or while a
     * batch is unanswered, waits and goes with the others given meanwhile, in one write. Under load that
     * cuts the system calls and wake-ups of the node, Redis and the nodes' subscriptions several times
     * over, for a little latency; a command given after a quiet spell is written at once. {@code 0}
     * writes each batch as soon as the one before is answered.
     */
    @WithDefault("1ms")
    Duration writeWindow();

    /**
     * How long a node's connection slots and presence outlive its last refresh: the slots of a node
     * that died are free again after this.
     */
    @WithDefault("15S")
    Duration nodeTtl();

    /** How often a node refreshes its slots and presence in Redis, and checks that Redis answers. */
    @WithDefault("5S")
    Duration refreshInterval();
}
