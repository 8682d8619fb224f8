package io.switchboard.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.switchboard.websocket.core.ClusterConnections;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /api/admin/connections}: who is connected now, on which node. */
@Path("/api/admin/connections")
@RolesAllowed("admin")
public class ConnectionsResource {

    /** A user's connections on one node. */
    public record NodeShare(
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("connections") int connections) {}

    /** One connected user, over every node. */
    public record UserEntry(
            @JsonProperty("user_id") String userId,
            @JsonProperty("connections") int connections,
            @JsonProperty("last_event_id") long lastEventId,
            @JsonProperty("internal") boolean internal,
            @JsonProperty("nodes") List<NodeShare> nodes) {}

    /** One live node, as it last reported itself. */
    public record NodeEntry(
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("version") String version,
            @JsonProperty("ready") boolean ready,
            @JsonProperty("connections") int connections,
            @JsonProperty("self") boolean self) {}

    /** The answer: totals, one entry per connected user sorted by user id, and the nodes. */
    public record Overview(
            @JsonProperty("users") int users,
            @JsonProperty("connections") int connections,
            @JsonProperty("per_user") List<UserEntry> perUser,
            @JsonProperty("nodes") List<NodeEntry> nodes) {}

    @Inject
    WebSocketManagerRegistry registry;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the connected users with their connections per node, and the nodes")
    @APIResponse(responseCode = "200", description = "Totals, one entry per connected user, and the live nodes")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "503", description = "Cluster mode: Redis did not answer")
    public CompletionStage<Overview> connections() {
        return registry.clusterConnections().thenApply(ConnectionsResource::overview);
    }

    private static Overview overview(ClusterConnections cluster) {
        Map<String, List<ClusterConnections.UserOnNode>> byUser = new LinkedHashMap<>();
        for (ClusterConnections.UserOnNode entry : cluster.users()) { // sorted by user, then node
            byUser.computeIfAbsent(entry.userId(), u -> new ArrayList<>()).add(entry);
        }
        List<UserEntry> users = new ArrayList<>();
        byUser.forEach((user, entries) -> users.add(new UserEntry(
                user,
                entries.stream()
                        .mapToInt(ClusterConnections.UserOnNode::connections)
                        .sum(),
                entries.stream()
                        .mapToLong(ClusterConnections.UserOnNode::lastEventId)
                        .max()
                        .orElse(0),
                entries.get(0).internal(),
                entries.stream()
                        .map(e -> new NodeShare(e.nodeId(), e.connections()))
                        .toList())));
        List<NodeEntry> nodes = cluster.nodes().stream()
                .map(n -> new NodeEntry(n.nodeId(), n.version(), n.ready(), n.connections(), n.self()))
                .toList();
        return new Overview(
                users.size(), users.stream().mapToInt(UserEntry::connections).sum(), users, nodes);
    }
}
