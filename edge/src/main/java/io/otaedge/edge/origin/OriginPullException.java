package io.otaedge.edge.origin;

/** The origin could not deliver a blob intact. */
public final class OriginPullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OriginPullException(String message, Throwable cause) {
        super(message, cause);
    }
}
