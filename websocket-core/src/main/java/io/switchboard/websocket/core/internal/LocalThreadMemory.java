package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.ThreadMemory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The {@link ThreadMemory} of a single node: in its heap, for the threads used last. */
final class LocalThreadMemory implements ThreadMemory {
    static final int MAX_THREADS = 10_000;

    /** A thread's entries, and when they are forgotten ({@link System#nanoTime()}). */
    private static final class Entries {
        final Deque<String> values = new ArrayDeque<>();
        long expiresAtNanos;
    }

    private final Map<String, Entries> threads = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entries> eldest) {
            return size() > MAX_THREADS;
        }
    };

    @Override
    public synchronized CompletionStage<List<String>> read(String userId, String threadId) {
        Entries entries = threads.get(key(userId, threadId));
        if (entries == null || entries.expiresAtNanos - System.nanoTime() < 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.completedFuture(List.copyOf(entries.values));
    }

    @Override
    public synchronized CompletionStage<Void> add(
            String userId, String threadId, String entry, int keep, Duration ttl) {
        Entries entries = threads.computeIfAbsent(key(userId, threadId), k -> new Entries());
        if (entries.expiresAtNanos - System.nanoTime() < 0) {
            entries.values.clear();
        }
        entries.values.addLast(entry);
        while (entries.values.size() > keep) {
            entries.values.removeFirst();
        }
        entries.expiresAtNanos = System.nanoTime() + ttl.toNanos();
        return CompletableFuture.completedFuture(null);
    }

    private static String key(String userId, String threadId) {
        return userId + '\n' + threadId;
    }
}
