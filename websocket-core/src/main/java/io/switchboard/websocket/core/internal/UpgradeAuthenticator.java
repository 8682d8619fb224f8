package io.switchboard.websocket.core.internal;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Checks every upgrade of {@code /ws}: a bearer token (verified by SmallRye JWT) or a one-time
 * ticket, never both; a well-formed resume point; then takes one of the user's connection slots.
 * The user id comes only from the verified credential.
 */
@Singleton
final class UpgradeAuthenticator implements HttpUpgradeCheck {
    static final TypedKey<String> USER_ID = TypedKey.forString("switchboard.user-id");
    static final TypedKey<SlotReservation> RESERVATION = new TypedKey<>("switchboard.slot-reservation");
    static final TypedKey<ResumePoint> RESUME = new TypedKey<>("switchboard.resume");
    static final TypedKey<Long> CREDENTIAL_EXPIRES_AT = TypedKey.forLong("switchboard.credential-expires-at");
    static final TypedKey<HttpConnection> TRANSPORT = new TypedKey<>("switchboard.transport");

    private static final Logger LOG = Logger.getLogger(UpgradeAuthenticator.class);
    private static final Map<String, List<String>> BEARER_CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer"));
    private static final Pattern EVENT_ID = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final int MAX_EPOCH_LENGTH = 128;
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

    /** Why an upgrade was refused: the log line and the metric tag. */
    enum Refusal {
        NO_CREDENTIAL(401, "no credential"),
        INVALID_TOKEN(401, "an invalid bearer token"),
        INVALID_TICKET(401, "an unknown, used or expired ticket"),
        TWO_CREDENTIALS(401, "both a bearer token and a ticket"),
        RESERVED_USER(401, "a credential for a reserved user"),
        CONNECTION_LIMIT(429, "connection limit reached"),
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

    private final TicketStore tickets;
    private final ManagerFactory managers;
    private final WebSocketMetrics metrics;

    @Inject
    UpgradeAuthenticator(TicketStore tickets, ManagerFactory managers, WebSocketMetrics metrics) {
        this.tickets = tickets;
        this.managers = managers;
        this.metrics = metrics;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return SocketEndpoint.ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String lastEventId = request.getParam("last_event_id");
        String epoch = request.getParam("epoch");
        if ((lastEventId != null && !EVENT_ID.matcher(lastEventId).matches())
                || (epoch != null && (epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH))) {
            return Uni.createFrom().item(refuse(Refusal.MALFORMED_RESUME, null));
        }
        if (lastEventId != null) {
            context.userData().put(RESUME, new ResumePoint(epoch, Long.parseLong(lastEventId)));
        }
        context.userData().put(TRANSPORT, request.connection());
        String ticket = request.getParam("ticket");
        boolean bearer = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        if (ticket != null) {
            if (bearer) {
                return Uni.createFrom().item(refuse(Refusal.TWO_CREDENTIALS, null));
            }
            return Uni.createFrom()
                    .item(tickets.redeem(ticket)
                            .map(t -> admit(context, t.userId(), t.credentialExpiresAt()))
                            .orElseGet(() -> refuse(Refusal.INVALID_TICKET, null)));
        }
        return context.securityIdentity().onItemOrFailure().transformToUni((identity, failure) -> {
            if (failure != null) {
                // The authentication layer answers a bad token itself (401 with its challenge); a
                // second answer from here would collide with it.
                count(Refusal.INVALID_TOKEN, null);
                return Uni.createFrom()
                        .<CheckResult>nothing()
                        .ifNoItem()
                        .after(ANSWER_WAIT)
                        .recoverWithUni(() -> request.response().headWritten()
                                ? Uni.createFrom().nothing()
                                : Uni.createFrom().item(CheckResult.rejectUpgradeSync(401, BEARER_CHALLENGE)));
            }
            String userId = userIdOf(identity);
            if (userId == null) {
                return Uni.createFrom().item(refuse(bearer ? Refusal.INVALID_TOKEN : Refusal.NO_CREDENTIAL, null));
            }
            if (DeliveryCanary.USER_ID.equals(userId)) {
                return Uni.createFrom().item(refuse(Refusal.RESERVED_USER, userId));
            }
            return Uni.createFrom().item(admit(context, userId, Credentials.expiresAt(identity.getPrincipal())));
        });
    }

    private static String userIdOf(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? null : Credentials.userId(identity.getPrincipal());
    }

    private CheckResult admit(HttpUpgradeContext context, String userId, Instant credentialExpiresAt) {
        SlotReservation reservation = managers.managerFor(userId).reserveSlot(System.nanoTime());
        if (reservation == null) {
            return refuse(Refusal.CONNECTION_LIMIT, userId);
        }
        context.userData().put(USER_ID, userId);
        context.userData().put(RESERVATION, reservation);
        if (credentialExpiresAt != null) {
            context.userData().put(CREDENTIAL_EXPIRES_AT, credentialExpiresAt.toEpochMilli());
        }
        return CheckResult.permitUpgradeSync();
    }

    private CheckResult refuse(Refusal refusal, String userId) {
        count(refusal, userId);
        return refusal.status == 401
                ? CheckResult.rejectUpgradeSync(401, BEARER_CHALLENGE)
                : CheckResult.rejectUpgradeSync(refusal.status);
    }

    private void count(Refusal refusal, String userId) {
        metrics.upgradeRejected(refusal.tag());
        LOG.infof(
                "upgrade refused: user=%s reason=%s status=%d",
                userId == null ? "-" : userId, refusal.reason, refusal.status);
    }
}
