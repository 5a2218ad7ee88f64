package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * MXCHIP FOG devices (seeds/mxchip-fog-ota.txt, PROTOCOLS.md "MXCHIP FOG"): the device check
 * {@code GET /api/v1/ota/device/?product_id&wifi_version&mcu_version}, the download of the first
 * file's {@code file_url} the way the FOG v2 SDK does it ({@code Range: bytes=0-}, identity
 * encoding, keep-alive; 200 or 206), and the version report {@code PUT /api/v1/ota/version/}.
 * Sends {@code Authorization: token <ota.fogToken>}. Off by default until the endpoints exist.
 */
public final class Fog implements Dialect {

    @Override
    public String name() {
        return "fog";
    }

    @Override
    public ChainBuilder upgrade() {
        String authorization = "token " + System.getProperty("ota.fogToken", "load-test");
        ChainBuilder chain = exec(http("fog check")
                        .get("/api/v1/ota/device/?product_id=#{productId}&wifi_version=#{fromVersion}&mcu_version=#{fromVersion}")
                        .header("Authorization", authorization)
                        .check(status().is(200),
                                jsonPath("$.meta.code").ofInt().is(0),
                                jsonPath("$.data.need_ota").ofBoolean().is(true),
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
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .body(StringBody("{\"device_id\":\"#{mac}\",\"wifi_version\":\"#{targetVersion}\",\"mcu_version\":\"#{targetVersion}\"}"))
                .check(status().is(200), jsonPath("$.meta.code").ofInt().is(0)));
    }
}
