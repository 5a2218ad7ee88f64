package io.otaedge.common.logging;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import org.slf4j.spi.LoggingEventBuilder;

/** The fields both services' access lines end with, written once so the two logs keep one shape. */
public final class AccessLineEnd {

    private AccessLineEnd() {
    }

    /** Adds {@code key} only when there is a value (absent fields stay out of the line). */
    public static LoggingEventBuilder optional(LoggingEventBuilder event, String key, Object value) {
        return value == null ? event : event.addKeyValue(key, value);
    }

    /**
     * Adds status, bytes, duration (ms, three decimals), the client's address and whether the last write went out,
     * then logs {@code method path status}.
     */
    public static void log(LoggingEventBuilder event, Channel channel, String method, String path, int status, long bytes,
                           long startedNanos, long nowNanos, boolean completed) {
        event.addKeyValue("status", status)
                .addKeyValue("bytes", bytes)
                .addKeyValue("duration_ms", Math.round((nowNanos - startedNanos) / 1_000.0) / 1_000.0)
                .addKeyValue("client", client(channel))
                .addKeyValue("completed", completed)
                .log(method + " " + path + " " + status);
    }

    static String client(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    }
}
