package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.api.Event;
import io.switchboard.websocket.api.EventPayload;
import io.switchboard.websocket.api.FrameCodec;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * One user's log on a node in cluster mode. The log itself is in Redis (a stream, with the epoch and
 * the last id beside it); the node keeps in a ring the events its connections have still to be sent,
 * fed only by the user's pub/sub channel, so that a node that stops receiving is seen by its delivery
 * canary. What every connection here was sent is dropped: a resume reads from Redis anyway, and a ring
 * of the whole retention for every user would be most of the node's heap, marked again by every
 * collector cycle.
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
    private final RedisEventStore.UserKeys keys;
    private final RedisEventStore store;
    private final EventRing ring;
    private final Clock clock;
    private Runnable onAppended = () -> {};
    private Runnable onReset = () -> {};
    /** Where what this node's connections still need begins: older events are dropped (0: none is). */
    private LongSupplier neededFrom = () -> 0;

    // Guarded by this. The ring is written under this lock and read without it.
    private volatile String epoch;
    private String previousEpoch;
    private boolean subscribed;
    private boolean repairing;
    /** The newest id known to exist ({@code Long.MAX_VALUE}: unknown, read on); above the ring's newest, a read is due. */
    private long highestSeen;
    /** Counts closes and epoch changes: a read started before one is dropped. */
    private long generation;

    ClusterEventLog(String userId, int capacity, RedisEventStore store, Clock clock) {
        this.userId = userId;
        this.keys = store.keysOf(userId);
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
        return store.append(keys, payload.type(), text)
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

    /** What Redis keeps: the stream is capped at exactly the retention, and every id has its entry. */
    @Override
    public long oldestKept() {
        long newest = ring.newestId();
        return newest == 0 ? 0 : Math.max(1, newest - ring.capacity() + 1);
    }

    /**
     * Makes the log ready for a connection that wants every event after {@code lastEventId}
     * ({@code -1}: none, it starts live): subscribes to the user's channel, then reads the epoch, the
     * newest id and every event the ring lacks up to it, so that the ring holds what the connection
     * asks for once this completes.
     */
    @Override
    public Future<Void> open(long lastEventId) {
        long generation;
        synchronized (this) {
            subscribed = true;
            generation = this.generation;
        }
        return store.subscribe(this, keys, this::onMessage).compose(ignored -> {
            long from;
            synchronized (this) {
                long wanted = lastEventId < 0 ? Long.MAX_VALUE : lastEventId + 1;
                // a live ring is read on from its newest, so that the connection never waits for a repair
                from = epoch == null ? (lastEventId < 0 ? 0 : wanted) : Math.min(wanted, ring.newestId() + 1);
            }
            return store.open(keys, from).map(snapshot -> {
                merge(snapshot, from, generation, false, Long.MIN_VALUE);
                return null;
            });
        });
    }

    @Override
    public void keepFrom(LongSupplier neededFrom) {
        this.neededFrom = neededFrom;
    }

    @Override
    public synchronized void trim() {
        ring.dropBefore(neededFrom.getAsLong());
    }

    /** No connection of the user is left on this node: stop listening and forget the events. */
    @Override
    public synchronized void close() {
        if (subscribed) {
            subscribed = false;
            store.unsubscribe(this, keys);
        }
        generation++; // reads still in flight are of no use any more
        epoch = null;
        previousEpoch = null;
        repairing = false;
        highestSeen = 0;
        ring.restart(0);
    }

    /** The subscription was lost and is back: read what was appended meanwhile. */
    void catchUp() {
        synchronized (this) {
            if (!subscribed) {
                return;
            }
            if (epoch == null || repairing) {
                highestSeen = Long.MAX_VALUE; // a read is in flight and may predate the loss: read again after it
                return;
            }
            repair();
        }
    }

    /**
     * Takes what Redis said, read from {@code from}: a new epoch restarts the ring; otherwise older and
     * newer events are filled in. A read made before the log was closed, or of an epoch the log has
     * already left, is dropped.
     */
    private void merge(Snapshot snapshot, long from, long generation, boolean repair, long seenWhenSent) {
        boolean reset = false;
        synchronized (this) {
            if (!subscribed || generation != this.generation) {
                return;
            }
            if (repair) {
                repairing = false;
            }
            if (snapshot.epoch().equals(previousEpoch)) { // read before the log was lost: read again
                if (highestSeen > ring.newestId()) {
                    repair();
                }
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
                if (reset) {
                    highestSeen = 0;
                }
            } else {
                int added = 0;
                for (int i = events.size() - 1; i >= 0; i--) {
                    LoggedEvent older = events.get(i);
                    if (older.eventId() == ring.firstId() - 1 && !ring.addOlder(older)) {
                        break;
                    }
                }
                if (from <= ring.newestId() + 1
                        && snapshot.newestId() > ring.newestId()
                        && (events.isEmpty() || events.get(0).eventId() > ring.newestId() + 1)) {
                    // trimmed from the stream already: connections that wanted them resume and resynchronise
                    long restartAt = events.isEmpty()
                            ? snapshot.newestId()
                            : events.get(0).eventId() - 1;
                    LOG.warnf(
                            "events %d-%d of user %s left the log before they could be read; its connections"
                                    + " behind them resume",
                            ring.newestId() + 1, restartAt, userId);
                    ring.restart(restartAt);
                }
                for (LoggedEvent newer : events) {
                    if (newer.eventId() == ring.newestId() + 1) {
                        ring.add(newer);
                        added++;
                    }
                }
                if (repair) {
                    store.gapRepaired(added);
                }
            }
            if (highestSeen == Long.MAX_VALUE) {
                highestSeen = ring.newestId() + 1; // a subscription was lost meanwhile: read once more
            }
            highestSeen = Math.max(highestSeen, snapshot.newestId());
            if (repair && highestSeen <= seenWhenSent) {
                // nothing arrived while reading: what the read did not find is not in this log
                highestSeen = Math.max(ring.newestId(), snapshot.newestId());
            }
            if (highestSeen > ring.newestId() && !repairing) {
                repair();
            }
            trim();
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
        long id;
        try {
            id = Long.parseLong(message, first + 1, second, 10);
        } catch (NumberFormatException e) {
            LOG.warnf("ignoring a message without an id on the channel of user %s", userId);
            return;
        }
        boolean added;
        boolean reset = false;
        synchronized (this) {
            if (!subscribed || startsWith(message, first, previousEpoch)) {
                return; // a late message of a lost log
            }
            if (epoch == null) {
                // the first read is in flight and may have missed this one: it reads on if so
                highestSeen = Math.max(highestSeen, id);
                return;
            }
            if (!startsWith(message, first, epoch)) {
                String messageEpoch = message.substring(0, first);
                LOG.warnf("the log of user %s was lost in Redis: epoch %s is now %s", userId, epoch, messageEpoch);
                previousEpoch = epoch;
                epoch = messageEpoch;
                generation++; // reads of the old log are of no use any more
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
                        LoggedEvent.knownType(message, second + 1, third),
                        json,
                        LoggedEvent.utf8Length(json),
                        System.nanoTime()));
                trim();
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

    /** Whether the message's first {@code length} characters are {@code field}; compared in place, not copied. */
    private static boolean startsWith(String message, int length, String field) {
        return field != null && field.length() == length && message.startsWith(field);
    }

    /**
     * Reads, with the same script as an opening connection, everything after the ring's newest event;
     * nothing newer is added meanwhile. Tried again while Redis does not answer.
     */
    private void repair() {
        repairing = true;
        long from = ring.newestId() + 1;
        long generation = this.generation;
        long seen = highestSeen;
        store.open(keys, from).onComplete(result -> {
            if (result.succeeded()) {
                merge(result.result(), from, generation, true, seen);
                return;
            }
            LOG.warnf(
                    "could not read the log of user %s from event %d, trying again: %s",
                    userId, from, result.cause().getMessage());
            store.later(REPAIR_RETRY_MILLIS, () -> {
                synchronized (this) {
                    if (subscribed && generation == this.generation) {
                        repair();
                    }
                }
            });
        });
    }
}
