package io.otaedge.conformance.aliyun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aliyun Link SDK 4.x's firmware download ({@code aiot_download_send_request} / {@code aiot_download_recv}), the
 * client behind the Living platform's newer devices, replayed against the URL the seed's
 * {@code /living/ota/firmware/file/get} hands out.
 *
 * <p>Reproduces {@code components/ota/aiot_ota_api.c} and {@code core/utils/core_http.c} of the Link SDK as vendored in
 * {@code freshev/micropython} {@code lib/luatos-soc-2022/thirdparty/linksdk/} (commit
 * 39992ba9dbd263d781228b2d7f0705f899f1c52f). What they do:
 * <ul>
 *   <li>the request is {@code GET <path> HTTP/1.1}, {@code Host: <host:port>}, then the download's own header
 *       {@code Accept: text/html, application/xhtml+xml, application/xml;q=0.9, *}{@code /*;q=0.8} and
 *       {@code Range: bytes=<fetched>-} (so {@code bytes=0-} the first time), then {@code Content-Length: 0};</li>
 *   <li>the head is read line by line into a 128-byte line buffer ({@code CORE_HTTP_DEFAULT_HEADER_LINE_MAX_LEN}):
 *       a longer line fails the download; only a status line starting {@code "HTTP/1.1 "} is read; a header is
 *       split at the first {@code ": "} and the length is taken only from a name exactly {@code Content-Length};</li>
 *   <li>only 200 or 206 with a non-zero {@code Content-Length} is accepted; after a broken receive the SDK
 *       connects again with {@code Range: bytes=<bytes fetched so far>-}; the digest (md5 or sha256) is checked
 *       once all {@code size} bytes are in.</li>
 * </ul>
 */
class LinkSdkDownloadTest {

    static final String PRODUCT = "a1LinkSdk";
    static final byte[] FIRMWARE = LivingSdkUotaDownloadTest.firmware(90_000);
    static final int LINE_MAX = 128;

    @TempDir
    static Path data;
    static ConformanceSystem system;
    static String iotToken;
    static String sha256;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(data);
        system.createProduct(PRODUCT);
        iotToken = system.admin("GET", "/admin/v1/products/" + PRODUCT + "/aliyun-token", null, 200).get("iotToken").asText();
        JsonNode fw = system.uploadFirmware(PRODUCT, "default", "3.1.0", "linksdk_app_3.1.0.bin", FIRMWARE);
        sha256 = fw.get("sha256").asText();
        system.createTask(PRODUCT, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void aWholeDownloadStartsWithBytes0AndPassesTheSdksHeadAndDigestChecks() throws Exception {
        JsonNode pending = pending("link-dev-1");
        URI url = URI.create(pending.get("url").asText());
        int size = Integer.parseInt(pending.get("size").asText());

        RawResponse r = RawHttp.exchange(url.getPort(), request(url, 0));
        Head head = Head.read(r);
        assertThat(head.error).isNull();
        assertThat(head.status).isIn(200, 206);
        assertThat(head.contentLength).isEqualTo(size);
        assertThat(r.body()).hasSize(size);
        assertThat(hex("MD5", r.body())).isEqualTo(pending.get("sign").asText());
        assertThat(hex("SHA-256", r.body())).isEqualTo(sha256);
    }

    @Test
    void afterABrokenReceiveTheSdkResumesFromTheBytesItHas() throws Exception {
        JsonNode pending = pending("link-dev-2");
        URI url = URI.create(pending.get("url").asText());

        RawResponse cut = RawHttp.exchangeCut(url.getPort(), request(url, 0), 30_000);
        assertThat(Head.read(cut).error).isNull();
        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        fetched.write(cut.body());
        int sizeFetched = fetched.size();
        assertThat(sizeFetched).isBetween(1, FIRMWARE.length - 1);

        RawResponse rest = RawHttp.exchange(url.getPort(), request(url, sizeFetched));
        Head head = Head.read(rest);
        assertThat(head.error).isNull();
        assertThat(head.status).isEqualTo(206);
        assertThat(head.contentLength).isEqualTo(FIRMWARE.length - sizeFetched);
        fetched.write(rest.body());
        assertThat(fetched.toByteArray()).isEqualTo(FIRMWARE);
        assertThat(hex("MD5", fetched.toByteArray())).isEqualTo(pending.get("sign").asText());
    }

    @Test
    void anUnknownTokenIsNotMistakenForFirmware() throws Exception {
        URI url = URI.create(pending("link-dev-3").get("url").asText());
        URI unknown = URI.create("http://" + url.getHost() + ":" + url.getPort() + "/ota/download/ota_AAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Head head = Head.read(RawHttp.exchange(unknown.getPort(), request(unknown, 0)));
        // The SDK's STATE_DOWNLOAD_HTTPRSP_CODE_ERROR: neither 200 nor 206.
        assertThat(head.status).isEqualTo(404);
    }

    static byte[] request(URI url, int rangeStart) {
        return RawHttp.request(null, "GET " + url.getRawPath() + " HTTP/1.1", "Host: " + url.getHost() + ":" + url.getPort(),
                "Accept: text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8",
                "Range: bytes=" + rangeStart + "-", "Content-Length: 0");
    }

    /** core_http.c's header loop over the received head. */
    static final class Head {
        int status;
        long contentLength;
        String error;

        static Head read(RawResponse r) {
            Head h = new Head();
            String head = new String(r.raw(), 0, r.headEnd() + 2, StandardCharsets.ISO_8859_1);
            for (String line : head.split("\r\n")) {
                // The buffer takes a line and its CRLF; the length is checked before each byte but the LF.
                if (line.length() > LINE_MAX - 2) {
                    h.error = "header line longer than the SDK's " + LINE_MAX + "-byte buffer: " + line;
                    return h;
                }
                if (line.startsWith("HTTP/1.1 ") && line.length() > 10) {
                    h.status = Integer.parseInt(line.substring(9, 12));
                }
                int sep = line.indexOf(": ");
                if (sep > 0 && line.substring(0, sep).equals("Content-Length")) {
                    h.contentLength = Long.parseLong(line.substring(sep + 2));
                }
            }
            if (h.status != 200 && h.status != 206) {
                h.error = h.error == null ? "status " + h.status : h.error;
            } else if (h.contentLength == 0) {
                h.error = "no Content-Length";
            }
            return h;
        }
    }

    static JsonNode pending(String deviceName) throws Exception {
        String json = """
                {"id":"1","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},"params":{"productKey":"%s","deviceName":"%s","currentVersion":"3.0.0"}}"""
                .formatted(iotToken, PRODUCT, deviceName);
        RawResponse r = RawHttp.exchange(system.devicePort(), RawHttp.request(json, "POST /living/ota/firmware/file/get HTTP/1.1",
                "Host: 127.0.0.1:" + system.devicePort(), "Content-Type: application/json",
                "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length, "Connection: close"));
        JsonNode reply = Json.mapper().readTree(r.body());
        assertThat(reply.get("code").asInt()).as(reply.toString()).isEqualTo(200);
        return reply.get("data");
    }

    static String hex(String algorithm, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
    }
}
