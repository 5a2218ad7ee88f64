package io.otaedge.common.blob;

import java.io.IOException;

/** An upload went past the configured maximum firmware size. */
public final class BlobTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public BlobTooLargeException(long limit) {
        super("firmware larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
