package io.switchboard.websocket.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Short lists of text that a consumer keeps per user and thread, such as an agent's conversation.
 * Inject it as a CDI bean. On a single node they live in its memory (the threads used last, at most
 * 10,000); in cluster mode they live in Redis, in the user's slot, so that every node sees the same
 * list. Entries are opaque to core.
 */
public interface ThreadMemory {

    /**
     * The thread's entries, the oldest first; empty if there are none.
     *
     * @return failed with an {@link EventStoreUnavailableException} when Redis does not answer
     */
    CompletionStage<List<String>> read(String userId, String threadId);

    /**
     * Adds an entry after the others, keeps only the newest {@code keep}, and forgets the thread after
     * {@code ttl} without additions.
     *
     * @return failed with an {@link EventStoreUnavailableException} when Redis does not answer
     */
    CompletionStage<Void> add(String userId, String threadId, String entry, int keep, Duration ttl);
}
