package io.switchboard.websocket.core.internal;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One-time tickets for browsers, which cannot send an {@code Authorization} header on an upgrade. */
@Singleton
final class TicketStore {
    private static final int TICKET_BYTES = 32;
    private static final long PURGE_EVERY_MILLIS = 1_000;

    /**
     * An issued ticket: valid once, for {@code userId}, until {@code expiresAt}; a connection made
     * with it lasts until {@code credentialExpiresAt}, the expiry of the token it was issued for
     * ({@code null} if that token has none).
     */
    record Ticket(String value, String userId, Instant expiresAt, Instant credentialExpiresAt) {}

    private final ConcurrentHashMap<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong lastPurgeMillis = new AtomicLong();
    private final Duration ttl;
    private final Clock clock;

    @Inject
    TicketStore(WebSocketSettings settings) {
        this(settings.ticketTtl(), Clock.systemUTC());
    }

    TicketStore(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    Ticket issue(String userId, Instant credentialExpiresAt) {
        purgeExpired();
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        Ticket ticket = new Ticket(
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                userId,
                clock.instant().plus(ttl),
                credentialExpiresAt);
        tickets.put(ticket.value(), ticket);
        return ticket;
    }

    /** The ticket, if it exists and has not expired; either way it can never be redeemed again. */
    Optional<Ticket> redeem(String value) {
        Ticket ticket = tickets.remove(value);
        if (ticket == null || !clock.instant().isBefore(ticket.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(ticket);
    }

    int outstanding() {
        return tickets.size();
    }

    private void purgeExpired() {
        long now = clock.millis();
        long last = lastPurgeMillis.get();
        if (now - last >= PURGE_EVERY_MILLIS && lastPurgeMillis.compareAndSet(last, now)) {
            Instant instant = clock.instant();
            tickets.values().removeIf(t -> !instant.isBefore(t.expiresAt()));
        }
    }
}
