package io.otaedge.control.dialect.xiaozhi;

import io.otaedge.common.json.Json;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.limits.LimitReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * xiaozhi's device-facing paths, with and without the trailing slash firmware builds differ on; the OTA check
 * by POST (with system information) or GET (without).
 */
public final class XiaozhiRoutes {

    private final XiaozhiOtaHandler ota;
    private final XiaozhiActivateHandler activate;

    public XiaozhiRoutes(XiaozhiOtaHandler ota, XiaozhiActivateHandler activate) {
        this.ota = ota;
        this.activate = activate;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/v1/ota/", ota::handle)
                .post("/v1/ota", ota::handle)
                .get("/v1/ota/", ota::handleGet)
                .get("/v1/ota", ota::handleGet)
                .post("/v1/ota/activate", activate::handle)
                .post("/v1/ota/activate/", activate::handle);
    }

    /** What the gate refuses on xiaozhi's paths: the seed's {@code {"error"}}, 400 for a malformed target. */
    static Optional<LimitReplies.Reply> gateReply(String path, int status, boolean malformed, String message) {
        if (!path.equals("/v1/ota") && !path.startsWith("/v1/ota/")) {
            return Optional.empty();
        }
        return Optional.of(new LimitReplies.Reply(malformed ? 400 : status, Json.bytes(Map.of("error", message))));
    }

    /**
     * xiaozhi's limits: every call counts against its {@code Device-Id} (case-insensitive). Over the limit the
     * device gets {@code 429} with the seed's {@code {"error"}} body: firmware retries any non-200 with
     * doubling delays.
     */
    public static DeviceApiLimits.Rule limitRule() {
        return new DeviceApiLimits.Rule(XiaozhiDialect.NAME, path -> path.startsWith("/v1/ota"), request -> {
            String id = request.requestHeaders().get("Device-Id");
            return id == null ? null : id.trim().toLowerCase(Locale.ROOT);
        }, (response, refusal) -> JsonReply.send(response, 429, Map.of("error", refusal.message())));
    }
}
