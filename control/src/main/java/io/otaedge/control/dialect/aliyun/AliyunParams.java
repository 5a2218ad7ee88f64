package io.otaedge.control.dialect.aliyun;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.Names;

/** The fields of a call's {@code params}, checked strictly: anything malformed is code 460 naming the field. */
final class AliyunParams {

    private AliyunParams() {
    }

    /** iotId wins over productKey + deviceName when both are given, as the seed says. */
    static AliyunIdentity identity(JsonNode params) {
        String iotId = text(params, "iotId");
        if (iotId != null && !iotId.isEmpty()) {
            AliyunIdentity id = AliyunIdentity.ofIotId(iotId);
            if (id == null) {
                throw AliyunReply.parameter("unknown iotId");
            }
            return id;
        }
        String productKey = text(params, "productKey");
        String deviceName = text(params, "deviceName");
        if (productKey == null || productKey.isEmpty() || deviceName == null || deviceName.isEmpty()) {
            throw AliyunReply.parameter("iotId, or productKey and deviceName, are required");
        }
        if (!Names.isProductId(productKey) || !Names.isDeviceId(deviceName)) {
            throw AliyunReply.parameter("productKey or deviceName is malformed");
        }
        return new AliyunIdentity(productKey, deviceName);
    }

    /** moduleName, {@code default} when empty; a module other than default needs a firmwareVersion. */
    static String module(JsonNode params) {
        String module = text(params, "moduleName");
        if (module == null || module.isEmpty()) {
            return Firmware.DEFAULT_MODULE;
        }
        if (!Names.isModule(module)) {
            throw AliyunReply.parameter("moduleName is malformed");
        }
        return module;
    }

    /** A version field; null when absent or empty. */
    static String optionalVersion(JsonNode params, String field) {
        String v = text(params, field);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!Names.isVersion(v)) {
            throw AliyunReply.parameter(field + " is malformed");
        }
        return v;
    }

    /** A progress report's step: a string (or integer) from -4 to 100. */
    static int step(JsonNode n) {
        if (n == null || n.isNull() || !(n.isTextual() || n.isIntegralNumber())) {
            throw AliyunReply.parameter("step is required, a string holding an integer from -4 to 100");
        }
        try {
            int step = Integer.parseInt(n.asText().trim());
            if (step >= -4 && step <= 100) {
                return step;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw AliyunReply.parameter("step must be an integer from -4 to 100");
    }

    private static String text(JsonNode params, String field) {
        JsonNode n = params.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw AliyunReply.parameter(field + " must be a string");
        }
        return n.asText();
    }
}
