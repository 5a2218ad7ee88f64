package io.otaedge.control.dialect.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.dialect.DeviceInputArbitraries;
import java.io.IOException;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * OneNET's device input against anything: the check's JSON body and query refuse with {@link OneNetCheckRequest.Invalid}
 * (an errno) and nothing else; the {@code Authorization} parser never throws, and reads back what
 * {@link OneNetAuthorization#sign} writes, which then verifies with its key and not with another.
 */
class OneNetParsingPropertyTest {

    @Property(tries = 3000)
    void checkBodiesAreReadOrRefusedWithAnErrno(@ForAll("bodies") byte[] body) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body);
        } catch (IOException notJson) {
            json = null;
        }
        JsonNode node = json;
        onlyInvalid(() -> OneNetCheckRequest.fromJson(node));
    }

    @Property(tries = 3000)
    void checkQueriesAreReadOrRefusedWithAnErrno(@ForAll("queries") String uri) {
        onlyInvalid(() -> OneNetCheckRequest.fromQuery(OneNetCheckHandler.Query.parse(uri)));
    }

    @Property(tries = 3000)
    void authorizationParsingNeverThrows(@ForAll("authorizations") String header) {
        OneNetAuthorization.parse(header).ifPresent(p -> {
            assertThat(p.version()).isEqualTo(OneNetAuthorization.VERSION);
            assertThat(p.productId()).isNotEmpty();
        });
    }

    @Property(tries = 500)
    void signedHeadersReadBackAndVerifyWithTheirKeyOnly(@ForAll("keys") byte[] key, @ForAll("productIds") String pid,
                                                         @ForAll("deviceNames") String device,
                                                         @ForAll @LongRange(min = 0, max = 4_000_000_000L) long et,
                                                         @ForAll("methods") String method) {
        String keyBase64 = Base64.getEncoder().encodeToString(key);
        String res = "products/" + pid + (device.isEmpty() ? "" : "/devices/" + device);
        String header = OneNetAuthorization.sign(keyBase64, res, et, method);
        OneNetAuthorization.Parsed p = OneNetAuthorization.parse(header).orElseThrow();
        assertThat(p.res()).isEqualTo(res);
        assertThat(p.et()).isEqualTo(et);
        assertThat(p.productId()).isEqualTo(pid);
        assertThat(p.deviceName()).isEqualTo(device.isEmpty() ? null : device);
        assertThat(OneNetAuthorization.verify(header, keyBase64, et)).isTrue();
        assertThat(OneNetAuthorization.verify(header, keyBase64, et + 1)).as("expired").isFalse();
        byte[] other = key.clone();
        other[0] ^= 1;
        assertThat(OneNetAuthorization.verify(header, Base64.getEncoder().encodeToString(other), et)).isFalse();
    }

    private static void onlyInvalid(Runnable parse) {
        try {
            parse.run();
        } catch (OneNetCheckRequest.Invalid refused) {
            assertThat(refused.errno()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return DeviceInputArbitraries.bodies();
    }

    @Provide
    Arbitrary<String> queries() {
        return DeviceInputArbitraries.queries();
    }

    @Provide
    Arbitrary<String> authorizations() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.of("version=2018-10-31", "res=products%2Fp1", "res=products%2Fp1%2Fdevices%2Fd1", "res=products/",
                        "et=1", "et=99999999999999999999", "et=-1", "method=sha1", "method=MD5", "method=sha512",
                        "sign=abc%2B%3D", "sign=%", "sign=%zz", "=", "", "version", "res=%E4%B8%AD"),
                DeviceInputArbitraries.text());
        return Arbitraries.oneOf(part.list().ofMaxSize(8).map(l -> String.join("&", l)), Arbitraries.strings().ofMaxLength(1100));
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
    }

    /** Product ids and device names as the catalog allows them ({@code Names}). */
    @Provide
    Arbitrary<String> productIds() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9').withChars("-_.")
                .ofMinLength(1).ofMaxLength(64);
    }

    /** Empty: a product-level token. */
    @Provide
    Arbitrary<String> deviceNames() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("-_.:").ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("md5", "sha1", "sha256", "SHA256");
    }
}
