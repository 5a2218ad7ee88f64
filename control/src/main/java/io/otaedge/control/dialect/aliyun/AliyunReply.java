package io.otaedge.control.dialect.aliyun;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Aliyun Living's reply envelope, {@code {id, code, message, localizedMsg, data}}; code 200 is success. */
@JsonPropertyOrder({"id", "code", "message", "localizedMsg", "data"})
public record AliyunReply(String id, int code, String message, String localizedMsg, Object data) {

    public static final int OK = 200;
    public static final int FORBIDDEN = 403;
    public static final int PARAMETER_ERROR = 460;
    public static final int INTERNAL = 500;
    /** A call over its rate limit, sent with HTTP 429 and {@code Retry-After} (the envelope's codes mirror HTTP statuses). */
    public static final int TOO_MANY_REQUESTS = 429;
    /** Living's system code for "service not available": the store is down for a moment, try later. */
    public static final int UNAVAILABLE = 503;

    /** A call refused with an envelope code. */
    public static class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final String localized;

        Failure(int code, String message, String localized) {
            super(message, null, false, false);
            this.code = code;
            this.localized = localized;
        }

        public int code() {
            return code;
        }

        public String localized() {
            return localized;
        }
    }

    /** A call over its rate limit. */
    public static final class TooManyRequests extends Failure {
        private static final long serialVersionUID = 1L;
        private final transient io.otaedge.control.ratelimit.Refusal refusal;

        public TooManyRequests(io.otaedge.control.ratelimit.Refusal refusal) {
            super(TOO_MANY_REQUESTS, refusal.message() + ".", "请求过于频繁");
            this.refusal = refusal;
        }

        public io.otaedge.control.ratelimit.Refusal refusal() {
            return refusal;
        }
    }

    static Failure forbidden() {
        return new Failure(FORBIDDEN, "request forbidden.", "请求被禁止");
    }

    /** 460 naming what was wrong. */
    static Failure parameter(String what) {
        return new Failure(PARAMETER_ERROR, "request parameter error: " + what, "请求参数错误");
    }
}
