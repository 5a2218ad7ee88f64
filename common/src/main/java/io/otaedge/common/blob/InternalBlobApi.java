package io.otaedge.common.blob;

/**
 * The contract of the control service's internal blob endpoint, which edges pull missing blobs
 * from: {@code GET <admin base URL>/internal/v1/blobs/<sha256>} with the shared secret in a header.
 */
public final class InternalBlobApi {

    /** The header carrying {@code OTA_INTERNAL_SECRET}. */
    public static final String SECRET_HEADER = "X-OTA-Internal-Secret";
    /** The route, as a reactor-netty path template. */
    public static final String ROUTE = "/internal/v1/blobs/{sha256}";

    private InternalBlobApi() {
    }

    /** The path of one blob, relative to the admin base URL. */
    public static String path(String sha256) {
        return "/internal/v1/blobs/" + sha256;
    }
}
