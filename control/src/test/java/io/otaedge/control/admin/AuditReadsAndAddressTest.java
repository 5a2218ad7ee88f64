package io.otaedge.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail records every admin read that hands out a credential devices authenticate with (the routes
 * {@code AdminRoutes} gives the operator role for that reason: a product with its OneNET access key, a OneNET
 * device key, the LuatOS project key, an Aliyun token, a xiaozhi serial key) as action {@code read_credential}
 * with its key id and targets, never the credential; a viewer's refused read too; other reads are not recorded.
 * And it records the client's address through {@code OTA_TRUSTED_PROXIES}: behind a trusted peer (a load
 * balancer; loopback by default) the right-most {@code X-Forwarded-For} hop it does not trust, from an untrusted
 * peer the peer itself whatever it claims.
 */
class AuditReadsAndAddressTest extends RunningControlTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static String product;

    @BeforeAll
    static void catalog() {
        product = ControlHarness.uniqueId("audit-reads");
        control.createProduct(product);
    }

    private static JsonNode awaitEntries(ControlHarness on, String keyId, int n) {
        return Await.until(WAIT, () -> ControlHarness.json(on.adminGet("/admin/v1/audit?keyId=" + keyId)).get("items"),
                e -> e.size() >= n, n + " audit entries of key " + keyId);
    }

    @Test
    void eachCredentialReadWritesOneEntryWithItsKeyAndTargetsButNeverTheCredential() {
        JsonNode made = ApiKeysTest.createKey(control, "factory-line", "operator");
        String key = made.get("key").asText();
        String keyId = made.get("id").asText();
        // path → route template, in the order read; each answer's credential field.
        Map<String, String[]> reads = new LinkedHashMap<>();
        reads.put("/admin/v1/products/" + product, new String[] {"/admin/v1/products/{productId}", "accessKey"});
        reads.put("/admin/v1/products/" + product + "/onenet-devices/dev-1/key",
                new String[] {"/admin/v1/products/{productId}/onenet-devices/{deviceName}/key", "key"});
        reads.put("/admin/v1/products/" + product + "/luatos-key", new String[] {"/admin/v1/products/{productId}/luatos-key", "projectKey"});
        reads.put("/admin/v1/products/" + product + "/aliyun-token?deviceName=dn-1",
                new String[] {"/admin/v1/products/{productId}/aliyun-token", "iotToken"});
        reads.put("/admin/v1/products/" + product + "/xiaozhi/serials/SN-1/key",
                new String[] {"/admin/v1/products/{productId}/xiaozhi/serials/{serial}/key", "key"});
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> read : reads.entrySet()) {
            HttpResponse<String> r = ApiKeysTest.as(control, key, "GET", read.getKey(), null);
            assertThat(r.statusCode()).as(read.getKey() + ": " + r.body()).isEqualTo(200);
            secrets.put(read.getKey(), ControlHarness.json(r).get(read.getValue()[1]).asText());
        }
        // Reads without a credential are not recorded.
        assertThat(ApiKeysTest.as(control, key, "GET", "/admin/v1/products", null).statusCode()).isEqualTo(200);
        assertThat(ApiKeysTest.as(control, key, "GET", "/admin/v1/products/" + product + "/devices", null).statusCode()).isEqualTo(200);

        JsonNode entries = awaitEntries(control, keyId, reads.size());
        assertThat(entries).as("one entry per credential read, none for the other reads").hasSize(reads.size());
        int i = reads.size() - 1; // newest first
        for (Map.Entry<String, String[]> read : reads.entrySet()) {
            JsonNode e = entries.get(i--);
            assertThat(e.get("action").asText()).isEqualTo("read_credential");
            assertThat(e.get("method").asText()).isEqualTo("GET");
            assertThat(e.get("route").asText()).isEqualTo(read.getValue()[0]);
            assertThat(e.get("targets").get("productId").asText()).isEqualTo(product);
            assertThat(e.get("keyName").asText()).isEqualTo("factory-line");
            assertThat(e.get("status").asInt()).isEqualTo(200);
            assertThat(e.toString()).as("never the credential").doesNotContain(secrets.get(read.getKey()));
        }
        assertThat(entries.get(3).get("targets").get("deviceName").asText()).isEqualTo("dev-1");
        assertThat(entries.get(1).get("change").get("query").get("deviceName").asText()).isEqualTo("dn-1");
        assertThat(entries.get(0).get("targets").get("serial").asText()).isEqualTo("SN-1");
    }

    @Test
    void aViewersRefusedCredentialReadIsRecordedToo() {
        JsonNode made = ApiKeysTest.createKey(control, "curious", "viewer");
        HttpResponse<String> r = ApiKeysTest.as(control, made.get("key").asText(), "GET", "/admin/v1/products/" + product + "/luatos-key", null);
        AdminApiTest.assertError(r, 403, "forbidden");
        JsonNode e = awaitEntries(control, made.get("id").asText(), 1).get(0);
        assertThat(e.get("action").asText()).isEqualTo("read_credential");
        assertThat(e.get("status").asInt()).isEqualTo(403);
    }

    private static HttpResponse<String> createProductThrough(ControlHarness on, String forwardedFor, String pid) {
        return on.send(on.adminRequest("/admin/v1/products").header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"" + pid + "\",\"name\":\"n\"}")).build());
    }

    private static JsonNode entryFor(ControlHarness on, String target) {
        return Await.until(WAIT, () -> ControlHarness.json(on.adminGet("/admin/v1/audit?target=" + target)).get("items"),
                e -> e.size() >= 1, "the audit entry of " + target).get(0);
    }

    @Test
    void behindATrustedProxyTheTrailShowsTheRightMostUntrustedForwardedHop() {
        String pid = ControlHarness.uniqueId("behind-lb");
        // The client claims 203.0.113.7; the balancer (loopback, trusted by default) saw 198.51.100.9.
        assertThat(createProductThrough(control, "203.0.113.7, 198.51.100.9", pid).statusCode()).isEqualTo(201);
        assertThat(entryFor(control, pid).get("address").asText()).isEqualTo("198.51.100.9");

        HttpResponse<String> read = control.send(control.adminRequest("/admin/v1/products/" + pid)
                .header("X-Forwarded-For", "198.51.100.10").GET().build());
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode e = Await.until(WAIT, () -> ControlHarness.json(control.adminGet("/admin/v1/audit?target=" + pid)).get("items"),
                es -> es.size() >= 2, "the read's entry").get(0);
        assertThat(e.get("action").asText()).isEqualTo("read_credential");
        assertThat(e.get("address").asText()).isEqualTo("198.51.100.10");
    }

    @Test
    void fromAnUntrustedPeerTheTrailShowsThePeerWhateverItForwards() {
        try (ControlHarness untrusting = new ControlHarness("OTA_TRUSTED_PROXIES", "10.0.0.0/8")) {
            String pid = ControlHarness.uniqueId("no-lb");
            assertThat(createProductThrough(untrusting, "198.51.100.9", pid).statusCode()).isEqualTo(201);
            assertThat(entryFor(untrusting, pid).get("address").asText()).isEqualTo("127.0.0.1");
        }
    }
}
