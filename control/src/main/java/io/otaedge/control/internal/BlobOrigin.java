package io.otaedge.control.internal;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET|HEAD /internal/v1/blobs/{sha256}}: where edges that do not share the control's disk pull a blob
 * (behind the internal secret, checked by {@link InternalRoutes}). The file goes out zero-copy. The edge
 * verifies the sha256 itself, so a damaged file here is never served by an edge.
 */
final class BlobOrigin {

    static final String PATH = InternalBlobApi.ROUTE;

    private final BlobStore blobs;

    BlobOrigin(BlobStore blobs) {
        this.blobs = blobs;
    }

    Publisher<Void> get(HttpServerRequest request, HttpServerResponse response) {
        Mono<Void> settled = RequestBodies.settleUnread(request, response);
        String sha256 = request.param("sha256");
        if (!BlobStore.isSha256(sha256)) {
            return settled.then(Mono.from(notFound(response)));
        }
        Path file = blobs.pathOf(sha256);
        // The stat touches the disk: off the event loop.
        return settled.then(Mono.fromCallable(() -> Files.size(file)).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(size -> {
                    response.status(200)
                            .header(JsonReply.CONTENT_TYPE, "application/octet-stream")
                            .header(JsonReply.CONTENT_LENGTH, Long.toString(size));
                    return "HEAD".equals(request.method().name()) ? response.send().then()
                            : response.sendFile(file, 0, size).then();
                })
                .onErrorResume(NoSuchFileException.class, e -> Mono.from(notFound(response)));
    }

    private static Publisher<Void> notFound(HttpServerResponse response) {
        return JsonReply.send(response, 404, JsonReply.error("blob_not_found", "no such blob"));
    }
}
