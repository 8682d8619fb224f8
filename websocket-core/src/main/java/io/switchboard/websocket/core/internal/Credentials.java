package io.switchboard.websocket.core.internal;

import java.security.Principal;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the user id out of a verified credential. */
final class Credentials {
    private Credentials() {}

    /** The {@code sub} claim, or {@code upn} when there is no {@code sub}; {@code null} if neither. */
    static String userId(Principal principal) {
        if (!(principal instanceof JsonWebToken token)) {
            return null;
        }
        String subject = token.getSubject();
        if (subject != null && !subject.isBlank()) {
            return subject;
        }
        String upn = token.getClaim("upn");
        return upn == null || upn.isBlank() ? null : upn;
    }

    /** When the credential expires ({@code exp}), or {@code null} when it does not say. */
    static Instant expiresAt(Principal principal) {
        if (principal instanceof JsonWebToken token && token.getExpirationTime() > 0) {
            return Instant.ofEpochSecond(token.getExpirationTime());
        }
        return null;
    }
}
