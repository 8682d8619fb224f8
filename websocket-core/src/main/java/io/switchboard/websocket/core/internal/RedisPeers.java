package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.websocket.core.ClusterActivity;
import io.switchboard.websocket.core.ClusterConnections;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The nodes' agreement through Redis, in cluster mode: each user's connection slots across nodes (a
 * hash of node to count, each entry expiring unless its node refreshes it), each node's connected
 * users (a hash of user to connections per node, and a sorted set of live nodes), and a control channel on which a node asks
 * the others to close a user's connections. Every {@code refresh-interval} the node renews all of
 * it, which is also how it learns whether Redis answers.
 */
@Singleton
final class RedisPeers implements Peers {
    private static final Logger LOG = Logger.getLogger(RedisPeers.class);
    private static final String DISCONNECT = "disconnect";
    /** Users per SADD when the node restates its presence. */
    private static final int USERS_PER_COMMAND = 1_000;
    /**
     * The users' slot renewals go in this many parts at most, spread over the first half of the refresh
     * interval: sent at once, a script per user would hold up every emit queued behind them.
     */
    private static final int HOLD_PARTS = 10;
    /** Before the link to Redis closes (9000), after the connections have (GracefulShutdown). */
    private static final int SHUTDOWN_PRIORITY = 8000;

    private final RedisLink link;
    private final ClusterKeys keys;
    private final String nodeId;
    private final String nodeTtlMillis;
    private final String logTtlMillis;
    private final NodeDescription description;
    private final Vertx vertx;
    private final Instance<ManagerRegistry> registry;
    private volatile long lastRefreshMillis;
    private volatile String refreshProblem = "not linked to Redis yet";
    private long refreshTimer = -1;
    private volatile boolean stopping;

    @Inject
    RedisPeers(
            RedisLink link,
            WebSocketSettings settings,
            NodeDescription description,
            Vertx vertx,
            Instance<ManagerRegistry> registry) {
        this.description = description;
        this.link = link;
        this.keys = link.keys();
        this.nodeId = link.nodeId();
        this.nodeTtlMillis = Long.toString(link.settings().nodeTtl().toMillis());
        this.logTtlMillis =
                Long.toString(RedisEventStore.logTtlMillis(settings.retention().idleTtl()));
        this.vertx = vertx;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!link.enabled()) {
            return;
        }
        link.start();
        link.subscribe(keys.control(), this::onControl)
                .onFailure(failure -> LOG.warnf(
                        "the control channel is not subscribed yet (it will be once Redis answers): %s",
                        failure.getMessage()));
        refresh();
        refreshTimer = vertx.setPeriodic(link.settings().refreshInterval().toMillis(), id -> refresh());
    }

    void stop(@Observes @Priority(SHUTDOWN_PRIORITY) ShutdownEvent event) {
        if (!link.enabled()) {
            return;
        }
        stopping = true; // parts of a refresh still to come renew nothing
        vertx.cancelTimer(refreshTimer);
        Future<?> leaving = Future.all(
                link.send(Request.cmd(Command.ZREM).arg(keys.nodes()).arg(nodeId)),
                link.send(Request.cmd(Command.DEL).arg(keys.nodeUsers(nodeId))),
                link.send(Request.cmd(Command.DEL).arg(keys.nodeInfo(nodeId))),
                link.send(Request.cmd(Command.DEL).arg(keys.nodeActivity(nodeId))));
        try {
            leaving.toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
            LOG.infof("node %s left the cluster", nodeId);
        } catch (Exception e) {
            LOG.warnf("node %s could not tell Redis it leaves; its entries expire by themselves: %s", nodeId, e);
        }
    }

    @Override
    public Future<Boolean> reserve(String userId, int heldHere, int most) {
        Request reserve = link.script(ClusterScripts.RESERVE_SLOTS)
                .arg(1)
                .arg(keys.slots(userId))
                .arg(nodeId)
                .arg(heldHere)
                .arg(most)
                .arg(nodeTtlMillis);
        return link.send(reserve).map(reply -> {
            boolean taken = reply.get(0).toInteger() == 1;
            if (taken) { // present from now on, for broadcasts from any node
                send(
                        Request.cmd(Command.HSET)
                                .arg(keys.nodeUsers(nodeId))
                                .arg(userId)
                                .arg(heldHere),
                        "add " + userId);
            }
            return taken;
        });
    }

    @Override
    public void hold(String userId, int heldHere) {
        send(holdSlots(userId, heldHere), "update the slots of " + userId);
        Request presence = heldHere > 0
                ? Request.cmd(Command.HSET)
                        .arg(keys.nodeUsers(nodeId))
                        .arg(userId)
                        .arg(heldHere)
                : Request.cmd(Command.HDEL).arg(keys.nodeUsers(nodeId)).arg(userId);
        send(presence, "update the presence of " + userId);
    }

    private Request holdSlots(String userId, int heldHere) {
        return link.script(ClusterScripts.HOLD_SLOTS)
                .arg(3)
                .arg(keys.slots(userId))
                .arg(keys.events(userId))
                .arg(keys.meta(userId))
                .arg(nodeId)
                .arg(heldHere)
                .arg(nodeTtlMillis)
                .arg(logTtlMillis);
    }

    private void send(Request request, String what) {
        link.send(request)
                .onFailure(failure -> LOG.debugf("could not %s (the next refresh restates it): %s", what, failure));
    }

    @Override
    public Future<List<String>> connectedUserIds(List<String> here) {
        return liveNodes().compose(nodes -> {
            List<Future<Response>> members = new ArrayList<>();
            for (Response node : nodes) {
                members.add(link.send(Request.cmd(Command.HKEYS).arg(keys.nodeUsers(node.toString()))));
            }
            return Future.all(members).map(all -> {
                Set<String> users = new LinkedHashSet<>(here);
                for (int i = 0; i < all.size(); i++) {
                    Response set = all.resultAt(i);
                    for (Response user : set) {
                        String id = user.toString();
                        if (!DeliveryCanary.isCanary(id)) {
                            users.add(id);
                        }
                    }
                }
                return List.copyOf(users);
            });
        });
    }

    @Override
    public Future<ClusterConnections> clusterConnections(ClusterConnections here) {
        return otherLiveNodes().compose(others -> {
            List<Future<Response>> asked = new ArrayList<>();
            for (String node : others) {
                asked.add(link.send(Request.cmd(Command.HGETALL).arg(keys.nodeInfo(node))));
                asked.add(link.send(Request.cmd(Command.HGETALL).arg(keys.nodeUsers(node))));
            }
            return Future.all(asked).compose(answers -> {
                List<ClusterConnections.Node> nodes = new ArrayList<>(here.nodes());
                Map<String, Map<String, Integer>> usersByNode = new TreeMap<>();
                for (ClusterConnections.UserOnNode user : here.users()) {
                    usersByNode
                            .computeIfAbsent(user.userId(), u -> new TreeMap<>())
                            .put(nodeId, user.connections());
                }
                for (int i = 0; i < others.size(); i++) {
                    Map<String, String> info = fields(answers.resultAt(2 * i));
                    int connections = 0;
                    for (Map.Entry<String, String> user :
                            fields(answers.resultAt(2 * i + 1)).entrySet()) {
                        int count = Integer.parseInt(user.getValue());
                        connections += count;
                        usersByNode
                                .computeIfAbsent(user.getKey(), u -> new TreeMap<>())
                                .put(others.get(i), count);
                    }
                    nodes.add(new ClusterConnections.Node(
                            others.get(i),
                            info.getOrDefault("version", "unknown"),
                            "1".equals(info.get("ready")),
                            info.containsKey("connections") ? Integer.parseInt(info.get("connections")) : connections,
                            false));
                }
                nodes.sort(Comparator.comparing(ClusterConnections.Node::nodeId));
                return lastEventIds(usersByNode.keySet()).map(lastIds -> {
                    List<ClusterConnections.UserOnNode> entries = new ArrayList<>();
                    usersByNode.forEach((user, perNode) ->
                            perNode.forEach((node, count) -> entries.add(new ClusterConnections.UserOnNode(
                                    user,
                                    node,
                                    count,
                                    lastIds.getOrDefault(user, 0L),
                                    DeliveryCanary.isCanary(user)))));
                    return new ClusterConnections(nodes, entries);
                });
            });
        });
    }

    @Override
    public void recordActivity(ClusterActivity.Sample sample, int kept, Duration interval) {
        String key = keys.nodeActivity(nodeId);
        String entry = sample.epochMillis() + " " + sample.eventsPerSecond() + " " + sample.connections() + " "
                + (sample.deliveryP99Millis() == null
                        ? "-"
                        : sample.deliveryP99Millis().toString());
        // outlives the node's next sample, however rare, and goes soon after the node
        long ttl = Math.max(Long.parseLong(nodeTtlMillis), 3 * interval.toMillis());
        send(
                link.script(ClusterScripts.REMEMBER)
                        .arg(1)
                        .arg(key)
                        .arg(entry)
                        .arg(kept)
                        .arg(ttl),
                "record this node's activity");
    }

    @Override
    public Future<ClusterActivity> clusterActivity(ClusterActivity here) {
        return otherLiveNodes().compose(others -> {
            List<Future<Response>> asked = new ArrayList<>();
            for (String node : others) {
                asked.add(link.send(Request.cmd(Command.LRANGE)
                        .arg(keys.nodeActivity(node))
                        .arg(0)
                        .arg(-1)));
            }
            return Future.all(asked).map(answers -> {
                List<ClusterActivity.NodeActivity> nodes = new ArrayList<>(here.nodes());
                for (int i = 0; i < others.size(); i++) {
                    List<ClusterActivity.Sample> samples = new ArrayList<>();
                    Response entries = answers.resultAt(i);
                    if (entries != null) {
                        for (Response entry : entries) {
                            ClusterActivity.Sample sample = parseSample(entry.toString());
                            if (sample != null) {
                                samples.add(sample);
                            }
                        }
                    }
                    nodes.add(new ClusterActivity.NodeActivity(others.get(i), false, samples));
                }
                nodes.sort(Comparator.comparing(ClusterActivity.NodeActivity::nodeId));
                return new ClusterActivity(here.sampleInterval(), here.window(), nodes);
            });
        });
    }

    /** A sample as {@link #recordActivity} wrote it, or {@code null} if it is not one (a node of another version). */
    private static ClusterActivity.Sample parseSample(String entry) {
        String[] fields = entry.split(" ");
        if (fields.length != 4) {
            return null;
        }
        try {
            return new ClusterActivity.Sample(
                    Long.parseLong(fields[0]),
                    Double.parseDouble(fields[1]),
                    Integer.parseInt(fields[2]),
                    "-".equals(fields[3]) ? null : Double.valueOf(fields[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The ids of the other nodes that refreshed within their TTL. */
    private Future<List<String>> otherLiveNodes() {
        return liveNodes().map(reply -> {
            List<String> others = new ArrayList<>();
            for (Response node : reply) {
                if (!nodeId.equals(node.toString())) {
                    others.add(node.toString());
                }
            }
            return others;
        });
    }

    /** The ids of the nodes that refreshed within their TTL. */
    private Future<Response> liveNodes() {
        return link.send(Request.cmd(Command.ZRANGE)
                .arg(keys.nodes())
                .arg(System.currentTimeMillis())
                .arg("+inf")
                .arg("BYSCORE"));
    }

    /** A hash's fields, whether Redis answered in RESP3 (a map) or RESP2 (field, value, ...). */
    private static Map<String, String> fields(Response hash) {
        Map<String, String> fields = new HashMap<>();
        if (hash == null) {
            return fields;
        }
        if (hash.type() == ResponseType.MULTI && !hash.getKeys().isEmpty()) {
            hash.getKeys().forEach(key -> fields.put(key, hash.get(key).toString()));
        } else {
            for (int i = 0; i + 1 < hash.size(); i += 2) {
                fields.put(hash.get(i).toString(), hash.get(i + 1).toString());
            }
        }
        return fields;
    }

    /** The newest id of each user's log, as Redis has it now (one command per user, sent together). */
    private Future<Map<String, Long>> lastEventIds(Set<String> users) {
        List<String> ids = new ArrayList<>(users);
        List<Future<Response>> asked = new ArrayList<>();
        for (String user : ids) {
            asked.add(link.send(Request.cmd(Command.HGET).arg(keys.meta(user)).arg("seq")));
        }
        return Future.all(asked).map(answers -> {
            Map<String, Long> newest = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                Response seq = answers.resultAt(i);
                newest.put(ids.get(i), seq == null ? 0L : seq.toLong());
            }
            return newest;
        });
    }

    @Override
    public void disconnectElsewhere(String userId, String reason) {
        String message = DISCONNECT + '\n' + nodeId + '\n' + userId + '\n' + reason;
        send(
                Request.cmd(Command.PUBLISH).arg(keys.control()).arg(message),
                "ask the other nodes to disconnect " + userId);
    }

    private void onControl(String message) {
        String[] parts = message.split("\n", 4);
        if (parts.length == 4 && DISCONNECT.equals(parts[0]) && !nodeId.equals(parts[1])) {
            int closed = registry.get().disconnectHere(parts[2], parts[3]);
            LOG.infof("node %s asked to disconnect user %s: %d connections closed here", parts[1], parts[2], closed);
        }
    }

    /**
     * Renews this node's entry among the live nodes, its set of users, and (spread over half the
     * interval) each user's slot count; the outcome of the node's own commands says whether Redis
     * answers.
     */
    private void refresh() {
        long ttl = Long.parseLong(nodeTtlMillis);
        Map<String, Integer> held = registry.get().heldSlots();
        List<Future<Response>> sent = new ArrayList<>();
        sent.add(link.send(Request.cmd(Command.ZADD)
                .arg(keys.nodes())
                .arg(System.currentTimeMillis() + ttl)
                .arg(nodeId)));
        sent.add(link.send(Request.cmd(Command.ZREMRANGEBYSCORE)
                .arg(keys.nodes())
                .arg("-inf")
                .arg(System.currentTimeMillis() - ttl)));
        // rebuilt whole, not added to: an update for a user who left since the snapshot cannot linger
        List<String> users = new ArrayList<>(held.keySet());
        sent.add(link.send(Request.cmd(Command.DEL).arg(keys.nodeUsersNext(nodeId))));
        for (int from = 0; from < users.size(); from += USERS_PER_COMMAND) {
            Request add = Request.cmd(Command.HSET).arg(keys.nodeUsersNext(nodeId));
            users.subList(from, Math.min(users.size(), from + USERS_PER_COMMAND))
                    .forEach(user -> add.arg(user).arg(held.get(user)));
            sent.add(link.send(add));
        }
        sent.add(link.send(link.script(ClusterScripts.REPLACE_SET)
                .arg(2)
                .arg(keys.nodeUsersNext(nodeId))
                .arg(keys.nodeUsers(nodeId))
                .arg(ttl)));
        renewSlots(users);
        sent.add(link.send(Request.cmd(Command.HSET)
                .arg(keys.nodeInfo(nodeId))
                .arg("version")
                .arg(description.version())
                .arg("ready")
                .arg(description.ready() ? 1 : 0)
                .arg("connections")
                .arg(registry.get().connectionCount())));
        sent.add(link.send(
                Request.cmd(Command.PEXPIRE).arg(keys.nodeInfo(nodeId)).arg(ttl)));
        Future.all(sent).onComplete(result -> {
            if (result.succeeded()) {
                if (refreshProblem != null) {
                    LOG.infof("node %s is linked to Redis", nodeId);
                }
                refreshProblem = null;
                lastRefreshMillis = System.currentTimeMillis();
            } else {
                String problem = result.cause().getMessage();
                if (!problem.equals(refreshProblem)) {
                    LOG.warnf("node %s cannot refresh its state in Redis: %s", nodeId, problem);
                }
                refreshProblem = problem;
            }
        });
    }

    /**
     * Renews the users' slot entries (and their logs' TTL) part by part, a user always in the same part
     * (by the hash of its id), so that two renewals of a user are one interval apart. Each part reads
     * the users' counts when it is sent; a user who left meanwhile gave the slots back already. A part
     * that fails is restated at the next refresh.
     */
    private void renewSlots(List<String> users) {
        long spreadMillis = link.settings().refreshInterval().toMillis() / 2;
        List<List<String>> parts = new ArrayList<>();
        for (int part = 0; part < HOLD_PARTS; part++) {
            parts.add(new ArrayList<>());
        }
        users.forEach(userId ->
                parts.get(Math.floorMod(userId.hashCode(), HOLD_PARTS)).add(userId));
        for (int part = 0; part < HOLD_PARTS; part++) {
            List<String> share = parts.get(part);
            if (share.isEmpty()) {
                continue;
            }
            Runnable renew = () -> {
                if (stopping) {
                    return;
                }
                ManagerRegistry managers = registry.get();
                for (String userId : share) {
                    int count = managers.heldSlots(userId);
                    if (count > 0) {
                        send(holdSlots(userId, count), "renew the slots of " + userId);
                    }
                }
            };
            long delay = spreadMillis * part / HOLD_PARTS;
            if (delay == 0) {
                renew.run();
            } else {
                vertx.setTimer(delay, id -> renew.run());
            }
        }
    }

    /** Why this node's link to Redis does not work, or {@code null} when it does. */
    String problem() {
        if (refreshProblem != null) {
            return refreshProblem;
        }
        if (!link.subscribed()) {
            return link.subscriptionProblem();
        }
        return null;
    }

    /** When the last refresh succeeded (epoch millis), 0 if none has. */
    long lastRefreshMillis() {
        return lastRefreshMillis;
    }
}
