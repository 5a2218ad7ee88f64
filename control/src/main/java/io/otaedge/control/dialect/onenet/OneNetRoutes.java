package io.otaedge.control.dialect.onenet;

import io.otaedge.common.json.Json;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.limits.LimitReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import io.otaedge.control.ratelimit.Refusal;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/** OneNET's device-facing paths. */
public final class OneNetRoutes {

    private final OneNetCheckHandler check;
    private final OneNetTokenCalls tokenCalls;
    private final OneNetVersionCalls versionCalls;

    public OneNetRoutes(OneNetCheckHandler check, OneNetTokenCalls tokenCalls, OneNetVersionCalls versionCalls) {
        this.check = check;
        this.tokenCalls = tokenCalls;
        this.versionCalls = versionCalls;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/ota/south/check", check::post)
                .get("/ota/south/check", check::get)
                .post("/ota/device/version", versionCalls::report)
                .get("/ota/device/version", versionCalls::get)
                .get("/ota/south/download/{token}/check", tokenCalls::check)
                .post("/ota/south/device/download/{token}/progress", tokenCalls::progress)
                .post("/ota/south/report", tokenCalls::report);
    }

    /**
     * OneNET's limits: a check, version call or token check counts against {@code dev_id} (the POST check's
     * is in its body: {@link OneNetCheckHandler} counts it); progress and reports count against the address
     * only, since the download paces them (the AT-command demo reports after every 1 KiB range).
     */
    public static DeviceApiLimits.Rule limitRule() {
        return new DeviceApiLimits.Rule(OneNetDialect.NAME, path -> path.startsWith("/ota/"), OneNetRoutes::limitedDevice,
                OneNetRoutes::tryLater);
    }

    /**
     * What the gate refuses on OneNET's paths: errno 2 in the envelope, in a 200 for a malformed target (as the
     * handlers answer a parameter error and devices parse it), with the refusal's own 4xx for a size limit.
     */
    static Optional<LimitReplies.Reply> gateReply(String path, int status, boolean malformed, String message) {
        if (!path.startsWith("/ota/south/") && !path.startsWith("/ota/device/")) {
            return Optional.empty();
        }
        return Optional.of(new LimitReplies.Reply(malformed ? 200 : status, Json.bytes(new OneNetReply(
                OneNetErrno.BAD_PARAMETERS.code(), OneNetErrno.BAD_PARAMETERS.text() + ": " + message, Map.of()))));
    }

    static String limitedDevice(HttpServerRequest request) {
        String uri = request.uri();
        if (uri.startsWith("/ota/south/report") || uri.startsWith("/ota/south/device/download/")) {
            return null;
        }
        return DeviceApiLimits.queryParam(uri, "dev_id");
    }

    /**
     * HTTP 200 and errno 7, OneNET's one "the platform cannot answer now" code: devices read the errno, not
     * the status, and retry on their own schedule; the {@code error} text says when.
     */
    static Publisher<Void> tryLater(HttpServerResponse response, Refusal refusal) {
        return JsonReply.send(response, 200, tooManyRequests(refusal));
    }

    static OneNetReply tooManyRequests(Refusal refusal) {
        return new OneNetReply(OneNetErrno.INTERNAL.code(), refusal.message(), Map.of());
    }
}
