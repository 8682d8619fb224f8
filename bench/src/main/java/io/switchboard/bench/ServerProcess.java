package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a JVM of its own, listening on 127.0.0.1: its output goes to a log file and
 * stays readable; what it really holds (resident memory, heap after a full GC, CPU time) is read
 * from /proc and jcmd. The benchmarks and the tests of the packaged application share it.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING =
            Pattern.compile("(?:Listening on: http://127\\.0\\.0\\.1:|LISTENING )(\\d+)");

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private ServerProcess(List<String> command, Path log) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Writer file = Files.newBufferedWriter(log);
        reader = new Thread(() -> pump(file, log), "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(Writer file, Path log) {
        try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer out = file) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                out.write(line);
                out.write('\n');
                Matcher m = LISTENING.matcher(line);
                if (!port.isDone() && m.find()) {
                    out.flush();
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the server exited without listening; see " + log));
    }

    /** Starts the server and returns at once; {@link #port(Duration)} waits for it to listen. */
    public static ServerProcess launch(List<String> command, Path log) throws IOException {
        return new ServerProcess(command, log);
    }

    /** Starts the server and waits until it listens, at most 90 seconds. */
    public static ServerProcess start(List<String> command, Path log) throws Exception {
        ServerProcess server = launch(command, log);
        server.port(Duration.ofSeconds(90));
        return server;
    }

    /** {@code java} of the running JVM, followed by the arguments. */
    public static List<String> java(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /** The port the server listens on, once it does; fails if it exits first or takes longer. */
    public int port(Duration wait) throws InterruptedException, ExecutionException, TimeoutException {
        return port.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The port of a server that {@link #start} has seen listening. */
    public int port() {
        return port.join();
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the server has printed so far. */
    public String output() {
        return output.toString();
    }

    /** Everything the server printed, once it has exited and its output has been read to the end. */
    public String outputAfterExit() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return output.toString();
    }

    /** Resident memory, from /proc. */
    public long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** CPU time used so far (user + system), from /proc, in clock ticks of 10 ms. */
    public long cpuTicks() throws IOException {
        long[] split = cpuTicksUserSystem();
        return split[0] + split[1];
    }

    /**
     * CPU time used so far per kind of thread (the thread name without its number: event loops, GC,
     * JIT compiler, ...), in clock ticks of 10 ms.
     */
    public Map<String, Long> cpuTicksByThread() throws IOException {
        Map<String, Long> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[#\\-]?\\d+$", "")
                            .strip();
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException ended) {
                    // the thread ended while we read
                }
            }
        }
        return ticks;
    }

    /** CPU time used so far in user space and in the kernel (on loopback, that includes TCP delivery). */
    public long[] cpuTicksUserSystem() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    private String jcmd(String... command) throws Exception {
        List<String> arguments = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid())));
        arguments.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(arguments).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** Writes the live objects by class (jcmd GC.class_histogram), to see where memory goes. */
    public void classHistogram(Path file) throws Exception {
        Files.writeString(file, jcmd("GC.class_histogram"));
    }

    /**
     * Used heap after a full GC (jcmd GC.run, then GC.heap_info), so that it means live data. G1 writes
     * "used NNNK" and Shenandoah "NNNK used"; only the heap's lines count, not Metaspace's after them.
     */
    public long heapUsedBytes() throws Exception {
        jcmd("GC.run");
        String out = jcmd("GC.heap_info");
        int metaspace = out.indexOf("Metaspace");
        Matcher m =
                Pattern.compile("used (\\d+)K|(\\d+)K used").matcher(metaspace < 0 ? out : out.substring(0, metaspace));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in: " + out);
        }
        return Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2)) * 1024;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
