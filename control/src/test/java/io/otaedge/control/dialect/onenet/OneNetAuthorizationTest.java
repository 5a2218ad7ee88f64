package io.otaedge.control.dialect.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OneNetAuthorizationTest {

    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final long ET = 4_102_444_800L; // 2100-01-01
    static final long NOW = 1_700_000_000L;

    @ParameterizedTest
    @CsvSource({"md5,HmacMD5", "sha1,HmacSHA1", "sha256,HmacSHA256"})
    void signProducesTheDocumentedFieldsAndAnHmacOverEtMethodResVersion(String method, String jdkAlgorithm) throws Exception {
        String header = OneNetAuthorization.sign(KEY, "products/123/devices/dev-1", ET, method);

        assertThat(header).startsWith("version=2018-10-31&res=products%2F123%2Fdevices%2Fdev-1&et=" + ET + "&method=" + method + "&sign=");
        Mac mac = Mac.getInstance(jdkAlgorithm);
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), jdkAlgorithm));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(
                (ET + "\n" + method + "\n" + "products/123/devices/dev-1" + "\n" + "2018-10-31").getBytes(StandardCharsets.UTF_8)));
        String sign = header.substring(header.indexOf("&sign=") + 6);
        assertThat(URLDecoder.decode(sign, StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(sign).doesNotContain("+", "/", "=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5", "sha1", "sha256"})
    void verifyAcceptsWhatSignProduced(String method) {
        assertThat(OneNetAuthorization.verify(OneNetAuthorization.sign(KEY, "products/p1", ET, method), KEY, NOW)).isTrue();
    }

    @Test
    void parseTakesTheProductAndDeviceFromRes() {
        OneNetAuthorization.Parsed p = OneNetAuthorization.parse(OneNetAuthorization.sign(KEY, "products/p1/devices/d9", ET, "sha1")).orElseThrow();
        assertThat(p.productId()).isEqualTo("p1");
        assertThat(p.deviceName()).isEqualTo("d9");
        assertThat(p.et()).isEqualTo(ET);
    }

    @Test
    void verifyRejectsAnExpiredEt() {
        String header = OneNetAuthorization.sign(KEY, "products/p1", NOW - 1, "sha256");
        assertThat(OneNetAuthorization.verify(header, KEY, NOW)).isFalse();
    }

    @Test
    void verifyRejectsAnotherKey() {
        String other = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(OneNetAuthorization.verify(OneNetAuthorization.sign(other, "products/p1", ET, "sha256"), KEY, NOW)).isFalse();
    }

    @Test
    void verifyRejectsATamperedResOrEt() {
        String header = OneNetAuthorization.sign(KEY, "products/p1", ET, "sha256");
        assertThat(OneNetAuthorization.verify(header.replace("products%2Fp1", "products%2Fp2"), KEY, NOW)).isFalse();
        assertThat(OneNetAuthorization.verify(header.replace("et=" + ET, "et=" + (ET + 1)), KEY, NOW)).isFalse();
    }

    @Test
    void verifyAcceptsARawPlusInTheSignature() {
        // Some clients leave base64's '+' unencoded; a '+' is never a space in this header.
        for (long et = ET; et < ET + 200; et++) {
            String header = OneNetAuthorization.sign(KEY, "products/p1", et, "sha256");
            if (header.contains("%2B")) {
                assertThat(OneNetAuthorization.verify(header.replace("%2B", "+"), KEY, NOW)).isTrue();
                return;
            }
        }
        throw new AssertionError("no signature with a '+' in 200 tries");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "garbage",
            "version=2018-10-31&res=products%2Fp1&et=4102444800&method=sha512&sign=abc",
            "version=2017-01-01&res=products%2Fp1&et=4102444800&method=sha1&sign=abc",
            "version=2018-10-31&res=devices%2Fp1&et=4102444800&method=sha1&sign=abc",
            "version=2018-10-31&res=products%2Fp1&et=soon&method=sha1&sign=abc",
            "version=2018-10-31&res=products%2Fp1&method=sha1&sign=abc"})
    void parseRejectsMalformedHeaders(String header) {
        assertThat(OneNetAuthorization.parse(header)).isEmpty();
    }
}
