package io.otaedge.edge.access;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.otaedge.common.logging.AccessLogSettings;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.wire.EdgeError;
import io.otaedge.edge.wire.EncodedResponse;
import io.otaedge.edge.wire.Responses;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The edge's access log alone on an {@link EmbeddedChannel} with frozen time, the exchange record filled by hand as
 * the codec and the download handler would; the lines read back through a logback {@link ListAppender} on
 * {@code ota.access}.
 */
class EdgeAccessLogTest {

    static final String TOKEN = "ota_0123456789abcdefghij";

    final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(AccessLogSettings.LOGGER);
    EmbeddedChannel ch;
    Exchanges exchanges;

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    void channel(AccessLogSettings settings) {
        ch = new EmbeddedChannel(new EdgeAccessLog(settings, "/api/site/firmware_upgrade", false));
        ch.freezeTime();
        exchanges = Exchanges.of(ch);
    }

    HttpRequest arrive(String uri, String... headers) {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().set(headers[i], headers[i + 1]);
        }
        exchanges.arrived(req, ch.eventLoop().ticker().nanoTime());
        exchanges.received();
        exchanges.start();
        return req;
    }

    void respondRange(int bodyBytes) {
        ch.write(EncodedResponse.head(206, Unpooled.copiedBuffer("HTTP/1.1 206 Partial Content\r\n\r\n", StandardCharsets.US_ASCII)));
        ch.write(Unpooled.wrappedBuffer(new byte[bodyBytes]));
    }

    static Map<String, Object> fields(ILoggingEvent e) {
        Map<String, Object> m = new HashMap<>();
        e.getKeyValuePairs().forEach(kv -> m.put(kv.key, kv.value));
        return m;
    }

    @Test
    void aRangedDownloadIsOneLineWrittenWhenItsLastWriteCompleted() {
        channel(AccessLogSettings.EVERY);
        arrive("/ota/download/" + TOKEN + "?x=1", "Range", "bytes=0-99");
        exchanges.device("dev-42");
        respondRange(100);
        ch.flush();
        assertThat(lines.list).as("nothing before the response's end").isEmpty();
        ch.advanceTimeBy(7, TimeUnit.MILLISECONDS);
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        Map<String, Object> f = fields(line);
        assertThat(f).containsEntry("service", "edge").containsEntry("method", "GET").containsEntry("route", "standard")
                .containsEntry("path", "/ota/download/ota_01…").containsEntry("token", "ota_01…")
                .containsEntry("device", "dev-42").containsEntry("range", "bytes=0-99").containsEntry("status", 206)
                .containsEntry("bytes", 100L).containsEntry("duration_ms", 7.0).containsEntry("completed", true);
        assertThat((String) f.get("request_id")).matches("[0-9A-Za-z]{16}");
        assertThat(line.getFormattedMessage()).isEqualTo("GET /ota/download/ota_01… 206");
        assertThat(f.values()).noneMatch(v -> String.valueOf(v).contains(TOKEN.substring(6)));
    }

    @Test
    void theCallersSaneRequestIdIsLoggedAndAForgedOneReplaced() {
        channel(AccessLogSettings.EVERY);
        arrive("/ota/download/" + TOKEN, "X-Request-Id", "lb-7f3a-01");
        ch.writeAndFlush(Responses.error(EdgeError.NO_ROUTE, Disposition.KEEP_ALIVE, 5));
        exchanges.responded();
        exchanges.end();
        HttpRequest forged = arrive("/ota/download/" + TOKEN, "X-Request-Id", "x\" status=200");
        ch.writeAndFlush(Responses.error(EdgeError.NO_ROUTE, Disposition.KEEP_ALIVE, 5));

        assertThat(lines.list).hasSize(2);
        assertThat(fields(lines.list.get(0))).containsEntry("request_id", "lb-7f3a-01").containsEntry("status", 404);
        String made = (String) fields(lines.list.get(1)).get("request_id");
        assertThat(made).matches("[0-9A-Za-z]{16}");
        assertThat(forged.headers().get("X-Request-Id")).as("what a forward to control would send").isEqualTo(made);
    }

    @Test
    void aRefusalBeforeAnyRequestIsLoggedWithItsStatus() {
        channel(AccessLogSettings.EVERY);
        ch.writeAndFlush(Responses.error(EdgeError.OVERLOADED, Disposition.CLOSE, 5));
        assertThat(lines.list).hasSize(1);
        assertThat(fields(lines.list.get(0))).containsEntry("status", HttpResponseStatus.SERVICE_UNAVAILABLE.code());
    }

    @Test
    void anAbortedResponseIsLoggedAsNotCompleted() {
        channel(AccessLogSettings.EVERY);
        arrive("/ota/download/" + TOKEN);
        respondRange(10);
        ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
        ch.close(); // the peer went away with the response still queued
        assertThat(lines.list).hasSize(1);
        assertThat(fields(lines.list.get(0))).containsEntry("completed", false);
    }

    @Test
    void aSampleOfZeroLogsNothing() {
        channel(new AccessLogSettings(true, 0));
        for (int i = 0; i < 50; i++) {
            arrive("/ota/download/" + TOKEN);
            respondRange(10);
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            exchanges.responded();
            exchanges.end();
        }
        assertThat(lines.list).isEmpty();
    }
}
