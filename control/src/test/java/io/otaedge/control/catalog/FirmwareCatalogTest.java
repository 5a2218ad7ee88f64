package io.otaedge.control.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Modules, full and differential packages, and release status, through the admin API. */
class FirmwareCatalogTest extends RunningControlTest {

    static byte[] bytes(int n) {
        return FirmwareUploadTest.randomBytes(n, n);
    }

    @Test
    void aPlainUploadIsAFullOnlinePackageOfTheDefaultModule() {
        String pid = ControlHarness.uniqueId("cat-full");
        control.createProduct(pid);
        JsonNode fw = control.uploadFirmware(pid, "1.0", bytes(100));
        assertThat(fw.get("module").asText()).isEqualTo("default");
        assertThat(fw.get("packageType").asText()).isEqualTo("FULL");
        assertThat(fw.get("status").asText()).isEqualTo("ONLINE");
        assertThat(fw.has("sourceVersion")).isFalse();
    }

    @Test
    void differentialPackagesNameTheirSourceAndCoexistWithTheFullPackage() {
        String pid = ControlHarness.uniqueId("cat-diff");
        control.createProduct(pid);
        JsonNode full = control.uploadPackage(pid, "2.0", "module=mcu", bytes(200));
        JsonNode from1 = control.uploadPackage(pid, "2.0", "module=mcu&sourceVersion=1.0", bytes(20));
        JsonNode from15 = control.uploadPackage(pid, "2.0", "module=mcu&sourceVersion=1.5", bytes(21));
        JsonNode wifi = control.uploadPackage(pid, "2.0", "module=wifi", bytes(201));
        assertThat(from1.get("packageType").asText()).isEqualTo("DIFFERENTIAL");
        assertThat(from1.get("sourceVersion").asText()).isEqualTo("1.0");
        assertThat(full.get("packageType").asText()).isEqualTo("FULL");
        assertThat(wifi.get("module").asText()).isEqualTo("wifi");

        HttpResponse<String> again = control.upload(pid, "version=2.0&module=mcu&sourceVersion=1.0", bytes(22));
        FirmwareUploadTest.assertError(again, 409, "firmware_exists");
        FirmwareUploadTest.assertError(control.upload(pid, "version=2.0&sourceVersion=2.0", bytes(22)), 400, "bad_request");

        JsonNode list = ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/firmwares")).get("items");
        assertThat(list).hasSize(4);
        assertThat(list.get(1)).isEqualTo(from1);
        assertThat(list.get(2)).isEqualTo(from15);
    }

    @Test
    void theStatusChangesThroughTheAdminApiAndShowsEverywhere() {
        String pid = ControlHarness.uniqueId("cat-status");
        control.createProduct(pid);
        JsonNode fw = control.uploadPackage(pid, "3.0", "status=test", bytes(300));
        assertThat(fw.get("status").asText()).isEqualTo("TEST");
        String path = "/admin/v1/products/" + pid + "/firmwares/" + fw.get("id").asText();

        HttpResponse<String> r = control.adminPut(path + "/status", "{\"status\":\"ONLINE\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ControlHarness.json(r).get("status").asText()).isEqualTo("ONLINE");
        control.adminPut(path + "/status", "{\"status\":\"invalid\"}");
        assertThat(ControlHarness.json(control.adminGet(path)).get("status").asText()).isEqualTo("INVALID");
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/firmwares"))
                .get("items").get(0).get("status").asText()).isEqualTo("INVALID");
    }

    @Test
    void aBadStatusIs400AndAnUnknownFirmwareIs404() {
        String pid = ControlHarness.uniqueId("cat-bad");
        control.createProduct(pid);
        JsonNode fw = control.uploadFirmware(pid, "1.0", bytes(10));
        String path = "/admin/v1/products/" + pid + "/firmwares/";
        FirmwareUploadTest.assertError(control.adminPut(path + fw.get("id").asText() + "/status", "{\"status\":\"GONE\"}"),
                400, "bad_request");
        FirmwareUploadTest.assertError(control.adminPut(path + "fw_nope/status", "{\"status\":\"TEST\"}"),
                404, "firmware_not_found");
        FirmwareUploadTest.assertError(control.upload(pid, "version=1.1&status=LIVE", bytes(10)), 400, "bad_request");
    }
}
