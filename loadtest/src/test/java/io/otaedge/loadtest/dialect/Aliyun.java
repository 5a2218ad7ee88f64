package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;
import io.otaedge.loadtest.CampaignSetup;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Aliyun Living (seeds/aliyun-living-progress.txt, README "Device APIs"), with the product's
 * {@code iotToken} from {@code GET /admin/v1/products/{p}/aliyun-token}; {@code productKey} is the
 * product id, {@code deviceName} the device. Living devices get their URL over MQTT, outside this
 * HTTP test, so a device here does what the app-side API offers in its place:
 * {@code /living/ota/progress/get} with its current version ({@code TO_BE_UPGRADED}),
 * {@code /living/ota/firmware/file/get} for the edge URL and md5 ({@code sign}), the download
 * (md5 verified), and {@code /living/ota/progress/report} of step 100.
 */
public final class Aliyun implements Dialect {

    private static final String ENVELOPE = "{\"id\":\"#{clientId}\",\"version\":\"1.0\","
            + "\"request\":{\"apiVer\":\"1.0.0\",\"iotToken\":\"#{iotToken}\"},\"params\":{"
            + "\"productKey\":\"#{productId}\",\"deviceName\":\"#{deviceName}\",\"moduleName\":\"default\",%s}}";

    @Override
    public String name() {
        return "aliyun";
    }

    @Override
    public Map<String, Object> prepare(CampaignSetup setup) {
        return Map.of("iotToken", setup.admin().aliyunIotToken(setup.campaign().productId()));
    }

    @Override
    public ChainBuilder upgrade() {
        ChainBuilder chain = exec(http("aliyun progress get").post("/living/ota/progress/get")
                        .header("Content-Type", "application/json")
                        .body(StringBody(String.format(ENVELOPE, "\"currentVersion\":\"#{fromVersion}\"")))
                        .check(status().is(200),
                                jsonPath("$.code").ofInt().is(200),
                                jsonPath("$.data.firmwareVersion").isEL("#{targetVersion}"),
                                jsonPath("$.data.status").is("TO_BE_UPGRADED")))
                .exitHereIfFailed()
                .exec(http("aliyun file get").post("/living/ota/firmware/file/get")
                        .header("Content-Type", "application/json")
                        .body(StringBody(String.format(ENVELOPE, "\"currentVersion\":\"#{fromVersion}\"")))
                        .check(status().is(200),
                                jsonPath("$.code").ofInt().is(200),
                                jsonPath("$.data.version").isEL("#{targetVersion}"),
                                jsonPath("$.data.sign").isEL("#{expectedMd5}"),
                                jsonPath("$.data.url").saveAs("firmwareUrl")))
                .exitHereIfFailed()
                .exec(http("aliyun download").get("#{firmwareUrl}")
                        .check(status().is(200),
                                header("Content-Length").isEL("#{expectedSize}"),
                                md5().isEL("#{expectedMd5}")));
        if (!Dialects.reportProgress()) {
            return chain;
        }
        return chain.exec(http("aliyun progress report").post("/living/ota/progress/report")
                .header("Content-Type", "application/json")
                .body(StringBody(String.format(ENVELOPE,
                        "\"firmwareVersion\":\"#{targetVersion}\",\"step\":\"100\",\"desc\":\"downloaded\"")))
                .check(status().is(200), jsonPath("$.code").ofInt().is(200)));
    }
}
