package io.otaedge.edge.grant;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.BlobFile;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.logging.LogThrottle;
import io.otaedge.edge.origin.OriginPull;
import io.otaedge.edge.wire.EdgeError;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every grant: opens the blob it names from local disk and checks it against the grant;
 * a blob missing on disk is first pulled from the origin when origin-pull is on (one pull per blob, shared).
 */
public final class GrantedBlobs {

    private static final Logger log = LoggerFactory.getLogger(GrantedBlobs.class);
    private static final LogThrottle BLOB_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final BlobStore blobs;
    private final OpenBlobCache files;
    /** Null when origin-pull is off. */
    private final OriginPull origin;

    /** @param origin pulls blobs missing on local disk; null = off */
    public GrantedBlobs(BlobStore blobs, OpenBlobCache files, OriginPull origin) {
        this.blobs = blobs;
        this.files = files;
        this.origin = origin;
    }

    /** Hands {@code to} the open blob of {@code grant}, or refuses; on the requester's event loop. */
    void open(TokenGrant grant, GrantReceiver to) {
        open(grant, to, origin != null);
    }

    private void open(TokenGrant g, GrantReceiver to, boolean mayPull) {
        BlobFile blob;
        try {
            blob = files.open(g.sha256(), blobs);
        } catch (IOException | IllegalArgumentException e) {
            if (mayPull && e instanceof NoSuchFileException) {
                pullThenOpen(g, to);
                return;
            }
            if (BLOB_LOG.allow()) {
                if (e instanceof NoSuchFileException) {
                    log.warn("blob {} of token grant for firmware {} is missing on this edge", g.sha256(), g.firmwareId());
                } else {
                    log.warn("blob {} of token grant for firmware {} cannot be opened", g.sha256(), g.firmwareId(), e);
                }
            }
            to.refuse(EdgeError.BLOB_UNAVAILABLE);
            return;
        }
        if (blob.size() != g.size()) {
            blob.release();
            files.invalidate(g.sha256());
            if (BLOB_LOG.allow()) {
                log.error("blob {} has {} bytes but its grant says {}: not serving it", g.sha256(), blob.size(), g.size());
            }
            to.refuse(EdgeError.BLOB_CORRUPT);
            return;
        }
        to.serve(g, blob);
    }

    /** OriginPull logs and counts a failed pull itself; the device gets a 503 and retries. */
    private void pullThenOpen(TokenGrant g, GrantReceiver to) {
        origin.fetch(g.sha256(), g.size()).whenComplete((ok, error) -> to.resume(() -> {
            if (error != null) {
                to.refuse(EdgeError.ORIGIN_FAILED);
                return;
            }
            open(g, to, false);
        }));
    }
}
