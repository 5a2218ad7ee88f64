package io.otaedge.conformance.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.conformance.ConformanceSystem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the OneNET clients under test share: the product they belong to and the {@code Authorization} value
 * they compute (OneNET's documented token: {@code version=2018-10-31&res=products%2F<pid>&et=…&method=sha1&sign=…},
 * {@code sign = urlencode(base64(HMAC-SHA1(base64decode(accessKey), et\nsha1\nres\nversion)))}).
 */
final class OneNetDevice {

    static final String VERSION = "2018-10-31";

    final String productId;
    final byte[] key;

    private OneNetDevice(String productId, byte[] key) {
        this.productId = productId;
        this.key = key;
    }

    /**
     * A product whose key the C clients can use: they hand the decoded key and the HMAC to {@code strlen}, so
     * a key or a signature with a zero byte is cut short on the device (an operator would re-issue such a key).
     * The id stays short, as the AT client signs into a 56-byte buffer.
     */
    static OneNetDevice product(ConformanceSystem system) throws Exception {
        while (true) {
            String pid = "on" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode p = system.admin("POST", "/admin/v1/products", "{\"productId\":\"" + pid + "\",\"name\":\"OneNET\"}", 201);
            byte[] key = Base64.getDecoder().decode(p.get("accessKey").asText());
            if (indexOfZero(key) < 0) {
                return new OneNetDevice(pid, key);
            }
        }
    }

    /** The product-level token, valid until {@code et} or a later second whose signature has no zero byte. */
    String authorization(long et) throws Exception {
        String res = "products/" + productId;
        while (true) {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] sig = mac.doFinal((et + "\n" + "sha1" + "\n" + res + "\n" + VERSION).getBytes(StandardCharsets.US_ASCII));
            if (indexOfZero(sig) < 0) {
                return "version=" + VERSION + "&res=" + URLEncoder.encode(res, StandardCharsets.US_ASCII) + "&et=" + et
                        + "&method=sha1&sign=" + URLEncoder.encode(Base64.getEncoder().encodeToString(sig), StandardCharsets.US_ASCII);
            }
            et++;
        }
    }

    private static int indexOfZero(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
