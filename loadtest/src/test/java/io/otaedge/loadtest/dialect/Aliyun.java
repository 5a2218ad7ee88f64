package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Aliyun Living (seeds/aliyun-living-progress.txt, PROTOCOLS.md "Aliyun Living"): the app-side
 * {@code POST /living/ota/progress/get} for the device (productKey = the campaign's product), and
 * with {@code -Dota.progress=true} a {@code /living/ota/progress/report} of step "100". Living
 * devices receive their download URL over MQTT, which is outside this HTTP load test, so this
 * dialect measures the progress API. Off by default until the endpoints exist.
 */
public final class Aliyun implements Dialect {

    private static final String ENVELOPE = "{\"id\":\"#{clientId}\",\"version\":\"1.0\","
            + "\"request\":{\"apiVer\":\"1.0.0\",\"iotToken\":\"load-test\"},\"params\":{"
            + "\"productKey\":\"#{productId}\",\"deviceName\":\"#{deviceName}\",\"moduleName\":\"default\",%s}}";

    @Override
    public String name() {
        return "aliyun";
    }

    @Override
    public ChainBuilder upgrade() {
        ChainBuilder chain = exec(http("aliyun progress get").post("/living/ota/progress/get")
                .header("Content-Type", "application/json")
                .body(StringBody(String.format(ENVELOPE,
                        "\"currentVersion\":\"#{fromVersion}\",\"firmwareVersion\":\"#{targetVersion}\"")))
                .check(status().is(200),
                        jsonPath("$.code").ofInt().is(200),
                        jsonPath("$.data.status").in("TO_BE_UPGRADED", "UPGRADING", "SUCCEEDED", "FAILED")));
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
