package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * <p>Usage: {@code java -jar bench/target/bench.jar [--scenarios delivery,baseline,broadcast,idle] [--users 2000]
 * [--tabs 2] [--rate 10000] [--seconds 30] [--warmup 20] [--idle-connections 10000] [--idle-warmup-connections 5000] [--idle-settle-seconds 30] [--idle-seconds 60]
 * [--server-jvm "-Xmx2g -XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions -XX:-ShenandoahPacing"] [--load-server-jvm "-Xms2g -XX:+AlwaysPreTouch"] [--server-cpus <none>]
 * [--event-loops <one per CPU>] [--rounds 1]}: the JVM options of both servers, those added in every
 * scenario but idle, the CPUs they are pinned to (taskset's list), the event loops each serves
 * connections with (one per CPU they may use, by default), and how many times the delivery scenario
 * runs on each, alternately. {@code --scenarios cluster}
 * compares one node with two nodes on a Redis of its own ({@code redis-server} must be installed):
 * {@code [--cluster-users 1000] [--cluster-rates 2000,4000,6000,8000,10000,12000,14000,16000,20000,24000,28000,32000] [--cluster-seconds 10]
 * [--redis-options "--appendfsync everysec --auto-aof-rewrite-min-size 1gb"]}, the last being
 * {@code redis-server} options.
 * The server is the benchmark build of the application, {@code bench-server/target/quarkus-app/quarkus-run.jar}
 * (the application plus the load driver {@code POST /bench/emit}); build it first with
 * {@code ./mvnw -B package -DskipTests}. Server logs, and the idle server's live objects by class,
 * go to {@code bench/target/run/}.
 */
public final class Bench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, String> options = new HashMap<>(Map.ofEntries(
            Map.entry("scenarios", "delivery,baseline,broadcast,idle"),
            Map.entry("users", "2000"),
            Map.entry("tabs", "2"),
            Map.entry("rate", "10000"),
            Map.entry("seconds", "30"),
            Map.entry("warmup", "20"),
            Map.entry("idle-connections", "10000"),
            Map.entry("idle-warmup-connections", "5000"),
            Map.entry("idle-settle-seconds", "30"),
            Map.entry("idle-seconds", "60"),
            Map.entry("server", "bench-server/target/quarkus-app/quarkus-run.jar"),
            // the image's collector, without its pacer, as the image runs it: the pacer stalled the
            // threads that allocate during each cycle, up to 10 ms a time (see deployment.md)
            Map.entry(
                    "server-jvm", "-Xmx2g -XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions -XX:-ShenandoahPacing"),
            // a heap committed and touched at start: otherwise, until a server's allocations have been
            // round the whole heap once, many of them fault in fresh pages (40 % of a node's CPU was
            // spent so in a cluster run); not for idle, whose RSS per connection would leave out the
            // heap pages connections touch
            Map.entry("load-server-jvm", "-Xms2g -XX:+AlwaysPreTouch"),
            Map.entry("server-cpus", ""),
            Map.entry("event-loops", ""),
            Map.entry("rounds", "1"),
            Map.entry("broadcast-users", "500"),
            Map.entry("broadcast-tabs", "2"),
            Map.entry("broadcasts-per-second", "10"),
            Map.entry("cluster-users", "1000"),
            Map.entry("cluster-rates", "2000,4000,6000,8000,10000,12000,14000,16000,20000,24000,28000,32000"),
            Map.entry("cluster-seconds", "10"),
            // Redis rewrites its append-only file each time it grew by 64 MB, every 15 s or so at these
            // rates; the rewrite's child would then take one of the two cores the nodes use, which a
            // Redis on cores of its own does not: rewrites wait until 1 GB, past the end of a series
            Map.entry("redis-options", "--appendfsync everysec --auto-aof-rewrite-min-size 1gb")));
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
        Load perUser = new Load(false, number("users"), number("tabs"), number("rate"));
        int rounds = number("rounds");
        if (rounds > 1 && scenarios.contains("delivery") && scenarios.contains("baseline")) {
            deliveryRounds(perUser, rounds, results);
        } else {
            if (scenarios.contains("delivery")) {
                results.put("delivery", delivery(true, perUser));
            }
            if (scenarios.contains("baseline")) {
                results.put("baseline", delivery(false, perUser));
            }
            if (results.get("delivery") instanceof Map<?, ?> ours && results.get("baseline") instanceof Map<?, ?> raw) {
                results.put("delivery_compared_to_baseline", compare(ours, raw));
            }
        }
        if (scenarios.contains("broadcast")) {
            Load broadcast = new Load(
                    true, number("broadcast-users"), number("broadcast-tabs"), number("broadcasts-per-second"));
            Map<String, Object> ours = delivery(true, broadcast);
            Map<String, Object> raw = delivery(false, broadcast);
            results.put("broadcast", Map.of("switchboard", ours, "baseline", raw, "compared", compare(ours, raw)));
        }
        if (scenarios.contains("idle")) {
            results.put("idle", idle());
        }
        if (scenarios.contains("cluster")) {
            results.put("cluster", cluster());
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

    /**
     * What a delivery scenario emits: {@code rate} events per second round-robin over the users, or
     * {@code rate} broadcasts per second, each to every user (through the real admin API).
     */
    private record Load(boolean broadcast, int users, int tabs, int rate) {
        long eventsPerUser(int seconds) {
            return broadcast ? (long) rate * seconds : (long) rate * seconds / users;
        }
    }

    /**
     * Runs the delivery scenario on both servers {@code rounds} times, the order swapped every round
     * (the first server of a round meets a colder generator), and compares the medians of the rounds'
     * ratios: on a shared machine one pair of runs can differ by half from the next.
     */
    private void deliveryRounds(Load load, int rounds, Map<String, Object> results) throws Exception {
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Map<String, Object> ours;
            Map<String, Object> raw;
            if (round % 2 == 0) {
                ours = delivery(true, load);
                raw = delivery(false, load);
            } else {
                raw = delivery(false, load);
                ours = delivery(true, load);
            }
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("first", round % 2 == 0 ? "switchboard" : "baseline");
            pair.put("switchboard", ours);
            pair.put("baseline", raw);
            pair.put("compared", compare(ours, raw));
            pairs.add(pair);
        }
        results.put("delivery", pairs.get(0).get("switchboard"));
        results.put("baseline", pairs.get(0).get("baseline"));
        results.put("delivery_rounds", pairs);
        Map<String, Object> medians = new LinkedHashMap<>();
        for (String ratio : List.of("throughput", "cpu_per_delivery", "latency_p99")) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Object> pair : pairs) {
                values.add(((Number) ((Map<?, ?>) pair.get("compared")).get(ratio)).doubleValue());
            }
            medians.put(ratio + "_median", median(values));
            medians.put(ratio + "_rounds", values);
        }
        results.put("delivery_compared_to_baseline", medians);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Switchboard's figures as multiples of the raw baseline's, from the same run. */
    private static Map<String, Object> compare(Map<?, ?> ours, Map<?, ?> raw) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("throughput", ratio(ours.get("delivered_per_second"), raw.get("delivered_per_second")));
        ratios.put(
                "cpu_per_delivery",
                ratio(ours.get("server_cpu_us_per_delivery"), raw.get("server_cpu_us_per_delivery")));
        ratios.put(
                "latency_p99",
                ratio(((Map<?, ?>) ours.get("latency_ms")).get("p99"), ((Map<?, ?>) raw.get("latency_ms")).get("p99")));
        return ratios;
    }

    private static double ratio(Object ours, Object raw) {
        return Math.round(((Number) ours).doubleValue() / ((Number) raw).doubleValue() * 100) / 100.0;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    /**
     * The servers' JVM options: {@code --server-jvm}, and under load also {@code --load-server-jvm}, so
     * that no measured window pays for the first touch of heap pages (see its use).
     */
    private List<String> serverJvm(boolean underLoad) {
        List<String> jvm =
                new ArrayList<>(List.of(options.get("server-jvm").strip().split("\\s+")));
        if (underLoad && !options.get("load-server-jvm").isBlank()) {
            jvm.addAll(List.of(options.get("load-server-jvm").strip().split("\\s+")));
        }
        return jvm;
    }

    private ServerProcess startSwitchboard(String name, boolean underLoad, String... properties) throws Exception {
        List<String> command = serverJvm(underLoad);
        command.addAll(List.of(properties));
        command.addAll(List.of(
                "-Dquarkus.vertx.event-loops-pool-size=" + eventLoops(),
                "-Dquarkus.http.io-threads=" + eventLoops(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-Dmp.jwt.verify.publickey.location=" + publicKey.toUri(),
                "-Dmp.jwt.verify.issuer=" + TokenSigner.ISSUER,
                "-Dquarkus.log.category.\"io.switchboard\".level=WARN",
                "-jar",
                options.get("server")));
        return ServerProcess.start(
                pinned(ServerProcess.java(command.toArray(String[]::new))), work.resolve(name + ".log"));
    }

    private ServerProcess startBaseline() throws Exception {
        List<String> command = serverJvm(true);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                RawBaselineServer.class.getName(),
                String.valueOf(eventLoops())));
        return ServerProcess.start(
                pinned(ServerProcess.java(command.toArray(String[]::new))), work.resolve("baseline.log"));
    }

    /**
     * How many event loops serve the connections, the same for both servers: every loop that holds a
     * tab of a user is woken for each of its events, so servers on different numbers of loops do not
     * do the same work. By default one per CPU the servers may use.
     */
    private int eventLoops() {
        if (!options.get("event-loops").isBlank()) {
            return Integer.parseInt(options.get("event-loops"));
        }
        String cpus = options.get("server-cpus");
        if (cpus.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        int count = 0;
        for (String part : cpus.split(",")) {
            String[] range = part.trim().split("-");
            count += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return count;
    }

    /** The command under {@code taskset -c <server-cpus>} when that option names CPUs. */
    private List<String> pinned(List<String> command) {
        if (options.get("server-cpus").isBlank()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", options.get("server-cpus")));
        pinned.addAll(command);
        return pinned;
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

    /**
     * Starts emitting for {@code seconds} and returns: per-user events by the server's own load driver,
     * or broadcasts posted from here at a constant rate, each carrying its intended send time.
     */
    private void emit(ServerProcess server, boolean switchboard, Load load, String prefix, int seconds)
            throws Exception {
        if (!load.broadcast()) {
            startEmission(server, switchboard, prefix, load.users(), load.rate(), seconds);
            return;
        }
        String admin = "Bearer " + signer.token("bench-driver", "admin");
        Thread poster = new Thread(
                () -> ConstantRate.run(load.rate(), (long) load.rate() * seconds, (i, intendedMicros) -> {
                    String body = intendedMicros + "|" + RawBaselineServer.PADDING;
                    HttpRequest.Builder request = switchboard
                            ? HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + server.port() + "/api/notifications"))
                                    .header("Authorization", admin)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"broadcast\":true,\"level\":\"info\","
                                            + "\"title\":\"bench\",\"body\":\"" + body + "\"}"))
                            : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/broadcast?body="
                                            + URLEncoder.encode(body, StandardCharsets.UTF_8)))
                                    .POST(HttpRequest.BodyPublishers.noBody());
                    HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
                }),
                "bench-broadcaster");
        poster.setDaemon(true);
        poster.start();
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

    private Map<String, Object> delivery(boolean switchboard, Load load) throws Exception {
        int userCount = load.users();
        int tabs = load.tabs();
        int rate = load.rate();
        int seconds = number("seconds");
        int warmup = number("warmup");
        String prefix = (switchboard ? "bench-" : "raw-") + (load.broadcast() ? "listener-" : "user-");
        List<String> users = users(prefix, userCount);
        List<String> connections = new ArrayList<>();
        for (int t = 0; t < tabs; t++) {
            connections.addAll(users);
        }
        Map<String, String> tokens = switchboard ? tokens(users) : Map.of();
        String name = switchboard ? "switchboard" : "baseline";
        System.out.printf(
                "%s: %d users x %d tabs, %d %s/s for %d s after %d s of warm-up%n",
                name, userCount, tabs, rate, load.broadcast() ? "broadcasts" : "events", seconds, warmup);
        try (ServerProcess server = switchboard ? startSwitchboard(name, true) : startBaseline();
                LoadClient client = new LoadClient()) {
            double connectRate = client.connect(
                    server.port(),
                    connections,
                    user -> switchboard ? "/ws" : "/ws?user=" + user,
                    user -> tokens.get(user));
            emit(server, switchboard, load, prefix, warmup);
            awaitQuiet(client, warmup);
            client.latencyMicros.getIntervalHistogram(); // drop the warm-up's latencies
            long deliveredBefore = client.delivered.get();
            long[] cpuBefore = server.cpuTicksUserSystem();
            Map<String, Long> threadsBefore = server.cpuTicksByThread();
            long emissionStart = System.nanoTime();
            emit(server, switchboard, load, prefix, seconds);
            awaitQuiet(client, seconds);
            long[] cpuAfter = server.cpuTicksUserSystem();
            Map<String, Long> percentByThread =
                    percentByThread(threadsBefore, server.cpuTicksByThread(), seconds * 1000.0);
            long userTicks = cpuAfter[0] - cpuBefore[0];
            long systemTicks = cpuAfter[1] - cpuBefore[1];
            long cpuTicks = userTicks + systemTicks;
            Histogram latency = client.latencyMicros.getIntervalHistogram();
            long delivered = client.delivered.get() - deliveredBefore;
            long eventsPerUser = load.eventsPerUser(warmup + seconds);
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
            result.put("event_loops", eventLoops());
            result.put("connections", connections.size());
            result.put("connections_opened_per_second", Math.round(connectRate));
            result.put(load.broadcast() ? "broadcasts_per_second" : "events_emitted_per_second", rate);
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
            result.put("server_cpu_user_percent", Math.round(userTicks * 10.0 / (seconds * 1000.0) * 100));
            result.put("server_cpu_system_percent", Math.round(systemTicks * 10.0 / (seconds * 1000.0) * 100));
            // CPU time per delivered event, in microseconds (a tick is 10 ms)
            result.put(
                    "server_cpu_us_per_delivery",
                    Math.round(cpuTicks * 10_000.0 / Math.max(1, delivered) * 100) / 100.0);
            // the JIT compiler's share shows whether the warm-up was long enough
            result.put(
                    "server_cpu_jit_percent",
                    percentByThread.entrySet().stream()
                            .filter(e -> e.getKey().contains("CompilerThre"))
                            .mapToLong(Map.Entry::getValue)
                            .sum());
            result.put("server_cpu_percent_by_thread", percentByThread);
            System.out.println(name + ": " + result);
            return result;
        }
    }

    /**
     * The same users, one tab on each of two nodes sharing a Redis, against one in-memory node holding
     * both tabs: at rising rates, what each delivers with p99 within 50 ms and nothing lost, and what
     * Redis does per emit.
     */
    private Map<String, Object> cluster() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("single_node", clusterSteps(false));
        result.put("two_nodes_on_redis", clusterSteps(true));
        long single = bestRate(result.get("single_node"));
        long two = bestRate(result.get("two_nodes_on_redis"));
        result.put("best_rate_single_node", single);
        result.put("best_rate_two_nodes", two);
        result.put("two_nodes_compared_to_single", single == 0 ? 0 : Math.round(two * 100.0 / single) / 100.0);
        System.out.println("cluster: " + result);
        return result;
    }

    /** The highest offered rate whose step delivered it all, nothing lost, with p99 within 50 ms. */
    @SuppressWarnings("unchecked")
    private static long bestRate(Object steps) {
        long best = 0;
        for (Map<String, Object> step : (List<Map<String, Object>>) steps) {
            if (Boolean.TRUE.equals(step.get("kept_up"))) {
                best = Math.max(best, ((Number) step.get("events_emitted_per_second")).longValue());
            }
        }
        return best;
    }

    private List<Map<String, Object>> clusterSteps(boolean onRedis) throws Exception {
        int userCount = number("cluster-users");
        int seconds = number("cluster-seconds");
        String prefix = onRedis ? "cluster-user-" : "single-user-";
        List<String> users = users(prefix, userCount);
        Map<String, String> tokens = tokens(users);
        List<Map<String, Object>> steps = new ArrayList<>();
        RedisServer redis = onRedis
                ? RedisServer.start(
                        work.resolve("redis-" + System.nanoTime()),
                        options.get("redis-options").strip().split("\\s+"))
                : null;
        List<ServerProcess> nodes = new ArrayList<>();
        try (LoadClient client = new LoadClient()) {
            if (onRedis) {
                for (String node : List.of("a", "b")) {
                    nodes.add(startSwitchboard(
                            "cluster-" + node,
                            true,
                            "-Dquarkus.redis.hosts=" + redis.uri(),
                            "-Dswitchboard.cluster.node-id=" + node));
                }
            } else {
                nodes.add(startSwitchboard("single", true));
            }
            for (int tab = 0; tab < 2; tab++) {
                ServerProcess node = nodes.get(tab % nodes.size());
                client.connect(node.port(), users, user -> "/ws", tokens::get);
            }
            long emittedPerUser = 0;
            List<Integer> rates = new ArrayList<>();
            for (String rate : options.get("cluster-rates").split(",")) {
                rates.add(Integer.parseInt(rate.strip()));
            }
            // warm-up at the lowest rate for --warmup seconds, not measured: the JIT compiles the path
            int warmup = Math.max(seconds, number("warmup"));
            long failedAtStart =
                    emitFailures(nodes.get(0)); // refusals of the warm-up count too: its events are in emittedPerUser
            startEmission(nodes.get(0), true, prefix, userCount, rates.get(0), warmup);
            awaitQuiet(client, warmup);
            emittedPerUser += (long) rates.get(0) * warmup / userCount;
            int failedInARow = 0;
            for (int rate : rates) {
                long failedBeforeStep = emitFailures(nodes.get(0));
                client.latencyMicros.getIntervalHistogram();
                long deliveredBefore = client.delivered.get();
                long cpuBefore = 0;
                for (ServerProcess node : nodes) {
                    cpuBefore += node.cpuTicks();
                }
                Map<String, Double> redisBefore = redis == null ? Map.of() : redisStats(redis);
                long start = System.nanoTime();
                startEmission(nodes.get(0), true, prefix, userCount, rate, seconds);
                awaitQuiet(client, seconds);
                emittedPerUser += (long) rate * seconds / userCount;
                long cpuTicks = -cpuBefore;
                for (ServerProcess node : nodes) {
                    cpuTicks += node.cpuTicks();
                }
                Histogram latency = client.latencyMicros.getIntervalHistogram();
                long delivered = client.delivered.get() - deliveredBefore;
                // Redis' counters before the ids are read, so that reading them is not counted
                Map<String, Double> redisAfter = redis == null ? Map.of() : redisStats(redis);
                List<Long> storedIds = redis == null ? List.of() : newestIds(redis, users);
                long failedNow = emitFailures(nodes.get(0));
                long refused = failedNow - failedBeforeStep;
                // What each tab should have is what its user's log holds. In memory every emit is stored;
                // on Redis a refused emit usually is not, but one that got no answer in time may have been
                // stored all the same: Redis' own count of each user's ids says which.
                Map<String, Long> stored = new HashMap<>();
                for (int i = 0; i < users.size(); i++) {
                    stored.put(users.get(i), redis == null ? emittedPerUser : storedIds.get(i));
                }
                long lost = 0;
                for (Tab tab : client.tabs) {
                    lost += Math.max(0, stored.get(tab.userId) - tab.lastEventId)
                            + tab.missing
                            + tab.duplicated
                            + tab.reordered
                            + tab.foreign;
                }
                double deliverySeconds = Math.max(seconds, (client.lastDeliveryNanos - start) / 1e9);
                double p99 = latency.getValueAtPercentile(99) / 1000.0;
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("events_emitted_per_second", rate);
                step.put("delivered_per_second", Math.round(delivered / deliverySeconds));
                step.put("latency_ms", Map.of("p50", latency.getValueAtPercentile(50) / 1000.0, "p99", p99));
                step.put("lost_duplicated_reordered_or_foreign", lost);
                step.put("emits_refused", refused);
                if (redis != null) {
                    long confirmed = emittedPerUser * users.size() - (failedNow - failedAtStart);
                    step.put(
                            "emits_refused_but_stored",
                            stored.values().stream().mapToLong(Long::longValue).sum() - confirmed);
                }
                step.put("servers_cpu_percent_of_one_core", Math.round(cpuTicks * 10.0 / (seconds * 1000.0) * 100));
                long emitted = (long) rate * seconds;
                if (redis != null) {
                    Map<String, Double> after = redisAfter;
                    step.put(
                            "redis_commands_per_emit",
                            Math.round((after.get("commands") - redisBefore.get("commands")) / emitted * 100) / 100.0);
                    step.put(
                            "redis_evals_per_emit",
                            Math.round((after.get("evals") - redisBefore.get("evals")) / emitted * 100) / 100.0);
                    step.put(
                            "redis_cpu_us_per_emit",
                            Math.round((after.get("cpu_seconds") - redisBefore.get("cpu_seconds")) * 1e6 / emitted * 10)
                                    / 10.0);
                    // a fork (an AOF rewrite, a snapshot) takes a core from the nodes while its child runs
                    step.put("redis_forks", Math.round(after.get("forks") - redisBefore.get("forks")));
                }
                boolean keptUp = lost == 0 && refused == 0 && p99 <= 50 && delivered >= 2 * emitted * 0.99;
                step.put("kept_up", keptUp);
                System.out.println((onRedis ? "two nodes on Redis: " : "one node: ") + step);
                steps.add(step);
                // one step may miss on a noisy machine (a GC pause, another process); two in a row end it
                failedInARow = keptUp ? 0 : failedInARow + 1;
                if (failedInARow == 2) {
                    break;
                }
            }
        } finally {
            for (ServerProcess node : nodes) {
                node.close();
            }
            if (redis != null) {
                redis.close();
            }
        }
        return steps;
    }

    /** Each user's newest id in Redis (its log's {@code seq}), in the order given; 0 for a user with none. */
    private static List<Long> newestIds(RedisServer redis, List<String> users) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "EVAL",
                "local ids = {} for i, key in ipairs(KEYS) do ids[i] = tonumber(redis.call('HGET', key, 'seq') or '0') end"
                        + " return ids",
                Integer.toString(users.size())));
        for (String user : users) {
            arguments.add("switchboard:{" + user + "}:meta");
        }
        List<Long> ids = new ArrayList<>();
        for (String line : redis.cli(arguments.toArray(String[]::new)).split("\\R")) {
            ids.add(Long.parseLong(line.strip()));
        }
        if (ids.size() != users.size()) {
            throw new IllegalStateException("Redis gave " + ids.size() + " ids for " + users.size() + " users");
        }
        return ids;
    }

    /** The emits the node has refused so far because the event could not be stored ({@code /q/metrics}). */
    private static long emitFailures(ServerProcess node) throws Exception {
        HttpResponse<String> metrics = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/q/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : metrics.body().split("\\R")) {
            if (line.startsWith("switchboard_events_emit_failures_total")) {
                return Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return 0;
    }

    /** Commands processed, script calls (EVAL and EVALSHA), forks and CPU seconds (user + system) of Redis so far. */
    private static Map<String, Double> redisStats(RedisServer redis) throws Exception {
        Map<String, Double> stats = new HashMap<>();
        for (String line : redis.cli("INFO", "all").split("\\R")) {
            if (line.startsWith("total_commands_processed:")) {
                stats.put(
                        "commands",
                        Double.parseDouble(line.substring(line.indexOf(':') + 1).strip()));
            } else if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                stats.merge(
                        "cpu_seconds",
                        Double.parseDouble(line.substring(line.indexOf(':') + 1).strip()),
                        Double::sum);
            } else if (line.startsWith("total_forks:")) {
                stats.put(
                        "forks",
                        Double.parseDouble(line.substring(line.indexOf(':') + 1).strip()));
            } else if (line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_evalsha:")) {
                String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(','));
                stats.merge("evals", Double.parseDouble(calls), Double::sum);
            }
        }
        stats.putIfAbsent("evals", 0.0);
        stats.putIfAbsent("forks", 0.0);
        return stats;
    }

    /** CPU per kind of thread between two readings, in percent of one core over {@code millis}, busiest first. */
    private static Map<String, Long> percentByThread(Map<String, Long> before, Map<String, Long> after, double millis) {
        Map<String, Long> percent = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> percent.put(e.getKey(), Math.round(e.getValue() * 10.0 / millis * 100)));
        return percent;
    }

    private Map<String, Object> idle() throws Exception {
        int count = number("idle-connections");
        int seconds = number("idle-seconds");
        List<String> users = users("idle-user-", count);
        Map<String, String> tokens = tokens(users);
        System.out.printf("idle: %d authenticated connections, watched for %d s%n", count, seconds);
        try (ServerProcess server = startSwitchboard("idle", false);
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
            Map<String, Long> connectCpuByThread =
                    percentByThread(threadsBefore, server.cpuTicksByThread(), connectMillis);
            Thread.sleep(3_000);
            long heapAfter = server.heapUsedBytes();
            long rssAfter = server.rssBytes();
            server.classHistogram(work.resolve("idle-class-histogram.txt"));
            // past the compilations and the first round of pings that opening the connections set off
            Thread.sleep(number("idle-settle-seconds") * 1000L);
            long[] cpuBefore = server.cpuTicksUserSystem();
            Thread.sleep(seconds * 1000L);
            long[] cpuAfter = server.cpuTicksUserSystem();
            Map<String, Long> percentByThread =
                    percentByThread(threadsBefore, server.cpuTicksByThread(), seconds * 1000.0);
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
