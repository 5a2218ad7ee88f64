package io.otaedge.edge.download;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.range.Validators;
import io.otaedge.edge.wire.ResponseHeadTemplate;
import io.otaedge.edge.wire.WireHeaders;
import io.otaedge.edge.range.HttpDates;

/**
 * The headers that describe the firmware itself, the same on every 200 and 206 (a single-range 206
 * without {@code Accept-Ranges}, see {@link ResponseHeadTemplate}) and 304: validators
 * ({@code ETag} from the sha256, {@code Last-Modified} from the blob file), digests
 * ({@code X-Firmware-MD5}, {@code Repr-Digest}) and {@code Content-Disposition}. The same fields
 * are also kept pre-encoded as the {@link #head() head template} of 200 and single-range 206 answers.
 */
public final class Representation implements Validators {

    /** Field names in wire order; {@link #fieldValues} holds their values at the same indexes. */
    private static final AsciiString[] FIELDS = {WireHeaders.ACCEPT_RANGES, WireHeaders.ETAG,
            WireHeaders.LAST_MODIFIED, WireHeaders.X_FIRMWARE_MD5, WireHeaders.CONTENT_DISPOSITION};

    private final String etag;
    private final long lastModifiedMillis;
    private final String lastModified;
    private final CharSequence[] fieldValues;
    private final ResponseHeadTemplate head;

    public Representation(TokenGrant grant, long lastModifiedMillis) {
        this.etag = '"' + grant.sha256() + '"';
        this.lastModifiedMillis = lastModifiedMillis / 1000 * 1000;
        this.lastModified = HttpDates.format(lastModifiedMillis);
        this.fieldValues = new CharSequence[] {WireHeaders.BYTES, etag, lastModified, grant.md5(),
                ContentDisposition.attachment(grant.fileName())};
        this.head = new ResponseHeadTemplate(FIELDS, fieldValues);
    }

    /** The strong entity tag, quoted. */
    @Override
    public String etag() {
        return etag;
    }

    /** Last-Modified in epoch milliseconds, truncated to the second as HTTP dates are. */
    @Override
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
        for (int i = 0; i < FIELDS.length; i++) {
            h.set(FIELDS[i], fieldValues[i]);
        }
    }

    /** The pre-encoded head of this firmware's 200 and single-range 206 answers. */
    public ResponseHeadTemplate head() {
        return head;
    }
}
