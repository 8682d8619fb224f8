package io.switchboard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process of the test's own, on 127.0.0.1 and a free port, with its data in a
 * directory of the test. By default every write is in the append-only file before Redis answers
 * ({@code appendfsync always}), so a stop and a start keep every event an emit was told is stored.
 * Debian's {@code redis-server} package provides the binaries ({@code .ci/run} installs it). The
 * benchmark's cluster scenario and the cluster tests use it.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_WAIT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private final List<String> options;
    private Process process;

    private RedisServer(Path dir, int port, List<String> options) {
        this.dir = dir;
        this.port = port;
        this.options = options;
    }

    /** Starts a Redis that keeps every acknowledged write on disk. */
    public static RedisServer start(Path dir, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of("--appendonly", "yes", "--appendfsync", "always"));
        all.addAll(List.of(options));
        RedisServer server = new RedisServer(Files.createDirectories(dir).toAbsolutePath(), freePort(), all);
        server.start();
        return server;
    }

    /** A port that is free now, with its cluster bus port (port + 10000) free too. */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port < 55_000 && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair found");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts the process (again, after {@link #stop}), on the same port and with the same data. */
    public void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--daemonize",
                "no",
                "--logfile",
                dir.resolve("redis.log").toString()));
        command.addAll(options);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is not installed (apt-get install redis-server)", e);
        }
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!"PONG".equals(cliQuietly("PING"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port + ": "
                        + Files.readString(dir.resolve("redis.out")));
            }
            Thread.sleep(50);
        }
    }

    /** Stops Redis as an operator would (SIGTERM: it finishes writing the append-only file). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public int port() {
        return port;
    }

    /** The URI that {@code quarkus.redis.hosts} takes. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs {@code redis-cli} against this server and gives its output; fails if it fails. */
    public String cli(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(arguments));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            throw new IllegalStateException("redis-cli " + arguments[0] + " failed: " + output);
        }
        return output;
    }

    /**
     * Starts {@code redis-cli MONITOR}, which writes every command the server runs to the file, one per
     * line: a client's as {@code [db address] "CMD" ...}, a script's own as {@code [db lua] "CMD" ...}.
     * Returns once it is listening; destroying the process stops it.
     */
    public Process monitor(Path into) throws Exception {
        Process monitor = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "MONITOR")
                .redirectErrorStream(true)
                .redirectOutput(into.toFile())
                .start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!Files.readString(into).startsWith("OK")) {
            if (!monitor.isAlive() || System.nanoTime() > deadline) {
                monitor.destroyForcibly();
                throw new IllegalStateException("redis-cli MONITOR did not start: " + Files.readString(into));
            }
            Thread.sleep(20);
        }
        return monitor;
    }

    private String cliQuietly(String... arguments) {
        try {
            return cli(arguments);
        } catch (IOException | IllegalStateException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
