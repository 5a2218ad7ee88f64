package io.otaedge.control.dialect.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The board platform of {@code firmware_name} as libfota2 and libfota build it (openLuat/LuatOS
 * {@code script/libs/libfota2.lua}, {@code libfota.lua}): libfota names a board without a radio
 * {@code <PROJECT>_LuatOS-SoC_V<core>_<bsp>}, which is the same platform as libfota2's {@code <bsp>}.
 */
class LuatosRequestTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "p_LuatOS-SoC_EC618, EC618",
            "p_LuatOS-SoC_V1003_AIR101, AIR101",
            "p_LuatOS-SoC_V1004_AIR101, AIR101",
            "p_LuatOS-SoC_Air8101, Air8101",
            "p_LuatOS-SoC_VX_AIR101, VX_AIR101",
            "p_LuatOS-SoC_V_AIR101, V_AIR101"})
    void theBoardPlatformOfFirmwareNameDropsLibfotasCoreVersion(String firmwareName, String bsp) {
        LuatosRequest r = LuatosRequest.parse(new QueryStringDecoder("?project_key=k&firmware_name=" + firmwareName
                + "&version=002.000.000&uid=0102").parameters());
        assertThat(r.productId()).isEqualTo("p");
        assertThat(r.bsp()).isEqualTo(bsp);
    }
}
