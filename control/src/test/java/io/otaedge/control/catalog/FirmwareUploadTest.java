package io.otaedge.control.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Firmware upload into the content-addressed blob store, through the admin API on real sockets. */
class FirmwareUploadTest {

    static final int MAX = 64 * 1024;
    static ControlHarness control;

    @BeforeAll
    static void start() {
        control = new ControlHarness("OTA_MAX_FIRMWARE_SIZE", Integer.toString(MAX));
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    static long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(ControlHarness.json(r).get("error").asText()).isEqualTo(code);
    }

    @Test
    void anUploadReportsItsMd5Sha256Sha1AndSizeAndLandsInTheBlobStore() throws Exception {
        String pid = ControlHarness.uniqueId("up");
        control.createProduct(pid);
        byte[] fw = randomBytes(MAX - 7, 1);

        HttpResponse<String> r = control.upload(pid, "version=1.2.0&module=mcu&fileName=app.bin", fw);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = ControlHarness.json(r);
        assertThat(body.fieldNames()).toIterable()
                .containsExactly("id", "productId", "version", "module", "fileName", "size", "md5", "sha256", "createdAt", "status", "sha1", "packageType");
        assertThat(body.get("id").asText()).startsWith("fw_");
        assertThat(body.get("productId").asText()).isEqualTo(pid);
        assertThat(body.get("version").asText()).isEqualTo("1.2.0");
        assertThat(body.get("module").asText()).isEqualTo("mcu");
        assertThat(body.get("fileName").asText()).isEqualTo("app.bin");
        assertThat(body.get("size").asLong()).isEqualTo(fw.length);
        assertThat(body.get("md5").asText()).isEqualTo(hex("MD5", fw));
        assertThat(body.get("sha256").asText()).isEqualTo(hex("SHA-256", fw));
        assertThat(body.get("sha1").asText()).isEqualTo(hex("SHA-1", fw));
        assertThat(Files.readAllBytes(control.blobs.pathOf(hex("SHA-256", fw)))).isEqualTo(fw);
        assertThat(filesIn(control.blobDir.resolve("tmp"))).isZero();
    }

    @Test
    void anUploadThatExpects100ContinueIsAccepted() throws Exception {
        // curl sends "Expect: 100-continue" for large bodies and waits for the interim answer.
        String pid = ControlHarness.uniqueId("expect");
        control.createProduct(pid);
        byte[] fw = randomBytes(30_000, 6);
        HttpResponse<String> r = control.send(control.adminRequest("/admin/v1/products/" + pid + "/firmwares?version=1.0")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(fw)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(ControlHarness.json(r).get("md5").asText()).isEqualTo(hex("MD5", fw));
    }

    @Test
    void aChunkedUploadIsHashedTheSame() throws Exception {
        String pid = ControlHarness.uniqueId("chunked");
        control.createProduct(pid);
        byte[] fw = randomBytes(40_000, 2);
        HttpResponse<String> r = control.send(control.adminRequest("/admin/v1/products/" + pid + "/firmwares?version=2")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fw))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = ControlHarness.json(r);
        assertThat(body.get("size").asLong()).isEqualTo(fw.length);
        assertThat(body.get("sha256").asText()).isEqualTo(hex("SHA-256", fw));
        assertThat(body.get("module").asText()).isEqualTo("default");
        assertThat(body.get("fileName").asText()).isEqualTo("firmware-2.bin");
    }

    @Test
    void uploadingTheSameBytesAgainReusesTheBlobAndListsBothFirmwares() throws Exception {
        String pid = ControlHarness.uniqueId("dedupe");
        control.createProduct(pid);
        byte[] fw = randomBytes(5000, 3);
        JsonNode first = control.uploadFirmware(pid, "1.0", fw);
        JsonNode second = control.uploadFirmware(pid, "1.0-rebuild", fw);

        assertThat(second.get("sha256").asText()).isEqualTo(first.get("sha256").asText());
        assertThat(second.get("id").asText()).isNotEqualTo(first.get("id").asText());
        Path blob = control.blobs.pathOf(first.get("sha256").asText());
        assertThat(filesIn(blob.getParent())).isEqualTo(1);
        assertThat(Files.readAllBytes(blob)).isEqualTo(fw);

        JsonNode list = ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/firmwares"));
        assertThat(list.get("items")).hasSize(2);
        assertThat(list.get("items").get(0)).isEqualTo(first);
        assertThat(list.get("items").get(1)).isEqualTo(second);
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/firmwares/" + first.get("id").asText())))
                .isEqualTo(first);
    }

    @Test
    void aDeclaredOversizedUploadIs413AndLeavesNoFileBehind() throws Exception {
        String pid = ControlHarness.uniqueId("big");
        control.createProduct(pid);
        // Only the head, declaring one byte too many: the 413 is decided from Content-Length before any body byte.
        // (A client still writing the body when the server answers and closes may lose the answer to a reset.)
        String answer;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", control.server.adminPort())) {
            socket.getOutputStream().write(("POST /admin/v1/products/" + pid + "/firmwares?version=1.0 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + control.adminKey + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + (MAX + 1) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 413").contains("firmware_too_large");
        assertThat(filesIn(control.blobDir.resolve("tmp"))).isZero();
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/firmwares")).get("items")).isEmpty();
    }

    @Test
    void anEmptyUploadRefusedAs400LeavesTheConnectionUsable() throws Exception {
        String pid = ControlHarness.uniqueId("emptykeep");
        control.createProduct(pid);
        String auth = "Authorization: Bearer " + control.adminKey + "\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", control.server.adminPort())) {
            socket.setSoTimeout(5_000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) {
                out.write(("POST /admin/v1/products/" + pid + "/firmwares?version=1.0 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
                        + "Content-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(readResponse(in)).startsWith("HTTP/1.1 400");
                // The same connection answers the next request (it hung here before).
                out.write(("GET /admin/v1/products/" + pid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
            }
        }
    }

    /** One response's status line, after skipping its headers and its Content-Length body. */
    private static String readResponse(java.io.BufferedReader in) throws IOException {
        String status = in.readLine();
        int length = 0;
        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
        return status;
    }

    @Test
    void aChunkedUploadThatGrowsPastTheLimitIs413AndLeavesNoFileBehind() throws Exception {
        String pid = ControlHarness.uniqueId("bigchunked");
        control.createProduct(pid);
        byte[] fw = randomBytes(MAX + 1000, 5);
        long blobsBefore = countBlobs();

        HttpResponse<String> r = control.send(control.adminRequest("/admin/v1/products/" + pid + "/firmwares?version=1.0")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fw))).build());

        assertError(r, 413, "firmware_too_large");
        // The temp file is removed before the 413 is sent, so there is nothing to wait for.
        assertThat(filesIn(control.blobDir.resolve("tmp"))).isZero();
        assertThat(countBlobs()).isEqualTo(blobsBefore);
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/firmwares")).get("items")).isEmpty();
    }

    long countBlobs() throws IOException {
        try (Stream<Path> s = Files.walk(control.blobDir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("tmp")).count();
        }
    }

    @Test
    void anUploadToAnUnknownProductIs404() {
        assertError(control.upload("none-such", "version=1.0", new byte[] {1}), 404, "product_not_found");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'' | bad_request", "version= | invalid_version", "version=1.0%20beta | invalid_version",
            "version=123456789012345678901 | invalid_version", "version=1.0&module=a/b | bad_request",
            "version=1.0&fileName=../etc/passwd | bad_request", "version=1.0&fileName=a%2Fb | bad_request"})
    void aBadVersionModuleOrFileNameIs400(String query, String code) {
        String pid = ControlHarness.uniqueId("bad");
        control.createProduct(pid);
        assertError(control.upload(pid, query, new byte[] {1}), 400, code);
    }

    @Test
    void anEmptyFirmwareIs400() {
        String pid = ControlHarness.uniqueId("empty");
        control.createProduct(pid);
        assertError(control.upload(pid, "version=1.0", new byte[0]), 400, "bad_request");
    }

    @Test
    void theSameVersionOfTheSameModuleIs409() {
        String pid = ControlHarness.uniqueId("again");
        control.createProduct(pid);
        control.uploadFirmware(pid, "1.0", new byte[] {1});
        assertError(control.upload(pid, "version=1.0&module=default", new byte[] {2}), 409, "firmware_exists");
        // Another module may carry the same version.
        assertThat(control.upload(pid, "version=1.0&module=wifi", new byte[] {2}).statusCode()).isEqualTo(201);
    }

    @Test
    void anUnknownFirmwareIs404() {
        String pid = ControlHarness.uniqueId("nofw");
        control.createProduct(pid);
        assertError(control.adminGet("/admin/v1/products/" + pid + "/firmwares/fw_none"), 404, "firmware_not_found");
        assertError(control.adminGet("/admin/v1/products/none-such/firmwares"), 404, "product_not_found");
    }
}
