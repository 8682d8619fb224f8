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

    private final TicketStore tickets;
    private final ManagerFactory managers;

    @Inject
    UpgradeAuthenticator(TicketStore tickets, ManagerFactory managers) {
        this.tickets = tickets;
        this.managers = managers;
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
            LOG.infof("upgrade refused: reason=malformed resume point status=400");
            return CheckResult.rejectUpgrade(400);
        }
        if (lastEventId != null) {
            context.userData().put(RESUME, new ResumePoint(epoch, Long.parseLong(lastEventId)));
        }
        context.userData().put(TRANSPORT, request.connection());
        String ticket = request.getParam("ticket");
        boolean bearer = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        if (ticket != null) {
            if (bearer) {
                return Uni.createFrom().item(unauthorized("both a bearer token and a ticket"));
            }
            return Uni.createFrom().item(tickets.redeem(ticket)
                    .map(t -> admit(context, t.userId(), t.credentialExpiresAt()))
                    .orElseGet(() -> unauthorized("an unknown, used or expired ticket")));
        }
        return context.securityIdentity().onItemOrFailure().transformToUni((identity, failure) -> {
            if (failure != null) {
                // The authentication layer answers a bad token itself (401 with its challenge); a
                // second answer from here would collide with it.
                LOG.infof("upgrade refused: reason=an invalid bearer token status=401");
                return Uni.createFrom().<CheckResult>nothing().ifNoItem().after(ANSWER_WAIT).recoverWithUni(() ->
                        request.response().headWritten() ? Uni.createFrom().nothing()
                                : Uni.createFrom().item(unauthorized("an invalid bearer token, unanswered")));
            }
            String userId = failure == null ? userIdOf(identity) : null;
            return Uni.createFrom().item(userId == null
                    ? unauthorized(bearer ? "an invalid bearer token" : "no credential")
                    : admit(context, userId, Credentials.expiresAt(identity.getPrincipal())));
        });
    }

    private static String userIdOf(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? null : Credentials.userId(identity.getPrincipal());
    }

    private CheckResult admit(HttpUpgradeContext context, String userId, Instant credentialExpiresAt) {
        SlotReservation reservation = managers.managerFor(userId).reserveSlot(System.nanoTime());
        if (reservation == null) {
            LOG.infof("upgrade refused: user=%s reason=connection limit reached status=429", userId);
            return CheckResult.rejectUpgradeSync(429);
        }
        context.userData().put(USER_ID, userId);
        context.userData().put(RESERVATION, reservation);
        if (credentialExpiresAt != null) {
            context.userData().put(CREDENTIAL_EXPIRES_AT, credentialExpiresAt.toEpochMilli());
        }
        return CheckResult.permitUpgradeSync();
    }

    private static CheckResult unauthorized(String what) {
        LOG.infof("upgrade refused: reason=%s status=401", what);
        return CheckResult.rejectUpgradeSync(401, BEARER_CHALLENGE);
    }
}
