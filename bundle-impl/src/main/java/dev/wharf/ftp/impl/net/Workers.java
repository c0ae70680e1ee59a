package dev.wharf.ftp.impl.net;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Session threads. Sessions run on virtual threads where the JVM has them (Java 21+), so that ten thousand idle
 * sessions cost kilobytes each; daemon platform threads otherwise. The code is compiled for Java 17, so the
 * virtual-thread API is reached by reflection once. Each such thread ends with its session, and every session
 * ends when its listener stops; pooled threads belong to the {@link ServerRuntime}.
 */
final class Workers {

    private static final ThreadFactory VIRTUAL = virtualThreadFactory();
    private static final AtomicLong COUNTER = new AtomicLong();

    private Workers() {
    }

    /** Whether sessions run on virtual threads in this JVM. */
    static boolean virtual() {
        return VIRTUAL != null && !Boolean.getBoolean("wharf.platformThreads");
    }

    /** Starts a worker running the task. */
    static Thread start(String name, Runnable task) {
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
