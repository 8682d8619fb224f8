package io.switchboard.admin;

import io.switchboard.websocket.core.WebSocketManagerFactory;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

/**
 * {@code DELETE /api/admin/users/{userId}/connections}: closes every connection of the user with 1008
 * within a second; nothing is delivered to them after this call. Answers 204 whether or not the
 * user had connections, so the answer reveals nothing.
 */
@Path("/api/admin/users/{userId}/connections")
@RolesAllowed("admin")
public class UserConnectionsResource {
    private static final Logger LOG = Logger.getLogger(UserConnectionsResource.class);

    @Inject
    WebSocketManagerRegistry registry;

    @Inject
    WebSocketManagerFactory managers;

    @DELETE
    @Operation(summary = "Close every connection of a user with 1008 within a second")
    @APIResponse(responseCode = "204", description = "Done, whether or not the user had connections")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    public Response disconnect(@PathParam("userId") String userId) {
        if (registry.user(userId).isPresent()) {
            int closed = managers.managerFor(userId).disconnectAll("disconnected by an administrator");
            LOG.infof("administrator disconnected user=%s connections=%d", userId, closed);
        }
        return Response.noContent().build();
    }
}
