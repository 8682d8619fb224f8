package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.jwt.build.Jwt;
import io.switchboard.bench.ServerProcess;
import io.switchboard.websocket.api.AgentCompleted;
import io.switchboard.websocket.api.RunStatus;
import io.switchboard.websocket.api.ServerFrame;
import io.switchboard.websocket.api.ToolCompleted;
import io.switchboard.websocket.api.ToolExecuting;
import io.switchboard.websocket.api.ToolStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged application in the prod profile, run as its own process, as an operator would. */
@MissionCritical
class PackagedAppTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static HttpResponse<String> get(ServerProcess server, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(PackagedServer.http(server, path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void inProdTheKeyComesFromConfigurationAndThereIsNoDevTokenEndpoint() throws Exception {
        PackagedServer idp = new PackagedServer(dir);
        try (ServerProcess server = idp.launch()) {
            server.port(STARTUP);
            HttpResponse<String> ready = get(server, "/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals(404, get(server, "/dev/token?user=alice").statusCode());

            String token = idp.token("prod-user", 60);
            URI ws = PackagedServer.ws(server);
            try (WsClient client = WsClient.connect(ws, token)) {
                assertEquals("prod-user", client.established().userId());
            }
            assertEquals(
                    401, WsClient.refusedStatus(ws, Tokens.valid("dev-user")), "a dev token is not trusted in prod");
            assertFalse(server.output().contains(token), "the log must never contain a token");
        }
    }

    @Test
    void onShutdownARunningRunEndsAndEveryConnectionClosesWith1001() throws Exception {
        PackagedServer idp = new PackagedServer(dir);
        try (ServerProcess server = idp.launch()) {
            server.port(STARTUP);
            String token = idp.token("shutdown-user", 120);
            URI ws = PackagedServer.ws(server);
            try (WsClient running = WsClient.connect(ws, token);
                    WsClient idle = WsClient.connect(ws, token)) {
                running.send(Frames.userMessage("t", "wait 30 seconds", null));
                running.until(Frames.eventOf(ToolExecuting.class));
                server.process().destroy(); // SIGTERM
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
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the app did not stop");
            String output = server.outputAfterExit();
            assertTrue(output.contains("connection opened: user=shutdown-user"), output);
            assertFalse(output.contains("wait 30 seconds"), "message contents must not be logged");
            assertFalse(output.contains(token), "tokens must not be logged");
        }
    }

    @Test
    void inProdStartupFailsClearlyWithoutKeyAndIssuer() throws Exception {
        try (ServerProcess server = ServerProcess.launch(PackagedServer.command(), dir.resolve("server.log"))) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the app should have stopped");
            assertNotEquals(0, server.process().exitValue());
            String output = server.outputAfterExit();
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
        KeyPair devPair = PackagedServer.newKeyPair();
        String[] devKeys = {
            "-Dswitchboard.dev-keys.public="
                    + Base64.getEncoder().encodeToString(devPair.getPublic().getEncoded()),
            "-Dswitchboard.dev-keys.private="
                    + Base64.getEncoder().encodeToString(devPair.getPrivate().getEncoded())
        };
        List<String> onlyDevKeys =
                PackagedServer.command(devKeys[0], devKeys[1], "-Dmp.jwt.verify.issuer=" + PackagedServer.ISSUER);
        try (ServerProcess server = ServerProcess.launch(onlyDevKeys, dir.resolve("dev-keys-only.log"))) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the app started with only a dev key pair");
            String output = server.outputAfterExit();
            assertTrue(output.contains("set mp.jwt.verify.publickey.location"), output);
        }
        try (ServerProcess server = new PackagedServer(dir).launch(devKeys)) {
            server.port(STARTUP);
            String signedLikeADevToken = Jwt.issuer(PackagedServer.ISSUER)
                    .subject("dev-user")
                    .upn("dev-user")
                    .expiresAt(Instant.now().plusSeconds(60))
                    .sign(devPair.getPrivate());
            assertEquals(401, WsClient.refusedStatus(PackagedServer.ws(server), signedLikeADevToken));
        }
    }
}
