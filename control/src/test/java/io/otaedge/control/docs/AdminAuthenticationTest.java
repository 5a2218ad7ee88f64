package io.otaedge.control.docs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.ratelimit.AuthFailures;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator port's gate: every admin and internal operation in docs/openapi.yaml (and paths nobody
 * documented) answers 401 without a key and with a wrong one; failed keys are counted, and past
 * {@code OTA_ADMIN_AUTH_FAILURES} from one address that address gets 429 with {@code Retry-After}, even with
 * the right key, and one log line names it.
 */
class AdminAuthenticationTest {

    static final String SECRET = "admin-auth-test-internal-secret";

    record Call(String method, String path, boolean internal) {
    }

    static List<Call> documentedAdminCalls() throws IOException {
        JsonNode spec = new YAMLMapper().readTree(Path.of("..", "docs", "openapi.yaml").toFile());
        List<Call> calls = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            if (p.getValue().has("servers")) {
                continue; // the device port's
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> o = ops.next();
                if (OpenApiContractTest.METHODS.contains(o.getKey())) {
                    calls.add(new Call(o.getKey().toUpperCase(), p.getKey().replaceAll("\\{[^}]+}", "x1"),
                            o.getValue().path("security").toString().contains("internalSecret")));
                }
            }
        }
        calls.add(new Call("GET", "/admin/v1/undocumented", false));
        calls.add(new Call("POST", "/internal/v1/undocumented", true));
        calls.add(new Call("DELETE", "/anything", false));
        return calls;
    }

    @Test
    void everyDocumentedAdminAndInternalOperationAnswers401WithoutAKeyAndWithAWrongOne() throws IOException {
        List<Call> calls = documentedAdminCalls();
        assertThat(calls.stream().filter(Call::internal)).hasSizeGreaterThanOrEqualTo(3);
        try (ControlHarness control = new ControlHarness("OTA_INTERNAL_SECRET", SECRET, "OTA_ADMIN_AUTH_FAILURES", "0")) {
            for (Call c : calls) {
                for (String[] header : List.of(new String[0],
                        c.internal() ? new String[] {"X-OTA-Internal-Secret", SECRET + "x"} : new String[] {"Authorization", "Bearer wrong"},
                        // the other credential opens nothing here
                        c.internal() ? new String[] {"Authorization", "Bearer " + control.adminKey}
                                : new String[] {"X-OTA-Internal-Secret", SECRET})) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(control.admin(c.path()))
                            .method(c.method(), HttpRequest.BodyPublishers.ofString("{}"));
                    if (header.length > 0) {
                        b.header(header[0], header[1]);
                    }
                    HttpResponse<String> r = control.send(b.build());
                    String what = c.method() + " " + c.path() + " with " + (header.length == 0 ? "nothing" : header[0]);
                    assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(401);
                    if (!c.method().equals("HEAD")) {
                        assertThat(ControlHarness.json(r).get("error").asText()).as(what).isEqualTo("unauthorized");
                    }
                }
            }
            assertThat(control.server.metrics().registry().get("ota.control.admin.auth.failures").tag("endpoint", "admin")
                    .counter().count()).isGreaterThanOrEqualTo(2.0 * calls.stream().filter(c -> !c.internal()).count());
            // The open ones stay open, and the right key still works.
            assertThat(control.send(HttpRequest.newBuilder(control.admin("/health/live")).GET().build()).statusCode()).isEqualTo(200);
            assertThat(control.adminGet("/admin/v1/products").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anAddressPastItsFailedKeysGets429WithRetryAfterEvenWithTheRightKeyAndIsLoggedOnce() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuthFailures.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (ControlHarness control = new ControlHarness("OTA_ADMIN_AUTH_FAILURES", "3", "OTA_ADMIN_AUTH_WINDOW", "PT1M")) {
            HttpRequest wrong = HttpRequest.newBuilder(control.admin("/admin/v1/products")).header("Authorization", "Bearer nope")
                    .GET().build();
            for (int i = 0; i < 3; i++) {
                assertThat(control.send(wrong).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> locked = control.adminGet("/admin/v1/products");
            assertThat(locked.statusCode()).as(locked.body()).isEqualTo(429);
            assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 20L);
            assertThat(ControlHarness.json(locked).get("error").asText()).isEqualTo("too_many_requests");
            for (int i = 0; i < 50; i++) {
                assertThat(control.send(wrong).statusCode()).isEqualTo(429);
            }
            var registry = control.server.metrics().registry();
            assertThat(registry.get("ota.control.admin.auth.failures").tag("endpoint", "admin").counter().count()).isEqualTo(3.0);
            assertThat(registry.get("ota.control.admin.auth.throttled").counter().count()).isEqualTo(51.0);
            assertThat(lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("127.0.0.1")
                    && m.contains("refusing it with 429"))).hasSize(1);
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
