package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.jwt.build.Jwt;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged application in the prod profile, run as its own process, as an operator would. */
@MissionCritical
class PackagedAppTest {
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    private static final String ISSUER = "https://idp.example/test";

    @TempDir
    Path dir;

    private List<String> command(String... properties) {
        String jar = System.getProperty("switchboard.app.jar", "../app/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "the application is not packaged at " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-Dquarkus.analytics.disabled=true"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", jar));
        return command;
    }

    /** Starts the process and reads its output on a thread of its own, until it exits. */
    private static final class App implements AutoCloseable {
        final Process process;
        final StringBuffer output = new StringBuffer();
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        private final Thread reader;

        App(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        output.append(line).append('\n');
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (IOException e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new AssertionError("the app exited without listening:\n" + output));
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The whole output of a process that has exited. */
        String outputAfterExit() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return output.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static KeyPair identityProviderKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** The packaged app in prod, trusting tokens signed by {@code keys} and issued by {@link #ISSUER}. */
    private App prodApp(KeyPair keys, String... properties) throws IOException {
        Path publicKey = dir.resolve("public.pem");
        Files.writeString(
                publicKey,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        List<String> all = new ArrayList<>(
                List.of("-Dmp.jwt.verify.publickey.location=" + publicKey.toUri(), "-Dmp.jwt.verify.issuer=" + ISSUER));
        all.addAll(List.of(properties));
        return new App(command(all.toArray(String[]::new)));
    }

    @Test
    void inProdTheKeyComesFromConfigurationAndThereIsNoDevTokenEndpoint() throws Exception {
        KeyPair keys = identityProviderKeys();
        try (App app = prodApp(keys)) {
            int port = app.port.get(60, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            HttpResponse<String> devToken = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dev/token?user=alice"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, devToken.statusCode());

            String token = Jwt.issuer(ISSUER)
                    .subject("prod-user")
                    .expiresAt(Instant.now().plusSeconds(60))
                    .sign(keys.getPrivate());
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            try (WsClient client = WsClient.connect(ws, token)) {
                assertEquals("prod-user", client.established().userId());
            }
            assertEquals(
                    401, WsClient.refusedStatus(ws, Tokens.valid("dev-user")), "a dev token is not trusted in prod");
            assertTrue(!app.output.toString().contains(token), "the log must never contain a token");
        }
    }

    @Test
    void onShutdownARunningRunEndsAndEveryConnectionClosesWith1001() throws Exception {
        KeyPair keys = identityProviderKeys();
        try (App app = prodApp(keys)) {
            int port = app.port.get(60, TimeUnit.SECONDS);
            String token = Jwt.issuer(ISSUER)
                    .subject("shutdown-user")
                    .expiresAt(Instant.now().plusSeconds(120))
                    .sign(keys.getPrivate());
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            try (WsClient running = WsClient.connect(ws, token);
                    WsClient idle = WsClient.connect(ws, token)) {
                running.send(Frames.userMessage("t", "wait 30 seconds", null));
                running.until(Frames.eventOf(ToolExecuting.class));
                app.process.destroy(); // SIGTERM
                ToolCompleted tool = Frames.payload(running.next(), ToolCompleted.class);
                assertEquals(ToolStatus.ERROR, tool.status());
                AgentCompleted end = Frames.payload(running.next(), AgentCompleted.class);
                assertEquals(RunStatus.FAILED, end.status());
                assertEquals("the server is shutting down", end.error());
                assertEquals(1001, running.awaitCloseCode());
                List<ServerFrame> seenByOtherTab = idle.until(Frames.runEnd());
                assertEquals(end, Frames.payload(seenByOtherTab.get(seenByOtherTab.size() - 1), AgentCompleted.class));
                assertEquals(1001, idle.awaitCloseCode());
            }
            assertTrue(app.process.waitFor(30, TimeUnit.SECONDS), "the app did not stop");
            assertTrue(app.output.toString().contains("connection opened: user=shutdown-user"), app.output.toString());
            assertTrue(!app.output.toString().contains("wait 30 seconds"), "message contents must not be logged");
            assertTrue(!app.output.toString().contains(token), "tokens must not be logged");
        }
    }

    @Test
    void inProdStartupFailsClearlyWithoutKeyAndIssuer() throws Exception {
        try (App app = new App(command())) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app should have stopped");
            assertNotEquals(0, app.process.exitValue());
            String output = app.outputAfterExit();
            assertTrue(
                    output.contains("Switchboard cannot verify bearer tokens: set "
                            + "mp.jwt.verify.publickey.location and mp.jwt.verify.issuer"),
                    output);
        }
    }

    /**
     * The dev profile trusts a key pair that DevKeys keeps in two system properties. Handed a known
     * pair that way, a prod server must neither trust it nor count it as a verification key: it still
     * refuses to start without the identity provider's key, and with that key it refuses a token
     * signed the way the dev server signs them.
     */
    @Test
    void inProdNoDevKeyPairIsTrusted() throws Exception {
        KeyPair devPair = identityProviderKeys();
        String[] devKeys = {
            "-Dswitchboard.dev-keys.public="
                    + Base64.getEncoder().encodeToString(devPair.getPublic().getEncoded()),
            "-Dswitchboard.dev-keys.private="
                    + Base64.getEncoder().encodeToString(devPair.getPrivate().getEncoded())
        };
        try (App app = new App(command(devKeys[0], devKeys[1], "-Dmp.jwt.verify.issuer=" + ISSUER))) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app started with only a dev key pair");
            String output = app.outputAfterExit();
            assertTrue(output.contains("set mp.jwt.verify.publickey.location"), output);
        }
        KeyPair identityProvider = identityProviderKeys();
        try (App app = prodApp(identityProvider, devKeys)) {
            int port = app.port.get(60, TimeUnit.SECONDS);
            String signedLikeADevToken = Jwt.issuer(ISSUER)
                    .subject("dev-user")
                    .upn("dev-user")
                    .expiresAt(Instant.now().plusSeconds(60))
                    .sign(devPair.getPrivate());
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            assertEquals(401, WsClient.refusedStatus(ws, signedLikeADevToken));
        }
    }
}
