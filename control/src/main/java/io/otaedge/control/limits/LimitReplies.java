package io.otaedge.control.limits;

import io.otaedge.common.json.Json;
import io.otaedge.control.http.JsonReply;

/**
 * The body a request refused before routing gets: in the words of the dialect its path belongs to
 * ({@link GateReplies}), the native {@code {"error","message"}} anywhere else. The HTTP status is the
 * refusal's own (4xx), except where a dialect answers a parameter error otherwise.
 */
public final class LimitReplies {

    /** A refusal as it goes on the wire. */
    public record Reply(int status, byte[] body) {
    }

    /** The gate's code for a request-target with a broken %-escape or a character outside RFC 3986. */
    static final String MALFORMED = "bad_request_target";

    private LimitReplies() {
    }

    /** The refusal for {@code path} on a port whose dialects word their refusals as {@code dialects} do. */
    public static Reply of(GateReplies dialects, String path, int status, String code, String message) {
        return dialects.reply(path, status, MALFORMED.equals(code), message)
                .orElseGet(() -> new Reply(status, Json.bytes(JsonReply.error(code, message))));
    }
}
