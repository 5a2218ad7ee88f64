package io.otaedge.common.blob;

import java.io.IOException;

/** Bytes meant to be a blob hashed to something else: they were dropped, not stored. */
public final class BlobDigestMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    public BlobDigestMismatchException(String expected, String actual) {
        super("blob content hashes to " + actual + ", expected " + expected);
    }
}
