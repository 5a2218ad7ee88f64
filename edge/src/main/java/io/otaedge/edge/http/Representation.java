package io.otaedge.edge.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.otaedge.common.token.TokenGrant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The headers that describe the firmware itself, the same on every 200, 206 and 304: validators
 * ({@code ETag} from the sha256, {@code Last-Modified} from the blob file), digests
 * ({@code X-Firmware-MD5}, {@code Repr-Digest}) and {@code Content-Disposition}.
 */
public final class Representation {

    private final String etag;
    private final String md5;
    private final String reprDigest;
    private final String disposition;
    private final long lastModifiedMillis;
    private final String lastModified;

    public Representation(TokenGrant grant, long lastModifiedMillis) {
        this.etag = '"' + grant.sha256() + '"';
        this.md5 = grant.md5();
        this.reprDigest = "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(grant.sha256())) + ":";
        this.disposition = ContentDisposition.attachment(grant.fileName());
        this.lastModifiedMillis = lastModifiedMillis / 1000 * 1000;
        this.lastModified = HttpDates.format(lastModifiedMillis);
    }

    /** The strong entity tag, quoted. */
    public String etag() {
        return etag;
    }

    /** Last-Modified in epoch milliseconds, truncated to the second as HTTP dates are. */
    public long lastModifiedMillis() {
        return lastModifiedMillis;
    }

    /** Validators only: what a 304 carries. */
    public void addValidators(HttpHeaders h) {
        h.set(WireHeaders.ETAG, etag);
        h.set(WireHeaders.LAST_MODIFIED, lastModified);
    }

    /** Everything describing the firmware; the caller adds length and range. */
    public void addAll(HttpHeaders h) {
        h.set(WireHeaders.ACCEPT_RANGES, WireHeaders.BYTES);
        addValidators(h);
        h.set(WireHeaders.X_FIRMWARE_MD5, md5);
        h.set(WireHeaders.REPR_DIGEST, reprDigest);
        h.set(WireHeaders.CONTENT_DISPOSITION, disposition);
    }
}
