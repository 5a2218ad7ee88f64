package io.otaedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.otaedge.cli.command.TaskCreateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tasks create} has an option for every field of the admin API's task request ({@code TaskRequest} in
 * docs/openapi.yaml, read here, so a field added there fails this test until otactl has its option).
 */
class TaskCreateOptionsTest {

    @Test
    void everyTaskRequestFieldOfTheContractHasAnOption() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../docs/openapi.yaml").toFile());
        List<String> fields = new ArrayList<>();
        spec.at("/components/schemas/TaskRequest/properties").fieldNames().forEachRemaining(fields::add);
        assertThat(fields).contains("firmwareId", "rollback", "start");

        ObjectNode body = body("-p", "demo", "--firmware", "fw_1", "--type", "2", "--source-version", "1.0,1.1",
                "--device", "d1", "--device", "d2", "--mac-range", "00:11:22:00:00:00..00:11:22:ff:ff:ff",
                "--manufacturer", "acme", "--model", "m1,m2", "--stages", "1,10,100", "--auto-advance",
                "--failure-threshold", "20", "--min-sample", "5", "--signal", "-90", "--power", "30",
                "--enforce-thresholds", "--retry", "2", "--interval", "120", "--mode", "CONFIRM",
                "--start-at", "2030-01-01T00:00:00Z", "--end-at", "2030-02-01T00:00:00Z", "--no-auto-add",
                "--delta-only", "--rollback", "--no-start", "--maximum-per-minute", "100", "--base-rate-per-minute", "10",
                "--increment-factor", "1.5", "--increment-by", "50", "--success-threshold", "95", "--success-soak", "PT1H",
                "--success-action", "PAUSE", "--maintenance-window", "0 2 * * *;PT3H;Europe/Berlin",
                "--maintenance-window", "30 13 * * 6,0;PT30M;UTC",
                "--download-retries", "2", "--install-retries", "1",
                "--timeout-retries", "0", "--retry-wait-seconds", "30",
                "--abort-criterion", "FAILED:20:100", "--abort-criterion", "ALL:12.5:10",
                "--rollback-firmware", "fw_0", "--rollback-threshold", "30", "--rollback-min", "50",
                "--rollback-abort-criterion", "ALL:50:10");
        List<String> sent = new ArrayList<>();
        body.fieldNames().forEachRemaining(sent::add);
        assertThat(sent).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(body.path("macRanges").get(0)).isEqualTo(new ObjectMapper().valueToTree(
                Map.of("from", "00:11:22:00:00:00", "to", "00:11:22:ff:ff:ff")));
        assertThat(body.path("stages").toString()).isEqualTo("[1.0,10.0,100.0]");
        assertThat(body.path("autoAdd").asBoolean(true)).isFalse();
        assertThat(body.path("start").asBoolean(true)).isFalse();
        assertThat(body.path("signal").asInt()).isEqualTo(-90);
        assertThat(body.path("incrementFactor").isNumber()).isTrue();
        assertThat(body.path("incrementFactor").asDouble()).isEqualTo(1.5);
        assertThat(body.path("maintenanceWindows").toString()).isEqualTo("[{\"cron\":\"0 2 * * *\",\"duration\":\"PT3H\","
                + "\"zone\":\"Europe/Berlin\"},{\"cron\":\"30 13 * * 6,0\",\"duration\":\"PT30M\",\"zone\":\"UTC\"}]");
        assertThat(body.path("timeoutRetries").isInt()).isTrue();
        assertThat(body.path("retryWaitSeconds").asInt()).isEqualTo(30);
        assertThat(body.path("abortCriteria").toString()).isEqualTo("[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\","
                + "\"thresholdPercentage\":20.0,\"minNumberOfExecutedThings\":100},{\"failureType\":\"ALL\",\"action\":\"CANCEL\","
                + "\"thresholdPercentage\":12.5,\"minNumberOfExecutedThings\":10}]");
        assertThat(body.path("autoRollback").toString()).isEqualTo("{\"thresholdPercentage\":30.0,\"minNumberOfExecutedThings\":50,"
                + "\"firmwareId\":\"fw_0\",\"abortCriteria\":[{\"failureType\":\"ALL\",\"action\":\"CANCEL\","
                + "\"thresholdPercentage\":50.0,\"minNumberOfExecutedThings\":10}]}");
    }

    @Test
    void fieldsLeftOutAreNotSentSoTheServersDefaultsApply() throws Exception {
        ObjectNode body = body("-p", "demo", "--firmware", "fw_1");
        assertThat(body.toString()).isEqualTo("{\"firmwareId\":\"fw_1\"}");
    }

    private static ObjectNode body(String... args) {
        CommandLine root = Otactl.commandLine(Map.of(), new java.io.PrintWriter(System.out), new java.io.PrintWriter(System.err));
        CommandLine.ParseResult parsed = root.parseArgs(prepend(args));
        TaskCreateCommand create = parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();
        return create.body();
    }

    private static String[] prepend(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "tasks";
        all[1] = "create";
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
