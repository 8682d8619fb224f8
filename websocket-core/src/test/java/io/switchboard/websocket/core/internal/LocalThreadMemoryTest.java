package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalThreadMemoryTest {
    private static final Duration DAY = Duration.ofDays(1);
    private final LocalThreadMemory memory = new LocalThreadMemory();

    private List<String> read(String user, String thread) {
        return memory.read(user, thread).toCompletableFuture().join();
    }

    @Test
    void aThreadKeepsItsNewestEntriesInOrderApartFromOtherThreadsAndUsers() {
        for (int i = 1; i <= 5; i++) {
            memory.add("alice", "t1", "a" + i, 3, DAY);
        }
        memory.add("alice", "t2", "other thread", 3, DAY);
        memory.add("bob", "t1", "other user", 3, DAY);
        assertEquals(List.of("a3", "a4", "a5"), read("alice", "t1"));
        assertEquals(List.of("other thread"), read("alice", "t2"));
        assertEquals(List.of("other user"), read("bob", "t1"));
        assertEquals(List.of(), read("carol", "t1"));
    }

    @Test
    void aThreadIsForgottenAfterItsTtl() throws InterruptedException {
        memory.add("alice", "t1", "soon gone", 3, Duration.ofMillis(20));
        Thread.sleep(40);
        assertEquals(List.of(), read("alice", "t1"));
        memory.add("alice", "t1", "fresh", 3, DAY);
        assertEquals(List.of("fresh"), read("alice", "t1"), "what expired does not come back");
    }

    @Test
    void theThreadsUnusedLongestGoWhenTheCharactersOrTheThreadsRunOver() {
        String large = "x".repeat(1024 * 1024);
        for (int i = 0; i < 40; i++) {
            memory.add("alice", "t" + i, large, 3, DAY);
        }
        assertTrue(memory.characters() <= LocalThreadMemory.MAX_CHARACTERS, "bounded: " + memory.characters());
        assertEquals(List.of(large), read("alice", "t39"), "the newest stays");
        assertEquals(List.of(), read("alice", "t0"), "the oldest went");
        for (int i = 0; i < LocalThreadMemory.MAX_THREADS + 10; i++) {
            memory.add("bob", "t" + i, "small", 3, DAY);
        }
        assertEquals(List.of(), read("bob", "t0"));
        assertEquals(List.of("small"), read("bob", "t" + (LocalThreadMemory.MAX_THREADS + 9)));
    }
}
