package io.otaedge.control.limits;

import io.otaedge.common.json.Json;
import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.control.dialect.NullKeepingJson;
import io.otaedge.control.dialect.aliyun.AliyunReply;
import io.otaedge.control.dialect.fog.FogReply;
import io.otaedge.control.dialect.onenet.OneNetErrno;
import io.otaedge.control.dialect.onenet.OneNetReply;
import io.otaedge.control.dialect.luatos.LuatosCode;
import io.otaedge.control.http.JsonReply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The body a request refused before routing gets, in the dialect its path belongs to: OneNET's errno 2,
 * FOG's code 10000, Aliyun's 460, xiaozhi's {@code {"error"}}, a LuatOS decision refusal; the native
 * {@code {"error","message"}} anywhere else. The HTTP status is the refusal's own (4xx), except for a
 * malformed target on a dialect's path (that dialect's parameter-error status) and the LuatOS decision,
 * whose contract is a 200 carrying the status the edge hands the device.
 */
public final class LimitReplies {

    /** A refusal as it goes on the wire. */
    public record Reply(int status, byte[] body) {
    }

    /** The gate's code for a request-target with a broken %-escape or a character outside RFC 3986. */
    static final String MALFORMED = "bad_request_target";

    private LimitReplies() {
    }

    /** The refusal for {@code path} on the device port ({@code devicePort}) or the admin port. */
    public static Reply of(boolean devicePort, String path, int status, String code, String message) {
        if (devicePort) {
            Reply dialect = dialect(path, status, MALFORMED.equals(code), message);
            if (dialect != null) {
                return dialect;
            }
        } else if (path.equals(LuatosDecisionApi.PATH)) {
            Map<String, Object> refusal = new LinkedHashMap<>();
            refusal.put("upgrade", false);
            refusal.put("status", status);
            refusal.put("code", LuatosCode.INVALID_FIRMWARE.code()); // as the handler refuses a malformed query
            refusal.put("reason", message);
            return new Reply(200, Json.bytes(refusal));
        }
        return new Reply(status, Json.bytes(JsonReply.error(code, message)));
    }

    /**
     * A dialect's refusal. A malformed request-target on a dialect's path is a parameter error the way that
     * dialect answers one (OneNET, FOG and Aliyun in a 200 envelope, xiaozhi 400), as its handlers did
     * before the gate and as devices parse it; a size limit gets its own 4xx.
     */
    private static Reply dialect(String path, int status, boolean malformed, String message) {
        int inEnvelope = malformed ? 200 : status;
        if (path.startsWith("/ota/south/") || path.startsWith("/ota/device/")) {
            return new Reply(inEnvelope, Json.bytes(new OneNetReply(OneNetErrno.BAD_PARAMETERS.code(),
                    OneNetErrno.BAD_PARAMETERS.text() + ": " + message, Map.of())));
        }
        if (path.startsWith("/api/v1/ota/") || path.startsWith("/oss_token/")) {
            return new Reply(inEnvelope, NullKeepingJson.bytes(FogReply.error(FogReply.PARAMETER_ERROR, "参数错误:" + message)));
        }
        if (path.startsWith("/living/")) {
            return new Reply(inEnvelope, NullKeepingJson.bytes(new AliyunReply(UUID.randomUUID().toString(),
                    AliyunReply.PARAMETER_ERROR, "request parameter error: " + message, "请求参数错误", null)));
        }
        if (path.equals("/v1/ota") || path.startsWith("/v1/ota/")) {
            return new Reply(malformed ? 400 : status, Json.bytes(Map.of("error", message)));
        }
        return null;
    }
}
