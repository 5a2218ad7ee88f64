package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.otaedge.control.ratelimit.Refusal;

/**
 * A DDI call refused, answered as hawkBit's own error body ({@code ExceptionInfo}: {@code exceptionClass},
 * {@code errorCode}, {@code message}) with hawkBit's status: 401 without a valid token, 404 for an unknown
 * action or controller, 400 for a body that cannot be read, 429 over the device's rate limit, 503 while the
 * store is down. The error codes are hawkBit's ({@code SpServerError}); the classes name what hawkBit would throw
 * where it has such a case, ours ({@code io.otaedge.*}) where it has none.
 */
final class HawkbitError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The wire body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"exceptionClass", "errorCode", "message"})
    record Info(String exceptionClass, String errorCode, String message) {
    }

    private final int status;
    private final String exceptionClass;
    private final String errorCode;
    private final transient Refusal refusal;

    private HawkbitError(int status, String exceptionClass, String errorCode, String message, Refusal refusal) {
        super(message, null, false, false);
        this.status = status;
        this.exceptionClass = exceptionClass;
        this.errorCode = errorCode;
        this.refusal = refusal;
    }

    int status() {
        return status;
    }

    /** The refusal behind a 429 (for {@code Retry-After}), else null. */
    Refusal refusal() {
        return refusal;
    }

    Info info() {
        return new Info(exceptionClass, errorCode, getMessage());
    }

    static HawkbitError unauthorized() {
        return new HawkbitError(401, "org.springframework.security.authentication.InsufficientAuthenticationException",
                "hawkbit.server.error.insufficientPermission",
                "Full authentication is required: Authorization: TargetToken <token> or GatewayToken <token>", null);
    }

    static HawkbitError notFound(String what) {
        return new HawkbitError(404, "org.eclipse.hawkbit.repository.exception.EntityNotFoundException",
                "hawkbit.server.error.repo.entityNotFound", what, null);
    }

    static HawkbitError badBody(String message) {
        return new HawkbitError(400, "org.springframework.http.converter.HttpMessageNotReadableException",
                "hawkbit.server.error.rest.body.notReadable", message, null);
    }

    static HawkbitError tooLarge(String message) {
        return new HawkbitError(413, "io.otaedge.BodyTooLarge",
                "hawkbit.server.error.quota.fileSizeExceeded", message, null);
    }

    static HawkbitError tooManyRequests(Refusal refusal) {
        return new HawkbitError(429, "io.otaedge.TooManyRequests",
                "hawkbit.server.error.quota.tooManyEntries", refusal.message(), refusal);
    }

    static HawkbitError unavailable() {
        return new HawkbitError(503, "io.otaedge.StoreUnavailable",
                "hawkbit.server.error.repo.genericError", "the service is not available, try later", null);
    }

    static HawkbitError internal() {
        return new HawkbitError(500, "io.otaedge.InternalError", "hawkbit.server.error.repo.genericError",
                "unknown error occurred", null);
    }
}
