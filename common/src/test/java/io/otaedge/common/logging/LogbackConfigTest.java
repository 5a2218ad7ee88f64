package io.otaedge.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped logback.xml (not the tests' logback-test.xml), configured in a context of its own: with
 * {@code OTA_LOG_FORMAT=json} every line, access lines included, is one JSON object whose key/value pairs are
 * fields; with the default text format the access line carries them as {@code key="value"}.
 */
class LogbackConfigTest {

    @Test
    void jsonFormatWritesEveryLineAsJsonWithTheAccessFieldsAsFields() throws Exception {
        List<String> lines = logWith("json");
        assertThat(lines).hasSize(2);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode app = mapper.readTree(lines.get(0));
        assertThat(app.path("message").asText()).isEqualTo("started on port 8080");
        assertThat(app.path("level").asText()).isEqualTo("INFO");
        assertThat(app.path("logger_name").asText()).isEqualTo("io.otaedge.Example");
        assertThat(app.has("@timestamp")).isTrue();
        JsonNode access = mapper.readTree(lines.get(1));
        assertThat(access.path("logger_name").asText()).isEqualTo(AccessLogSettings.LOGGER);
        assertThat(access.path("status").asInt()).isEqualTo(206);
        assertThat(access.path("request_id").asText()).isEqualTo("r-1");
        assertThat(access.path("token").asText()).isEqualTo("ota_Ab…");
    }

    @Test
    void textFormatAppendsTheAccessFieldsAsKeyValuePairs() throws Exception {
        List<String> lines = logWith("text");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith("INFO  io.otaedge.Example - started on port 8080");
        assertThat(lines.get(1)).contains("ota.access - GET /ota/download/ota_Ab… 206")
                .contains("status=\"206\"").contains("request_id=\"r-1\"");
    }

    /** Two lines, one on an application logger and one on the access logger, as the format writes them. */
    private static List<String> logWith(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own start-up sets
        context.putProperty(AccessLogSettings.FORMAT_KEY, format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(LogbackConfigTest.class.getResource("/logback.xml"));
            context.getLogger("io.otaedge.Example").info("started on port {}", 8080);
            context.getLogger(AccessLogSettings.LOGGER).atInfo()
                    .addKeyValue("status", 206).addKeyValue("request_id", "r-1").addKeyValue("token", "ota_Ab…")
                    .log("GET /ota/download/ota_Ab… 206");
            context.stop(); // the access appender is asynchronous: stopping drains it
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
