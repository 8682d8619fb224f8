package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.bench.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Packaged Switchboard nodes in cluster mode, each its own process on 127.0.0.1, sharing one Redis (or
 * Redis Cluster) and one identity provider. A node is named; its id in the cluster is its name.
 */
final class ClusterNodes implements AutoCloseable {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_WAIT = Duration.ofSeconds(60);
    /** Small and quick to start: three nodes, Redis and the test share two cores. */
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dir;
    private final PackagedServer identityProvider;
    private final List<String> properties;
    /** By name; read by emitting and reconnecting threads while the test starts and stops nodes. */
    private final Map<String, ServerProcess> nodes = new ConcurrentSkipListMap<>();

    private int starts;

    /**
     * @param redisHosts what {@code quarkus.redis.hosts} is set to
     * @param properties more system properties for every node, such as {@code -Dquarkus.redis.client-type=cluster}
     */
    ClusterNodes(Path dir, String redisHosts, String... properties) {
        this.dir = dir;
        this.identityProvider = new PackagedServer(dir);
        this.properties = new ArrayList<>(JVM);
        this.properties.add("-Dquarkus.redis.hosts=" + redisHosts);
        this.properties.addAll(List.of(properties));
    }

    /** Starts the node and waits until it is ready (readiness UP: Redis linked, canary delivering). */
    ServerProcess start(String name) throws Exception {
        List<String> all = new ArrayList<>(properties);
        all.add("-Dswitchboard.cluster.node-id=" + name);
        ServerProcess node =
                identityProvider.launchLogged(name + "-" + (++starts) + ".log", all.toArray(String[]::new));
        nodes.put(name, node);
        node.port(READY_WAIT);
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (readyStatus(name) != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + name + " never became ready:\n" + node.output());
            }
            Thread.sleep(200);
        }
        return node;
    }

    /** Stops the node as an orchestrator would (SIGTERM: it closes its connections with 1001 first). */
    void stop(String name) throws InterruptedException {
        nodes.remove(name).close();
    }

    /** Kills the node without warning (SIGKILL): nothing of it runs any more, and it tells no one. */
    void kill(String name) throws InterruptedException {
        Process process = nodes.remove(name).process();
        process.destroyForcibly();
        process.waitFor();
    }

    ServerProcess node(String name) {
        return nodes.get(name);
    }

    List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    URI ws(String name) {
        return PackagedServer.ws(nodes.get(name));
    }

    URI ws(String name, String query) {
        return URI.create(ws(name) + "?" + query);
    }

    URI http(String name, String path) {
        return PackagedServer.http(nodes.get(name), path);
    }

    String token(String user) {
        return identityProvider.token(user, 3_600);
    }

    String token(String user, long seconds, String... roles) {
        return identityProvider.token(user, seconds, roles);
    }

    String adminToken() {
        return identityProvider.token("ops", 3_600, "admin");
    }

    /** GET /q/health/ready of the node: its status code, or -1 if it did not answer. */
    int readyStatus(String name) throws InterruptedException {
        try {
            return readiness(name).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    HttpResponse<String> readiness(String name) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(http(name, "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST /api/notifications on the node, for one user; the response. */
    HttpResponse<String> notify(String name, String user, String title) throws Exception {
        return post(name, notification(user, title));
    }

    private static String notification(String user, String title) {
        return "{\"user_id\":\"" + user + "\",\"level\":\"info\",\"title\":\"" + title + "\",\"body\":\"b\"}";
    }

    /** Emits {@code perNode} notifications for the user through each of the nodes at once; fails unless all are confirmed. */
    void notifyAtOnce(String user, int perNode, String... names) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(names.length);
        try {
            List<Future<Integer>> confirmed = new ArrayList<>();
            for (String name : names) {
                confirmed.add(pool.submit(() -> notifyMany(name, user, name, perNode)));
            }
            for (int i = 0; i < names.length; i++) {
                assertEquals(
                        perNode,
                        confirmed.get(i).get(120, TimeUnit.SECONDS),
                        "every emit on " + names[i] + " confirmed");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A ticket for the user, issued by the node. */
    String ticket(String name, String user) throws Exception {
        HttpResponse<String> issued = HTTP.send(
                HttpRequest.newBuilder(http(name, "/api/ws/tickets"))
                        .header("Authorization", "Bearer " + token(user))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, issued.statusCode(), issued.body());
        return JSON.readTree(issued.body()).path("ticket").asText();
    }

    /** Emits {@code count} notifications for the user through the node, 8 at a time; how many were confirmed. */
    int notifyMany(String node, String user, String prefix, int count) throws Exception {
        Semaphore inFlight = new Semaphore(8);
        AtomicInteger confirmed = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            inFlight.acquire();
            all.add(HTTP.sendAsync(
                            notificationRequest(node, notification(user, prefix + "-" + i)),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (failure == null && response.statusCode() == 202) {
                            confirmed.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .get(120, TimeUnit.SECONDS);
        return confirmed.get();
    }

    HttpResponse<String> post(String name, String json) throws Exception {
        return HTTP.send(notificationRequest(name, json), HttpResponse.BodyHandlers.ofString());
    }

    /** POST /api/notifications on the node, as an administrator. */
    private HttpRequest notificationRequest(String name, String json) {
        return HttpRequest.newBuilder(http(name, "/api/notifications"))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerProcess node : nodes.values()) {
            node.close();
        }
        nodes.clear();
    }
}
