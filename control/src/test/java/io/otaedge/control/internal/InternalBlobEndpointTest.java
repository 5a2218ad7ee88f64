package io.otaedge.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The blob endpoint edges pull from: the file's exact bytes with the shared secret, 401 without it. */
class InternalBlobEndpointTest {

    private static final String SECRET = "internal-test-secret";
    private static ControlHarness control;
    private static byte[] firmware;
    private static String sha256;

    @BeforeAll
    static void start() {
        control = new ControlHarness("OTA_INTERNAL_SECRET", SECRET);
        String pid = ControlHarness.uniqueId("blob");
        control.createProduct(pid);
        firmware = new byte[20_000];
        new Random(5).nextBytes(firmware);
        sha256 = control.uploadFirmware(pid, "1.0", firmware).get("sha256").asText();
    }

    @AfterAll
    static void stop() {
        control.close();
    }

    @Test
    void theBlobIsServedWholeWithTheSecret() {
        HttpResponse<byte[]> r = control.send(HttpRequest.newBuilder(control.admin(InternalBlobApi.path(sha256)))
                .header(InternalBlobApi.SECRET_HEADER, SECRET).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(firmware.length);
        assertThat(r.body()).isEqualTo(firmware);
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @Test
    void withoutOrWithAWrongSecretIs401() {
        HttpResponse<String> none = control.send(HttpRequest.newBuilder(control.admin(InternalBlobApi.path(sha256))).build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"unauthorized\"");
        HttpResponse<String> wrong = control.send(HttpRequest.newBuilder(control.admin(InternalBlobApi.path(sha256)))
                .header(InternalBlobApi.SECRET_HEADER, SECRET + "x").build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        // The admin key is not the internal secret either.
        HttpResponse<String> admin = control.send(control.adminRequest(InternalBlobApi.path(sha256)).build());
        assertThat(admin.statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownOrMalformedBlobIs404() {
        for (String sha : new String[] {"0".repeat(64), "not-a-sha"}) {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin(InternalBlobApi.path(sha)))
                    .header(InternalBlobApi.SECRET_HEADER, SECRET).build());
            assertThat(r.statusCode()).as(sha).isEqualTo(404);
            assertThat(r.body()).contains("\"blob_not_found\"");
        }
    }

    @Test
    void withoutAConfiguredSecretNoRequestPassesNotEvenWithTheAdminKey() {
        try (ControlHarness plain = new ControlHarness()) {
            HttpResponse<String> r = plain.send(plain.adminRequest(InternalBlobApi.path(sha256)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        }
    }
}
