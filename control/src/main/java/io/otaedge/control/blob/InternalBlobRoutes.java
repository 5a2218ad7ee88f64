package io.otaedge.control.blob;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * {@code GET /internal/v1/blobs/{sha256}} on the admin port: where edges that do not share the
 * control's disk pull a blob. Guarded by the shared secret {@code OTA_INTERNAL_SECRET} in
 * {@code X-OTA-Internal-Secret} (compared in constant time); the file goes out zero-copy. The edge
 * verifies the sha256 itself, so a damaged file here is never served by an edge.
 */
public final class InternalBlobRoutes {

    private static final String SECRET_HEADER = InternalBlobApi.SECRET_HEADER;
    private static final String PATH = InternalBlobApi.ROUTE;

    private final BlobStore blobs;
    private final byte[] secret;

    public InternalBlobRoutes(BlobStore blobs, String secret) {
        this.blobs = blobs;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public void register(HttpServerRoutes routes) {
        routes.get(PATH, this::get).head(PATH, this::get);
    }

    private Publisher<Void> get(HttpServerRequest request, HttpServerResponse response) {
        Mono<Void> settled = RequestBodies.settleUnread(request, response);
        if (!allowed(request.requestHeaders().get(SECRET_HEADER))) {
            return settled.then(Mono.from(JsonReply.send(response, 401,
                    JsonReply.error("unauthorized", "send the internal secret as '" + SECRET_HEADER + "'"))));
        }
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

    private boolean allowed(String given) {
        return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
    }

    private static Publisher<Void> notFound(HttpServerResponse response) {
        return JsonReply.send(response, 404, JsonReply.error("blob_not_found", "no such blob"));
    }
}
