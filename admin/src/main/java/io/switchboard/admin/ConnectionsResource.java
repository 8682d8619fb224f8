package io.switchboard.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /api/admin/connections}: who is connected now. */
@Path("/api/admin/connections")
@RolesAllowed("admin")
public class ConnectionsResource {

    /** One connected user. */
    public record UserEntry(
            @JsonProperty("user_id") String userId,
            @JsonProperty("connections") int connections,
            @JsonProperty("last_event_id") long lastEventId,
            @JsonProperty("internal") boolean internal) {}

    /** The answer: totals, and one entry per connected user sorted by user id. */
    public record Overview(
            @JsonProperty("users") int users,
            @JsonProperty("connections") int connections,
            @JsonProperty("per_user") List<UserEntry> perUser) {}

    @Inject
    WebSocketManagerRegistry registry;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the connected users, their connections and last event ids")
    @APIResponse(responseCode = "200", description = "Totals and one entry per connected user")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    public Overview connections() {
        List<UserEntry> users = registry.connectedUsers().stream()
                .map(u -> new UserEntry(u.userId(), u.connections(), u.lastEventId(), u.internal()))
                .toList();
        return new Overview(
                users.size(), users.stream().mapToInt(UserEntry::connections).sum(), users);
    }
}
