package io.otaedge.control.dialect.onenet;

import io.otaedge.control.dialect.Hmacs;
import java.util.Base64;

/**
 * A OneNET device's own key, for an {@code Authorization} whose {@code res} names the device
 * ({@code products/{pid}/devices/{name}}). OneNET registers one per device; here it is derived from
 * the product's access key, so nothing more is stored and a device flashed with it works on every
 * control instance: {@code base64(HMAC-SHA256(base64decode(accessKey), "onenet-device:" + name))}, the
 * same shape as an access key.
 */
public final class OneNetDeviceKey {

    private OneNetDeviceKey() {
    }

    public static String of(String productAccessKeyBase64, String deviceName) {
        return Base64.getEncoder().encodeToString(
                Hmacs.raw("HmacSHA256", Hmacs.productKey(productAccessKeyBase64), "onenet-device:" + deviceName));
    }
}
