package io.otaedge.control.http;

import io.lettuce.core.RedisException;
import java.io.IOException;

/**
 * Whether a failure means "the store is unavailable now" (Redis down, restarting, unreachable, too slow), which
 * every caller should hear as its dialect's "try later", rather than a fault of this service. Lettuce fails a
 * command with a {@link RedisException} while disconnected or on timeout, but a command in flight when the
 * connection drops fails with the channel's own {@link IOException} (raised in Lettuce, or Netty's native
 * "connection reset" without a stack trace); both count. A disk error on a blob write is not an outage of the store.
 */
public final class StoreOutage {

    /** Seconds a caller is told to wait ({@code Retry-After}): about the time Redis needs to restart and reload. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private StoreOutage() {
    }

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisException || t instanceof IOException && fromLettuce(t)) {
                return true;
            }
        }
        return false;
    }

    /** Lettuce's own, or Netty's native socket errors, which Netty creates without a stack trace. */
    private static boolean fromLettuce(Throwable t) {
        if (t.getClass().getName().startsWith("io.netty.")) {
            return true;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("io.lettuce.")) {
                return true;
            }
        }
        return false;
    }
}
