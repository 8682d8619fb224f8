package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameCodec;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * One user's log on a node in cluster mode. The log itself is in Redis (a stream, with the epoch and
 * the last id beside it); the node keeps the newest events in a ring for its connections, fed only by
 * the user's pub/sub channel, so that a node that stops receiving is seen by its delivery canary.
 *
 * <p>A message whose id is not the next one reveals a gap: nothing newer is added until the missing
 * events are read from the stream. After the subscription was lost, {@link #catchUp} reads whatever
 * was appended meanwhile. While no connection of the user is on this node, the log is not subscribed
 * and holds nothing.
 */
final class ClusterEventLog implements EventLog {
    private static final Logger LOG = Logger.getLogger(ClusterEventLog.class);
    private static final long REPAIR_RETRY_MILLIS = 250;

    /** What Redis says of a user's log: its epoch, the last id assigned, and the events asked for. */
    record Snapshot(String epoch, long newestId, List<LoggedEvent> events) {}

    private final String userId;
    private final RedisEventStore store;
    private final EventRing ring;
    private final Clock clock;
    private Runnable onAppended = () -> {};
    private Runnable onReset = () -> {};

    // Guarded by this. The ring is written under this lock and read without it.
    private volatile String epoch;
    private String previousEpoch;
    private boolean subscribed;
    private boolean repairing;
    private long highestSeen;

    ClusterEventLog(String userId, int capacity, RedisEventStore store, Clock clock) {
        this.userId = userId;
        this.store = store;
        this.ring = new EventRing(capacity);
        this.clock = clock;
    }

    @Override
    public String epoch() {
        String known = epoch;
        return known == null ? "" : known;
    }

    @Override
    public void listen(Runnable onAppended) {
        this.onAppended = onAppended;
    }

    @Override
    public void onReset(Runnable onReset) {
        this.onReset = onReset;
    }

    @Override
    public CompletionStage<Event> append(EventPayload payload) {
        Instant now = clock.instant();
        FrameCodec.EventText text = FrameCodec.encodeEventAroundId(userId, now, payload);
        return store.append(userId, payload.type(), text)
                .map(id -> new Event(id, userId, now, payload))
                .toCompletionStage();
    }

    @Override
    public LoggedEvent get(long eventId) {
        return ring.get(eventId);
    }

    @Override
    public long oldestId() {
        return ring.isEmpty() ? 0 : ring.firstId();
    }

    @Override
    public long newestId() {
        return ring.newestId();
    }

    /**
     * Makes the log ready for a connection that wants every event after {@code lastEventId}
     * ({@code -1}: none, it starts live): subscribes to the user's channel, then reads the epoch, the
     * newest id and the events wanted that the ring lacks.
     */
    @Override
    public Future<Void> open(long lastEventId) {
        synchronized (this) {
            subscribed = true;
        }
        return store.subscribe(this, userId, this::onMessage)
                .compose(ignored -> read(lastEventId < 0 ? 0 : lastEventId + 1));
    }

    /** No connection of the user is left on this node: stop listening and forget the events. */
    @Override
    public synchronized void close() {
        if (subscribed) {
            subscribed = false;
            store.unsubscribe(this, userId);
        }
        previousEpoch = epoch;
        epoch = null;
        repairing = false;
        highestSeen = 0;
        ring.restart(0);
    }

    /** The subscription was lost and is back: read what was appended meanwhile. */
    void catchUp() {
        long from;
        synchronized (this) {
            if (!subscribed || epoch == null) {
                return;
            }
            from = ring.newestId() + 1;
        }
        read(from)
                .onFailure(failure -> LOG.warnf(
                        "could not catch up the log of user %s after resubscribing: %s", userId, failure.getMessage()));
    }

    private Future<Void> read(long from) {
        return store.open(userId, from).map(snapshot -> {
            merge(snapshot);
            return null;
        });
    }

    /** Takes what Redis said: a new epoch restarts the ring; otherwise fills in older and newer events. */
    private void merge(Snapshot snapshot) {
        boolean reset = false;
        synchronized (this) {
            if (!subscribed) {
                return;
            }
            List<LoggedEvent> events = snapshot.events();
            if (!snapshot.epoch().equals(epoch)) {
                reset = epoch != null;
                if (reset) {
                    LOG.warnf(
                            "the log of user %s was lost in Redis: epoch %s is now %s",
                            userId, epoch, snapshot.epoch());
                }
                previousEpoch = epoch;
                epoch = snapshot.epoch();
                ring.restart(
                        events.isEmpty() ? snapshot.newestId() : events.get(0).eventId() - 1);
                events.forEach(ring::add);
                repairing = false;
                highestSeen = snapshot.newestId();
            } else {
                for (int i = events.size() - 1; i >= 0; i--) {
                    LoggedEvent older = events.get(i);
                    if (older.eventId() == ring.firstId() - 1 && !ring.addOlder(older)) {
                        break;
                    }
                }
                for (LoggedEvent newer : events) {
                    if (newer.eventId() == ring.newestId() + 1) {
                        ring.add(newer);
                    }
                }
                highestSeen = Math.max(highestSeen, snapshot.newestId());
                if (highestSeen > ring.newestId()) {
                    repair();
                }
            }
        }
        if (reset) {
            onReset.run();
        }
        onAppended.run();
    }

    /** A message from the user's channel: {@code epoch id type json}. */
    private void onMessage(String message) {
        int first = message.indexOf(' ');
        int second = message.indexOf(' ', first + 1);
        int third = message.indexOf(' ', second + 1);
        if (first < 0 || second < 0 || third < 0) {
            LOG.warnf("ignoring a malformed message on the channel of user %s", userId);
            return;
        }
        String messageEpoch = message.substring(0, first);
        long id = Long.parseLong(message, first + 1, second, 10);
        boolean added;
        boolean reset = false;
        synchronized (this) {
            if (!subscribed || epoch == null || messageEpoch.equals(previousEpoch)) {
                return; // not read yet (the read will include it), or a late message of a lost log
            }
            if (!messageEpoch.equals(epoch)) {
                LOG.warnf("the log of user %s was lost in Redis: epoch %s is now %s", userId, epoch, messageEpoch);
                previousEpoch = epoch;
                epoch = messageEpoch;
                ring.restart(id - 1);
                repairing = false;
                highestSeen = id - 1;
                reset = true;
            }
            if (id <= ring.newestId()) {
                return; // known already, through a read
            }
            highestSeen = Math.max(highestSeen, id);
            added = !repairing && id == ring.newestId() + 1;
            if (added) {
                String json = message.substring(third + 1);
                ring.add(new LoggedEvent(
                        id,
                        message.substring(second + 1, third),
                        json,
                        LoggedEvent.utf8Length(json),
                        System.nanoTime()));
            } else if (!repairing) {
                repair();
            }
        }
        if (reset) {
            onReset.run();
        }
        if (added) {
            onAppended.run();
        }
    }

    /** Reads the events between the ring's newest and the newest seen, before anything newer is added. */
    private void repair() {
        repairing = true;
        long from = ring.newestId() + 1;
        long to = highestSeen;
        store.range(userId, from, to).onComplete(result -> repaired(from, to, result.result(), result.cause()));
    }

    private void repaired(long from, long to, List<LoggedEvent> events, Throwable failure) {
        synchronized (this) {
            if (!repairing || !subscribed) {
                return;
            }
            repairing = false;
            if (failure != null) {
                LOG.warnf(
                        "could not read events %d-%d of user %s to fill a gap, trying again: %s",
                        from, to, userId, failure.getMessage());
                repairing = true;
                store.later(REPAIR_RETRY_MILLIS, () -> {
                    synchronized (this) {
                        if (repairing) {
                            repair();
                        }
                    }
                });
                return;
            }
            store.gapRepaired(to - from + 1);
            if (events.isEmpty() || events.get(0).eventId() != ring.newestId() + 1) {
                // trimmed from the stream already: connections that wanted them resume and resynchronise
                long restartAt = events.isEmpty() ? to : events.get(0).eventId() - 1;
                LOG.warnf(
                        "events %d-%d of user %s left the log before they could be read; its connections"
                                + " behind them resume",
                        ring.newestId() + 1, restartAt, userId);
                ring.restart(restartAt);
            }
            for (LoggedEvent event : events) {
                if (event.eventId() == ring.newestId() + 1) {
                    ring.add(event);
                }
            }
            if (highestSeen > ring.newestId()) {
                repair();
            }
        }
        onAppended.run();
    }
}
