package io.otaedge.control.internal;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The edge → control endpoints on the admin port, all under {@code /internal/} and all behind one check of
 * the shared secret {@code OTA_INTERNAL_SECRET} in {@code X-OTA-Internal-Secret} (constant-time): the blob
 * origin ({@link BlobOrigin}) and the dialects' {@link InternalEndpoint}s. The port's gate checks the secret
 * first too; this check keeps each endpoint safe wherever it is mounted.
 */
public final class InternalRoutes {

    private static final String SECRET_HEADER = InternalBlobApi.SECRET_HEADER;

    private final byte[] secret;
    private final BlobOrigin blobs;
    private final List<InternalEndpoint> endpoints;

    public InternalRoutes(String secret, BlobStore blobs, List<InternalEndpoint> endpoints) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.blobs = new BlobOrigin(blobs);
        this.endpoints = List.copyOf(endpoints);
    }

    public void register(HttpServerRoutes routes) {
        routes.get(BlobOrigin.PATH, guarded(blobs::get)).head(BlobOrigin.PATH, guarded(blobs::get));
        endpoints.forEach(e -> routes.get(e.path(), guarded(e.handler())));
    }

    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> guarded(
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        return (request, response) -> allowed(request.requestHeaders().get(SECRET_HEADER)) ? handler.apply(request, response)
                : RequestBodies.settleUnread(request, response).then(Mono.from(JsonReply.send(response, 401,
                        JsonReply.error("unauthorized", "send the internal secret as '" + SECRET_HEADER + "'"))));
    }

    private boolean allowed(String given) {
        return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
    }
}
