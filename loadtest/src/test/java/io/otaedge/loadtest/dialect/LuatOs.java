package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;
import io.otaedge.loadtest.CampaignSetup;
import io.otaedge.loadtest.LoadSettings;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * LuatOS libfota devices (seeds/luatos-libfota.txt, README "Device APIs"): one GET to the edge
 * ({@code ota.edgeUrl}), {@code /api/site/firmware_upgrade?project_key&firmware_name&version&imei},
 * that both decides and downloads: 200 with the firmware as the body (Content-Length, md5 verified
 * here) means upgrade. Sent with {@code Connection: Close}, as the device does. PROJECT in
 * {@code firmware_name} is the product id; {@code project_key} is the product's key from
 * {@code GET /admin/v1/products/{p}/luatos-key}. The edge needs {@code OTA_INTERNAL_SECRET} and
 * control's operator URL (the standalone sets both). libfota has no progress call.
 */
public final class LuatOs implements Dialect {

    @Override
    public String name() {
        return "luatos";
    }

    @Override
    public Map<String, Object> prepare(CampaignSetup setup) {
        return Map.of("luatosProjectKey", setup.admin().luatosProjectKey(setup.campaign().productId()));
    }

    @Override
    public ChainBuilder upgrade() {
        String url = LoadSettings.edgeUrl() + "/api/site/firmware_upgrade?project_key=#{luatosProjectKey}"
                + "&firmware_name=#{productId}_LuatOS-SoC_EC618&version=#{fromVersion}&imei=#{imei}";
        return exec(http("luatos upgrade").get(url)
                .header("Connection", "Close")
                .check(status().is(200),
                        header("Content-Length").isEL("#{expectedSize}"),
                        md5().isEL("#{expectedMd5}")));
    }
}
