package io.otaedge.control.dialect.hawkbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.dialect.DeviceInputArbitraries;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The two DDI bodies a device writes, feedback ({@code DdiActionFeedback}) and configData ({@code DdiConfigData}),
 * against anything: read into values within hawkBit's rules, or refused with hawkBit's 400
 * ({@code hawkbit.server.error.rest.body.notReadable}), never another exception.
 */
class HawkbitBodyPropertyTest {

    @Property(tries = 3000)
    void feedbackIsReadWithinTheRulesOrRefusedWith400(@ForAll("feedbacks") byte[] body) {
        try {
            HawkbitFeedback fb = HawkbitFeedback.parse(body);
            assertThat(HawkbitFeedback.EXECUTIONS).contains(fb.execution());
            assertThat(HawkbitFeedback.RESULTS).contains(fb.finished());
            assertThat(fb.percent()).isBetween(-1, 100);
            assertThat(fb.details().length()).isLessThanOrEqualTo(512);
        } catch (HawkbitError refused) {
            assertBadBody(refused);
        }
    }

    @Property(tries = 3000)
    void configDataIsReadWithinTheRulesOrRefusedWith400(@ForAll("configs") byte[] body) {
        try {
            HawkbitAttributes update = HawkbitAttributes.parse(body);
            assertThat(update.attributes()).hasSizeLessThanOrEqualTo(HawkbitAttributes.MAX_ATTRIBUTES);
            update.attributes().forEach((name, value) -> {
                assertThat(name).isNotBlank().hasSizeLessThanOrEqualTo(HawkbitAttributes.MAX_LENGTH);
                assertThat(value).hasSizeLessThanOrEqualTo(HawkbitAttributes.MAX_LENGTH);
            });
        } catch (HawkbitError refused) {
            assertBadBody(refused);
        }
    }

    private static void assertBadBody(HawkbitError refused) {
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.info().errorCode()).isEqualTo("hawkbit.server.error.rest.body.notReadable");
        assertThat(refused.info().message()).isNotBlank();
    }

    /** Any value, or one of the words hawkBit takes there. */
    private static Arbitrary<String> valueOr(String... words) {
        if (words.length == 0) {
            return DeviceInputArbitraries.jsonValue(1);
        }
        return Arbitraries.oneOf(DeviceInputArbitraries.jsonValue(1),
                Arbitraries.of(words).map(w -> "\"" + w + "\""));
    }

    @Provide
    Arbitrary<byte[]> feedbacks() {
        Arbitrary<String> count = Arbitraries.oneOf(Arbitraries.integers().between(-2, 5).map(String::valueOf), valueOr());
        Arbitrary<String> progress = Arbitraries.oneOf(
                Combinators.combine(count, count).as((cnt, of) -> "{\"cnt\":" + cnt + ",\"of\":" + of + "}"),
                DeviceInputArbitraries.jsonValue(1));
        Arbitrary<String> result = Arbitraries.oneOf(
                Combinators.combine(valueOr("success", "failure", "none", "SUCCESS"), progress)
                        .as((finished, p) -> "{\"finished\":" + finished + ",\"progress\":" + p + "}"),
                DeviceInputArbitraries.jsonValue(1));
        Arbitrary<String> details = Arbitraries.oneOf(
                DeviceInputArbitraries.text().map(t -> "[" + quote(t) + ", \" \"]"),
                Arbitraries.just("[\"" + "x".repeat(600) + "\"]"),
                DeviceInputArbitraries.jsonValue(1));
        Arbitrary<String> status = Combinators.combine(
                        valueOr("closed", "proceeding", "canceled", "scheduled", "rejected", "resumed", "downloaded", "download", "done"),
                        result, details)
                .as((execution, r, d) -> "{\"execution\":" + execution + ",\"result\":" + r + ",\"details\":" + d + "}");
        return Arbitraries.oneOf(
                status.map(s -> utf8("{\"id\":\"1\",\"time\":\"20260101T120000\",\"status\":" + s + "}")),
                status.map(s -> utf8("{\"status\":" + s + "}")),
                DeviceInputArbitraries.bodies());
    }

    @Provide
    Arbitrary<byte[]> configs() {
        Arbitrary<String> name = Arbitraries.oneOf(DeviceInputArbitraries.text(), Arbitraries.of("version", "hwId", " ", "", "a".repeat(129)));
        Arbitrary<String> member = Combinators.combine(name.map(HawkbitBodyPropertyTest::quote),
                        Arbitraries.oneOf(DeviceInputArbitraries.jsonValue(1), Arbitraries.just("\"" + "v".repeat(129) + "\"")))
                .as((k, v) -> k + ":" + v);
        Arbitrary<String> data = Arbitraries.oneOf(member.list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}"),
                DeviceInputArbitraries.jsonValue(1));
        return Arbitraries.oneOf(
                Combinators.combine(data, valueOr("merge", "replace", "remove", "MERGE"))
                        .as((d, mode) -> utf8("{\"mode\":" + mode + ",\"data\":" + d + "}")),
                data.map(d -> utf8("{\"id\":\"\",\"data\":" + d + "}")),
                DeviceInputArbitraries.bodies());
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
