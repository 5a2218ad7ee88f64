package io.otaedge.control.ratelimit;

/** A call over its limit: which limit ({@code device} or {@code address}) and when to come back, in whole seconds (at least 1). */
public record Refusal(String scope, long retryAfterSeconds) {

    public static final String DEVICE = "device";
    public static final String ADDRESS = "address";

    static Refusal after(String scope, long nanos) {
        return new Refusal(scope, Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /** {@code "too many requests, retry in N s"}: the words every dialect's refusal carries. */
    public String message() {
        return "too many requests, retry in " + retryAfterSeconds + " s";
    }
}
