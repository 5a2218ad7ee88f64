package io.otaedge.control.dialect.xiaozhi;

import io.otaedge.control.dialect.Hmacs;
import java.util.HexFormat;

/**
 * The per-device activation key a xiaozhi board keeps in efuse, derived from the product's access key
 * and the board's serial number: {@code HMAC-SHA256(base64decode(accessKey), serial_number)}. The
 * factory burns this key; the server recomputes it, so no per-device secret is stored.
 */
public final class SerialKeys {

    private SerialKeys() {
    }

    public static byte[] key(String accessKeyBase64, String serialNumber) {
        return Hmacs.raw("HmacSHA256", Hmacs.productKey(accessKeyBase64), serialNumber);
    }

    public static String keyHex(String accessKeyBase64, String serialNumber) {
        return HexFormat.of().formatHex(key(accessKeyBase64, serialNumber));
    }

    /** What the device sends as {@code hmac}: hex HMAC-SHA256 of the challenge under its key. */
    public static String expectedHmac(String accessKeyBase64, String serialNumber, String challenge) {
        return Hmacs.hex("HmacSHA256", key(accessKeyBase64, serialNumber), challenge);
    }
}
