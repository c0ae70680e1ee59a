package dev.wharf.ftp.impl.net;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads for sessions and transfers. Sessions run on virtual threads where the JVM has them (Java 21+), so that
 * ten thousand idle sessions cost kilobytes each; daemon platform threads otherwise. The code is compiled for
 * Java 17, so the virtual-thread API is reached by reflection once, at class load.
 *
 * <p>Transfers run on pooled platform threads in every JVM: a virtual thread that reads a socket faster than the
 * peer fills it parks and is woken through the JDK's poller on almost every read, which cost a plain upload
 * 15-30% more CPU than a thread blocked in the kernel. Only running transfers hold such a thread; an idle pooled
 * thread ends after 30 seconds.
 */
public final class Workers {

    private static final ThreadFactory VIRTUAL = virtualThreadFactory();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final ExecutorService TRANSFERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30,
            TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                Thread t = new Thread(task, "wharf-transfer-" + COUNTER.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private Workers() {
    }

    /** Whether sessions run on virtual threads in this JVM. */
    public static boolean virtual() {
        return VIRTUAL != null && !Boolean.getBoolean("wharf.platformThreads");
    }

    /** Starts a worker running the task. */
    public static Thread start(String name, Runnable task) {
        Thread t;
        if (virtual()) {
            t = VIRTUAL.newThread(task);
            t.setName(name);
        } else {
            t = new Thread(task, name + "-" + COUNTER.incrementAndGet());
            t.setDaemon(true);
        }
        t.start();
        return t;
    }

    /** Runs a transfer on a pooled platform thread, named after it while it runs. */
    public static void startTransfer(String name, Runnable task) {
        TRANSFERS.execute(() -> {
            Thread self = Thread.currentThread();
            String poolName = self.getName();
            self.setName(name);
            try {
                task.run();
            } finally {
                self.setName(poolName);
            }
        });
    }

    private static ThreadFactory virtualThreadFactory() {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // Java 17-20: platform threads
        }
    }
}
