package io.switchboard.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.switchboard.websocket.core.ClusterActivity;
import io.switchboard.websocket.core.WebSocketManagerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code GET /api/admin/activity}: each live node's recent samples, as columns (one array per measure,
 * index for index), the form a plotting library takes.
 */
@Path("/api/admin/activity")
@RolesAllowed("admin")
public class ActivityResource {

    /** One node's samples, the oldest first; {@code delivery_p99_ms} is {@code null} where no delivery was timed. */
    public record NodeSeries(
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("self") boolean self,
            @JsonProperty("time_ms") List<Long> timeMillis,
            @JsonProperty("events_per_second") List<Double> eventsPerSecond,
            @JsonProperty("connections") List<Integer> connections,
            @JsonProperty("delivery_p99_ms") List<Double> deliveryP99Millis) {}

    /** The answer: how often samples are taken, how far back they go, and the nodes sorted by id. */
    public record Activity(
            @JsonProperty("sample_interval_ms") long sampleIntervalMillis,
            @JsonProperty("window_ms") long windowMillis,
            @JsonProperty("nodes") List<NodeSeries> nodes) {}

    @Inject
    WebSocketManagerRegistry registry;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Each node's events per second, connections and delivery p99 over the activity window")
    @APIResponse(responseCode = "200", description = "One series per live node, sampled every sample_interval_ms")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "503", description = "Cluster mode: Redis did not answer")
    public CompletionStage<Activity> activity() {
        return registry.clusterActivity().thenApply(ActivityResource::columns);
    }

    private static Activity columns(ClusterActivity activity) {
        List<NodeSeries> nodes = activity.nodes().stream()
                .map(node -> new NodeSeries(
                        node.nodeId(),
                        node.self(),
                        node.samples().stream()
                                .map(ClusterActivity.Sample::epochMillis)
                                .toList(),
                        node.samples().stream()
                                .map(ClusterActivity.Sample::eventsPerSecond)
                                .toList(),
                        node.samples().stream()
                                .map(ClusterActivity.Sample::connections)
                                .toList(),
                        node.samples().stream()
                                .map(ClusterActivity.Sample::deliveryP99Millis)
                                .toList()))
                .toList();
        return new Activity(
                activity.sampleInterval().toMillis(), activity.window().toMillis(), nodes);
    }
}
