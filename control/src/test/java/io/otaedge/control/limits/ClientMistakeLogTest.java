package io.otaedge.control.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.otaedge.control.ControlHarness;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Client mistakes cost one short line, throttled (issue #13: each malformed request-target wrote a ~4 KB
 * stack trace, 1 MB/s of log at 250 requests a second, unauthenticated); a server error keeps its stack trace,
 * throttled the same way.
 */
class ClientMistakeLogTest {

    @Test
    void twoHundredFiftyMalformedTargetsWriteOneShortLineWithoutAStackTrace() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        try (ControlHarness h = new ControlHarness()) {
            root.addAppender(appender);
            for (int i = 0; i < 250; i++) {
                assertThat(h.rawDevice("GET", i % 2 == 0 ? "/%" : "/a|b", null, null).status()).isEqualTo(400);
            }
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> lines = appender.list.stream()
                .filter(e -> e.getFormattedMessage().contains("refused a request")).toList();
        // One per kind per 10 s; the test may straddle one boundary.
        assertThat(lines).hasSizeBetween(1, 2);
        assertThat(lines).allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).isNull();
            assertThat(e.getFormattedMessage()).hasSizeLessThan(300);
        });
        assertThat(appender.list).noneSatisfy(e -> assertThat(e.getThrowableProxy()).isNotNull());
    }

    @Test
    void aServerErrorKeepsItsStackTraceAndTheLeftOutOnesAreCounted() {
        Logger logger = (Logger) LoggerFactory.getLogger("ThrottledLogTest");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        AtomicLong now = new AtomicLong();
        ThrottledLog log = new ThrottledLog(logger, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 100; i++) {
            log.serverError("internal", "admin POST /x failed", new IllegalStateException("bug"));
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.serverError("internal", "admin POST /x failed", new IllegalStateException("bug"));
        logger.detachAppender(appender);
        assertThat(appender.list).hasSize(2);
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNotNull());
        assertThat(appender.list.get(1).getFormattedMessage()).contains("and 99 more like this");
    }
}
