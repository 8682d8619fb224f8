package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/** The benchmark's own identity provider: an RS256 key pair and tokens signed with it. */
final class TokenSigner {
    static final String ISSUER = "https://switchboard.bench/idp";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    TokenSigner() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    /** Writes the public key as PEM, for the server's {@code mp.jwt.verify.publickey.location}. */
    Path writePublicKey(Path dir) throws IOException {
        Path file = dir.resolve("bench-public.pem");
        Files.writeString(
                file,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        return file;
    }

    String token(String user, String... groups) throws GeneralSecurityException {
        long now = System.currentTimeMillis() / 1000;
        StringBuilder roles = new StringBuilder();
        for (String group : groups) {
            roles.append(roles.length() == 0 ? "" : ",")
                    .append('"')
                    .append(group)
                    .append('"');
        }
        String header = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = URL.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"iat\":" + now
                        + ",\"exp\":" + (now + 3600) + ",\"groups\":[" + roles + "]}")
                .getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.getPrivate());
        signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + URL.encodeToString(signature.sign());
    }
}
