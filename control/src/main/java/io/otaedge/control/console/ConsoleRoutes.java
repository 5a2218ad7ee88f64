package io.otaedge.control.console;

import io.netty.handler.codec.http.HttpMethod;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The web console at {@code /console/} on the operator port: static files anyone may fetch (the page holds no
 * secret; every API call it makes carries the key the operator signs in with). Each answer carries a strict
 * Content-Security-Policy (scripts, styles and calls only from this origin, no inline code, no framing), a strong
 * ETag and {@code Cache-Control: no-cache}, so browsers revalidate with a cheap 304 and never run a stale build.
 */
public final class ConsoleRoutes {

    public static final String PATH = "/console";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, ConsoleAsset> assets;

    private ConsoleRoutes(Map<String, ConsoleAsset> assets) {
        this.assets = assets;
    }

    /** Reads the files now: a jar without them fails at start, not at the first page view. */
    public static ConsoleRoutes load() {
        return new ConsoleRoutes(ConsoleAssets.load());
    }

    /** {@code /console} and everything under it (raw path, without the query). */
    public static boolean isConsolePath(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    public void register(HttpServerRoutes routes) {
        routes.route(request -> isConsolePath(path(request.uri())), this::serve);
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        Mono<Void> settled = RequestBodies.settleUnread(request, response);
        secure(response);
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!head && !request.method().equals(HttpMethod.GET)) {
            response.header("Allow", "GET, HEAD");
            return settled.then(Mono.from(JsonReply.send(response, 405,
                    JsonReply.error("method_not_allowed", "the console answers GET and HEAD only"))));
        }
        String path = path(request.uri());
        if (path.equals(PATH)) {
            // Relative module URLs resolve against the directory: the page must be loaded as /console/.
            return settled.then(response.status(301).header("Location", PATH + "/").header(JsonReply.CONTENT_LENGTH, "0").send());
        }
        String name = path.substring(PATH.length() + 1);
        ConsoleAsset asset = assets.get(name.isEmpty() ? "index.html" : name);
        if (asset == null) {
            return settled.then(Mono.from(JsonReply.send(response, 404, JsonReply.error("not_found", "no console file " + path))));
        }
        response.header("ETag", asset.etag()).header("Cache-Control", "no-cache");
        if (asset.matches(request.requestHeaders().get("If-None-Match"))) {
            return settled.then(response.status(304).send());
        }
        response.status(200)
                .header(JsonReply.CONTENT_TYPE, asset.contentType())
                .header(JsonReply.CONTENT_LENGTH, Integer.toString(asset.bytes().length));
        return settled.then(head ? response.send() : response.sendByteArray(Mono.just(asset.bytes())).then());
    }

    private static void secure(HttpServerResponse response) {
        response.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
