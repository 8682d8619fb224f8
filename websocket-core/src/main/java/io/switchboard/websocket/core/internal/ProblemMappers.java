package io.switchboard.websocket.core.internal;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.switchboard.websocket.core.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns security failures of every REST endpoint into RFC 9457 problem details. */
public class ProblemMappers {

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized() {
        Response problem = Problem.of(Response.Status.UNAUTHORIZED, "a valid bearer token is required")
                .toResponse();
        return Response.fromResponse(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return Problem.of(Response.Status.FORBIDDEN, "this endpoint needs a role the token does not carry")
                .toResponse();
    }
}
