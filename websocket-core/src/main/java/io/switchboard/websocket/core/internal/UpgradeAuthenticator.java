package io.switchboard.websocket.core.internal;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Checks every upgrade of {@code /ws}: a bearer token (verified by SmallRye JWT against the
 * standard {@code mp.jwt.verify.*} keys) or a one-time ticket, never both; a well-formed resume
 * point; then takes one of the user's connection slots. The user id comes only from the verified
 * credential.
 */
@Singleton
final class UpgradeAuthenticator {
    private static final Logger LOG = Logger.getLogger(UpgradeAuthenticator.class);
    private static final Pattern EVENT_ID = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final int MAX_EPOCH_LENGTH = 128;
    private static final String BEARER = "bearer ";
    private static final ResumePoint MALFORMED = new ResumePoint("", -1);

    /** Why an upgrade was refused: the status, the log line and the metric tag. */
    enum Refusal {
        NO_CREDENTIAL(401, "no credential"),
        INVALID_TOKEN(401, "an invalid bearer token"),
        INVALID_TICKET(401, "an unknown, used or expired ticket"),
        TWO_CREDENTIALS(401, "both a bearer token and a ticket"),
        RESERVED_USER(401, "a credential for a reserved user"),
        CONNECTION_LIMIT(429, "connection limit reached"),
        STORE_UNAVAILABLE(503, "the event store (Redis) is unavailable; try again shortly"),
        MALFORMED_RESUME(400, "malformed resume point");

        final int status;
        final String reason;

        Refusal(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An upgrade that was refused, and why; carried by a failed future. */
    static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.reason, null, false, false);
            this.refusal = refusal;
        }
    }

    /**
     * An admitted upgrade: whose it is, until when its credential holds ({@code null}: no expiry),
     * where it resumes ({@code null}: live only), and the connection slot it holds.
     */
    record Admission(
            UserWebSocketManager manager, Long credentialExpiresAtMillis, ResumePoint resume, SlotReservation slot) {

        /** Gives the slot back when the upgrade does not lead to a connection. */
        void release() {
            manager.releaseSlot(slot);
        }
    }

    private final TicketStore tickets;
    private final ManagerFactory managers;
    private final WebSocketMetrics metrics;
    private final JWTParser tokens;
    private final Vertx vertx;

    @Inject
    UpgradeAuthenticator(
            TicketStore tickets, ManagerFactory managers, WebSocketMetrics metrics, JWTParser tokens, Vertx vertx) {
        this.tickets = tickets;
        this.managers = managers;
        this.metrics = metrics;
        this.tokens = tokens;
        this.vertx = vertx;
    }

    /**
     * Admits the upgrade request or fails with a {@link RefusedException}. A token is verified on a
     * worker thread, since resolving its key may block; in cluster mode the ticket, the slot and the
     * log are Redis round trips, so the future may complete on a Redis client's event loop.
     */
    Future<Admission> check(HttpServerRequest request) {
        String ticket = request.getParam("ticket");
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (ticket != null) {
            if (authorization != null) {
                return refuse(Refusal.TWO_CREDENTIALS, null);
            }
            return tickets.redeem(ticket).transform(redeemed -> {
                if (redeemed.failed()) {
                    LOG.warnf(
                            "a ticket could not be redeemed: %s",
                            redeemed.cause().getMessage());
                    return refuse(Refusal.STORE_UNAVAILABLE, null);
                }
                return redeemed.result()
                        .map(t -> admit(t.userId(), t.credentialExpiresAt(), request))
                        .orElseGet(() -> refuse(Refusal.INVALID_TICKET, null));
            });
        }
        if (authorization == null) {
            return refuse(Refusal.NO_CREDENTIAL, null);
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse(Refusal.INVALID_TOKEN, null);
        }
        String token = authorization.substring(BEARER.length()).strip();
        return vertx.<JsonWebToken>executeBlocking(() -> tokens.parse(token), false)
                .transform(verified -> {
                    String userId = verified.succeeded() ? Credentials.userId(verified.result()) : null;
                    if (userId == null) {
                        LOG.debugf("bearer token refused: %s", verified.failed() ? verified.cause() : "no user id");
                        return refuse(Refusal.INVALID_TOKEN, null);
                    }
                    if (DeliveryCanary.isCanary(userId)) {
                        return refuse(Refusal.RESERVED_USER, userId);
                    }
                    return admit(userId, Credentials.expiresAt(verified.result()), request);
                });
    }

    /**
     * The resume point of the upgrade: {@code null} for none, {@link #MALFORMED} when it cannot be
     * read. Checked after the credential, so that a request without one is always a 401.
     */
    private static ResumePoint resumePoint(HttpServerRequest request) {
        String lastEventId = request.getParam("last_event_id");
        String epoch = request.getParam("epoch");
        if ((lastEventId != null && !EVENT_ID.matcher(lastEventId).matches())
                || (epoch != null && (epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH))) {
            return MALFORMED;
        }
        return lastEventId == null ? null : new ResumePoint(epoch, Long.parseLong(lastEventId));
    }

    private Future<Admission> admit(String userId, Instant credentialExpiresAt, HttpServerRequest request) {
        ResumePoint resume = resumePoint(request);
        if (resume == MALFORMED) {
            return refuse(Refusal.MALFORMED_RESUME, userId);
        }
        UserWebSocketManager manager = managers.managerFor(userId);
        SlotReservation slot = manager.reserveSlot(System.nanoTime(), resume);
        if (slot == null) {
            return refuse(Refusal.CONNECTION_LIMIT, userId);
        }
        Long expiresAtMillis = credentialExpiresAt == null ? null : credentialExpiresAt.toEpochMilli();
        return manager.admit(resume).transform(ready -> {
            if (ready.succeeded()) {
                return Future.succeededFuture(new Admission(manager, expiresAtMillis, resume, slot));
            }
            manager.releaseSlot(slot);
            if (ready.cause() instanceof UserWebSocketManager.SlotsTakenException) {
                return refuse(Refusal.CONNECTION_LIMIT, userId);
            }
            LOG.warnf(
                    "the upgrade of user %s could not be readied: %s",
                    userId, ready.cause().getMessage());
            return refuse(Refusal.STORE_UNAVAILABLE, userId);
        });
    }

    private Future<Admission> refuse(Refusal refusal, String userId) {
        metrics.upgradeRejected(refusal.tag());
        LOG.infof(
                "upgrade refused: user=%s reason=%s status=%d",
                userId == null ? "-" : userId, refusal.reason, refusal.status);
        return Future.failedFuture(new RefusedException(refusal));
    }
}
