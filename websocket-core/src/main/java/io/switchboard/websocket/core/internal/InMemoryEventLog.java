package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/** An {@link EventLog} in the heap: the ring of the newest events is the whole log. */
final class InMemoryEventLog implements EventLog {
    private final String userId;
    private final Clock clock;
    private final String epoch;
    private final EventRing ring;
    private Runnable onAppended = () -> {};

    InMemoryEventLog(String userId, int capacity, Clock clock) {
        this.userId = userId;
        this.clock = clock;
        this.epoch = newEpoch();
        this.ring = new EventRing(capacity);
    }

    /**
     * A new epoch: 16 random characters of base64url. An epoch must differ from the ones before it, not
     * be secret, and one is drawn for every append in cluster mode: hence no {@code SecureRandom}, whose
     * every call reads the kernel's source under a lock.
     */
    static String newEpoch() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public void listen(Runnable onAppended) {
        this.onAppended = onAppended;
    }

    @Override
    public CompletionStage<Event> append(EventPayload payload) {
        Event event = new Event(ring.newestId() + 1, userId, clock.instant(), payload);
        ring.add(LoggedEvent.of(event));
        onAppended.run();
        return CompletableFuture.completedFuture(event);
    }

    @Override
    public LoggedEvent get(long eventId) {
        return ring.get(eventId);
    }

    @Override
    public long oldestId() {
        return ring.isEmpty() ? 0 : ring.firstId();
    }

    @Override
    public long newestId() {
        return ring.newestId();
    }
}
