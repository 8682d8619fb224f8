package io.switchboard.bench;

/** What one connection of the load generator has seen: its user's events, checked for order. */
final class Tab {
    final String userId;
    long lastEventId;
    long received;
    long duplicated;
    long reordered;
    long foreign;
    long missing;

    Tab(String userId) {
        this.userId = userId;
    }

    synchronized void event(String user, long eventId) {
        received++;
        if (!userId.equals(user)) {
            foreign++;
        } else if (eventId <= lastEventId) {
            duplicated++;
        } else {
            if (eventId != lastEventId + 1) {
                reordered++;
                missing += eventId - lastEventId - 1;
            }
            lastEventId = eventId;
        }
    }
}
