package io.otaedge.control.dialect.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.dialect.DeviceInputArbitraries;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * libfota's query against anything: read into a request whose names the catalog accepts, or refused with a Luat
 * code ({@link LuatosRequest.Refused}), never another exception.
 */
class LuatosRequestPropertyTest {

    @Property(tries = 5000)
    void queriesAreReadOrRefusedWithALuatCode(@ForAll("queries") String uri) {
        Map<String, List<String>> q;
        try {
            q = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException brokenEscape) {
            return; // the handler answers this one itself (400)
        }
        try {
            LuatosRequest r = LuatosRequest.parse(q);
            assertThat(Names.isProductId(r.productId())).isTrue();
            assertThat(Names.isDeviceId(r.deviceId())).isTrue();
            assertThat(Names.isVersion(r.version())).isTrue();
            assertThat(r.bsp() == null || Names.isModule(r.bsp())).isTrue();
        } catch (LuatosRequest.Refused refused) {
            assertThat(refused.code()).isNotNull();
        }
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> valid = Combinators.combine(
                Arbitraries.of("p1", "P_1.x", "", "a b", "%zz", "p1_LuatOS-SoC_"),
                Arbitraries.of("_LuatOS-SoC_EC618", "_LuatOS-SoC_V1103_EC618", "_LuatOS-SoC_V_x", "_LuatOS-SoC_", "", "_LuatOS-SoC_a/b"),
                Arbitraries.of("1.0.0", "001.002.003", "1.0", "1234567890.1.1", "1.0.0.0", ""),
                Arbitraries.of("imei=861551056400001", "mac=AA:BB", "uid=%C3%A9", "imei=", "mac=a%2Fb", ""))
                .as((p, f, v, d) -> "/api/site/firmware_upgrade?project_key=k&firmware_name=" + p + f + "&version=" + v + "&" + d);
        return Arbitraries.oneOf(valid, valid, DeviceInputArbitraries.queries());
    }
}
