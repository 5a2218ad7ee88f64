package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State lives in the data directory: a restart with the same directory loses nothing. */
class RestartEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void catalogTasksTokensAndAdminKeySurviveARestart() throws Exception {
        byte[] firmware = new byte[50_000];
        new Random(11).nextBytes(firmware);
        String token;
        String adminKey;
        try (Standalone first = Standalone.start(StandaloneEndToEndTest.settings(dataDir))) {
            OtaTestClient client = new OtaTestClient(first);
            client.createProduct("keep");
            JsonNode fw = client.uploadFirmware("keep", "3.0.0", "fw.bin", firmware);
            client.createTask("keep", fw.get("id").asText());
            token = client.oneNetCheck(client.oneNetAuthorization("keep"), 77, "2.0").get("data").get("token").asText();
            adminKey = first.adminKey();
        }
        try (Standalone second = Standalone.start(StandaloneEndToEndTest.settings(dataDir))) {
            OtaTestClient client = new OtaTestClient(second);
            assertThat(second.adminKey()).isEqualTo(adminKey);
            assertThat(client.get(client.download(token)).body()).isEqualTo(firmware);
            JsonNode again = client.oneNetCheck(client.oneNetAuthorization("keep"), 77, "2.0");
            assertThat(again.get("data").get("token").asText()).isEqualTo(token);
        }
    }
}
