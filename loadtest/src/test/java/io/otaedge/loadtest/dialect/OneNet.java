package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.otaedge.loadtest.LoadSettings;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * OneNET south API devices (seeds/onenet-south-check.txt, PROTOCOLS.md "OneNET"): the JSON check
 * with the HMAC {@code Authorization}, the download from {@code ipPort}, and unless
 * {@code -Dota.oneNetProgress=false} the token check, progress/state steps and the version report.
 */
public final class OneNet implements Dialect {

    /** Where a device downloads: the address the check named, the seed's path. */
    public static final String DOWNLOAD_URL = "http://#{ipPort}/ota/download/#{token}";

    private static final String CHECK_BODY = "{\"dev_id\":#{devId},\"manuf\":\"China Mobile\",\"model\":\"M5310\","
            + "\"type\":1,\"version\":\"#{fromVersion}\",\"signals\":20,\"powers\":80,\"cdn\":false}";

    @Override
    public String name() {
        return "onenet";
    }

    @Override
    public ChainBuilder upgrade() {
        return checkIn()
                .exec(beforeDownload())
                .exec(http("onenet download").get(DOWNLOAD_URL)
                        .check(status().is(200),
                                header("Content-Length").isEL("#{expectedSize}"),
                                md5().isEL("#{expectedMd5}")))
                .exec(afterDownload());
    }

    /** The check request as a device sends it, without checks. */
    public static HttpRequestActionBuilder checkRequest(String requestName) {
        return http(requestName).post("/ota/south/check")
                .header("Authorization", "#{authorization}")
                .header("Content-Type", "application/json")
                .body(StringBody(CHECK_BODY));
    }

    /** The check; saves {@code token} and {@code ipPort}, and verifies size and md5 match the campaign. */
    public static ChainBuilder checkIn() {
        return exec(checkRequest("onenet check")
                .check(status().is(200),
                        jsonPath("$.errno").ofInt().is(0),
                        jsonPath("$.data.target").isEL("#{targetVersion}"),
                        jsonPath("$.data.md5").isEL("#{expectedMd5}"),
                        jsonPath("$.data.size").ofLong().is(session -> session.getLong("expectedSize")),
                        jsonPath("$.data.token").saveAs("token"),
                        jsonPath("$.data.ipPort").saveAs("ipPort")));
    }

    /** With OneNET progress on: the optional token check, which moves the device to downloading. */
    public static ChainBuilder beforeDownload() {
        if (!reportProgress()) {
            return exec(session -> session);
        }
        return exec(oneNet(http("onenet token check").get("/ota/south/download/#{token}/check?dev_id=#{devId}")));
    }

    /**
     * With OneNET progress on: download progress (50), complete (100, which OneNET takes as "now
     * upgrading", after which only 2xx states are accepted), upgraded (201), the new version.
     */
    public static ChainBuilder afterDownload() {
        if (!reportProgress()) {
            return exec(session -> session);
        }
        return foreach(java.util.List.of(50, 100, 201), "step").on(
                        exec(oneNet(http("onenet progress").post("/ota/south/device/download/#{token}/progress?dev_id=#{devId}")
                                .header("Content-Type", "application/json")
                                .body(StringBody("{\"step\":#{step}}")))))
                .exec(oneNet(http("onenet version").post("/ota/device/version?dev_id=#{devId}")
                        .header("Content-Type", "application/json")
                        .body(StringBody("{\"f_version\":\"#{targetVersion}\",\"s_version\":\"#{targetVersion}\"}"))));
    }

    /** On unless {@code -Dota.oneNetProgress=false} (and progress not switched off with {@code -Dota.progress=false}). */
    private static boolean reportProgress() {
        return Dialects.reportProgress() && LoadSettings.flag("ota.oneNetProgress", true);
    }

    private static HttpRequestActionBuilder oneNet(HttpRequestActionBuilder request) {
        return request.header("Authorization", "#{authorization}")
                .check(status().is(200), jsonPath("$.errno").ofInt().is(0));
    }
}
