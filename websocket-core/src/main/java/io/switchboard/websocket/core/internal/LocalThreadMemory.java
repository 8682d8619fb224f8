package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.ThreadMemory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link ThreadMemory} of a single node: in its heap, for the threads used last, at most
 * {@link #MAX_THREADS} of them and {@link #MAX_CHARACTERS} characters in all; beyond either, the
 * threads unused longest are forgotten.
 */
final class LocalThreadMemory implements ThreadMemory {
    static final int MAX_THREADS = 10_000;
    static final long MAX_CHARACTERS = 32L * 1024 * 1024;

    /** A thread's entries, their size, and when they are forgotten ({@link System#nanoTime()}). */
    private static final class Entries {
        final Deque<String> values = new ArrayDeque<>();
        long characters;
        long expiresAtNanos;
    }

    /** In the order of their last use. */
    private final LinkedHashMap<String, Entries> threads = new LinkedHashMap<>(16, 0.75f, true);

    private long characters;

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
        long now = System.nanoTime();
        Entries entries = threads.computeIfAbsent(key(userId, threadId), k -> new Entries());
        if (entries.expiresAtNanos != 0 && entries.expiresAtNanos - now < 0) {
            characters -= entries.characters;
            entries.values.clear();
            entries.characters = 0;
        }
        entries.values.addLast(entry);
        entries.characters += entry.length();
        characters += entry.length();
        while (entries.values.size() > keep) {
            long removed = entries.values.removeFirst().length();
            entries.characters -= removed;
            characters -= removed;
        }
        entries.expiresAtNanos = now + ttl.toNanos();
        Iterator<Map.Entry<String, Entries>> eldest = threads.entrySet().iterator();
        while ((threads.size() > MAX_THREADS || characters > MAX_CHARACTERS) && eldest.hasNext()) {
            Entries forgotten = eldest.next().getValue();
            if (forgotten == entries) {
                break; // the thread just added to stays, whatever its size
            }
            characters -= forgotten.characters;
            eldest.remove();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Characters held, over all threads. */
    synchronized long characters() {
        return characters;
    }

    private static String key(String userId, String threadId) {
        return userId + '\n' + threadId;
    }
}
