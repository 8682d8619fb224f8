package io.switchboard.tests;

import io.switchboard.bench.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters and no replicas, each a {@link RedisServer} of the test's own on
 * 127.0.0.1, its 16,384 slots spread by {@code redis-cli --cluster create}.
 */
final class RedisCluster implements AutoCloseable {
    private static final Duration FORM_WAIT = Duration.ofSeconds(30);

    private final List<RedisServer> masters = new ArrayList<>();

    static RedisCluster start(Path dir) throws Exception {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 3; i++) {
                cluster.masters.add(RedisServer.start(
                        dir.resolve("master-" + i),
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "2000"));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            cluster.masters.forEach(master -> create.add("127.0.0.1:" + master.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            cluster.masters.get(0).cli(create.toArray(String[]::new));
            cluster.awaitFormed();
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private void awaitFormed() throws Exception {
        long deadline = System.nanoTime() + FORM_WAIT.toNanos();
        for (RedisServer master : masters) {
            while (!master.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the Redis Cluster did not form: " + master.cli("CLUSTER", "INFO"));
                }
                Thread.sleep(100);
            }
        }
    }

    /** What {@code quarkus.redis.hosts} takes: every master. */
    String hosts() {
        return masters.stream().map(RedisServer::uri).collect(Collectors.joining(","));
    }

    /** The slot (0-16383) that Redis Cluster puts the key in. */
    int slotOf(String key) throws Exception {
        return Integer.parseInt(masters.get(0).cli("CLUSTER", "KEYSLOT", key));
    }

    /** The master that serves the key's slot. */
    RedisServer masterOf(String key) throws Exception {
        int slot = slotOf(key);
        for (RedisServer master : masters) {
            if (master.cli("CLUSTER", "NODES")
                    .lines()
                    .filter(line -> line.contains("myself"))
                    .anyMatch(line -> servesSlot(line, slot))) {
                return master;
            }
        }
        throw new AssertionError("no master serves slot " + slot);
    }

    /** Whether a {@code CLUSTER NODES} line lists the slot among its ranges ({@code 0-5460 ...}). */
    private static boolean servesSlot(String nodesLine, int slot) {
        String[] fields = nodesLine.split(" ");
        for (int i = 8; i < fields.length; i++) {
            String[] range = fields[i].split("-");
            if (range[0].startsWith("[")) {
                continue; // a slot being migrated
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    List<RedisServer> masters() {
        return List.copyOf(masters);
    }

    @Override
    public void close() throws InterruptedException {
        for (RedisServer master : masters) {
            master.close();
        }
    }
}
