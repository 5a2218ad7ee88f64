package io.otaedge.common.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.otaedge.common.logging.AccessLogSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** The access lines logged while attached, as field maps; safe to read from the test thread while event loops log. */
public final class AccessLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<Map<String, Object>> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLogSettings.LOGGER);

    public static AccessLines attach() {
        AccessLines a = new AccessLines();
        a.start();
        a.logger.addAppender(a);
        return a;
    }

    @Override
    protected void append(ILoggingEvent e) {
        Map<String, Object> m = new HashMap<>();
        if (e.getKeyValuePairs() != null) {
            e.getKeyValuePairs().forEach(kv -> m.put(kv.key, kv.value));
        }
        m.put("message", e.getFormattedMessage());
        lines.add(m);
    }

    public List<Map<String, Object>> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
