package io.otaedge.control.dialect;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Device input for the dialect parsers' properties: JSON documents built from the dialects' own field names
 * with values of every type (and broken JSON), query strings with escapes good and bad, and text of any kind.
 */
public final class DeviceInputArbitraries {

    /** Field names the dialects read, so generated documents reach past "field missing". */
    public static final List<String> FIELDS = List.of("dev_id", "manuf", "model", "type", "version", "cdn", "signals",
            "powers", "step", "result", "s_version", "application", "board", "elf_sha256", "name", "ssid", "rssi",
            "mac_address", "uuid", "chip_model_name", "flash_size", "psram_size", "partition_table", "request",
            "iotToken", "params", "iotId", "productKey", "deviceName", "moduleName", "firmwareVersion",
            "currentVersion", "desc", "devices", "product_id", "device_id", "mac", "wifi_version", "mcu_version",
            "project_key", "firmware_name", "imei", "uid", "x");

    private DeviceInputArbitraries() {
    }

    public static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withCharRange('0', '9').withChars("-.+e ").ofMaxLength(25),
                Arbitraries.of("", " ", "1", "2", "0", "-1", "1.0", "1.0.0", "001.002.003", "true", "FALSE", "null",
                        "2147483648", "9223372036854775808", "1e400", "ota_AAAAAAAAAAAAAAAAAAAA", "p1", "d4:06:06:b6:a9:fb",
                        "p1_LuatOS-SoC_EC618", "p1_LuatOS-SoC_V1103_EC618", "p1_LuatOS-SoC_", "_LuatOS-SoC_x", "V_x",
                        "cDEvZDE", "%zz", "\u0000", "\ud800", "a".repeat(65), "-4", "101", "100", "-5"));
    }

    /** A JSON value of any type, nested up to {@code depth}. */
    public static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                text().map(DeviceInputArbitraries::quote),
                Arbitraries.of("null", "true", "false", "0", "-1", "1", "1.5", "-0.0", "1e400", "99999999999999999999999",
                        "-9223372036854775809", "2147483648"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        return Arbitraries.oneOf(scalar, scalar, array, object(depth - 1));
    }

    public static Arbitrary<String> object(int depth) {
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(FIELDS), jsonValue(depth))
                .as((k, v) -> quote(k) + ":" + v);
        return member.list().ofMaxSize(8).map(l -> "{" + String.join(",", l) + "}");
    }

    /** Request bodies: JSON objects of the dialects' fields, other JSON, broken JSON and raw bytes. */
    public static Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                object(3).map(DeviceInputArbitraries::utf8),
                object(3).map(DeviceInputArbitraries::utf8),
                jsonValue(2).map(DeviceInputArbitraries::utf8),
                object(2).map(s -> s.substring(0, s.length() / 2)).map(DeviceInputArbitraries::utf8),
                Arbitraries.integers().between(1, 3000).map(n -> utf8("[".repeat(n) + "]".repeat(n))),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40));
    }

    /** Query strings ({@code ?a=b&…}) over the dialects' parameter names, with escapes good and bad. */
    public static Arbitrary<String> queries() {
        Arbitrary<String> value = Arbitraries.oneOf(text(), Arbitraries.of("%", "%2", "%G1", "%41", "%e9", "%C3%A9", "+", "a=b", "&&"));
        Arbitrary<String> param = Combinators.combine(Arbitraries.of(FIELDS), value, Arbitraries.of("=", "", "=="))
                .as((k, v, eq) -> k + eq + v);
        return param.list().ofMaxSize(10).map(l -> "/path?" + String.join("&", l));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
