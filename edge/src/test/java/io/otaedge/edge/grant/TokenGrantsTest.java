package io.otaedge.edge.grant;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.BlobWriter;
import io.otaedge.common.token.DownloadToken;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.BlobFile;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.route.Route;
import io.otaedge.edge.token.TokenResolver;
import io.otaedge.edge.wire.EdgeError;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token source alone, with a receiver that records what it is told: one answer per request, given at
 * once for a lookup already complete (the cache's hit: no resume, no hop) and through {@code resume} for a
 * later one; every refusal by its own error.
 */
class TokenGrantsTest {

    @TempDir
    Path dir;

    BlobStore blobs;
    OpenBlobCache files;
    TokenGrant grant;
    final Recorder to = new Recorder();
    final AtomicInteger lookups = new AtomicInteger();

    @BeforeEach
    void blob() throws Exception {
        blobs = new BlobStore(dir.resolve("blobs"));
        files = new OpenBlobCache(Duration.ZERO, 8);
        BlobInfo b;
        try (BlobWriter w = blobs.newWriter(Long.MAX_VALUE)) {
            w.write(ByteBuffer.wrap(new byte[100]));
            b = w.commit();
        }
        grant = grantOf(b.sha256(), b.size());
    }

    @AfterEach
    void close() {
        to.release();
        files.close();
    }

    TokenGrant grantOf(String sha256, long size) {
        long now = System.currentTimeMillis();
        return new TokenGrant(DownloadToken.generate(), "p1", "fw-1", sha256, "md5", size, "fw.bin", "1.2.0", "dev-1",
                "task-1", now, now + 60_000);
    }

    TokenGrants source(TokenResolver tokens) {
        return new TokenGrants(token -> {
            lookups.incrementAndGet();
            return tokens.find(token);
        }, new GrantedBlobs(blobs, files, null));
    }

    void find(TokenGrants source, String token) {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ota/download/" + token);
        source.find(Route.parse(req.uri()), req, null, to);
    }

    @Test
    void aCompletedLookupIsServedBeforeFindReturnsWithoutAResume() {
        find(source(token -> CompletableFuture.completedFuture(Optional.of(grant))), grant.token());
        assertThat(to.told).containsExactly("serve " + grant.token() + " 100");
        assertThat(to.resumes).isZero();
    }

    @Test
    void aLaterLookupIsServedThroughResume() {
        CompletableFuture<Optional<TokenGrant>> later = new CompletableFuture<>();
        find(source(token -> later), grant.token());
        assertThat(to.told).isEmpty();
        later.complete(Optional.of(grant));
        assertThat(to.told).containsExactly("serve " + grant.token() + " 100");
        assertThat(to.resumes).isEqualTo(1);
    }

    @Test
    void aMalformedTokenIsNotFoundWithoutALookup() {
        find(source(token -> CompletableFuture.completedFuture(Optional.of(grant))), "not-a-token");
        assertThat(to.told).containsExactly("refuse TOKEN_NOT_FOUND");
        assertThat(lookups).hasValue(0);
    }

    @Test
    void anUnknownTokenIsNotFound() {
        find(source(token -> CompletableFuture.completedFuture(Optional.empty())), grant.token());
        assertThat(to.told).containsExactly("refuse TOKEN_NOT_FOUND");
    }

    @Test
    void aStoreThatFailsOrThrowsIsUnavailable() {
        find(source(token -> CompletableFuture.failedFuture(new IllegalStateException("redis down"))), grant.token());
        find(source(token -> {
            throw new IllegalStateException("redis gone");
        }), grant.token());
        assertThat(to.told).containsExactly("refuse TOKEN_STORE_UNAVAILABLE", "refuse TOKEN_STORE_UNAVAILABLE");
    }

    @Test
    void aMissingBlobIsUnavailableAndAWrongSizedOneCorrupt() {
        TokenGrant missing = grantOf("0".repeat(64), 100);
        find(source(token -> CompletableFuture.completedFuture(Optional.of(missing))), missing.token());
        TokenGrant wrongSize = grantOf(grant.sha256(), 101);
        find(source(token -> CompletableFuture.completedFuture(Optional.of(wrongSize))), wrongSize.token());
        assertThat(to.told).containsExactly("refuse BLOB_UNAVAILABLE", "refuse BLOB_CORRUPT");
    }

    /** Records what it is told; runs resumed work at once (the test thread stands for the event loop). */
    static final class Recorder implements GrantReceiver {
        final List<String> told = new ArrayList<>();
        final List<BlobFile> blobs = new ArrayList<>();
        int resumes;

        @Override
        public void resume(Runnable work) {
            resumes++;
            work.run();
        }

        @Override
        public void serve(TokenGrant grant, BlobFile blob) {
            blobs.add(blob);
            told.add("serve " + grant.token() + " " + blob.size());
        }

        @Override
        public void refuse(EdgeError error) {
            told.add("refuse " + error.name());
        }

        @Override
        public void refuse(int status, String reason) {
            told.add("refuse " + status + " " + reason);
        }

        void release() {
            blobs.forEach(BlobFile::release);
        }
    }
}
