package io.otaedge.common.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector for the tests (set by the parent pom: {@code io.netty.customResourceLeakDetector}, level
 * {@code paranoid}): it reports a leak as Netty does and also keeps it, so {@link NoLeaks} can fail the test class
 * that leaked. Netty only logs a leak, and a log line fails nothing.
 */
public final class LeakRecorder<T> extends ResourceLeakDetector<T> {

    private static final List<String> LEAKS = new ArrayList<>();

    public LeakRecorder(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    public LeakRecorder(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        keep(resourceType + " leaked:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        keep(resourceType + " leaked (no access records)");
        super.reportUntracedLeak(resourceType);
    }

    // Always report: Netty's default reports only when its logger is at ERROR, and a test must not depend on logging.
    @Override
    protected boolean needReport() {
        return true;
    }

    private static void keep(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    /** The leaks found since the last call, which forgets them. */
    static List<String> drain() {
        synchronized (LEAKS) {
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }
}
