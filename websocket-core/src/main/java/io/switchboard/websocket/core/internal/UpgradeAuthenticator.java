package io.switchboard.websocket.core.internal;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Authenticates every upgrade of {@code /ws}: a bearer token (verified by SmallRye JWT) or a
 * one-time ticket, never both; then takes one of the user's connection slots. The user id comes
 * only from the verified credential.
 */
@Singleton
final class UpgradeAuthenticator implements HttpUpgradeCheck {
    static final TypedKey<String> USER_ID = TypedKey.forString("switchboard.user-id");
    static final TypedKey<SlotReservation> RESERVATION = new TypedKey<>("switchboard.slot-reservation");

    private static final Logger LOG = Logger.getLogger(UpgradeAuthenticator.class);
    private static final Map<String, List<String>> BEARER_CHALLENGE =
            Map.of("WWW-Authenticate", List.of("Bearer"));

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
        String ticket = request.getParam("ticket");
        boolean bearer = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        if (ticket != null) {
            if (bearer) {
                return Uni.createFrom().item(unauthorized("both a bearer token and a ticket"));
            }
            return Uni.createFrom().item(tickets.redeem(ticket)
                    .map(t -> admit(context, t.userId()))
                    .orElseGet(() -> unauthorized("an unknown, used or expired ticket")));
        }
        return context.securityIdentity().onItemOrFailure().transform((identity, failure) -> {
            String userId = failure == null ? userIdOf(identity) : null;
            return userId == null ? unauthorized(bearer ? "an invalid bearer token" : "no credential") : admit(context, userId);
        });
    }

    private static String userIdOf(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? null : Credentials.userId(identity.getPrincipal());
    }

    private CheckResult admit(HttpUpgradeContext context, String userId) {
        SlotReservation reservation = managers.managerFor(userId).reserveSlot(System.nanoTime());
        if (reservation == null) {
            LOG.infof("upgrade refused: user=%s reason=connection limit reached status=429", userId);
            return CheckResult.rejectUpgradeSync(429);
        }
        context.userData().put(USER_ID, userId);
        context.userData().put(RESERVATION, reservation);
        return CheckResult.permitUpgradeSync();
    }

    private static CheckResult unauthorized(String what) {
        LOG.infof("upgrade refused: reason=%s status=401", what);
        return CheckResult.rejectUpgradeSync(401, BEARER_CHALLENGE);
    }
}
