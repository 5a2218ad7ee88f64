package io.otaedge.control.dialect.fog;

import io.otaedge.control.dialect.NullKeepingJson;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.limits.LimitReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/** MXCHIP FOG's paths (with and without the trailing slash on a file's id; the seed's own "devce" typo too). */
public final class FogRoutes {

    private static final String FILES = "/api/v1/ota/{productId}/files/";

    private final FogFilesHandler files;
    private final FogDeviceHandler device;

    public FogRoutes(FogFilesHandler files, FogDeviceHandler device) {
        this.files = files;
        this.device = device;
    }

    public void register(HttpServerRoutes routes) {
        routes.post(FILES, files::create)
                .get(FILES, files::list)
                .get(FILES + "{id}", files::get)
                .get(FILES + "{id}/", files::get)
                .put(FILES + "{id}", files::update)
                .put(FILES + "{id}/", files::update)
                .delete(FILES + "{id}", files::delete)
                .delete(FILES + "{id}/", files::delete)
                .get("/api/v1/ota/device/", device::check)
                .get("/api/v1/ota/devce/", device::check)
                .put("/api/v1/ota/version/", device::version)
                .get("/oss_token/ota/", files::ossToken)
                .get("/oss_token/ota", files::ossToken);
    }

    /** Meta code and HTTP status of a call over its rate limit (not in the seed; mirrors the status, as 401 and 501 do). */
    public static final int TOO_MANY_REQUESTS = 429;

    /**
     * FOG's limits: the device check counts against {@code device_id} (or {@code mac}); the version report
     * (its id is in the body) and the product's file calls count against the address only. Over a limit:
     * HTTP 429 with FOG's envelope, meta code 429.
     */
    public static DeviceApiLimits.Rule limitRule() {
        return new DeviceApiLimits.Rule(FogDialect.NAME, path -> path.startsWith("/api/v1/ota/") || path.startsWith("/oss_token/"),
                FogRoutes::limitedDevice,
                (response, refusal) -> JsonReply.send(response, TOO_MANY_REQUESTS,
                        FogReply.error(TOO_MANY_REQUESTS, refusal.message())));
    }

    /** What the gate refuses on FOG's paths: code 10000, in a 200 for a malformed target, else with the refusal's 4xx. */
    static Optional<LimitReplies.Reply> gateReply(String path, int status, boolean malformed, String message) {
        if (!path.startsWith("/api/v1/ota/") && !path.startsWith("/oss_token/")) {
            return Optional.empty();
        }
        return Optional.of(new LimitReplies.Reply(malformed ? 200 : status,
                NullKeepingJson.bytes(FogReply.error(FogReply.PARAMETER_ERROR, "参数错误:" + message))));
    }

    static String limitedDevice(HttpServerRequest request) {
        String uri = request.uri();
        if (!uri.startsWith("/api/v1/ota/device/") && !uri.startsWith("/api/v1/ota/devce/")) {
            return null;
        }
        String id = DeviceApiLimits.queryParam(uri, "device_id");
        return id != null ? id : DeviceApiLimits.queryParam(uri, "mac");
    }
}
