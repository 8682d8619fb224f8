package io.switchboard.websocket.core.internal;

/**
 * A connection slot taken at the upgrade check and handed to the connection when it opens, so that
 * simultaneous upgrades cannot exceed the per-user cap. An unclaimed one lapses. It also holds the
 * first event the connection will want, so that a node's copy of the log keeps it meanwhile.
 */
final class SlotReservation {
    private final long createdNanos;
    private final long neededFrom;

    /** {@code resume}: where the connection resumes, {@code null} if it starts live. */
    SlotReservation(long createdNanos, ResumePoint resume) {
        this.createdNanos = createdNanos;
        long last = resume == null ? -1 : resume.lastEventId();
        this.neededFrom = last < 0 || last == Long.MAX_VALUE ? Long.MAX_VALUE : last + 1;
    }

    /** The first event the connection will be sent if it resumes; {@code Long.MAX_VALUE} if it starts live. */
    long neededFrom() {
        return neededFrom;
    }

    boolean lapsed(long nowNanos, long lifetimeNanos) {
        return nowNanos - createdNanos > lifetimeNanos;
    }
}
