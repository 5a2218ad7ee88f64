package io.otaedge.common.luatos;

import io.otaedge.common.blob.InternalBlobApi;

/**
 * The contract of control's internal LuatOS decision, which the edge asks before it serves a
 * LuatOS device: {@code GET <admin base URL>/internal/v1/luatos/decision?<the device's query>} with the
 * shared secret, and on a ranged retry the first byte the device resumes from.
 */
public final class LuatosDecisionApi {

    /** The route, relative to the admin base URL. */
    public static final String PATH = "/internal/v1/luatos/decision";
    /** The header carrying {@code OTA_INTERNAL_SECRET}, the same as the blob origin's. */
    public static final String SECRET_HEADER = InternalBlobApi.SECRET_HEADER;
    /** The first byte of a resuming device's Range (sent only above 0); the query stays as the device sent it. */
    public static final String RESUME_HEADER = "X-OTA-Resume";
    /** The device's own address (control's per-address rate limit); the edge's is the connection's. */
    public static final String FORWARDED_FOR_HEADER = "X-Forwarded-For";

    private LuatosDecisionApi() {
    }
}
