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
        control = new ControlHarness();
    }

    @AfterAll
    static void stopControl() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
