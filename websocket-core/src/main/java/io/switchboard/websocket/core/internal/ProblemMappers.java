package io.switchboard.websocket.core.internal;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.switchboard.websocket.core.EventStoreUnavailableException;
import io.switchboard.websocket.core.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.UnwrapException;

/** Turns security failures and an unreachable event store into RFC 9457 problem details. */
@UnwrapException(CompletionException.class) // an endpoint's failed CompletionStage arrives wrapped
public class ProblemMappers {
    /** Redis is usually back within seconds: a failover or a restart. */
    private static final String RETRY_AFTER_SECONDS = "2";

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized() {
        Response problem = Problem.of(Response.Status.UNAUTHORIZED, "a valid bearer token is required")
                .toResponse();
        return Response.fromResponse(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper(EventStoreUnavailableException.class)
    public Response unavailable(EventStoreUnavailableException failure) {
        Response problem = Problem.of(Response.Status.SERVICE_UNAVAILABLE, failure.getMessage())
                .toResponse();
        return Response.fromResponse(problem)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return Problem.of(Response.Status.FORBIDDEN, "this endpoint needs a role the token does not carry")
                .toResponse();
    }
}
