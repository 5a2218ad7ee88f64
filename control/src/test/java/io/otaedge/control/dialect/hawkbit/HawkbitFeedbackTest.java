package io.otaedge.control.dialect.hawkbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Feedback and configData bodies as SWUpdate 2022.12 writes them ({@code suricatta/server_hawkbit.c} of
 * github.com/sbabic/swupdate at tag 2022.12: {@code json_hawkbit_deployment_feedback},
 * {@code json_hawkbit_config_data}), and what hawkBit refuses.
 */
class HawkbitFeedbackTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void swupdatesDeploymentFeedbackIsReadWithItsIdAndTimeIgnored() {
        HawkbitFeedback fb = HawkbitFeedback.parse(utf8("""
                { "id": 7, "time": "20260101T120000", "status": { "result": { "progress": { "cnt" : 1, "of" : 1 },
                  "finished": "none" }, "execution": "proceeding", "details" : [ "All Chunks Installed." ] } }"""));
        assertThat(fb.execution()).isEqualTo("proceeding");
        assertThat(fb.finished()).isEqualTo("none");
        assertThat(fb.percent()).isEqualTo(100);
        assertThat(fb.details()).isEqualTo("All Chunks Installed.");
    }

    @Test
    void swupdatesLogFlushWithOfZeroCarriesNoPercentage() {
        HawkbitFeedback fb = HawkbitFeedback.parse(utf8("""
                {"id": 7, "time": "x", "status": {"result": {"progress": {"cnt": 3, "of": 0}, "finished": "none"},
                 "execution": "proceeding", "details": [ " " ]}}"""));
        assertThat(fb.percent()).isEqualTo(-1);
        assertThat(fb.details()).isEmpty();
    }

    @Test
    void aBodyWithoutAKnownExecutionIsABadBody() {
        assertThatThrownBy(() -> HawkbitFeedback.parse(utf8("{\"status\":{\"execution\":\"done\"}}")))
                .isInstanceOfSatisfying(HawkbitError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.info().errorCode()).isEqualTo("hawkbit.server.error.rest.body.notReadable");
                });
        assertThatThrownBy(() -> HawkbitFeedback.parse(utf8("not json"))).isInstanceOf(HawkbitError.class);
        assertThatThrownBy(() -> HawkbitFeedback.parse(utf8("{\"status\":{\"execution\":\"closed\",\"result\":{\"progress\":{\"cnt\":-1}}}}")))
                .isInstanceOf(HawkbitError.class);
    }

    @Test
    void swupdatesConfigDataIsReadAsAttributes() {
        assertThat(HawkbitAttributes.parse(utf8("""
                { "id": "", "time": "20260101T120000", "status": { "result": { "finished": "success" },
                  "execution": "closed", "details" : [ "" ] }, "data" : { "version": "1.0.0", "hwId": "ota-edge" } }""")).attributes())
                .containsExactly(java.util.Map.entry("version", "1.0.0"), java.util.Map.entry("hwId", "ota-edge"));
        assertThatThrownBy(() -> HawkbitAttributes.parse(utf8("{\"data\":{\"a\":\"b\"},\"mode\":\"upsert\"}")))
                .isInstanceOf(HawkbitError.class);
        assertThatThrownBy(() -> HawkbitAttributes.parse(utf8("{\"data\":{\"a\":{\"nested\":1}}}")))
                .isInstanceOf(HawkbitError.class);
    }

    @Test
    void tokensMatchOnlyTheirOwnHashAndSchemesAreHawkbits() {
        String token = HawkbitTokens.generate();
        assertThat(token).hasSize(HawkbitTokens.LENGTH).matches("[0-9A-Za-z]+");
        assertThat(HawkbitTokens.matches(HawkbitTokens.hash(token), token)).isTrue();
        assertThat(HawkbitTokens.matches(HawkbitTokens.hash(token), token + "x")).isFalse();
        assertThat(HawkbitTokens.matches(null, token)).isFalse();
        assertThat(HawkbitAuth.scheme("TargetToken abc")).isEqualTo(HawkbitAuth.TARGET);
        assertThat(HawkbitAuth.scheme("gatewaytoken abc")).isEqualTo(HawkbitAuth.GATEWAY);
        assertThat(HawkbitAuth.scheme("Bearer abc")).isNull();
        assertThat(HawkbitAuth.scheme("TargetTokenabc")).isNull();
    }
}
