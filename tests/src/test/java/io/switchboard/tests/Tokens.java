package io.switchboard.tests;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.switchboard.app.DevKeys;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

/** Signed tokens for the tests: valid ones from the dev key pair, and every kind of bad one. */
final class Tokens {
    static final String ISSUER = "https://switchboard.local/dev";

    private Tokens() {}

    static String valid(String user, String... roles) {
        return claims(user, roles).sign(DevKeys.privateKey());
    }

    static JwtClaimsBuilder claims(String user, String... roles) {
        return Jwt.issuer(ISSUER)
                .subject(user)
                .groups(Set.of(roles))
                .expiresAt(Instant.now().plusSeconds(600));
    }

    static String expired(String user) {
        return Jwt.issuer(ISSUER)
                .subject(user)
                .issuedAt(Instant.now().minusSeconds(120))
                .expiresAt(Instant.now().minusSeconds(30))
                .sign(DevKeys.privateKey());
    }

    static String signedByAnotherKey(String user) {
        return claims(user).sign(otherKey());
    }

    static String otherIssuer(String user) {
        return Jwt.issuer("https://evil.example")
                .subject(user)
                .expiresAt(Instant.now().plusSeconds(600))
                .sign(DevKeys.privateKey());
    }

    private static PrivateKey otherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
