package io.otaedge.control.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.otaedge.control.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one shape of every admin list: {@code {"items":[...],"nextCursor":"..."|null}}, asked with {@code ?limit=}
 * (default {@link #DEFAULT_LIMIT}, at most {@link #MAX_LIMIT}) and {@code ?cursor=}: the nextCursor of the page
 * before, opaque to callers (base64url of the position after which the next page starts). A null nextCursor is
 * the end. Positions are keys, not offsets, so an item added or removed between two pages moves no other item.
 */
public final class Paging {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** One page of a list, as answered: nextCursor is written when null too (the end, said explicitly). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page<T>(List<T> items, String nextCursor) {
    }

    /**
     * What the caller asked for.
     *
     * @param after the position the cursor carries (null = from the start)
     */
    public record Request(int limit, String after) {
    }

    private Paging() {
    }

    /** {@code ?limit=} and {@code ?cursor=} of the query; a bad value is a 400 naming it. */
    static Request request(Map<String, String> query) {
        return request(query, DEFAULT_LIMIT, MAX_LIMIT);
    }

    static Request request(Map<String, String> query, int defaultLimit, int maxLimit) {
        int limit = defaultLimit;
        String l = query.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > maxLimit) {
                throw ApiException.badRequest("limit must be an integer from 1 to " + maxLimit);
            }
        }
        return new Request(limit, decode(query.get("cursor")));
    }

    static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("1:" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position {@code ?cursor=} carries; null without one. */
    static String position(Map<String, String> query) {
        return decode(query.get("cursor"));
    }

    static ApiException invalidCursor() {
        return new ApiException(400, "invalid_cursor", "cursor is not a nextCursor this API returned");
    }

    private static String decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (s.startsWith("1:")) {
                return s.substring(2);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw invalidCursor();
    }

    /**
     * A page of {@code all}, a list whose {@code key}s ascend strictly in list order: the items whose key is after
     * the cursor's, at most {@code limit} of them.
     */
    static <T> Page<T> of(List<T> all, Function<T, String> key, Request request) {
        List<T> items = new ArrayList<>(Math.min(request.limit(), all.size()));
        boolean more = false;
        for (T item : all) {
            if (request.after() != null && key.apply(item).compareTo(request.after()) <= 0) {
                continue;
            }
            if (items.size() == request.limit()) {
                more = true;
                break;
            }
            items.add(item);
        }
        return new Page<>(items, more ? encode(key.apply(items.get(items.size() - 1))) : null);
    }

    /** A sort key of a time (epoch ms) that ascends as times do; {@link #newestFirst} for the reverse. */
    static String oldestFirst(long millis, String id) {
        return String.format("%015d:%s", Math.max(0, millis), id);
    }

    static String newestFirst(long millis, String id) {
        return String.format("%015d:%s", Math.max(0, 999_999_999_999_999L - millis), id);
    }
}
