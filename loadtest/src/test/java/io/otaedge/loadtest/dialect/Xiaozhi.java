package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * xiaozhi-esp32 boards (seeds/xiaozhi-ota-gateway.txt, README "Device APIs"): {@code POST /v1/ota/}
 * with the firmware's headers and a Wi-Fi board body, then a plain GET of {@code firmware.url} (an
 * edge URL) that must be a 200 with the full Content-Length (the device accepts nothing else),
 * md5 verified. The board name in {@code User-Agent} ({@code <board>/<version>}) is the product
 * id, so no set-up beyond the campaign. The firmware has no progress call: a device reports its
 * new version with its next check.
 */
public final class Xiaozhi implements Dialect {

    private static final String BODY = "{\"version\":0,\"uuid\":\"#{clientId}\","
            + "\"application\":{\"name\":\"#{productId}\",\"version\":\"#{fromVersion}\","
            + "\"elf_sha256\":\"00000000000000000000000000000000000000000000000000000000000000ff\"},"
            + "\"ota\":{\"label\":\"#{productId}\"},"
            + "\"board\":{\"type\":\"#{productId}\",\"name\":\"#{productId}\",\"ssid\":\"LoadTest\",\"rssi\":-50,"
            + "\"channel\":6,\"ip\":\"10.0.0.2\",\"mac\":\"#{mac}\"},"
            + "\"flash_size\":16777216,\"mac_address\":\"#{mac}\",\"chip_model_name\":\"esp32s3\"}";

    @Override
    public String name() {
        return "xiaozhi";
    }

    @Override
    public ChainBuilder upgrade() {
        return exec(http("xiaozhi check").post("/v1/ota/")
                        .header("Activation-Version", "1")
                        .header("Device-Id", "#{mac}")
                        .header("Client-Id", "#{clientId}")
                        .header("User-Agent", "#{productId}/#{fromVersion}")
                        .header("Accept-Language", "zh-CN")
                        .header("Content-Type", "application/json")
                        .header("Connection", "close")
                        .body(StringBody(BODY))
                        .check(status().is(200),
                                jsonPath("$.firmware.version").isEL("#{targetVersion}"),
                                jsonPath("$.firmware.url").saveAs("firmwareUrl")))
                .exitHereIfFailed()
                .exec(http("xiaozhi download").get("#{firmwareUrl}")
                        .header("Connection", "close")
                        .check(status().is(200),
                                header("Content-Length").isEL("#{expectedSize}"),
                                md5().isEL("#{expectedMd5}")));
    }
}
