package io.otaedge.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.RunningControlTest;
import io.otaedge.control.ratelimit.AuthFailures;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The audit trail through the admin API: every write is recorded with the key that made it (id and name, or
 * {@code bootstrap}), the route template and its target ids, the status and the body with secrets hidden; a
 * refused write (403) and a failed authentication (401) are recorded too, and the failure is logged with the
 * address and the key id, never the secret. Entries come newest first, a page at a time, filtered by key or target.
 */
class AuditTrailTest extends RunningControlTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static String product;
    private static String task;

    @BeforeAll
    static void catalog() {
        product = ControlHarness.uniqueId("audit");
        control.createProduct(product);
        String fw = control.uploadFirmware(product, "2.0.0", new byte[64]).get("id").asText();
        task = control.createTask(product, "{\"firmwareId\":\"" + fw + "\",\"stages\":[10,100]}").get("id").asText();
    }

    private static JsonNode entries(String query) {
        HttpResponse<String> r = control.adminGet("/admin/v1/audit" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    /** The entries for {@code target} once there are {@code n}, newest first. */
    private static JsonNode awaitEntries(String target, int n) {
        return Await.until(WAIT, () -> entries("?target=" + target).get("items"), e -> e.size() >= n,
                n + " audit entries for " + target);
    }

    @Test
    void everyWriteIsRecordedWithItsKeyRouteTemplateTargetsStatusAndChange() {
        JsonNode made = ApiKeysTest.createKey(control, "release-bot", "operator");
        String operator = made.get("key").asText();
        assertThat(ApiKeysTest.as(control, operator, "POST", "/admin/v1/tasks/" + task + "/advance", "{\"stage\":1}").statusCode())
                .isEqualTo(200);
        JsonNode e = awaitEntries(task, 1).get(0);
        assertThat(e.get("keyId").asText()).isEqualTo(made.get("id").asText());
        assertThat(e.get("keyName").asText()).isEqualTo("release-bot");
        assertThat(e.get("method").asText()).isEqualTo("POST");
        assertThat(e.get("route").asText()).isEqualTo("/admin/v1/tasks/{taskId}/advance");
        assertThat(e.get("targets").get("taskId").asText()).isEqualTo(task);
        assertThat(e.get("status").asInt()).isEqualTo(200);
        assertThat(e.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(e.get("change").get("body").get("stage").asInt()).isEqualTo(1);
        assertThat(e.get("at").asText()).isNotEmpty();
        assertThat(e.get("id").asText()).matches("\\d+-\\d+");
    }

    @Test
    void readsAreNotRecordedButARefusedWriteIsAndTheKeyCreationNeverHoldsTheSecret() {
        String viewer = ApiKeysTest.createKey(control, "auditor", "viewer").get("key").asText();
        String viewerId = viewer.substring(6, 18);
        assertThat(ApiKeysTest.as(control, viewer, "GET", "/admin/v1/tasks/" + task, null).statusCode()).isEqualTo(200);
        assertThat(ApiKeysTest.as(control, viewer, "POST", "/admin/v1/tasks/" + task + "/stop", null).statusCode()).isEqualTo(403);
        JsonNode byViewer = Await.until(WAIT, () -> entries("?keyId=" + viewerId).get("items"), e -> e.size() >= 1, "the 403");
        assertThat(byViewer).hasSize(1);
        assertThat(byViewer.get(0).get("status").asInt()).isEqualTo(403);
        assertThat(byViewer.get(0).get("route").asText()).isEqualTo("/admin/v1/tasks/{taskId}/stop");

        JsonNode created = Await.until(WAIT, () -> entries("?keyId=bootstrap&limit=1000").get("items"),
                es -> es.toString().contains("\"auditor\""), "the key creation");
        assertThat(created.toString()).doesNotContain(viewer.substring(19));
    }

    @Test
    void aFailedAuthenticationIsLoggedAndAuditedWithTheKeyIdButNeverTheSecret() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuthFailures.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (ControlHarness fresh = new ControlHarness("OTA_ADMIN_AUTH_FAILURES", "0")) {
            String real = ApiKeysTest.createKey(fresh, "to-forge", "admin").get("key").asText();
            String id = real.substring(6, 18);
            String forged = real.substring(0, 19) + "x".repeat(43);
            HttpResponse<String> r = ApiKeysTest.as(fresh, forged, "DELETE", "/admin/v1/products/" + product, null);
            assertThat(r.statusCode()).isEqualTo(401);
            JsonNode e = Await.until(WAIT, () -> ControlHarness.json(fresh.adminGet("/admin/v1/audit?keyId=" + id)).get("items"),
                    es -> es.size() >= 1, "the failed authentication").get(0);
            assertThat(e.get("status").asInt()).isEqualTo(401);
            assertThat(e.get("method").asText()).isEqualTo("DELETE");
            assertThat(e.get("route").asText()).isEqualTo("/admin/v1/products/" + product);
            assertThat(e.get("address").asText()).isEqualTo("127.0.0.1");
            assertThat(e.toString()).doesNotContain("xxxxxxxx");
            assertThat(lines.list).map(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("127.0.0.1").contains("/admin/v1/products/" + product)
                            .contains("API key id " + id))
                    .noneSatisfy(m -> assertThat(m).contains("xxxxxxxx"))
                    .noneSatisfy(m -> assertThat(m).contains(fresh.adminKey));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void pagesComeNewestFirstAndTheCursorWalksBackToTheEnd() {
        String p = ControlHarness.uniqueId("audit-pages");
        control.createProduct(p);
        for (int i = 0; i < 5; i++) {
            assertThat(control.upload(p, "version=1.0." + i, new byte[8]).statusCode()).isEqualTo(201);
        }
        awaitEntries(p, 6);
        JsonNode first = entries("?target=" + p + "&limit=4");
        assertThat(first.get("items")).hasSize(4);
        assertThat(first.get("items").get(0).get("change").get("query").get("version").asText()).isEqualTo("1.0.4");
        String cursor = first.get("nextCursor").asText();
        JsonNode second = entries("?target=" + p + "&limit=4&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("items").get(1).get("route").asText()).isEqualTo("/admin/v1/products");
        assertThat(second.hasNonNull("nextCursor")).as("no further page").isFalse();
        assertThat(entries("?since=2999-01-01T00:00:00Z").get("items")).isEmpty();
    }

    @Test
    void badQueriesAre400() {
        AdminApiTest.assertError(control.adminGet("/admin/v1/audit?limit=0"), 400, "bad_request");
        AdminApiTest.assertError(control.adminGet("/admin/v1/audit?cursor=abc"), 400, "bad_request");
        AdminApiTest.assertError(control.adminGet("/admin/v1/audit?since=yesterday"), 400, "bad_request");
        AdminApiTest.assertError(control.adminGet("/admin/v1/audit?key=x"), 400, "bad_request");
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
