package io.switchboard.websocket.core.internal;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
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
import java.util.regex.Pattern;

/**
 * One-time tickets for browsers, which cannot send an {@code Authorization} header on an upgrade. In
 * memory on a single node; in cluster mode in Redis (a key per ticket, expiring with it, taken with
 * GETDEL), so that a ticket issued by one node is redeemed once, on any node.
 */
@Singleton
final class TicketStore {
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
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
    /** Where tickets live in cluster mode; {@code null} on a single node. */
    private final RedisLink redis;

    @Inject
    TicketStore(WebSocketSettings settings, RedisLink link) {
        this(settings.ticketTtl(), Clock.systemUTC(), link.enabled() ? link : null);
    }

    TicketStore(Duration ttl, Clock clock) {
        this(ttl, clock, null);
    }

    private TicketStore(Duration ttl, Clock clock, RedisLink redis) {
        this.ttl = ttl;
        this.clock = clock;
        this.redis = redis;
    }

    /** Issues a ticket; fails with an {@code EventStoreUnavailableException} if Redis cannot store it. */
    Future<Ticket> issue(String userId, Instant credentialExpiresAt) {
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        Ticket ticket = new Ticket(
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                userId,
                clock.instant().plus(ttl),
                credentialExpiresAt);
        if (redis == null) {
            purgeExpired();
            tickets.put(ticket.value(), ticket);
            return Future.succeededFuture(ticket);
        }
        String stored = (credentialExpiresAt == null ? "-" : Long.toString(credentialExpiresAt.toEpochMilli()))
                + '\n'
                + ticket.expiresAt().toEpochMilli()
                + '\n'
                + userId;
        Request set = Request.cmd(Command.SET)
                .arg(redis.keys().ticket(ticket.value()))
                .arg(stored)
                .arg("PX")
                .arg(ttl.toMillis())
                .arg("NX");
        return redis.send(set).map(ticket);
    }

    /**
     * The ticket, if it exists and has not expired; either way it can never be redeemed again. Fails
     * with an {@code EventStoreUnavailableException} if Redis does not answer.
     */
    Future<Optional<Ticket>> redeem(String value) {
        if (redis == null) {
            Ticket ticket = tickets.remove(value);
            if (ticket == null || !clock.instant().isBefore(ticket.expiresAt())) {
                return Future.succeededFuture(Optional.empty());
            }
            return Future.succeededFuture(Optional.of(ticket));
        }
        if (!VALUE.matcher(value).matches()) {
            return Future.succeededFuture(Optional.empty());
        }
        return redis.send(Request.cmd(Command.GETDEL).arg(redis.keys().ticket(value)))
                .map(stored -> stored == null ? Optional.empty() : Optional.of(parse(value, stored.toString())));
    }

    private static Ticket parse(String value, String stored) {
        String[] parts = stored.split("\n", 3);
        Instant credentialExpiresAt = "-".equals(parts[0]) ? null : Instant.ofEpochMilli(Long.parseLong(parts[0]));
        return new Ticket(value, parts[2], Instant.ofEpochMilli(Long.parseLong(parts[1])), credentialExpiresAt);
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
