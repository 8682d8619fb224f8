package io.switchboard.websocket.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiPredicate;

/**
 * Where the agent runs of the other nodes are: what keeps one run per user and thread across a
 * cluster, and reaches the node running a run to cancel it. Inject it as a CDI bean. The caller keeps
 * its own node's runs; on a single node there is no other node, so every claim is granted and no run
 * is elsewhere ({@link #SINGLE_NODE}). In cluster mode the claims live in Redis and expire unless the
 * node holding them renews them, so a node that dies frees its threads within
 * {@code switchboard.cluster.node-ttl}.
 */
public interface RunDirectory {

    /** One node alone: nothing runs elsewhere. */
    RunDirectory SINGLE_NODE = new RunDirectory() {
        @Override
        public CompletionStage<Boolean> claim(String userId, String threadId, String runId) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void release(String userId, String threadId, String runId) {}

        @Override
        public CompletionStage<Boolean> cancelElsewhere(String userId, String runId) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public void onCancelRequest(BiPredicate<String, String> cancelHere) {}
    };

    /**
     * Claims the user's thread for a run starting on this node, held until {@link #release}.
     *
     * @return {@code true} when claimed, {@code false} when a run on another node holds the thread;
     *     failed with an {@link EventStoreUnavailableException} when Redis does not answer
     */
    CompletionStage<Boolean> claim(String userId, String threadId, String runId);

    /** Gives back the claim of a run that has ended; safe to call for a claim already gone. */
    void release(String userId, String threadId, String runId);

    /**
     * Asks the node running that run of the user to cancel it.
     *
     * @return {@code true} when another node holds the run and was asked, {@code false} when no other
     *     node does; failed with an {@link EventStoreUnavailableException} when Redis does not answer
     */
    CompletionStage<Boolean> cancelElsewhere(String userId, String runId);

    /**
     * Sets what this node does when another node asks it to cancel one of its runs, given the user id
     * and the run id; it returns whether it had that run. Called on a Vert.x thread: it must not block.
     */
    void onCancelRequest(BiPredicate<String, String> cancelHere);
}
