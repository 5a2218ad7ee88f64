package io.otaedge.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that talks to one running control service (real Redis, real sockets on loopback)
 * and, once its tests are done, asserts that nothing blocked an event loop meanwhile.
 */
public abstract class RunningControlTest {

    protected static ControlHarness control;

    @BeforeAll
    static void startControl() {
        // These classes send wrong keys on purpose and call for one device again and again: the lock-out and
        // rate limits that would earn are AdminAuthenticationTest's and DeviceRateLimitTest's.
        control = new ControlHarness("OTA_ADMIN_AUTH_FAILURES", "0", "OTA_RATE_DEVICE_PER_MINUTE", "0");
    }

    @AfterAll
    static void stopControl() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
