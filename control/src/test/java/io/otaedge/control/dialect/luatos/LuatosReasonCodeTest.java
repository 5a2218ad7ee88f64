package io.otaedge.control.dialect.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.engine.NoUpgradeReason;
import org.junit.jupiter.api.Test;

/**
 * Every reason the engine gives maps to a Luat code whose status a device reads as "no upgrade"; on the
 * target or newer is 27 "already latest".
 */
class LuatosReasonCodeTest {

    @Test
    void everyEngineReasonIsARefusalWithItsLuatCode() {
        for (NoUpgradeReason reason : NoUpgradeReason.values()) {
            LuatosCode code = LuatosDecisionHandler.codeOf(reason);
            assertThat(code.status()).as(reason.name()).isGreaterThanOrEqualTo(300);
            boolean latest = reason == NoUpgradeReason.ALREADY_UP_TO_DATE || reason == NoUpgradeReason.NEWER_THAN_TARGET;
            assertThat(code).as(reason.name()).isEqualTo(latest ? LuatosCode.ALREADY_LATEST : LuatosCode.UPGRADE_FORBIDDEN);
        }
        assertThat(LuatosCode.UPGRADE_FORBIDDEN.reason(LuatosDecisionHandler.detail(NoUpgradeReason.NOT_IN_ROLLOUT)))
                .isEqualTo("21 no upgrade for this device: not in rollout");
        assertThat(LuatosDecisionHandler.detail(NoUpgradeReason.NO_TASK)).isNull();
    }
}
