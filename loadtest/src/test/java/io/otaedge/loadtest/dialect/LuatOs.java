package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;
import io.otaedge.loadtest.LoadSettings;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * LuatOS libfota devices (seeds/luatos-libfota.txt, PROTOCOLS.md "LuatOS"): one GET to the edge,
 * {@code /api/site/firmware_upgrade?project_key&firmware_name&version&imei}, that both decides and
 * downloads: 200 with the firmware as the body (Content-Length, md5 verified here) means upgrade.
 * Sent with {@code Connection: Close}, as the device does. {@code project_key} is the campaign's
 * product id. Off by default until the endpoint exists.
 */
public final class LuatOs implements Dialect {

    @Override
    public String name() {
        return "luatos";
    }

    @Override
    public ChainBuilder upgrade() {
        String url = LoadSettings.edgeUrl() + "/api/site/firmware_upgrade?project_key=#{productId}"
                + "&firmware_name=#{productId}_LuatOS-SoC_EC618&version=#{fromVersion}&imei=#{imei}";
        return exec(http("luatos upgrade").get(url)
                .header("Connection", "Close")
                .check(status().is(200),
                        header("Content-Length").isEL("#{expectedSize}"),
                        md5().isEL("#{expectedMd5}")));
    }
}
