package io.switchboard.notifications;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.websocket.api.Notification;
import io.switchboard.websocket.api.NotificationLevel;
import io.switchboard.websocket.core.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code POST /api/notifications} (role {@code admin}): {@code {"user_id": "..."}} or
 * {@code {"broadcast": true}}, with {@code level}, {@code title} (at most 200 characters),
 * {@code body} (at most 4,000) and an optional {@code thread_id}; answers 202 with how many users
 * were notified once the notification is stored, 400 with a problem detail naming the field, or 503
 * when it could not be stored.
 */
@Path("/api/notifications")
@RolesAllowed("admin")
public class NotificationResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body of a 202 answer. */
    public record Accepted(@JsonProperty("users") int users) {}

    @Inject
    NotificationService notifications;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Notify one user, or every connected user",
            description = "A user-targeted notification is logged like any event, so it reaches the user on "
                    + "reconnecting; a broadcast reaches the users connected now.")
    @APIResponse(responseCode = "202", description = "How many users were notified")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(
            responseCode = "503",
            description = "The notification could not be stored (cluster mode, Redis unreachable); "
                    + "retry after the Retry-After header's seconds")
    public CompletionStage<Response> send(
            @RequestBody(
                            description = "{\"user_id\": \"...\"} or {\"broadcast\": true}, with level "
                                    + "(info, warning, critical), title (at most 200 characters), body (at most 4,000) and an optional "
                                    + "thread_id")
                    String body) {
        JsonNode request;
        try {
            request = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return invalidNow("the body is not valid JSON");
        }
        if (request == null || !request.isObject()) {
            return invalidNow("the body must be a JSON object");
        }
        JsonNode userId = request.get("user_id");
        JsonNode broadcast = request.get("broadcast");
        boolean toEveryone = broadcast != null && broadcast.isBoolean() && broadcast.booleanValue();
        if (broadcast != null && !broadcast.isBoolean()) {
            return invalidNow("field 'broadcast' must be true or false");
        }
        if ((userId == null) == !toEveryone) {
            return invalidNow("give either 'user_id' or 'broadcast': true");
        }
        if (userId != null
                && (!userId.isTextual()
                        || userId.textValue().isBlank()
                        || userId.textValue().length() > 128)) {
            return invalidNow("field 'user_id' must be a string of 1-128 characters");
        }
        Notification notification;
        try {
            notification = new Notification(
                    level(request.get("level")),
                    text(request, "title"),
                    text(request, "body"),
                    request.hasNonNull("thread_id") ? text(request, "thread_id") : null);
        } catch (IllegalArgumentException e) {
            return invalidNow(e.getMessage());
        }
        CompletionStage<Integer> users = toEveryone
                ? notifications.broadcast(notification)
                : notifications.notify(userId.textValue(), notification).thenApply(event -> 1);
        return users.thenApply(count -> Response.accepted(new Accepted(count))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build());
    }

    private static NotificationLevel level(JsonNode level) {
        if (level != null && level.isTextual()) {
            for (NotificationLevel candidate : NotificationLevel.values()) {
                if (candidate.wireName().equals(level.textValue().toLowerCase(Locale.ROOT))) {
                    return candidate;
                }
            }
        }
        throw new IllegalArgumentException("field 'level' must be one of info, warning, critical");
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static CompletionStage<Response> invalidNow(String detail) {
        return CompletableFuture.completedFuture(
                Problem.of(Response.Status.BAD_REQUEST, detail).toResponse());
    }
}
