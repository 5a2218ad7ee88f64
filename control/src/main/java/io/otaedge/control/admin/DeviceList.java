package io.otaedge.control.admin;

import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.task.DeviceTaskState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * {@code GET /admin/v1/products/{productId}/devices}: the product's devices a page at a time, bucket by bucket and
 * by id within a bucket (the per-bucket device index, {@code ControlKeys.deviceIndex}), filtered by current
 * version, a task (devices offered it) and their state in it, and the last time seen. The cursor is the bucket and
 * the last id looked at, so a device present for the whole listing is listed exactly once; one added or removed
 * meanwhile may or may not be. A call looks at most {@link #EXAMINED} devices: a filtered page may hold fewer than
 * {@code limit} items, even none, while its nextCursor is not null.
 */
final class DeviceList {

    /** Index entries one call reads at most, so a filter that matches little cannot make one call read everything. */
    static final int EXAMINED = 5_000;
    /** Index entries read per round trip (their hashes are read together after). */
    private static final int CHUNK = 500;

    private final ProductRepository products;
    private final DeviceRepository devices;

    DeviceList(ProductRepository products, DeviceRepository devices) {
        this.products = products;
        this.devices = devices;
    }

    /** What a listing asks for; null = no filter. */
    record Filter(String version, String taskId, String state, Long seenBefore, Long seenAfter) {
    }

    Mono<AdminReply> list(HttpServerRequest request) {
        String productId = request.param("productId");
        Map<String, String> q = AdminRequests.query(request);
        Paging.Request page = Paging.request(q);
        Filter filter = filter(q);
        int[] bucket = {0};
        String[] after = {null};
        if (page.after() != null) {
            int bar = page.after().indexOf('|');
            try {
                bucket[0] = Integer.parseInt(page.after().substring(0, bar));
            } catch (RuntimeException e) {
                bucket[0] = -1;
            }
            if (bucket[0] < 0 || bucket[0] >= RedisKeys.DEVICE_BUCKETS) {
                throw Paging.invalidCursor();
            }
            after[0] = page.after().substring(bar + 1);
            after[0] = after[0].isEmpty() ? null : after[0];
        }
        return products.exists(productId).flatMap(exists -> exists
                ? new Walk(productId, filter, page.limit()).from(bucket[0], after[0])
                : Mono.error(ProductAdmin.productNotFound(productId)));
    }

    private static Filter filter(Map<String, String> q) {
        String state = q.get("state");
        String task = q.get("task");
        if (state != null) {
            if (task == null) {
                throw ApiException.badRequest("state needs task: a device's state is its state in one task");
            }
            try {
                DeviceTaskState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("state must be one of " + java.util.Arrays.toString(DeviceTaskState.values()));
            }
        }
        return new Filter(q.get("version"), task, state, instant(q, "lastSeenBefore"), instant(q, "lastSeenAfter"));
    }

    private static Long instant(Map<String, String> q, String field) {
        String s = q.get(field);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " must be an ISO-8601 instant such as 2026-01-31T22:00:00Z");
        }
    }

    /** One call's walk over the buckets, from a position, until the page is full, the budget spent or the end. */
    private final class Walk {
        final String productId;
        final Filter filter;
        final int limit;
        final List<Map<String, Object>> items = new ArrayList<>();
        int examined;

        Walk(String productId, Filter filter, int limit) {
            this.productId = productId;
            this.filter = filter;
            this.limit = limit;
        }

        Mono<AdminReply> from(int bucket, String after) {
            if (bucket >= RedisKeys.DEVICE_BUCKETS || examined >= EXAMINED) {
                return Mono.just(reply(bucket, after));
            }
            int count = Math.min(CHUNK, EXAMINED - examined);
            return devices.indexPage(productId, bucket, after, count)
                    .flatMap(ids -> Flux.fromIterable(ids).flatMapSequential(this::read, 64).collectList().flatMap(found -> {
                        for (int i = 0; i < found.size(); i++) {
                            examined++;
                            Map<String, Object> item = found.get(i).orElse(null);
                            if (item != null) {
                                items.add(item);
                                if (items.size() == limit) {
                                    boolean bucketDone = i == found.size() - 1 && ids.size() < count;
                                    return Mono.just(bucketDone ? reply(bucket + 1, null) : reply(bucket, ids.get(i)));
                                }
                            }
                        }
                        return ids.size() < count ? from(bucket + 1, null) : from(bucket, ids.get(ids.size() - 1));
                    }));
        }

        /** The page so far, and where the next starts: after {@code after} in {@code bucket} (null = its start). */
        private AdminReply reply(int bucket, String after) {
            String next = bucket >= RedisKeys.DEVICE_BUCKETS ? null : Paging.encode(bucket + "|" + (after == null ? "" : after));
            return AdminReply.ok(new Paging.Page<>(items, next));
        }

        /** The device as listed, or empty when it does not pass the filter (or its hash is gone). */
        private Mono<java.util.Optional<Map<String, Object>>> read(String deviceId) {
            Mono<Map<String, String>> row = filter.taskId() == null ? Mono.just(Map.of())
                    : devices.taskRow(productId, filter.taskId(), deviceId);
            return Mono.zip(devices.find(productId, deviceId).defaultIfEmpty(Map.of()), row)
                    .map(t -> java.util.Optional.ofNullable(item(deviceId, t.getT1(), t.getT2())));
        }

        private Map<String, Object> item(String deviceId, Map<String, String> device, Map<String, String> row) {
            if (device.isEmpty() || !matches(device, row)) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("deviceId", deviceId);
            device.forEach((k, v) -> out.put(k, k.endsWith("At") ? DeviceAdmin.iso(v) : v));
            if (filter.taskId() != null) {
                out.put("taskState", row.get("state"));
            }
            return out;
        }

        private boolean matches(Map<String, String> device, Map<String, String> row) {
            if (filter.version() != null && device.entrySet().stream().noneMatch(e -> isVersionField(e.getKey())
                    && filter.version().equals(e.getValue()))) {
                return false;
            }
            if (filter.taskId() != null && (row.isEmpty() || filter.state() != null && !filter.state().equals(row.get("state")))) {
                return false;
            }
            long seen = Math.max(number(device.get("lastCheckAt")), number(device.get("lastReportAt")));
            return (filter.seenBefore() == null || seen < filter.seenBefore())
                    && (filter.seenAfter() == null || seen >= filter.seenAfter());
        }
    }

    private static boolean isVersionField(String field) {
        return field.equals("fotaVersion") || field.equals("sotaVersion") || field.startsWith("version:");
    }

    private static long number(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
