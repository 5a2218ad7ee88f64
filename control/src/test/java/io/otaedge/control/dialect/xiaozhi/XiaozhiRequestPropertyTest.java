package io.otaedge.control.dialect.xiaozhi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.dialect.DeviceInputArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * xiaozhi's OTA request against anything in its headers and body: read into a request whose names the catalog
 * accepts, or refused with the seed's 400 ({@link XiaozhiRequest.Invalid}), never another exception.
 */
class XiaozhiRequestPropertyTest {

    @Property(tries = 3000)
    void postsAreReadOrRefusedWithTheSeeds400(@ForAll("headers") HttpHeaders headers, @ForAll("bodies") byte[] body) {
        try {
            XiaozhiRequest r = XiaozhiRequest.parse(headers, body);
            assertThat(Names.isDeviceId(r.deviceId()) && Names.isProductId(r.productId()) && Names.isVersion(r.version())).isTrue();
        } catch (XiaozhiRequest.Invalid refused) {
            assertThat(refused.getMessage()).isIn(XiaozhiRequest.INVALID, XiaozhiRequest.DEVICE_ID_REQUIRED);
        }
    }

    @Property(tries = 3000)
    void getsAreReadOrRefusedWithTheSeeds400(@ForAll("headers") HttpHeaders headers) {
        try {
            XiaozhiRequest r = XiaozhiRequest.fromHeaders(headers);
            assertThat(Names.isVersion(r.version())).isTrue();
        } catch (XiaozhiRequest.Invalid refused) {
            assertThat(refused.getMessage()).isIn(XiaozhiRequest.INVALID, XiaozhiRequest.DEVICE_ID_REQUIRED);
        }
    }

    @Provide
    Arbitrary<HttpHeaders> headers() {
        Arbitrary<String> value = Arbitraries.oneOf(DeviceInputArbitraries.text(),
                Arbitraries.of("D4:06:06:B6:A9:FB", "box/1.0.0", "box/", "/1.0", "box", " box / 1.0 ", "1", "2", "SN-1"));
        return Arbitraries.of("Device-Id", "Client-Id", "User-Agent", "Activation-Version", "Serial-Number")
                .set().flatMap(names -> value.list().ofSize(names.size()).map(values -> {
                    HttpHeaders h = new DefaultHttpHeaders(false);
                    int i = 0;
                    for (String name : names) {
                        h.add(name, values.get(i++));
                    }
                    return h;
                }));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(DeviceInputArbitraries.bodies(), Arbitraries.of(
                "{\"application\":{\"version\":\"1.0.0\",\"elf_sha256\":\"x\"},\"board\":{\"type\":\"t\",\"name\":\"n\",\"rssi\":\"-45\"}}",
                "{\"application\":{\"version\":\"1.0.0\",\"elf_sha256\":\"x\"},\"board\":{\"type\":\"t\",\"name\":\"n\"},\"partition_table\":{}}",
                "{\"application\":{\"version\":\"1.0.0\",\"elf_sha256\":\"x\"},\"board\":{\"type\":\"t\",\"name\":\"n\",\"rssi\":1e400}}")
                .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
