package io.switchboard.app;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;
import io.switchboard.websocket.api.FrameCodec;
import io.switchboard.websocket.core.Problem;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /dev/token?user=<id>&roles=<a,b>&ttl_seconds=<n>}: a signed token for anyone who asks,
 * so that the dev server works out of the box. Exists only in the dev and test builds; the prod
 * build has no such resource, so the path answers 404.
 *
 * <p>Answers the bare token as {@code text/plain}, or {@code {"token", "user_id", "roles",
 * "expires_at"}} when the request accepts {@code application/json}.
 */
@IfBuildProfile(anyOf = {"dev", "test"})
@Path("/dev/token")
public class DevTokenResource {
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@:-]{1,128}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final long MAX_TTL_SECONDS = 24 * 3600;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @GET
    public Response token(
            @QueryParam("user") String user,
            @QueryParam("roles") @DefaultValue("") String roles,
            @QueryParam("ttl_seconds") @DefaultValue("3600") long ttlSeconds,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (user == null || !USER.matcher(user).matches()) {
            return badRequest("query parameter 'user' must be 1-128 characters of A-Za-z0-9_.@:-");
        }
        Set<String> groups = Arrays.stream(roles.split(","))
                .map(String::strip)
                .filter(r -> !r.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        if (!groups.stream().allMatch(r -> ROLE.matcher(r).matches())) {
            return badRequest("query parameter 'roles' must be a comma-separated list of A-Za-z0-9_.:- names");
        }
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            return badRequest("query parameter 'ttl_seconds' must be from 1 to " + MAX_TTL_SECONDS);
        }
        Instant expiresAt = Instant.now().plusSeconds(ttlSeconds);
        String token = Jwt.issuer(issuer)
                .subject(user)
                .upn(user)
                .groups(groups)
                .expiresAt(expiresAt)
                .sign(DevKeys.privateKey());
        if (accept != null && accept.contains(MediaType.APPLICATION_JSON)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token);
            body.put("user_id", user);
            body.put("roles", groups);
            body.put("expires_at", FrameCodec.formatTimestamp(expiresAt));
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(token, MediaType.TEXT_PLAIN_TYPE).build();
    }

    private static Response badRequest(String detail) {
        return Problem.of(Response.Status.BAD_REQUEST, detail).toResponse();
    }
}
