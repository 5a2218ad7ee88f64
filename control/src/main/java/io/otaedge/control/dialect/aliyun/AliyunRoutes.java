package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.dialect.NullKeepingJson;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.limits.LimitReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import java.util.UUID;
import reactor.netty.http.server.HttpServerRoutes;

/** Aliyun Living's OTA paths. */
public final class AliyunRoutes {

    private final AliyunProgressCalls progress;
    private final AliyunFirmwareCalls firmware;

    AliyunRoutes(AliyunProgressCalls progress, AliyunFirmwareCalls firmware) {
        this.progress = progress;
        this.firmware = firmware;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/living/ota/progress/get", AliyunEnvelope.route(progress::progressGet))
                .post("/living/ota/firmware/file/get", AliyunEnvelope.route(firmware::fileGet))
                .post("/living/ota/progress/list", AliyunEnvelope.route(progress::progressList))
                .post("/living/ota/confirm", AliyunEnvelope.route(firmware::confirm))
                .post("/living/ota/progress/report", AliyunEnvelope.route(progress::progressReport));
    }

    /** What the gate refuses on Aliyun's paths: code 460, in a 200 for a malformed target, else with the refusal's 4xx. */
    static Optional<LimitReplies.Reply> gateReply(String path, int status, boolean malformed, String message) {
        if (!path.startsWith("/living/")) {
            return Optional.empty();
        }
        return Optional.of(new LimitReplies.Reply(malformed ? 200 : status, NullKeepingJson.bytes(new AliyunReply(
                UUID.randomUUID().toString(), AliyunReply.PARAMETER_ERROR, "request parameter error: " + message, "请求参数错误", null))));
    }

    /**
     * Aliyun's limits: the address limit here, in front of the routes; the device's (its id is in the body) in
     * {@link AliyunDevices#limited}. Over a limit: HTTP 429 and the envelope with code 429.
     */
    public static DeviceApiLimits.Rule limitRule() {
        return new DeviceApiLimits.Rule(AliyunDialect.NAME, path -> path.startsWith("/living/"), request -> null,
                (response, refusal) -> JsonReply.sendBytes(response, AliyunReply.TOO_MANY_REQUESTS,
                        NullKeepingJson.bytes(new AliyunReply(UUID.randomUUID().toString(), AliyunReply.TOO_MANY_REQUESTS,
                                refusal.message() + ".", "请求过于频繁", null))));
    }
}
