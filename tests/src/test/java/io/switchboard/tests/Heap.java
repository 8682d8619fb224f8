package io.switchboard.tests;

import java.lang.management.ManagementFactory;

/** The JVM's used heap after garbage collection, for tests that bound the server's memory. */
final class Heap {
    private Heap() {}

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
