package io.switchboard.websocket.core.internal;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code switchboard-cluster}: in cluster mode, DOWN with the reason while Redis does
 * not answer this node's refresh or its pub/sub subscriptions are not all in place; UP on a single
 * node.
 */
@Readiness
@Singleton
final class ClusterHealthCheck implements HealthCheck {
    private final RedisLink link;
    private final RedisPeers peers;

    @Inject
    ClusterHealthCheck(RedisLink link, RedisPeers peers) {
        this.link = link;
        this.peers = peers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("switchboard-cluster");
        if (!link.enabled()) {
            return response.up().withData("mode", "single node").build();
        }
        String problem = peers.problem();
        long last = peers.lastRefreshMillis();
        response.status(problem == null)
                .withData("mode", "cluster")
                .withData("node", link.nodeId())
                .withData("redis", String.join(",", link.servers()))
                .withData("subscribed", link.subscribed())
                .withData("ms_since_last_refresh", last == 0 ? -1 : System.currentTimeMillis() - last);
        if (problem != null) {
            response.withData("reason", problem);
        }
        return response.build();
    }
}
