package io.otaedge.edge.control;

import io.otaedge.edge.logging.LogThrottle;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control refused the edge itself: a configuration fault that every device of that route now meets, so it
 * is counted and logged as an error naming the fix (throttled per kind of call, so one misconfiguration
 * never hides another).
 */
public final class ControlRefusals {

    private static final Logger log = LoggerFactory.getLogger(ControlRefusals.class);
    private static final LogThrottle[] LOGS = new LogThrottle[EdgeMetrics.ControlCall.values().length];

    static {
        for (int i = 0; i < LOGS.length; i++) {
            LOGS[i] = new LogThrottle(10, TimeUnit.SECONDS);
        }
    }

    private ControlRefusals() {
    }

    /** Counts the refusal of {@code call} and logs {@code what} went wrong, naming the fix. */
    public static void report(EdgeMetrics metrics, EdgeMetrics.ControlCall call, String what) {
        metrics.controlRefused(call);
        if (LOGS[call.ordinal()].allow()) {
            log.error("control refused this edge, a configuration fault: {}", what);
        }
    }
}
