package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.catalog.Names;
import io.otaedge.control.dialect.Hmacs;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How Aliyun's identifiers map onto the catalog: {@code productKey} is the product id, {@code deviceName}
 * the device id, and {@code iotId} an opaque, reversible name for the pair,
 * {@code base64url(productKey + "/" + deviceName)} without padding, so no index is needed. The
 * {@code iotToken} of a product is {@code hex(HMAC-SHA256(base64decode(accessKey), "aliyun:" + productKey))}.
 */
public record AliyunIdentity(String productKey, String deviceName) {

    public String iotId() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((productKey + "/" + deviceName).getBytes(StandardCharsets.UTF_8));
    }

    /** The pair an iotId names; null when it is not one of ours. */
    static AliyunIdentity ofIotId(String iotId) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(iotId), StandardCharsets.UTF_8);
            int slash = s.indexOf('/');
            if (slash > 0 && Names.isProductId(s.substring(0, slash)) && Names.isDeviceId(s.substring(slash + 1))) {
                return new AliyunIdentity(s.substring(0, slash), s.substring(slash + 1));
            }
        } catch (IllegalArgumentException e) {
            // not base64url
        }
        return null;
    }

    public static String iotToken(String accessKeyBase64, String productKey) {
        return Hmacs.productCredential("HmacSHA256", accessKeyBase64, "aliyun:" + productKey);
    }
}
