package io.switchboard.websocket.core.internal;

/**
 * A connection slot taken at the upgrade check and handed to the connection when it opens, so that
 * simultaneous upgrades cannot exceed the per-user cap. An unclaimed one lapses.
 */
final class SlotReservation {
    private final long createdNanos;

    SlotReservation(long createdNanos) {
        this.createdNanos = createdNanos;
    }

    boolean lapsed(long nowNanos, long lifetimeNanos) {
        return nowNanos - createdNanos > lifetimeNanos;
    }
}
