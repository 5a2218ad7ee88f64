package io.otaedge.control.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.control.limits.ThrottledLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The audit trail: a Redis stream {@code ota:{audit}}, newest last. Each entry is added with {@code MINID} =
 * now − retention ({@code OTA_AUDIT_RETENTION}), so older entries are trimmed by the add itself, never by a
 * scan. Writes leave the request's path (the answer does not wait for them); a failed write is counted in
 * {@code ota_control_audit_write_failures_total} and logged (throttled), never dropped silently.
 */
public final class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    public static final String STREAM = "ota:{audit}";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    /** The most entries one page reads from Redis while filtering, so a filter matching nothing stays cheap. */
    static final int SCAN_PER_PAGE = 1000;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String stream;
    private final Duration retention;
    private final Clock clock;
    private final Runnable onFailure;
    private final ThrottledLog throttled = new ThrottledLog(log, ThrottledLog.INTERVAL);

    public AuditTrail(RedisClusterAsyncCommands<String, String> redis, Duration retention, Clock clock, Runnable onFailure) {
        this(redis, STREAM, retention, clock, onFailure);
    }

    /** As above on another stream (tests: a trail of their own). */
    public AuditTrail(RedisClusterAsyncCommands<String, String> redis, String stream, Duration retention, Clock clock,
                      Runnable onFailure) {
        this.redis = redis;
        this.stream = stream;
        this.retention = retention;
        this.clock = clock;
        this.onFailure = onFailure;
    }

    public Clock clock() {
        return clock;
    }

    /** Adds the entry in the background. */
    public void record(AuditEntry entry) {
        append(entry).subscribe(id -> { }, e -> {
            onFailure.run();
            throttled.warning("audit", "audit entry for " + entry.method() + " " + entry.route() + " not written", e);
        });
    }

    /** Adds the entry; completes with its stream id (for tests and callers that must wait). */
    public Mono<String> append(AuditEntry entry) {
        String minId = Math.max(0, clock.millis() - retention.toMillis()) + "-0";
        return Mono.fromCompletionStage(() -> redis.xadd(stream, new XAddArgs().minId(minId).exactTrimming(), entry.fields()));
    }

    /** How many entries the stream holds now. */
    public Mono<Long> size() {
        return Mono.fromCompletionStage(() -> redis.xlen(stream));
    }

    /** What a page query asks: all but {@code limit} may be null. */
    public record Query(String cursor, int limit, String keyId, String target, Instant since) {
    }

    /** Entries newest first, and the cursor to pass for the next (older) page, null at the end. */
    public record Page(List<Map<String, Object>> items, String nextCursor) {
    }

    public Mono<Page> page(Query q) {
        return page(q, new ArrayList<>(), q.cursor(), 0);
    }

    private Mono<Page> page(Query q, List<Map<String, Object>> items, String cursor, int scanned) {
        int batch = Math.min(Math.max(q.limit() - items.size(), 50), SCAN_PER_PAGE - scanned);
        Range.Boundary<String> upper = cursor == null ? Range.Boundary.unbounded() : Range.Boundary.excluding(cursor);
        Range.Boundary<String> lower = q.since() == null ? Range.Boundary.unbounded()
                : Range.Boundary.including(q.since().toEpochMilli() + "-0");
        return Mono.fromCompletionStage(() -> redis.xrevrange(stream, Range.from(lower, upper), Limit.from(batch)))
                .flatMap(messages -> {
                    String last = cursor;
                    for (StreamMessage<String, String> m : messages) {
                        last = m.getId();
                        AuditEntry e = AuditEntry.from(m.getBody());
                        if (matches(e, q)) {
                            items.add(view(m.getId(), e));
                            if (items.size() == q.limit()) {
                                return Mono.just(new Page(items, last));
                            }
                        }
                    }
                    int seen = scanned + messages.size();
                    if (messages.size() < batch) {
                        return Mono.just(new Page(items, null));
                    }
                    if (seen >= SCAN_PER_PAGE) {
                        return Mono.just(new Page(items, last)); // a short page: the filter matched little; go on from here
                    }
                    return page(q, items, last, seen);
                });
    }

    private static boolean matches(AuditEntry e, Query q) {
        return (q.keyId() == null || q.keyId().equals(e.keyId()))
                && (q.target() == null || e.targets().containsValue(q.target()));
    }

    private static Map<String, Object> view(String id, AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("at", e.at().toString());
        m.put("keyId", e.keyId());
        m.put("keyName", e.keyName());
        m.put("method", e.method());
        m.put("route", e.route());
        m.put("targets", e.targets());
        m.put("status", e.status());
        m.put("address", e.address());
        if (e.action() != null) {
            m.put("action", e.action());
        }
        if (e.change() != null) {
            try {
                m.put("change", Json.mapper().readTree(e.change()));
            } catch (IOException ex) {
                m.put("change", e.change());
            }
        }
        return m;
    }

    /** The change as stored: {@code body} with every field whose name suggests a secret hidden, cut at 4 KiB. */
    public static String change(JsonNode body, Map<String, String> query) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            m.put("query", query);
        }
        if (body != null) {
            m.put("body", Secrets.hidden(body));
        }
        if (m.isEmpty()) {
            return null;
        }
        try {
            String s = Json.mapper().writeValueAsString(m);
            return s.length() <= 4096 ? s : Json.mapper().writeValueAsString(Map.of("truncated", s.substring(0, 4000)));
        } catch (IOException e) {
            return null;
        }
    }
}
