package io.switchboard.tools;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking work (tool calls, agent runs) on a bounded pool of daemon threads, each task with a
 * deadline that triggers a callback. Thread-safe.
 */
public final class DeadlineExecutor {

    /** A submitted task and its deadline. */
    public interface Task {
        /** Cancels the deadline and, if {@code interrupt}, interrupts the task's thread. */
        void stop(boolean interrupt);
    }

    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService deadlines;

    /**
     * @param threadName     the prefix of the threads' names, for logs and thread dumps
     * @param maxConcurrent  most tasks running at once
     */
    public DeadlineExecutor(String threadName, int maxConcurrent) {
        this.workers = new ThreadPoolExecutor(
                0, maxConcurrent, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads(threadName + "-"));
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemonThreads(threadName + "-deadline-"));
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Starts {@code work} on a thread of its own and calls {@code onDeadline} when {@code timeout}
     * passes first.
     *
     * @throws RejectedExecutionException when {@code maxConcurrent} tasks are running already
     */
    public Task submit(Runnable work, Duration timeout, Runnable onDeadline) {
        Future<?> running = workers.submit(work);
        Future<?> deadline = deadlines.schedule(onDeadline, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return interrupt -> {
            deadline.cancel(false);
            if (interrupt) {
                running.cancel(true);
            }
        };
    }

    /** Interrupts every task and stops the threads. */
    public void shutdown() {
        workers.shutdownNow();
        deadlines.shutdownNow();
    }
}
