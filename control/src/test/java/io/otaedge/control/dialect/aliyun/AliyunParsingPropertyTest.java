package io.otaedge.control.dialect.aliyun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.dialect.DeviceInputArbitraries;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Aliyun Living's envelope and identity against anything: the envelope never throws (what cannot be read carries
 * no token, so the call is 403); identity and module are read or refused with Aliyun's parameter error (460);
 * the claimed product never throws; an iotId reads back the pair it was made from.
 */
class AliyunParsingPropertyTest {

    @Property(tries = 3000)
    void envelopesNeverThrowAndIdentitiesAreReadOrRefusedWith460(@ForAll("bodies") byte[] body) {
        AliyunEnvelope.Call call = AliyunEnvelope.envelope(body);
        JsonNode params = call.params();
        AliyunAuth.claimedProduct(params);
        if (params == null) {
            return;
        }
        try {
            AliyunIdentity id = AliyunParams.identity(params);
            assertThat(Names.isProductId(id.productKey()) && Names.isDeviceId(id.deviceName())).isTrue();
        } catch (AliyunReply.Failure refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        try {
            assertThat(Names.isModule(AliyunParams.module(params))).isTrue();
        } catch (AliyunReply.Failure refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        JsonNode devices = params.get("devices");
        if (devices != null) {
            AliyunAuth.claimedProduct(devices.isArray() && !devices.isEmpty() ? devices.get(0) : devices);
        }
    }

    @Property(tries = 3000)
    void iotIdsReadBackTheirPairAndNothingElseThrows(@ForAll("productKeys") String productKey, @ForAll("deviceNames") String deviceName,
                                                     @ForAll("anyIotId") String other) {
        AliyunIdentity id = new AliyunIdentity(productKey, deviceName);
        assertThat(AliyunIdentity.ofIotId(id.iotId())).isEqualTo(id);
        AliyunIdentity read = AliyunIdentity.ofIotId(other);
        if (read != null) {
            assertThat(Names.isProductId(read.productKey()) && Names.isDeviceId(read.deviceName())).isTrue();
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> params = DeviceInputArbitraries.object(3);
        Arbitrary<String> envelope = params.map(p -> "{\"id\":\"1\",\"request\":{\"iotToken\":\"t\"},\"params\":" + p + "}");
        return Arbitraries.oneOf(envelope.map(s -> s.getBytes(StandardCharsets.UTF_8)), DeviceInputArbitraries.bodies());
    }

    @Provide
    Arbitrary<String> productKeys() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("_.-").ofMinLength(1).ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> deviceNames() {
        return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').withChars("_.:-").ofMinLength(1).ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> anyIotId() {
        return Arbitraries.oneOf(DeviceInputArbitraries.text(),
                Arbitraries.strings().ofMaxLength(40).map(s -> java.util.Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))));
    }
}
