package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Runs the standard benchmark scenarios against the packaged server and a raw Vert.x baseline on
 * 127.0.0.1, prints a summary and writes the raw results as JSON under {@code bench/results/}.
 *
 * <p>Usage: {@code java -jar bench/target/bench.jar [--scenarios delivery,baseline,idle] [--users 2000]
 * [--tabs 2] [--rate 10000] [--seconds 30] [--warmup 5] [--idle-connections 10000] [--idle-warmup-connections 5000] [--idle-settle-seconds 30] [--idle-seconds 60]
 * [--server-jvm "-Xmx2g"]}: the last is the JVM options of both servers.
 * The server is the benchmark build of the application, {@code bench-server/target/quarkus-app/quarkus-run.jar}
 * (the application plus the load driver {@code POST /bench/emit}); build it first with
 * {@code ./mvnw -B package -DskipTests}. Server logs, and the idle server's live objects by class,
 * go to {@code bench/target/run/}.
 */
public final class Bench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, String> options = new HashMap<>(Map.ofEntries(
            Map.entry("scenarios", "delivery,baseline,idle"),
            Map.entry("users", "2000"),
            Map.entry("tabs", "2"),
            Map.entry("rate", "10000"),
            Map.entry("seconds", "30"),
            Map.entry("warmup", "5"),
            Map.entry("idle-connections", "10000"),
            Map.entry("idle-warmup-connections", "5000"),
            Map.entry("idle-settle-seconds", "30"),
            Map.entry("idle-seconds", "60"),
            Map.entry("server", "bench-server/target/quarkus-app/quarkus-run.jar"),
            Map.entry("server-jvm", "-Xmx2g")));
    private final Path work;
    private final TokenSigner signer;
    private final Path publicKey;

    private Bench(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + options.keySet());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        work = Files.createDirectories(Path.of("bench", "target", "run"));
        signer = new TokenSigner();
        publicKey = signer.writePublicKey(work);
    }

    public static void main(String[] args) throws Exception {
        new Bench(args).run();
    }

    private int number(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("started_at", Instant.now().toString());
        results.put("machine", machine());
        results.put("options", options);
        List<String> scenarios = List.of(options.get("scenarios").split(","));
        if (scenarios.contains("delivery")) {
            results.put("delivery", delivery(true));
        }
        if (scenarios.contains("baseline")) {
            results.put("baseline", delivery(false));
        }
        if (results.get("delivery") instanceof Map<?, ?> ours && results.get("baseline") instanceof Map<?, ?> raw) {
            results.put(
                    "throughput_ratio_to_baseline",
                    ((Number) ours.get("delivered_per_second")).doubleValue()
                            / ((Number) raw.get("delivered_per_second")).doubleValue());
        }
        if (scenarios.contains("idle")) {
            results.put("idle", idle());
        }
        Path file = Files.createDirectories(Path.of("bench", "results"))
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                .withZone(ZoneOffset.UTC)
                                .format(Instant.now())
                        + ".json");
        String json =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results);
        Files.writeString(file, json + "\n");
        System.out.println(json);
        System.out.println("results: " + file);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    private ServerProcess startSwitchboard(String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(options.get("server-jvm").split(" ")));
        command.addAll(List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-Dmp.jwt.verify.publickey.location=" + publicKey.toUri(),
                "-Dmp.jwt.verify.issuer=" + TokenSigner.ISSUER,
                "-Dquarkus.log.category.\"io.switchboard\".level=WARN",
                "-jar",
                options.get("server")));
        return ServerProcess.start(ServerProcess.java(command.toArray(String[]::new)), work.resolve(name + ".log"));
    }

    private ServerProcess startBaseline() throws Exception {
        List<String> command = new ArrayList<>(List.of(options.get("server-jvm").split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawBaselineServer.class.getName()));
        return ServerProcess.start(ServerProcess.java(command.toArray(String[]::new)), work.resolve("baseline.log"));
    }

    private List<String> users(String prefix, int count) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(prefix + i);
        }
        return users;
    }

    private Map<String, String> tokens(List<String> users) throws GeneralSecurityException {
        Map<String, String> tokens = new HashMap<>();
        for (String user : users) {
            tokens.put(user, "Bearer " + signer.token(user));
        }
        return tokens;
    }

    private void startEmission(
            ServerProcess server, boolean switchboard, String prefix, int users, int rate, int seconds)
            throws Exception {
        String query = "?prefix=" + prefix + "&users=" + users + "&rate=" + rate + "&seconds=" + seconds;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.port() + (switchboard ? "/bench/emit" : "/emit") + query))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (switchboard) {
            request.header("Authorization", "Bearer " + signer.token("bench-driver", "admin"));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("emission refused: " + response.statusCode() + " " + response.body());
        }
    }

    /** Waits until the emission's time has passed and deliveries have stopped growing. */
    private static void awaitQuiet(LoadClient client, int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
        long last = -1;
        for (int i = 0; i < 60 && client.delivered.get() != last; i++) {
            last = client.delivered.get();
            Thread.sleep(500);
        }
    }

    private Map<String, Object> delivery(boolean switchboard) throws Exception {
        int userCount = number("users");
        int tabs = number("tabs");
        int rate = number("rate");
        int seconds = number("seconds");
        int warmup = number("warmup");
        String prefix = switchboard ? "bench-user-" : "raw-user-";
        List<String> users = users(prefix, userCount);
        List<String> connections = new ArrayList<>();
        for (int t = 0; t < tabs; t++) {
            connections.addAll(users);
        }
        Map<String, String> tokens = switchboard ? tokens(users) : Map.of();
        String name = switchboard ? "switchboard" : "baseline";
        System.out.printf(
                "%s: %d users x %d tabs, %d events/s for %d s after %d s of warm-up%n",
                name, userCount, tabs, rate, seconds, warmup);
        try (ServerProcess server = switchboard ? startSwitchboard(name) : startBaseline();
                LoadClient client = new LoadClient()) {
            double connectRate = client.connect(
                    server.port(),
                    connections,
                    user -> switchboard ? "/ws" : "/ws?user=" + user,
                    user -> tokens.get(user));
            startEmission(server, switchboard, prefix, userCount, rate, warmup);
            awaitQuiet(client, warmup);
            client.latencyMicros.getIntervalHistogram(); // drop the warm-up's latencies
            long deliveredBefore = client.delivered.get();
            long cpuBefore = server.cpuTicks();
            long emissionStart = System.nanoTime();
            startEmission(server, switchboard, prefix, userCount, rate, seconds);
            awaitQuiet(client, seconds);
            long cpuTicks = server.cpuTicks() - cpuBefore;
            Histogram latency = client.latencyMicros.getIntervalHistogram();
            long delivered = client.delivered.get() - deliveredBefore;
            long eventsPerUser = ((long) rate * (warmup + seconds)) / userCount;
            long lost = 0;
            long duplicated = 0;
            long reordered = 0;
            long foreign = 0;
            for (Tab tab : client.tabs) {
                lost += Math.max(0, eventsPerUser - tab.lastEventId) + tab.missing;
                duplicated += tab.duplicated;
                reordered += tab.reordered;
                foreign += tab.foreign;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("server", name);
            result.put("connections", connections.size());
            result.put("connections_opened_per_second", Math.round(connectRate));
            result.put("events_emitted_per_second", rate);
            result.put("seconds", seconds);
            result.put("delivered", delivered);
            // Over the time until the last event arrived: a server that falls behind drains after the emission.
            double deliverySeconds = Math.max(seconds, (client.lastDeliveryNanos - emissionStart) / 1e9);
            result.put("delivered_per_second", Math.round(delivered / deliverySeconds));
            result.put("delivery_seconds", Math.round(deliverySeconds * 10) / 10.0);
            result.put(
                    "latency_ms",
                    Map.of(
                            "p50", latency.getValueAtPercentile(50) / 1000.0,
                            "p99", latency.getValueAtPercentile(99) / 1000.0,
                            "p99_9", latency.getValueAtPercentile(99.9) / 1000.0,
                            "max", latency.getMaxValue() / 1000.0));
            result.put("lost", lost);
            result.put("duplicated", duplicated);
            result.put("reordered", reordered);
            result.put("foreign", foreign);
            result.put("server_cpu_percent_of_one_core", Math.round(cpuTicks * 10.0 / (seconds * 1000.0) * 100));
            System.out.println(name + ": " + result);
            return result;
        }
    }

    private Map<String, Object> idle() throws Exception {
        int count = number("idle-connections");
        int seconds = number("idle-seconds");
        List<String> users = users("idle-user-", count);
        Map<String, String> tokens = tokens(users);
        System.out.printf("idle: %d authenticated connections, watched for %d s%n", count, seconds);
        try (ServerProcess server = startSwitchboard("idle");
                LoadClient client = new LoadClient()) {
            warmUp(server, number("idle-warmup-connections"));
            Thread.sleep(3_000);
            long heapBefore = server.heapUsedBytes();
            long rssBefore = server.rssBytes();
            long connectStart = System.nanoTime();
            long connectCpuBefore = server.cpuTicks();
            Map<String, Long> threadsBefore = server.cpuTicksByThread();
            double connectRate = client.connect(server.port(), users, user -> "/ws", tokens::get);
            double connectMillis = (System.nanoTime() - connectStart) / 1e6;
            double connectCpu = (server.cpuTicks() - connectCpuBefore) * 10.0 / connectMillis * 100;
            Map<String, Long> connectCpuByThread = new LinkedHashMap<>();
            server.cpuTicksByThread().entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e ->
                            connectCpuByThread.put(e.getKey(), Math.round(e.getValue() * 10.0 / connectMillis * 100)));
            Thread.sleep(3_000);
            long heapAfter = server.heapUsedBytes();
            long rssAfter = server.rssBytes();
            server.classHistogram(work.resolve("idle-class-histogram.txt"));
            // past the compilations and the first round of pings that opening the connections set off
            Thread.sleep(number("idle-settle-seconds") * 1000L);
            long[] cpuBefore = server.cpuTicksUserSystem();
            Thread.sleep(seconds * 1000L);
            long[] cpuAfter = server.cpuTicksUserSystem();
            long userTicks = cpuAfter[0] - cpuBefore[0];
            long systemTicks = cpuAfter[1] - cpuBefore[1];
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("connections", count);
            result.put("still_open", client.openConnections());
            result.put("connections_opened_per_second", Math.round(connectRate));
            result.put("server_cpu_percent_of_one_core_while_connecting", Math.round(connectCpu));
            result.put("server_cpu_percent_while_connecting_by_thread", connectCpuByThread);
            result.put("heap_bytes_per_connection", (heapAfter - heapBefore) / count);
            result.put("rss_bytes_per_connection", (rssAfter - rssBefore) / count);
            result.put(
                    "server_cpu_percent_of_one_core_idle", (userTicks + systemTicks) * 10.0 / (seconds * 1000.0) * 100);
            result.put("server_cpu_user_percent_idle", userTicks * 10.0 / (seconds * 1000.0) * 100);
            result.put("server_cpu_system_percent_idle", systemTicks * 10.0 / (seconds * 1000.0) * 100);
            result.put("watched_seconds", seconds);
            System.out.println("idle: " + result);
            return result;
        }
    }

    /**
     * Opens and closes connections of other users first, so that connection set-up is measured on a
     * server whose upgrade path the JIT has compiled, as it is in production.
     */
    private void warmUp(ServerProcess server, int connections) throws Exception {
        if (connections <= 0) {
            return;
        }
        List<String> users = users("warm-up-user-", connections);
        Map<String, String> tokens = tokens(users);
        try (LoadClient warm = new LoadClient()) {
            double rate = warm.connect(server.port(), users, user -> "/ws", tokens::get);
            System.out.printf("warm-up: %d connections opened at %.0f/s, now closed%n", connections, rate);
        }
    }
}
