package io.switchboard.agent.openai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The earlier turns of each user's threads, in this node's memory: the newest {@code history-turns}
 * of a thread, and the threads used last, at most {@link #MAX_THREADS} of them.
 */
@Singleton
final class Conversations {
    static final int MAX_THREADS = 10_000;

    /** A message and the answer it got. */
    private record Turn(String message, String answer) {}

    private final int turnsKept;
    private final Map<String, Deque<Turn>> threads = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Turn>> eldest) {
            return size() > MAX_THREADS;
        }
    };

    @Inject
    Conversations(OpenAiSettings settings) {
        this(settings.historyTurns());
    }

    Conversations(int turnsKept) {
        this.turnsKept = turnsKept;
    }

    /** The thread's earlier turns, the oldest first, as chat messages. */
    synchronized List<ChatMessage> history(String userId, String threadId) {
        List<ChatMessage> messages = new ArrayList<>();
        for (Turn turn : threads.getOrDefault(key(userId, threadId), new ArrayDeque<>())) {
            messages.add(UserMessage.from(turn.message()));
            messages.add(AiMessage.from(turn.answer()));
        }
        return messages;
    }

    /** Adds a completed turn, forgetting the oldest beyond the limit. */
    synchronized void add(String userId, String threadId, String message, String answer) {
        if (turnsKept <= 0) {
            return;
        }
        Deque<Turn> turns = threads.computeIfAbsent(key(userId, threadId), k -> new ArrayDeque<>());
        turns.addLast(new Turn(message, answer));
        while (turns.size() > turnsKept) {
            turns.removeFirst();
        }
    }

    private static String key(String userId, String threadId) {
        return userId + '\n' + threadId;
    }
}
