package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server under test in a JVM of its own, listening on 127.0.0.1; its output goes to a log file. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING =
            Pattern.compile("(?:Listening on: http://127\\.0\\.0\\.1:|LISTENING )(\\d+)");

    final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServerProcess start(List<String> command, Path log) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                            var out = Files.newBufferedWriter(log)) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            out.write(line);
                            out.newLine();
                            Matcher m = LISTENING.matcher(line);
                            if (!port.isDone() && m.find()) {
                                out.flush();
                                port.complete(Integer.parseInt(m.group(1)));
                            }
                        }
                    } catch (IOException e) {
                        port.completeExceptionally(e);
                    }
                    port.completeExceptionally(new IllegalStateException("the server exited; see " + log));
                },
                "server-output");
        reader.setDaemon(true);
        reader.start();
        return new ServerProcess(process, port.get(90, TimeUnit.SECONDS));
    }

    static List<String> java(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(arguments));
        return command;
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory, from /proc. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** CPU time used so far (user + system), from /proc, in clock ticks of 10 ms. */
    long cpuTicks() throws IOException {
        long[] split = cpuTicksUserSystem();
        return split[0] + split[1];
    }

    /**
     * CPU time used so far per kind of thread (the thread name without its number: event loops, GC,
     * JIT compiler, ...), in clock ticks of 10 ms.
     */
    Map<String, Long> cpuTicksByThread() throws IOException {
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
    long[] cpuTicksUserSystem() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    /** Asks the JVM for a full GC (jcmd), so that heap figures mean live data. */
    void gc() throws Exception {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid()),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        jcmd.getInputStream().readAllBytes();
        jcmd.waitFor(30, TimeUnit.SECONDS);
    }

    /** Writes the live objects by class (jcmd GC.class_histogram), to see where memory goes. */
    void classHistogram(Path file) throws Exception {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid()),
                        "GC.class_histogram")
                .redirectErrorStream(true)
                .redirectOutput(file.toFile())
                .start();
        jcmd.waitFor(60, TimeUnit.SECONDS);
    }

    /** Used heap after a full GC, from jcmd GC.heap_info ("used NNNK"). */
    long heapUsedBytes() throws Exception {
        gc();
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid()),
                        "GC.heap_info")
                .redirectErrorStream(true)
                .start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("used (\\d+)K").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in: " + out);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
