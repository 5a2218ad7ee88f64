package io.otaedge.control.dialect.fog;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** FOG's envelope {@code {"meta":{"code","message"},"data"}}; code 0 is success. */
@JsonPropertyOrder({"meta", "data"})
public record FogReply(Meta meta, Object data) {

    public static final int PARAMETER_ERROR = 10000;
    public static final int NOT_FOUND = 10500;
    public static final int NOT_DELETABLE = 10501;
    /** Not in the seed: a missing or wrong {@code Authorization: token …} (sent with HTTP 401). */
    public static final int UNAUTHORIZED = 401;
    /**
     * Not in the seed: {@code GET /oss_token/ota/} hands out Aliyun OSS upload credentials, and a self-hosted
     * server has no OSS (sent with HTTP 501; firmware is uploaded through the admin API instead).
     */
    public static final int NO_OSS = 501;
    /** The store is unavailable for a moment (HTTP 503 with {@code Retry-After}): try later. */
    public static final int UNAVAILABLE = 503;

    @JsonPropertyOrder({"code", "message"})
    public record Meta(int code, String message) {
    }

    public static FogReply ok(String message, Object data) {
        return new FogReply(new Meta(0, message), data);
    }

    public static FogReply error(int code, String message) {
        return new FogReply(new Meta(code, message), Map.of());
    }

    /** A request FOG answers with an error code. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        public Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** 10000 with the seed's "参数错误" (parameter error) prefix. */
    public static Failure parameter(String what) {
        return new Failure(PARAMETER_ERROR, "参数错误:" + what);
    }
}
