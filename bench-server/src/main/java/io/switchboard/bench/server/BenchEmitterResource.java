package io.switchboard.bench.server;

import io.switchboard.bench.ConstantRate;
import io.switchboard.websocket.api.AgentThinking;
import io.switchboard.websocket.core.Problem;
import io.switchboard.websocket.core.WebSocketManager;
import io.switchboard.websocket.core.WebSocketManagerFactory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /bench/emit} (role {@code admin}): the load driver of the benchmarks, in the
 * benchmark build of the server only (module {@code bench-server}; the server that ships has no such
 * path). It emits {@code agent_thinking} events of about 200 bytes, round-robin over
 * {@code users} users named {@code <prefix><n>}, at a constant rate, each carrying its intended send
 * time (see {@link ConstantRate}) so that the generator can measure latency without coordinated omission.
 */
@Path("/bench/emit")
@RolesAllowed("admin")
public class BenchEmitterResource {
    private static final String PADDING = "x".repeat(60);

    @Inject
    WebSocketManagerFactory managers;

    private final AtomicBoolean running = new AtomicBoolean();

    @POST
    @Operation(hidden = true)
    public Response emit(
            @QueryParam("prefix") String prefix,
            @QueryParam("users") int users,
            @QueryParam("rate") int eventsPerSecond,
            @QueryParam("seconds") int seconds) {
        if (prefix == null || users < 1 || eventsPerSecond < 1 || seconds < 1 || seconds > 600) {
            return Problem.of(Response.Status.BAD_REQUEST, "give prefix, users, rate and seconds (at most 600)")
                    .toResponse();
        }
        if (!running.compareAndSet(false, true)) {
            return Problem.of(Response.Status.CONFLICT, "an emission is running")
                    .toResponse();
        }
        WebSocketManager[] targets = new WebSocketManager[users];
        for (int i = 0; i < users; i++) {
            targets[i] = managers.managerFor(prefix + i);
        }
        long total = (long) eventsPerSecond * seconds;
        Thread emitter = new Thread(() -> emit(targets, eventsPerSecond, total), "switchboard-bench-emitter");
        emitter.setDaemon(true);
        emitter.start();
        return Response.accepted(Map.of("events", total)).build();
    }

    private void emit(WebSocketManager[] targets, int eventsPerSecond, long total) {
        try {
            ConstantRate.run(
                    eventsPerSecond,
                    total,
                    (i, intendedMicros) -> targets[(int) (i % targets.length)].emit(
                            new AgentThinking("bench", "bench", intendedMicros + "|" + PADDING)));
        } finally {
            running.set(false);
        }
    }
}
