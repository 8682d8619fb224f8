package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.websocket.core.RunDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import org.jboss.logging.Logger;

/**
 * The {@link RunDirectory} of cluster mode. A run's claim is two keys in the user's slot: the thread's
 * (holding the run id) and the run's (holding the node id), set together by one script and expiring
 * after {@code node-ttl} unless this node renews them every {@code refresh-interval}. A cancel for a
 * run of another node is published on the run channel, addressed to that node.
 */
@Singleton
@Typed(RedisRunDirectory.class)
final class RedisRunDirectory implements RunDirectory {
    private static final Logger LOG = Logger.getLogger(RedisRunDirectory.class);
    private static final String CANCEL = "cancel";
    /** Before the link to Redis closes (9000), after the runs have ended (agent module, at shutdown). */
    private static final int SHUTDOWN_PRIORITY = 8000;

    /** A run of this node holding its thread. */
    private record Claim(String userId, String threadId, String runId) {}

    private final RedisLink link;
    private final ClusterKeys keys;
    private final String nodeId;
    private final String ttlMillis;
    private final Vertx vertx;
    /** This node's claims, by user and run id, for the renewals. */
    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();

    private volatile BiPredicate<String, String> cancelHere = (user, run) -> false;
    private long renewTimer = -1;

    @Inject
    RedisRunDirectory(RedisLink link, Vertx vertx) {
        this.link = link;
        this.keys = link.keys();
        this.nodeId = link.nodeId();
        this.ttlMillis = Long.toString(link.settings().nodeTtl().toMillis());
        this.vertx = vertx;
    }

    /** The directory the application uses: this one in cluster mode, the single node's otherwise. */
    @Produces
    @Singleton
    RunDirectory directory() {
        return link.enabled() ? this : RunDirectory.SINGLE_NODE;
    }

    void start(@Observes StartupEvent event) {
        if (!link.enabled()) {
            return;
        }
        link.subscribe(keys.runControl(), this::onOrder)
                .onFailure(failure -> LOG.warnf(
                        "the run channel is not subscribed yet (it will be once Redis answers): %s",
                        failure.getMessage()));
        renewTimer = vertx.setPeriodic(link.settings().refreshInterval().toMillis(), id -> renew());
    }

    void stop(@Observes @Priority(SHUTDOWN_PRIORITY) ShutdownEvent event) {
        if (renewTimer >= 0) {
            vertx.cancelTimer(renewTimer);
        }
    }

    @Override
    public CompletionStage<Boolean> claim(String userId, String threadId, String runId) {
        Claim claim = new Claim(userId, threadId, runId);
        claims.put(key(userId, runId), claim);
        return link.send(claimRequest(ClusterScripts.CLAIM_RUN, claim))
                .map(reply -> reply.toInteger() == 1)
                .andThen(result -> {
                    if (result.failed() || !result.result()) {
                        claims.remove(key(userId, runId), claim);
                    }
                })
                .toCompletionStage();
    }

    private Request claimRequest(String script, Claim claim) {
        return link.script(script)
                .arg(2)
                .arg(keys.threadRun(claim.userId(), claim.threadId()))
                .arg(keys.run(claim.userId(), claim.runId()))
                .arg(claim.runId())
                .arg(nodeId)
                .arg(ttlMillis);
    }

    @Override
    public void release(String userId, String threadId, String runId) {
        claims.remove(key(userId, runId));
        link.send(link.script(ClusterScripts.RELEASE_RUN)
                        .arg(2)
                        .arg(keys.threadRun(userId, threadId))
                        .arg(keys.run(userId, runId))
                        .arg(runId))
                .onFailure(failure -> LOG.warnf(
                        "could not release thread %s of user %s (its claim expires by itself): %s",
                        threadId, userId, failure.getMessage()));
    }

    @Override
    public CompletionStage<Boolean> cancelElsewhere(String userId, String runId) {
        return link.send(Request.cmd(Command.GET).arg(keys.run(userId, runId)))
                .compose(holder -> {
                    if (holder == null || nodeId.equals(holder.toString())) {
                        return Future.succeededFuture(false);
                    }
                    String order = CANCEL + '\n' + holder + '\n' + runId + '\n' + userId;
                    return link.send(Request.cmd(Command.PUBLISH)
                                    .arg(keys.runControl())
                                    .arg(order))
                            .map(true);
                })
                .toCompletionStage();
    }

    @Override
    public void onCancelRequest(BiPredicate<String, String> cancelHere) {
        this.cancelHere = cancelHere;
    }

    /** An order on the run channel: {@code cancel}, the node addressed, the run id and the user id. */
    private void onOrder(String message) {
        String[] parts = message.split("\n", 4);
        if (parts.length == 4 && CANCEL.equals(parts[0]) && nodeId.equals(parts[1])) {
            boolean cancelled = cancelHere.test(parts[3], parts[2]);
            LOG.infof(
                    "asked to cancel run %s of user %s: %s",
                    parts[2], parts[3], cancelled ? "cancelled" : "it has ended already");
        }
    }

    /** Renews every claim of this node. */
    private void renew() {
        for (Claim claim : claims.values()) {
            link.send(claimRequest(ClusterScripts.RENEW_RUN, claim)).onComplete(result -> {
                if (result.failed()) {
                    LOG.debugf("could not renew the claim of run %s: %s", claim.runId(), result.cause());
                } else if (result.result().toInteger() != 1 && claims.containsKey(key(claim.userId(), claim.runId()))) {
                    LOG.warnf(
                            "run %s of user %s no longer holds thread %s in Redis (its claim expired or was lost);"
                                    + " another run may start on that thread",
                            claim.runId(), claim.userId(), claim.threadId());
                }
            });
        }
    }

    private static String key(String userId, String runId) {
        return userId + '\n' + runId;
    }
}
