package io.switchboard.websocket.core;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail, the body of every HTTP error of Switchboard's API.
 *
 * @param type   a URI reference naming the problem type ({@code about:blank} when only the status
 *               says what happened)
 * @param title  a short summary of the problem type
 * @param status the HTTP status code
 * @param detail what went wrong with this request
 */
public record Problem(String type, String title, int status, String detail) {
    /** The media type of problem details. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of a plain status, with a detail. */
    public static Problem of(Response.Status status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
    }

    /** This problem as a JAX-RS response. */
    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
