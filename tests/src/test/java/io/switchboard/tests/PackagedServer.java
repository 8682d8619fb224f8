package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.jwt.build.Jwt;
import io.switchboard.bench.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The packaged application ({@code app/target/quarkus-app}) as its own process in the prod profile,
 * on 127.0.0.1 and a free port, trusting an identity provider's key pair made for the test.
 */
final class PackagedServer {
    static final String ISSUER = "https://idp.example/test";

    private final Path dir;
    private final KeyPair identityProvider;

    /** @param dir where the public key and the server's log go */
    PackagedServer(Path dir) {
        this.dir = dir;
        this.identityProvider = newKeyPair();
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code java <properties> -jar quarkus-run.jar}, listening on 127.0.0.1 and a free port. */
    static List<String> command(String... properties) {
        String jar = System.getProperty("switchboard.app.jar", "../app/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "the application is not packaged at " + jar);
        List<String> arguments = new ArrayList<>(
                List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0", "-Dquarkus.analytics.disabled=true"));
        arguments.addAll(List.of(properties));
        arguments.addAll(List.of("-jar", jar));
        return ServerProcess.java(arguments.toArray(String[]::new));
    }

    /** Starts the server in prod, trusting this identity provider, without waiting for it to listen. */
    ServerProcess launch(String... properties) throws IOException {
        return launchLogged("server.log", properties);
    }

    /** As {@link #launch}, with the server's output in that file of the directory. */
    ServerProcess launchLogged(String logName, String... properties) throws IOException {
        Path publicKey = dir.resolve("public.pem");
        Files.writeString(
                publicKey,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(identityProvider.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        List<String> all = new ArrayList<>(
                List.of("-Dmp.jwt.verify.publickey.location=" + publicKey.toUri(), "-Dmp.jwt.verify.issuer=" + ISSUER));
        all.addAll(List.of(properties));
        return ServerProcess.launch(command(all.toArray(String[]::new)), dir.resolve(logName));
    }

    /** A token of this identity provider for the user, valid for the given seconds, with these roles. */
    String token(String user, long seconds, String... roles) {
        return Jwt.issuer(ISSUER)
                .subject(user)
                .groups(Set.of(roles))
                .expiresAt(Instant.now().plusSeconds(seconds))
                .sign(identityProvider.getPrivate());
    }

    static URI http(ServerProcess server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static URI ws(ServerProcess server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }
}
