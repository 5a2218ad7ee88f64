package io.otaedge.edge;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.logging.AccessLogSettings;
import io.otaedge.edge.cell.CellCap;
import io.otaedge.edge.origin.OriginConfig;
import io.otaedge.edge.tls.TlsConfig;
import java.time.Duration;

/**
 * The edge's settings. Every field has a default that suits a small machine holding many slow
 * NB-IoT connections; {@link #from(Settings)} documents the {@code OTA_EDGE_*} key of each.
 *
 * @param bindAddress         listen address ({@code OTA_EDGE_BIND}, {@code 0.0.0.0})
 * @param port                listen port, 0 = any free ({@code OTA_EDGE_PORT}, 8080)
 * @param transport           {@code auto} (epoll when available), {@code epoll} or {@code nio} ({@code OTA_EDGE_TRANSPORT})
 * @param ioThreads           event-loop threads, 0 = one per core ({@code OTA_EDGE_IO_THREADS})
 * @param maxRequestLine      longest request line before 414 ({@code OTA_EDGE_MAX_REQUEST_LINE}, 4096)
 * @param maxHeaderSize       largest header block before 431 ({@code OTA_EDGE_MAX_HEADER_SIZE}, 8192)
 * @param idleTimeout         a keep-alive connection with no request is closed after this ({@code OTA_EDGE_IDLE_TIMEOUT}, PT60S)
 * @param readTimeout         a started request head must be complete within this ({@code OTA_EDGE_READ_TIMEOUT}, PT30S)
 * @param writeTimeout        a response making no write progress for this long is abandoned ({@code OTA_EDGE_WRITE_TIMEOUT}, PT60S)
 * @param maxConnections      open connections above which new ones get a 503 ({@code OTA_EDGE_MAX_CONNECTIONS}, 100000)
 * @param writeBufferLow      per-connection low water mark, bytes ({@code OTA_EDGE_WRITE_BUFFER_LOW}, 32768)
 * @param writeBufferHigh     per-connection high water mark, bytes ({@code OTA_EDGE_WRITE_BUFFER_HIGH}, 65536)
 * @param shutdownGrace       how long running downloads may finish on shutdown ({@code OTA_EDGE_SHUTDOWN_GRACE}, PT30S)
 * @param tokenCacheSize      tokens kept in the local cache, 0 = no cache ({@code OTA_EDGE_TOKEN_CACHE_SIZE}, 10000)
 * @param tokenCacheTtl       how long a cached grant is trusted ({@code OTA_EDGE_TOKEN_CACHE_TTL}, PT2S)
 * @param retryAfter          the {@code Retry-After} of 503s ({@code OTA_EDGE_RETRY_AFTER}, PT5S)
 * @param maxRanges           most ranges served as one multipart answer after coalescing ({@code OTA_EDGE_MAX_RANGES}, 16)
 * @param openFileCacheTtl    how long a served blob file stays open for the next request, 0 = off ({@code OTA_EDGE_OPEN_FILE_CACHE_TTL}, PT5S)
 * @param progressFlush       how often bytes served per token are written to Redis ({@code OTA_EDGE_PROGRESS_FLUSH}, PT1S)
 * @param heartbeat           how often the edge renews its entry in the edge registry ({@code OTA_EDGE_HEARTBEAT}, PT5S)
 * @param publicAddress       the {@code host:port} devices reach this edge at; unset = not registered ({@code OTA_EDGE_PUBLIC_ADDRESS})
 * @param edgeId              this edge's name in the edge registry; unset = the public address plus a random suffix ({@code OTA_EDGE_ID})
 * @param origin              where missing blobs are pulled from ({@code OTA_EDGE_ORIGIN_URL}, {@code OTA_INTERNAL_SECRET}, …)
 * @param tls                 certificate and key when the edge speaks TLS ({@code OTA_EDGE_TLS_CERT}, {@code OTA_EDGE_TLS_KEY})
 * @param reusePort           bind with {@code SO_REUSEPORT} so several edge processes share one port, the kernel
 *                            spreading connections over them (epoll only; {@code OTA_EDGE_REUSE_PORT}, false)
 * @param accessLog           whether and how often exchanges are logged ({@code OTA_ACCESS_LOG}, on;
 *                            {@code OTA_ACCESS_LOG_SAMPLE}, 1.0)
 * @param cellCap             concurrent downloads per NB-IoT cell across all edges ({@code OTA_EDGE_CELL_CAP}, 0 = off;
 *                            {@code OTA_EDGE_CELL_LEASE}, PT60S); needs the fleet Redis
 */
public record EdgeConfig(
        String bindAddress,
        int port,
        String transport,
        int ioThreads,
        int maxRequestLine,
        int maxHeaderSize,
        Duration idleTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        int maxConnections,
        int writeBufferLow,
        int writeBufferHigh,
        Duration shutdownGrace,
        int tokenCacheSize,
        Duration tokenCacheTtl,
        Duration retryAfter,
        int maxRanges,
        Duration openFileCacheTtl,
        Duration progressFlush,
        Duration heartbeat,
        String publicAddress,
        String edgeId,
        OriginConfig origin,
        TlsConfig tls,
        boolean reusePort,
        AccessLogSettings accessLog,
        CellCap cellCap) {

    public EdgeConfig {
        if (!transport.equals("auto") && !transport.equals("epoll") && !transport.equals("nio")) {
            throw new ConfigException("OTA_EDGE_TRANSPORT", transport, "auto, epoll or nio");
        }
        positive("OTA_EDGE_MAX_REQUEST_LINE", maxRequestLine);
        positive("OTA_EDGE_MAX_HEADER_SIZE", maxHeaderSize);
        positive("OTA_EDGE_MAX_CONNECTIONS", maxConnections);
        positive("OTA_EDGE_WRITE_BUFFER_LOW", writeBufferLow);
        positive("OTA_EDGE_MAX_RANGES", maxRanges);
        positive("OTA_EDGE_PROGRESS_FLUSH", progressFlush);
        positive("OTA_EDGE_HEARTBEAT", heartbeat);
        if (writeBufferHigh < writeBufferLow) {
            throw new ConfigException("OTA_EDGE_WRITE_BUFFER_HIGH", Integer.toString(writeBufferHigh),
                    "at least OTA_EDGE_WRITE_BUFFER_LOW (" + writeBufferLow + ")");
        }
        if (ioThreads < 0 || tokenCacheSize < 0) {
            throw new ConfigException(ioThreads < 0 ? "OTA_EDGE_IO_THREADS" : "OTA_EDGE_TOKEN_CACHE_SIZE",
                    Integer.toString(Math.min(ioThreads, tokenCacheSize)), "zero or more");
        }
    }

    /** Defaults everywhere except the listen address. */
    public static EdgeConfig of(String bindAddress, int port) {
        return from(Settings.from(java.util.Map.of("OTA_EDGE_BIND", bindAddress, "OTA_EDGE_PORT", Integer.toString(port))));
    }

    public static EdgeConfig from(Settings s) {
        return new EdgeConfig(
                s.string("OTA_EDGE_BIND", "0.0.0.0"),
                s.port("OTA_EDGE_PORT", 8080),
                s.string("OTA_EDGE_TRANSPORT", "auto").toLowerCase(java.util.Locale.ROOT),
                s.integer("OTA_EDGE_IO_THREADS", 0),
                s.integer("OTA_EDGE_MAX_REQUEST_LINE", 4096),
                s.integer("OTA_EDGE_MAX_HEADER_SIZE", 8192),
                s.duration("OTA_EDGE_IDLE_TIMEOUT", Duration.ofSeconds(60)),
                s.duration("OTA_EDGE_READ_TIMEOUT", Duration.ofSeconds(30)),
                s.duration("OTA_EDGE_WRITE_TIMEOUT", Duration.ofSeconds(60)),
                s.integer("OTA_EDGE_MAX_CONNECTIONS", 100_000),
                s.integer("OTA_EDGE_WRITE_BUFFER_LOW", 32 * 1024),
                s.integer("OTA_EDGE_WRITE_BUFFER_HIGH", 64 * 1024),
                s.duration("OTA_EDGE_SHUTDOWN_GRACE", Duration.ofSeconds(30)),
                s.integer("OTA_EDGE_TOKEN_CACHE_SIZE", 10_000),
                s.duration("OTA_EDGE_TOKEN_CACHE_TTL", Duration.ofSeconds(2)),
                s.duration("OTA_EDGE_RETRY_AFTER", Duration.ofSeconds(5)),
                s.integer("OTA_EDGE_MAX_RANGES", 16),
                s.duration("OTA_EDGE_OPEN_FILE_CACHE_TTL", Duration.ofSeconds(5)),
                s.duration("OTA_EDGE_PROGRESS_FLUSH", Duration.ofSeconds(1)),
                s.duration("OTA_EDGE_HEARTBEAT", Duration.ofSeconds(5)),
                s.get("OTA_EDGE_PUBLIC_ADDRESS").orElse(null),
                s.get("OTA_EDGE_ID").orElse(null),
                OriginConfig.from(s),
                TlsConfig.from(s),
                s.bool("OTA_EDGE_REUSE_PORT", false),
                AccessLogSettings.from(s),
                CellCap.from(s));
    }

    private static void positive(String key, Duration value) {
        if (value.isZero()) {
            throw new ConfigException(key, value.toString(), "a positive ISO-8601 duration");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new ConfigException(key, Integer.toString(value), "a positive integer");
        }
    }
}
