package io.switchboard.websocket.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TicketStoreTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T19:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final TicketStore store = new TicketStore(Duration.ofSeconds(30), clock);

    @Test
    void aTicketIsBoundToItsUserAndRedeemsOnce() {
        TicketStore.Ticket ticket = store.issue("alice", null).result();
        assertTrue(Base64.getUrlDecoder().decode(ticket.value()).length * 8 >= 128);
        assertEquals(clock.instant().plusSeconds(30), ticket.expiresAt());
        assertEquals(
                "alice", store.redeem(ticket.value()).result().orElseThrow().userId());
        assertTrue(store.redeem(ticket.value()).result().isEmpty());
    }

    @Test
    void anExpiredTicketIsRefusedAndForgotten() {
        TicketStore.Ticket ticket = store.issue("alice", null).result();
        clock.advance(Duration.ofSeconds(30));
        assertTrue(store.redeem(ticket.value()).result().isEmpty());
        store.issue("bob", null).result();
        clock.advance(Duration.ofSeconds(31));
        store.issue("carol", null).result();
        assertEquals(1, store.outstanding());
    }

    @Test
    void unknownTicketsAreRefusedAndTicketsDiffer() {
        assertTrue(store.redeem("made-up").result().isEmpty());
        assertNotEquals(
                store.issue("alice", null).result().value(),
                store.issue("alice", null).result().value());
    }
}
