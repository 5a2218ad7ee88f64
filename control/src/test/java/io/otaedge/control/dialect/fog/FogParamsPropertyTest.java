package io.otaedge.control.dialect.fog;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.dialect.DeviceInputArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * FOG's parameters from JSON bodies, forms and query strings, read the way its handlers read them: every
 * failure is FOG's own parameter error (code 10000), never another exception.
 */
class FogParamsPropertyTest {

    @Property(tries = 3000)
    void bodiesAreReadOrRefusedWithFogsParameterError(@ForAll("contentTypes") String contentType, @ForAll("bodies") byte[] body) {
        onlyParameterErrors(() -> readAll(FogParams.body(contentType, body)));
    }

    @Property(tries = 3000)
    void queriesAreReadOrRefusedWithFogsParameterError(@ForAll("queries") String uri) {
        onlyParameterErrors(() -> readAll(FogParams.form(uri)));
    }

    /** What FogDeviceHandler and FogFilesHandler ask of a request's parameters. */
    private static void readAll(FogParams p) {
        for (String field : DeviceInputArbitraries.FIELDS) {
            attempt(() -> p.required(field));
            attempt(() -> p.optional(field));
            attempt(() -> p.optionalInt(field, 0, -100, 100));
            attempt(() -> p.optionalList(field));
            p.has(field);
        }
    }

    private static void attempt(Runnable r) {
        try {
            r.run();
        } catch (FogReply.Failure expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static void onlyParameterErrors(Runnable r) {
        try {
            r.run();
        } catch (FogReply.Failure expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of(null, "application/json", "APPLICATION/X-WWW-FORM-URLENCODED; charset=utf-8",
                "application/x-www-form-urlencoded", "text/plain", "");
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(DeviceInputArbitraries.bodies(),
                DeviceInputArbitraries.queries().map(q -> q.substring(q.indexOf('?') + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> queries() {
        return DeviceInputArbitraries.queries();
    }
}
