package io.otaedge.control.admin;

import static io.otaedge.control.admin.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /admin/v1/products/{p}}: only an empty product goes (204); one holding a firmware, a task or a device
 * is refused with 409 {@code product_not_empty} naming what it holds and pointing to archiving; an upload racing the
 * delete never leaves a firmware of a deleted product.
 */
class ProductDeleteTest extends RunningControlTest {

    private static HttpResponse<String> delete(String pid) {
        return control.adminDelete("/admin/v1/products/" + pid);
    }

    private static void refused(String pid, String holds) {
        HttpResponse<String> r = delete(pid);
        assertError(r, 409, "product_not_empty");
        assertThat(r.body()).contains(holds, "archive");
        assertThat(control.adminGet("/admin/v1/products/" + pid).statusCode()).as("still there").isEqualTo(200);
    }

    @Test
    void refusedWhileItHoldsAFirmware() {
        String pid = ControlHarness.uniqueId("pdelfw");
        control.createProduct(pid);
        control.uploadFirmware(pid, "1.0", new byte[] {1});
        refused(pid, "1 firmware(s)");
    }

    @Test
    void refusedWhileItHoldsATaskEvenOnceItsFirmwareIsGone() {
        String pid = ControlHarness.uniqueId("pdeltask");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "1.0", new byte[] {2}).get("id").asText();
        String task = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        control.adminPost("/admin/v1/tasks/" + task + "/stop", "");
        assertThat(control.adminDelete("/admin/v1/products/" + pid + "/firmwares/" + fw).statusCode()).isEqualTo(204);
        refused(pid, "1 task(s)");
    }

    @Test
    void refusedWhileItHoldsADevice() {
        String pid = ControlHarness.uniqueId("pdeldev");
        String key = control.createProduct(pid);
        control.checkJson(ControlHarness.authorization(key, pid), ControlHarness.seedBody(5, "1.0"));
        refused(pid, "1 device(s)");
    }

    @Test
    void anEmptyProductIsDeletedWithItsDialectSettingsAndItsIdCanBeUsedAgain() {
        String pid = ControlHarness.uniqueId("pdel");
        control.createProduct(pid);
        assertThat(control.adminPut("/admin/v1/products/" + pid + "/hawkbit", "{\"pollingSleep\":\"00:07:00\"}").statusCode())
                .isEqualTo(200);

        assertThat(delete(pid).statusCode()).isEqualTo(204);
        assertError(control.adminGet("/admin/v1/products/" + pid), 404, "product_not_found");
        assertError(delete(pid), 404, "product_not_found");
        assertThat(control.adminList("/admin/v1/products?status=all").stream().map(p -> p.get("productId").asText()))
                .doesNotContain(pid);

        control.createProduct(pid);
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/hawkbit")).get("pollingSleep").asText())
                .as("the old product's settings went with it: the default again").isEqualTo("00:05:00");
    }

    @Test
    void anUploadRacingTheDeleteNeverLeavesAFirmwareOfADeletedProduct() throws Exception {
        for (int i = 0; i < 20; i++) {
            String pid = ControlHarness.uniqueId("pdelrace");
            control.createProduct(pid);
            CompletableFuture<HttpResponse<String>> upload = CompletableFuture.supplyAsync(
                    () -> control.upload(pid, "version=1.0&fileName=fw.bin", ("race" + pid).getBytes(StandardCharsets.US_ASCII)));
            CompletableFuture<HttpResponse<String>> delete = CompletableFuture.supplyAsync(() -> delete(pid));
            int uploaded = upload.get().statusCode();
            int deleted = delete.get().statusCode();
            long firmwares = control.redis.async().zcard(RedisKeys.firmwares(pid)).get();
            if (deleted == 204) {
                assertThat(uploaded).as(upload.get().body()).isEqualTo(404);
                assertThat(firmwares).isZero();
                assertThat(control.redis.async().exists(RedisKeys.product(pid)).get()).isZero();
            } else {
                assertThat(deleted).isEqualTo(409);
                assertThat(uploaded).isEqualTo(201);
                assertThat(firmwares).isEqualTo(1);
            }
        }
    }

    @Test
    void deleteNeedsTheAdminRole() {
        String pid = ControlHarness.uniqueId("pdelrole");
        control.createProduct(pid);
        String operator = ControlHarness.json(control.adminPost("/admin/v1/keys", "{\"name\":\"op\",\"role\":\"operator\"}"))
                .get("key").asText();
        HttpResponse<String> r = control.send(java.net.http.HttpRequest.newBuilder(control.admin("/admin/v1/products/" + pid))
                .header("Authorization", "Bearer " + operator).DELETE().build());
        assertError(r, 403, "forbidden");
        HttpResponse<String> archive = control.send(java.net.http.HttpRequest.newBuilder(control.admin("/admin/v1/products/" + pid))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"status\":\"archived\"}")).build());
        assertThat(archive.statusCode()).as("an operator archives: " + archive.body()).isEqualTo(200);
    }
}
