package io.switchboard.websocket.core.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.core.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /api/ws/tickets}: trades a bearer token for a one-time WebSocket ticket. */
@Path("/api/ws/tickets")
@Authenticated
public class TicketResource {

    /** The body of a 201 answer. */
    public record TicketIssued(
            @JsonProperty("ticket") String ticket,
            @JsonProperty("expires_at") String expiresAt) {}

    @Inject
    TicketStore tickets;

    @Inject
    SecurityIdentity identity;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Trade a bearer token for a one-time WebSocket ticket",
            description = "For browsers, which cannot send a header on a WebSocket upgrade: connect to "
                    + "/ws?ticket=<ticket> within 30 s. The ticket is valid once, for the token's user.")
    @APIResponse(responseCode = "201", description = "The ticket and when it expires")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", description = "Cluster mode: Redis could not store the ticket; retry")
    public CompletionStage<Response> issue() {
        String userId = Credentials.userId(identity.getPrincipal());
        if (userId == null) {
            return CompletableFuture.completedFuture(
                    Problem.of(Response.Status.UNAUTHORIZED, "the token names no user (no sub or upn claim)")
                            .toResponse());
        }
        if (DeliveryCanary.isCanary(userId)) {
            return CompletableFuture.completedFuture(Problem.of(Response.Status.UNAUTHORIZED, "this user is reserved")
                    .toResponse());
        }
        return tickets.issue(userId, Credentials.expiresAt(identity.getPrincipal()))
                .map(ticket -> Response.status(Response.Status.CREATED)
                        .entity(new TicketIssued(ticket.value(), FrameCodec.formatTimestamp(ticket.expiresAt())))
                        .build())
                .toCompletionStage();
    }
}
