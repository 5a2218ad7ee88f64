package io.otaedge.control.catalog;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.BlobTooLargeException;
import io.otaedge.common.blob.BlobWriter;
import io.otaedge.control.http.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Streams an upload into the blob store: size, md5 and sha256 in one pass, then an atomic rename.
 * File I/O blocks, so every touch of the writer runs on the bounded-elastic scheduler; the bounded
 * prefetch of {@code publishOn} is the back-pressure that stops Netty reading while the disk lags.
 */
public final class FirmwareUploader {

    private static final int PREFETCH = 8;

    private final BlobStore blobs;
    private final long maxSize;
    private final Scheduler io = Schedulers.boundedElastic();

    public FirmwareUploader(BlobStore blobs, long maxSize) {
        this.blobs = blobs;
        this.maxSize = maxSize;
    }

    public long maxSize() {
        return maxSize;
    }

    /** Stores the bytes; on any failure (413 past the limit, client gone, disk error) nothing is left behind. */
    public Mono<BlobInfo> store(Flux<byte[]> body) {
        return Mono.fromCallable(() -> blobs.newWriter(maxSize))
                .subscribeOn(io)
                .flatMap(writer -> {
                    AtomicBoolean done = new AtomicBoolean();
                    return body.publishOn(io, PREFETCH)
                            .doOnNext(chunk -> write(writer, chunk))
                            .then(Mono.fromCallable(() -> {
                                done.set(true);
                                return writer.commit();
                            }))
                            .onErrorResume(e -> Mono.<BlobInfo>fromRunnable(() -> {
                                done.set(true);
                                writer.abort();
                            }).subscribeOn(io).then(Mono.error(translate(e))))
                            .doOnCancel(() -> {
                                if (done.compareAndSet(false, true)) {
                                    io.schedule(writer::abort);
                                }
                            });
                });
    }

    private static void write(BlobWriter writer, byte[] chunk) {
        try {
            writer.write(ByteBuffer.wrap(chunk));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Throwable translate(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof BlobTooLargeException) {
            return tooLarge();
        }
        return cause;
    }

    public ApiException tooLarge() {
        return new ApiException(413, "firmware_too_large", "the firmware is larger than the limit of " + maxSize + " bytes");
    }
}
