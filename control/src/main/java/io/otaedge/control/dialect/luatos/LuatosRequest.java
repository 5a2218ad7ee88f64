package io.otaedge.control.dialect.luatos;

import io.otaedge.control.catalog.Names;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * libfota's query, parsed by name (its order differs between library versions):
 * {@code project_key}, {@code firmware_name} ({@code <PROJECT>_LuatOS-SoC_<bsp>}, or libfota's
 * {@code <PROJECT>_LuatOS-SoC_V<core>_<bsp>}; PROJECT is the product id, {@code bsp} the board platform,
 * null when absent or not a module name), {@code version} ({@code xxx.yyy.zzz}) and the device as {@code imei}, {@code mac}
 * (lowercased) or {@code uid}; {@code device_key}, {@code core_version}, {@code dfota} and
 * {@code need_oss_url} are accepted and not used (there are no delta packages yet).
 */
record LuatosRequest(String productId, String projectKey, String deviceId, String version, String bsp) {

    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}");
    private static final String SOC_MARKER = "_LuatOS-SoC_";

    /** A request refused before any lookup, with its Luat code. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final LuatosCode code;

        Refused(LuatosCode code, String detail) {
            super(code.reason(detail), null, false, false);
            this.code = code;
        }

        LuatosCode code() {
            return code;
        }
    }

    static LuatosRequest parse(Map<String, List<String>> q) {
        String projectKey = first(q, "project_key");
        if (projectKey == null) {
            throw new Refused(LuatosCode.INVALID_PROJECT, "project_key is required");
        }
        String firmwareName = first(q, "firmware_name");
        if (firmwareName == null) {
            throw new Refused(LuatosCode.INVALID_FIRMWARE, "firmware_name is required");
        }
        int marker = firmwareName.indexOf(SOC_MARKER);
        String productId = marker > 0 ? firmwareName.substring(0, marker) : firmwareName;
        String bsp = marker > 0 ? boardPlatform(firmwareName.substring(marker + SOC_MARKER.length())) : null;
        bsp = Names.isModule(bsp) ? bsp : null;
        if (!Names.isProductId(productId)) {
            throw new Refused(LuatosCode.INVALID_PROJECT, "the project in firmware_name is not a product id");
        }
        String version = first(q, "version");
        if (version == null || !VERSION.matcher(version).matches() || !Names.isVersion(version)) {
            throw new Refused(LuatosCode.INVALID_FIRMWARE, "version must be xxx.yyy.zzz");
        }
        String device = first(q, "imei");
        if (device == null) {
            device = first(q, "mac");
        }
        if (device == null) {
            device = first(q, "uid");
        }
        if (device == null) {
            throw new Refused(LuatosCode.INVALID_DEVICE, "imei, mac or uid is required");
        }
        device = device.toLowerCase(Locale.ROOT);
        if (!Names.isDeviceId(device)) {
            throw new Refused(LuatosCode.INVALID_DEVICE, "the device id is malformed");
        }
        return new LuatosRequest(productId, projectKey, device, version, bsp);
    }

    /**
     * The board platform after the marker. libfota names boards it knows by no radio
     * {@code <PROJECT>_LuatOS-SoC_V<core>_<bsp>} ({@code rtos.firmware()}); the core version goes, so such a
     * board keeps its module when a new core is flashed, and matches the module libfota2's boards name.
     */
    static String boardPlatform(String afterMarker) {
        int underscore = afterMarker.indexOf('_');
        if (underscore > 1 && afterMarker.charAt(0) == 'V'
                && afterMarker.substring(1, underscore).chars().allMatch(Character::isDigit)) {
            return afterMarker.substring(underscore + 1);
        }
        return afterMarker;
    }

    private static String first(Map<String, List<String>> q, String name) {
        List<String> values = q.get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        return values.get(0).trim();
    }
}
