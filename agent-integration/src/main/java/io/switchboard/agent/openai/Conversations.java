package io.switchboard.agent.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import io.switchboard.agent.AgentException;
import io.switchboard.websocket.core.ThreadMemory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * The earlier turns of each user's threads, a message and its answer each, in core's
 * {@link ThreadMemory}: the node's memory, or Redis in cluster mode, so that a thread continues on
 * whichever node its next message reaches. The newest {@code history-turns} are kept, for
 * {@code history-ttl} after the last.
 */
@Singleton
final class Conversations {
    private static final Logger LOG = Logger.getLogger(Conversations.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ThreadMemory memory;
    private final int turnsKept;
    private final Duration ttl;

    @Inject
    Conversations(ThreadMemory memory, OpenAiSettings settings) {
        this.memory = memory;
        this.turnsKept = settings.historyTurns();
        this.ttl = settings.historyTtl();
    }

    /** The thread's earlier turns, the oldest first, as chat messages. */
    List<ChatMessage> history(String userId, String threadId) throws AgentException, InterruptedException {
        if (turnsKept <= 0) {
            return List.of();
        }
        List<String> turns;
        try {
            turns = memory.read(userId, threadId).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new AgentException(
                    "the thread's earlier turns could not be read: "
                            + e.getCause().getMessage(),
                    e);
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (String turn : turns) {
            try {
                JsonNode read = JSON.readTree(turn);
                messages.add(UserMessage.from(read.path("message").asText()));
                messages.add(AiMessage.from(read.path("answer").asText()));
            } catch (JsonProcessingException e) {
                LOG.warnf("skipping an unreadable turn of thread %s of user %s", threadId, userId);
            }
        }
        return messages;
    }

    /** Adds a completed turn; a failure to store it is logged, and the answer stands. */
    void add(String userId, String threadId, String message, String answer) {
        if (turnsKept <= 0) {
            return;
        }
        String turn = JSON.createObjectNode()
                .put("message", message)
                .put("answer", answer)
                .toString();
        memory.add(userId, threadId, turn, turnsKept, ttl).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "the turn could not be kept for thread %s of user %s; the next message there starts without it: %s",
                        threadId, userId, failure.getMessage());
            }
        });
    }
}
