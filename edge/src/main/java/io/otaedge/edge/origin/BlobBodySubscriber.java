package io.otaedge.edge.origin;

import io.otaedge.common.blob.BlobWriter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The blob commit of a pull: streams the origin's body into a blob writer (which hashes as it writes) and
 * publishes the blob only when its size and sha256 are the ones asked for; anything else is aborted, never stored.
 */
final class BlobBodySubscriber implements HttpResponse.BodySubscriber<Void> {

    private final BlobWriter writer;
    private final String sha256;
    private final long size;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BlobBodySubscriber(BlobWriter writer, String sha256, long size) {
        this.writer = writer;
        this.sha256 = sha256;
        this.size = size;
    }

    @Override
    public CompletionStage<Void> getBody() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        try {
            for (ByteBuffer b : items) {
                writer.write(b);
            }
            subscription.request(1);
        } catch (IOException e) {
            subscription.cancel();
            fail(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        fail(t);
    }

    @Override
    public void onComplete() {
        try {
            if (writer.size() != size) {
                throw new IOException("the origin sent " + writer.size() + " bytes, expected " + size);
            }
            writer.commitVerified(sha256);
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Throwable t) {
        writer.abort();
        done.completeExceptionally(t);
    }
}
