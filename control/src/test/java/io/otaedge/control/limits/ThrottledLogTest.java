package io.otaedge.control.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The catch-alls' log: the exception with its stack trace, at most one line per kind per interval (frozen clock). */
class ThrottledLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("throttled-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final ThrottledLog log = new ThrottledLog(logger, Duration.ofSeconds(10), now::get);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aWarningKeepsTheExceptionWithItsStackTraceAndIsThrottledPerKind() {
        IllegalStateException failure = new IllegalStateException("store down");
        log.warning("check", "OneNET check failed", failure);
        log.warning("check", "OneNET check failed", failure);
        log.warning("report", "OneNET report failed", failure);
        assertThat(lines.list).hasSize(2);
        ILoggingEvent first = lines.list.get(0);
        assertThat(first.getLevel()).isEqualTo(Level.WARN);
        assertThat(first.getFormattedMessage()).isEqualTo("OneNET check failed");
        assertThat(first.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
        assertThat(first.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.warning("check", "OneNET check failed", failure);
        assertThat(lines.list).hasSize(3);
        assertThat(lines.list.get(2).getFormattedMessage())
                .isEqualTo("OneNET check failed (and 1 more like this since the last such line, not logged)");
        assertThat(lines.list.get(2).getThrowableProxy()).isNotNull();
    }
}
