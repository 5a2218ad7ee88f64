package io.otaedge.loadtest.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.ChainBuilder;
import io.otaedge.loadtest.Campaign;
import io.otaedge.loadtest.CampaignSetup;
import io.otaedge.loadtest.LoadSettings;
import io.otaedge.loadtest.OtaAdmin;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * MXCHIP FOG devices (seeds/mxchip-fog-ota.txt, README "Device APIs"). Set-up: the campaign's
 * firmware uploaded again as module {@code mcu} and registered as an online FOG file (ug_type 0)
 * for every device, with the product's token from {@code POST /admin/v1/products/{p}/fog-token}.
 * Devices: the check {@code GET /api/v1/ota/device/?product_id&wifi_version&mcu_version&device_id},
 * the download of the file's {@code file_url} the way the FOG v2 SDK does it
 * ({@code Range: bytes=0-}, identity encoding, keep-alive; 200 or 206), md5 verified, and the
 * version report {@code PUT /api/v1/ota/version/} with the new mcu version.
 */
public final class Fog implements Dialect {

    @Override
    public String name() {
        return "fog";
    }

    @Override
    public Map<String, Object> prepare(CampaignSetup setup) {
        Campaign c = setup.campaign();
        OtaAdmin admin = setup.admin();
        admin.uploadFirmware(c.productId(), c.version(), "mcu", "fw-fog.bin", setup.firmware());
        String authorization = admin.fogAuthorization(c.productId());
        ObjectNode file = OtaAdmin.object()
                .put("file_name", "fw-fog.bin")
                .put("file_url", "http://load-test.invalid/fw-fog.bin") // informational: devices get an edge URL
                .put("md5", c.md5())
                .put("size", (c.size() + 1023) / 1024 + "kb")
                .put("ug_type", 0)
                .put("version", c.version())
                .put("status", 1); // online: the task runs
        admin.createFogFile(LoadSettings.deviceUrl(), authorization, c.productId(), file);
        return Map.of("fogAuthorization", authorization);
    }

    @Override
    public ChainBuilder upgrade() {
        ChainBuilder chain = exec(http("fog check")
                        .get("/api/v1/ota/device/?product_id=#{productId}&wifi_version=#{fromVersion}"
                                + "&mcu_version=#{fromVersion}&device_id=#{mac}")
                        .header("Authorization", "#{fogAuthorization}")
                        .check(status().is(200),
                                jsonPath("$.meta.code").ofInt().is(0),
                                jsonPath("$.data.need_ota").ofBoolean().is(true),
                                jsonPath("$.data.files[0].version").isEL("#{targetVersion}"),
                                jsonPath("$.data.files[0].md5").isEL("#{expectedMd5}"),
                                jsonPath("$.data.files[0].file_url").saveAs("firmwareUrl")))
                .exitHereIfFailed()
                .exec(http("fog download").get("#{firmwareUrl}")
                        .header("Range", "bytes=0-")
                        .header("Accept-Encoding", "identity")
                        .header("Connection", "Keepalive")
                        .check(status().in(200, 206), md5().isEL("#{expectedMd5}")));
        if (!Dialects.reportProgress()) {
            return chain;
        }
        return chain.exec(http("fog version").put("/api/v1/ota/version/")
                .header("Authorization", "#{fogAuthorization}")
                .header("Content-Type", "application/json")
                .body(StringBody("{\"device_id\":\"#{mac}\",\"wifi_version\":\"#{fromVersion}\",\"mcu_version\":\"#{targetVersion}\"}"))
                .check(status().is(200), jsonPath("$.meta.code").ofInt().is(0)));
    }
}
